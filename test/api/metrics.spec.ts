import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect } from 'chai'
import { startApiServer } from '../../src/api/server.js'
import { defaultConfig } from '../../src/config/index.js'
import { ConfigError } from '../../src/core/errors.js'
import { createLogger } from '../../src/log/logger.js'
import { registerNodeGauges } from '../../src/metrics/node-gauges.js'
import { startMetricsServer } from '../../src/metrics/server.js'
import { PohNode } from '../../src/node/poh-node.js'
import { startCluster, until } from '../helpers/network.js'
import type { ApiServer } from '../../src/api/server.js'
import type { MetricsServer } from '../../src/metrics/server.js'
import type { NodeGauges } from '../../src/metrics/node-gauges.js'
import type { TestCluster } from '../helpers/network.js'

const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const quietLogger = createLogger({ level: 'fatal', format: 'json' })

/** Metric names in a dashboard's PromQL expressions, without histogram suffixes. */
function dashboardMetricNames (dashboard: { panels: Array<{ title: string, targets: Array<{ expr: string }> }> }): Set<string> {
  const names = new Set<string>()
  for (const panel of dashboard.panels) {
    for (const target of panel.targets) {
      for (const match of target.expr.matchAll(/\b(?:poh|libp2p)_[a-z0-9_]+/g)) {
        names.add(match[0].replace(/_(bucket|sum|count)$/, ''))
      }
    }
  }
  return names
}

/**
 * Creates a libp2p node with libp2pMetrics in a child process, because
 * @libp2p/prometheus-metrics caches metrics per process, and prints the metric
 * names of its registry. The node is started twice on the same registry.
 */
const LIBP2P_METRICS_SCRIPT = `
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Counter, Registry } from 'prom-client'
import { createPohLibp2p } from './src/network/libp2p.ts'
import { libp2pMetrics } from './src/metrics/libp2p.ts'

const registry = new Registry()
new Counter({ name: 'poh_probe_total', help: 'created before libp2p', registers: [registry] }).inc()
const privateKey = await generateKeyPair('Ed25519')
for (let i = 0; i < 2; i++) {
  const node = await createPohLibp2p({ privateKey, networkId: 'poh-test', listen: ['/ip4/127.0.0.1/tcp/0'], bootstrapPeers: [], metrics: libp2pMetrics(registry) })
  await registry.metrics()
  await node.stop()
}
process.stdout.write(JSON.stringify((await registry.getMetricsAsJSON()).map(m => m.name)))
`

async function libp2pMetricNames (): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', LIBP2P_METRICS_SCRIPT], { cwd: repoRoot, timeout: 60_000 })
  return JSON.parse(stdout) as string[]
}

