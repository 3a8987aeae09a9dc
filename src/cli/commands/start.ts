import { Command } from 'commander'
import { Registry } from 'prom-client'
import { checkApiConfig, startApiServer } from '../../api/index.js'
import { checkGrpcConfig, startGrpcServer } from '../../grpc/index.js'
import { libp2pMetrics, registerNodeGauges, startMetricsServer } from '../../metrics/index.js'
import { PohNode } from '../../node/poh-node.js'
import { loadCliConfig } from '../load.js'
import { CliError, printJson } from '../output.js'

interface StartOptions {
  config?: string
  printEvents?: boolean
  dataDir?: string
  logLevel?: string
}

/**
 * Runs a node until SIGINT or SIGTERM. With --print-events every request,
 * held transaction and peer change is one JSON line on stdout.
 */
async function runNode (options: StartOptions): Promise<void> {
  const overrides: Record<string, unknown> = {}
  if (options.dataDir !== undefined) {
    overrides.data_dir = options.dataDir
  }
  if (options.logLevel !== undefined) {
    overrides.log = { level: options.logLevel }
  }
  const { config, logger } = loadCliConfig(options, overrides)
  checkApiConfig(config.api)
  if (config.grpc.enabled) {
    checkGrpcConfig(config.grpc)
  }
  const registry = new Registry()
  const node = new PohNode({ config, logger, registry, libp2pMetrics: libp2pMetrics(registry) })
  const gauges = registerNodeGauges(registry, node, { logger })
  const print = options.printEvents === true ? printJson : () => {}

  node.addEventListener('request', (evt) => { print({ event: 'request', tx_id: evt.detail.txId, bytes: evt.detail.payloadBytes, stored: !evt.detail.payloadOmitted }) })
  node.addEventListener('held', (evt) => { print({ event: 'held', tx_id: evt.detail.txId, count: evt.detail.count, held_at_ms: evt.detail.heldAtMs }) })

  await node.start()
  const servers: Array<{ url: string, close: () => Promise<void> }> = []
  let grpc: { address: string, close: () => Promise<void> } | undefined
  try {
    // One at a time, so a server that started is closed when a later one fails.
    servers.push(await startApiServer({ node, config, logger }))
    servers.push(await startMetricsServer({ registry, listen: config.metrics.listen, logger }))
    if (config.grpc.enabled) {
      grpc = await startGrpcServer({ node, config, logger })
      servers.push({ url: grpc.address, close: grpc.close })
    }
  } catch (err) {
    await Promise.all(servers.map(async server => await server.close()))
    await node.stop()
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const key = servers.length === 0 ? 'api.listen' : 'metrics.listen'
      const value = servers.length === 0 ? config.api.listen : config.metrics.listen
      throw new CliError(`${key} ${value} is already in use by another process; choose a free port (poh-node init --api-port and --metrics-port set them)`)
    }
    throw err
  }
  const api = servers[0] as { url: string }
  const metrics = servers[1] as { url: string }
  const libp2p = node.libp2p
  const printPeers = (): void => { print({ event: 'peers', count: libp2p.getPeers().length }) }
  libp2p.addEventListener('peer:connect', printPeers)
  libp2p.addEventListener('peer:disconnect', printPeers)
  // A pipe write is synchronous, so a parent can read the ready event and send a
  // signal before the next line runs. The handlers therefore go in first.
  const stopSignal = new Promise<void>((resolve) => {
    let stopping = false
    const stop = (signal: string): void => {
      if (stopping) {
        return
      }
      stopping = true
      logger.info({ signal }, 'stopping')
      resolve()
    }
    process.once('SIGINT', () => { stop('SIGINT') })
    process.once('SIGTERM', () => { stop('SIGTERM') })
  })
  print({
    event: 'ready',
    peer_id: libp2p.peerId.toString(),
    holder_id: node.holderId ?? null,
    peers: libp2p.getPeers().length,
    api: api.url,
    metrics: `${metrics.url}/metrics`,
    ...(grpc === undefined ? {} : { grpc: grpc.address }),
    addresses: libp2p.getMultiaddrs().map(a => a.toString())
  })

  await stopSignal
  const verdicts = await node.metrics.verdicts.get()
  await Promise.all(servers.map(async server => await server.close()))
  gauges.unregister()
  await node.stop()
  print({
    event: 'stopped',
    verdicts: verdicts.values.map(v => ({ ...v.labels, count: v.value }))
  })
}

export function startCommand (): Command {
  return new Command('start')
    .description('run a node until SIGINT or SIGTERM')
    .option('--config <file>', 'config file (.toml, .json, .yaml); default: $POH_CONFIG, then ./poh.toml')
    .option('--print-events', 'print one JSON line on stdout per request, held transaction and peer change')
    .option('--data-dir <path>', 'data directory; overrides data_dir of the config and POH_DATA_DIR')
    .option('--log-level <level>', 'trace, debug, info, warn, error or fatal; overrides log.level. Logs are JSON lines on stderr')
    .action(runNode)
}
