import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import type { Metrics } from '@libp2p/interface'
import type { Registry } from 'prom-client'

/** A metric of prom-client's default set, present once collectDefaultMetrics has run on a registry. */
const DEFAULT_METRIC_PROBE = 'process_cpu_user_seconds_total'

/**
 * Creates libp2p's metrics (libp2p_* families, plus prom-client's default
 * process_* and nodejs_* metrics) in `registry`, for the `metrics` option of
 * createPohLibp2p.
 *
 * `preserveExistingMetrics` stops @libp2p/prometheus-metrics 5.0 from
 * clearing the global prom-client registry and its own metric cache, which
 * would drop the node's poh_* metrics. The default metrics are registered
 * only once per registry, so a node that is stopped and started again with
 * the same registry does not fail on a duplicate metric name.
 *
 * NOTE: @libp2p/prometheus-metrics 5.0 caches metric objects by name in a
 * module-level map. In a process with several libp2p nodes, only the first
 * node's registry gets the libp2p_* families, and later nodes add to its
 * counters. One node per process, as `poh-node start` runs, is unaffected.
 */
export function libp2pMetrics (registry: Registry): (components: any) => Metrics {
  return (components) => {
    const collectDefaultMetrics = registry.getSingleMetric(DEFAULT_METRIC_PROBE) === undefined
    return prometheusMetrics({ registry, preserveExistingMetrics: true, collectDefaultMetrics })(components)
  }
}
