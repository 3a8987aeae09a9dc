/**
 * Node metrics that the node's own code does not update: storage gauges read
 * from `node.view.status()` on each scrape, and the request-to-held latency
 * fed from the node's `held` events.
 */

import { Gauge, Histogram } from 'prom-client'
import type { Logger } from '../log/logger.js'
import type { HeldEvent, PohNode } from '../node/poh-node.js'
import type { NodeStatus } from '../node/queries.js'
import type { Registry } from 'prom-client'

export interface NodeGaugesOptions {
  /** Receives a warning when reading the node status fails during a scrape. */
  logger?: Logger
}

export interface NodeGauges {
  /** Removes the metrics from the registry and stops listening to the node. */
  unregister: () => void
}

/**
 * Time a status snapshot is reused. The gauges of one scrape share a single
 * `status()` call, which scans every stored transaction record.
 */
const SNAPSHOT_MAX_AGE_MS = 1000

/**
 * Buckets of poh_request_to_held_seconds. A request is held once
 * min_poh_required ACKs have arrived. On a LAN that takes one gossip hop for
 * the request, signing, and one ACK batch (ack_batch_max_delay_ms, 5 ms by
 * default): tens of milliseconds. Across continents, add a few hundred ms of
 * round trips. A holder that missed the request repairs it with a timeout of
 * repair.request_timeout_ms (10 s by default), and the request timestamp comes
 * from the submitter's clock, which may differ from ours by up to
 * max_clock_skew_ms (30 s by default). The buckets span 10 ms to 60 s.
 */
const REQUEST_TO_HELD_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

/**
 * Registers poh_stored_bytes, poh_stored_transactions,
 * poh_pending_transactions and poh_request_to_held_seconds in `registry`.
 * Call it before `node.start()` so the histogram records every held event.
 *
 * NOTE: each scrape reads every stored transaction record, payloads included,
 * because `status()` computes stored_bytes that way. Scrape intervals of 15 s
 * or more keep that cost small for stores of a few GB.
 */
export function registerNodeGauges (registry: Registry, node: PohNode, options: NodeGaugesOptions = {}): NodeGauges {
  let snapshot: { atMs: number, status: Promise<NodeStatus> } | undefined
  let failing = false

  /** Returns the node status, or undefined when it cannot be read (the node is stopped, say). */
  const readStatus = async (): Promise<NodeStatus | undefined> => {
    const now = Date.now()
    if (snapshot === undefined || now - snapshot.atMs > SNAPSHOT_MAX_AGE_MS) {
      snapshot = { atMs: now, status: node.view.status() }
    }
    try {
      const status = await snapshot.status
      failing = false
      return status
    } catch (err) {
      // One warning per run of failures, because every scrape would repeat it.
      if (!failing) {
        options.logger?.warn({ err }, 'reading the node status for metrics failed; the storage gauges keep their last values')
      }
      failing = true
      return undefined
    }
  }

  // NOTE: createNodeMetrics also registers a poh_pending_transactions gauge,
  // which no code sets. It is replaced here by one computed on scrape.
  registry.removeSingleMetric('poh_pending_transactions')

  const gauge = (name: string, help: string, read: (status: NodeStatus) => number): Gauge => {
    const metric: Gauge = new Gauge({
      name,
      help,
      registers: [registry],
      collect: async () => {
        const status = await readStatus()
        if (status !== undefined) {
          metric.set(read(status))
        }
      }
    })
    return metric
  }
  gauge('poh_stored_bytes', 'Sum of the stored payload lengths, in bytes', s => s.stored_bytes)
  gauge('poh_stored_transactions', 'Transactions whose payload this node stores', s => s.transactions_stored)
  gauge('poh_pending_transactions', 'Transactions seen but not yet held', s => s.pending_transactions)

  const requestToHeld = new Histogram({
    name: 'poh_request_to_held_seconds',
    help: 'Time from the request timestamp to the moment this node counted the transaction as held',
    buckets: REQUEST_TO_HELD_BUCKETS,
    registers: [registry]
  })
  const onHeld = (evt: CustomEvent<HeldEvent>): void => {
    // A submitter's clock ahead of ours gives a negative time, counted as 0.
    requestToHeld.observe(Math.max(0, evt.detail.heldAtMs - evt.detail.requestTimestampMs) / 1000)
  }
  node.addEventListener('held', onHeld)

  return {
    unregister: () => {
      node.removeEventListener('held', onHeld)
      for (const name of ['poh_stored_bytes', 'poh_stored_transactions', 'poh_pending_transactions', 'poh_request_to_held_seconds']) {
        registry.removeSingleMetric(name)
      }
    }
  }
}