describe('metrics endpoint', function () {
  let cluster: TestCluster
  let gauges: NodeGauges
  let metrics: MetricsServer
  let api: ApiServer
  const txIds: string[] = []
  const payloads = ['metrics spec 1', 'metrics spec 22', 'metrics spec 333'].map(text => Buffer.from(text))

  before(async function () {
    cluster = await startCluster({ size: 1, minPohRequired: 1 })
    const node = cluster.nodes[0] as PohNode
    gauges = registerNodeGauges(node.registry, node, { logger: quietLogger })
    metrics = await startMetricsServer({ registry: node.registry, listen: '127.0.0.1:0', logger: quietLogger })
    api = await startApiServer({ node, config: { ...node.config, api: { listen: '127.0.0.1:0' } }, logger: quietLogger })
    for (const payload of payloads) {
      txIds.push(await node.submit(payload))
    }
    await until(async () => (await Promise.all(txIds.map(async id => (await node.getTx(id))?.state))).every(state => state === 'HELD'), 'the submitted transactions to be held')
    // API requests whose URLs carry a tx id, to check the route label.
    for (const id of txIds) {
      expect((await fetch(`${api.url}/v1/tx/${id}`)).status).to.equal(200)
      expect((await fetch(`${api.url}/v1/tx/${id}/unknown`)).status).to.equal(404)
    }
  })

  after(async function () {
    await api?.close()
    await metrics?.close()
    gauges?.unregister()
    await cluster?.stop()
  })

  it('scrape returns poh metrics', async function () {
    const node = cluster.nodes[0] as PohNode
    const response = await fetch(`${metrics.url}/metrics`)
    const text = await response.text()

    expect(response.status).to.equal(200)
    expect(response.headers.get('content-type')).to.equal(node.registry.contentType)
    expect(text).to.match(/^poh_requests_total 3$/m)
    expect(text).to.match(/^poh_held_total 3$/m)
    expect(text).to.match(/^poh_acks_issued_total 3$/m)
    expect(text).to.match(/^poh_request_to_held_seconds_count 3$/m)
    expect(text).to.match(/^poh_request_to_held_seconds_bucket\{le="60"\} 3$/m)
    expect(text).to.match(/^poh_stored_transactions 3$/m)
    expect(text).to.match(new RegExp(`^poh_stored_bytes ${payloads.reduce((sum, p) => sum + p.length, 0)}$`, 'm'))
    expect(text).to.match(/^poh_pending_transactions 0$/m)
    expect(text.match(/^# TYPE poh_pending_transactions gauge$/gm)).to.have.length(1)
    expect(text).to.match(/^poh_api_requests_total\{route="\/v1\/tx\/:id",status="200"\} 3$/m)
    expect(text).to.match(/^poh_api_requests_total\{route="unmatched",status="404"\} 3$/m)
  })

  it('scrape contains no tx id or peer id', async function () {
    const node = cluster.nodes[0] as PohNode
    const text = await (await fetch(`${metrics.url}/metrics`)).text()

    for (const id of txIds) {
      expect(text).to.not.include(id)
      expect(text).to.not.include(id.toUpperCase())
    }
    expect(text).to.not.include(node.libp2p.peerId.toString())
    expect(text).to.not.match(/="[0-9a-fA-F]{64}"/)
  })

  it('other paths are 404', async function () {
    for (const path of ['/', '/metrics/x', '/v1/status']) {
      const response = await fetch(`${metrics.url}${path}`)
      await response.text()

      expect(response.status, path).to.equal(404)
    }
  })

  it('POST /metrics is 405', async function () {
    const response = await fetch(`${metrics.url}/metrics`, { method: 'POST' })
    await response.text()

    expect(response.status).to.equal(405)
    expect(response.headers.get('allow')).to.equal('GET, HEAD')
  })

  it('listen must be host:port', async function () {
    const node = cluster.nodes[0] as PohNode
    let error: unknown
    try {
      const server = await startMetricsServer({ registry: node.registry, listen: '9090', logger: quietLogger })
      await server.close()
    } catch (err) {
      error = err
    }

    expect(error).to.be.instanceOf(ConfigError)
    expect((error as Error).message).to.include('metrics.listen "9090"')
  })

  it('dashboard queries name existing metrics', async function () {
    const node = cluster.nodes[0] as PohNode
    const dashboard = JSON.parse(await readFile(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8'))
    const registered = new Set((await node.registry.getMetricsAsJSON()).map(metric => metric.name))
    const libp2pNames = new Set(await libp2pMetricNames())

    for (const panel of dashboard.panels as Array<{ title: string, targets: unknown[] }>) {
      expect(panel.targets.length, panel.title).to.be.greaterThan(0)
    }
    for (const name of dashboardMetricNames(dashboard)) {
      const known = name.startsWith('poh_') ? registered : libp2pNames
      expect(known.has(name), `dashboard metric ${name}`).to.equal(true)
    }
  })
})

describe('node gauges', function () {
  it('stopped node keeps the scrape working', async function () {
    const lines: string[] = []
    const logger = createLogger({ level: 'warn', format: 'json', destination: { write: (line: string) => { lines.push(line) } } })
    const node = new PohNode({ config: defaultConfig(), logger: quietLogger })
    const gauges = registerNodeGauges(node.registry, node, { logger })
    try {
      await node.registry.metrics()
      await new Promise(resolve => setTimeout(resolve, 1100))
      const text = await node.registry.metrics()

      expect(text).to.match(/^poh_stored_bytes 0$/m)
      expect(lines).to.have.length(1)
      expect(lines[0]).to.include('reading the node status for metrics failed')
    } finally {
      gauges.unregister()
    }
  })

  it('unregister removes the metrics', function () {
    const node = new PohNode({ config: defaultConfig(), logger: quietLogger })
    const gauges = registerNodeGauges(node.registry, node)
    gauges.unregister()

    for (const name of ['poh_stored_bytes', 'poh_stored_transactions', 'poh_pending_transactions', 'poh_request_to_held_seconds']) {
      expect(node.registry.getSingleMetric(name), name).to.equal(undefined)
    }
  })
})

describe('libp2p metrics', function () {
  it('share the registry with poh metrics', async function () {
    const names = await libp2pMetricNames()

    expect(names).to.include('poh_probe_total')
    expect(names).to.include('libp2p_connection_manager_connections')
    expect(names).to.include('libp2p_data_transfer_bytes_total')
    expect(names).to.include('process_cpu_user_seconds_total')
  })
})
