import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command, Option } from 'commander'
import { LightClient } from '../src/client/light-client.js'
import { RestClient } from '../src/client/rest-client.js'
import { TxState } from '../src/core/types.js'
import { HOLDER_ALGORITHMS } from '../src/config/index.js'
import type { HolderAlgorithm } from '../src/config/index.js'
import { computeTxId, toHex } from '../src/core/hash.js'
import { createLogger } from '../src/log/logger.js'
import { generateBitcoinTransactions } from './lib/bitcoin-txs.js'
import { NodeProcess } from './lib/node-process.js'
import { createTestnet } from './lib/testnet-setup.js'
import { readHexTransactionsFile, txSummary } from './lib/tx-source.js'
import { printSummary } from './lib/testnet-report.js'
import { checkPlacement, checkStore } from './lib/testnet-verify.js'
import type { NodeEvent } from './lib/node-process.js'
import type { TestnetNode } from './lib/testnet-setup.js'

interface TestnetOptions {
  nodes: number
  txs?: string
  count: number
  minPoh: number
  replicationFactor?: number
  algorithm: HolderAlgorithm
  timeout: number
  keep?: boolean
  logLevel: string
  scenario: 'none' | 'restart' | 'kill'
  stay?: boolean
}

/** Per-node progress gathered from its event lines. */
export interface NodeState {
  node: TestnetNode
  process?: NodeProcess
  ready: boolean
  peers: number
  heldAt: Map<string, number>
  requestBytes: number
  verdicts: Array<{ topic: string, verdict: string, reason: string, count: number }>
  /** Set while the scenario has stopped this node on purpose. */
  down?: boolean
  api?: string
  metrics?: string
}

const NETWORK_ID = 'poh-testnet'

function wholeNumber (flag: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min) {
      throw new Error(`${flag} must be a whole number of at least ${min}, got "${value}"`)
    }
    return n
  }
}

/**
 * Resolves once `check` returns true after any event. Rejects after
 * timeoutMs, or with the error `check` throws, so the caller's cleanup runs.
 */
function waitFor (waiters: Set<() => void>, check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const settled = (): boolean => {
      try {
        return check()
      } catch (err) {
        reject(err)
        return true
      }
    }
    if (settled()) {
      resolve()
      return
    }
    const waiter = (): void => {
      if (settled()) {
        clearTimeout(timer)
        waiters.delete(waiter)
        resolve()
      }
    }
    const timer = setTimeout(() => {
      waiters.delete(waiter)
      reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`))
    }, timeoutMs)
    waiters.add(waiter)
  })
}

async function loadTransactions (options: TestnetOptions): Promise<{ txs: Uint8Array[], source: string }> {
  if (options.txs !== undefined) {
    if (!existsSync(options.txs)) {
      throw new Error(`--txs file ${options.txs} not found`)
    }
    const txs = await readHexTransactionsFile(options.txs)
    return { txs, source: options.txs }
  }
  return { txs: generateBitcoinTransactions(options.count), source: 'signed Bitcoin transactions generated with bitcoinjs-lib' }
}

async function run (options: TestnetOptions): Promise<number> {
  const { txs, source } = await loadTransactions(options)
  const unique = new Map(txs.map(tx => [toHex(computeTxId(tx)), tx]))
  const root = await mkdtemp(join(tmpdir(), 'poh-testnet-'))
  const states: NodeState[] = []
  const waiters = new Set<() => void>()
  const notify = (): void => { for (const waiter of [...waiters]) waiter() }
  const logger = createLogger({ level: 'warn', format: 'pretty' })
  let client: LightClient | undefined
  let stopping = false
  /** The LevelDB checks of the stopped nodes, which cleanup waits for before it removes their folders. */
  let checking: Promise<unknown> | undefined

  const cleanup = async (): Promise<void> => {
    if (stopping) {
      return
    }
    stopping = true
    await client?.stop().catch(() => {})
    await Promise.all(states.map(async s => await s.process?.stop()))
    await checking?.catch(() => {})
    if (options.keep === true) {
      console.log(`data directories kept in ${root}`)
      return
    }
    await rm(root, { recursive: true, force: true, maxRetries: 3 }).catch((err: unknown) => {
      console.error(`testnet: could not remove ${root}: ${(err as Error).message}; remove it by hand`)
    })
  }
  let endStay: (() => void) | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    if (endStay !== undefined) {
      endStay()
      return
    }
    console.error(`\n${signal}: stopping every node`)
    void cleanup().finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  try {
    const replication = options.replicationFactor === undefined ? '' : `, replication_factor ${options.replicationFactor}`
    console.log(`starting ${options.nodes} nodes in ${root} (min_poh_required ${options.minPoh}${replication}, ${options.algorithm})`)
    const nodes = await createTestnet({
      root,
      networkId: NETWORK_ID,
      count: options.nodes,
      minPohRequired: options.minPoh,
      replicationFactor: options.replicationFactor,
      algorithm: options.algorithm,
      logLevel: options.logLevel
    })
    const launch = (state: NodeState, log: string): void => {
      state.ready = false
      state.process = new NodeProcess(state.node.name, state.node.configFile, join(state.node.dir, log), (event) => { onNodeEvent(state, event); notify() })
      void state.process.exited.then(() => { notify() })
    }
    for (const node of nodes) {
      const state: NodeState = { node, ready: false, peers: 0, heldAt: new Map(), requestBytes: 0, verdicts: [] }
      launch(state, 'node.log')
      states.push(state)
    }
    const guard = (check: () => boolean) => () => {
      const died = stopping ? undefined : states.find(s => s.down !== true && s.process?.running === false)
      if (died !== undefined) {
        throw new Error(`${died.node.name} exited early; see ${join(died.node.dir, 'node.log')} (run with --keep to keep it)`)
      }
      return check()
    }
    await waitFor(waiters, guard(() => states.every(s => s.ready && s.peers >= options.nodes - 1)), 60_000, 'every node to start and connect to the others')

    client = new LightClient({
      networkId: NETWORK_ID,
      peers: nodes.map(n => n.tcpAddress),
      holders: nodes.map(n => ({ algorithm: n.algorithm, public_key: n.publicKey })),
      minPohRequired: options.minPoh,
      maxClockSkewMs: 30_000,
      maxPayloadBytes: 262_144,
      logger
    })
    await client.start({ signal: AbortSignal.timeout(30_000) })
    await client.waitForSubscribers(options.nodes, { signal: AbortSignal.timeout(30_000) })

    console.log(`submitting ${unique.size} transactions from ${source}`)
    const submittedAt = new Map<string, number>()
    const started = Date.now()
    // The scenario stops the middle node after a third of the transactions.
    const victim = options.scenario === 'none' ? undefined : states[Math.floor(states.length / 2)]
    const stopAt = Math.floor(unique.size / 3)
    let index = 0
    for (const payload of unique.values()) {
      if (victim !== undefined && index === stopAt) {
        // Stop only once the victim has reached quorum on part of what was sent,
        // so the run shows held records surviving the stop as well as repair after it.
        await waitFor(waiters, guard(() => victim.heldAt.size >= Math.ceil(stopAt / 2)), 60_000, `${victim.node.name} to hold some transactions`)
        victim.down = true
        console.log(`${options.scenario}: stopping ${victim.node.name} with ${options.scenario === 'kill' ? 'SIGKILL' : 'SIGTERM'} after ${index} transactions were submitted, ${victim.heldAt.size} of them held there so far`)
        await (options.scenario === 'kill' ? victim.process?.kill() : victim.process?.stop())
      }
      const txId = await client.submit(payload, { ttlSeconds: 3600 })
      submittedAt.set(txId, Date.now())
      index++
      if (victim !== undefined && index % 10 === 0) {
        // Keep transactions flowing over a longer time, so the stop lands mid-stream.
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    }
    console.log(`published ${unique.size} requests in ${Date.now() - started} ms; waiting for every node to hold them`)
    const holdsAll = (s: NodeState): boolean => s.heldAt.size >= unique.size
    const allHeld = (): boolean => states.every(holdsAll)
    let timedOut = false
    try {
      if (victim !== undefined) {
        await waitFor(waiters, guard(() => states.every(s => s === victim || holdsAll(s))), options.timeout * 1000, 'the running nodes to hold every transaction')
        console.log(`${options.scenario}: restarting ${victim.node.name}, which held ${victim.heldAt.size} of ${unique.size} when it stopped (ACKs that arrived while it shut down included)`)
        launch(victim, 'node-restarted.log')
        victim.down = false
        // A transaction held and stored just before a SIGKILL may never have
        // been printed, and a restart does not announce it again, so the
        // restarted node's API is asked about those.
        pollHeld(victim, [...submittedAt.keys()], notify)
      }
      await waitFor(waiters, guard(allHeld), options.timeout * 1000, 'every node to hold every transaction')
    } catch (err) {
      timedOut = true
      console.error(`testnet: ${(err as Error).message}`)
    }
    const finished = Date.now()
    await client.stop()
    client = undefined
    if (options.stay === true && !timedOut) {
      console.log('\nnodes keep running; query them with the endpoints below, then press Ctrl-C to stop them')
      for (const state of states) {
        console.log(`  ${state.node.name.padEnd(8)} ${state.api ?? '-'}  ${state.metrics ?? '-'}  config ${state.node.configFile}`)
      }
      await new Promise<void>((resolve) => { endStay = resolve })
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
    }
    await Promise.all(states.map(async s => await s.process?.stop()))
    printSummary({ states, submittedAt, txs: [...unique.values()], summary: txSummary([...unique.values()]), started, finished })
    const txIds = [...submittedAt.keys()]
    const durableChecks = Promise.all(states.map(async s => await checkStore(s.node.name, s.node.dir, txIds)))
    checking = durableChecks
    const durable = await durableChecks
    const placement = checkPlacement(nodes, durable, txIds, options.replicationFactor)
    const durableOk = durable.every(c => c.held === c.total) && placement.length === 0
    console.log(`stores:        ${durable.map(c => `${c.name} ${c.held}/${c.total} held`).join(', ')} (read from each stopped node's LevelDB)`)
    console.log(`payloads:      ${durable.map(c => `${c.name} ${c.withPayload.size}`).join(', ')} stored${options.replicationFactor === undefined ? '' : ` (each on its ${options.replicationFactor} assigned holders)`}`)
    for (const problem of placement.slice(0, 10)) {
      console.error(`placement: ${problem}`)
    }
    if (placement.length > 10) {
      console.error(`placement: ${placement.length - 10} more problems`)
    }
    return timedOut || !allHeld() || !durableOk ? 1 : 0
  } catch (err) {
    console.error(`testnet: error: ${(err as Error).message}`)
    return 1
  } finally {
    await cleanup()
  }
}

/** Asks a node's REST API, once a second while it runs, about transactions it has not reported held. */
function pollHeld (state: NodeState, txIds: string[], notify: () => void): void {
  const timer = setInterval(() => {
    if (!state.ready || state.api === undefined) {
      return
    }
    if (state.heldAt.size >= txIds.length || state.process?.running !== true) {
      clearInterval(timer)
      return
    }
    const client = new RestClient({ baseUrl: state.api, timeoutMs: 2000 })
    const missing = txIds.filter(txId => !state.heldAt.has(txId))
    void Promise.all(missing.map(async (txId) => {
      const info = await client.getTx(txId).catch(() => undefined)
      if (info?.state === TxState.HELD && typeof info.held_at_ms === 'number') {
        state.heldAt.set(txId, info.held_at_ms)
      }
    })).then(notify)
  }, 1000)
  timer.unref()
}

function onNodeEvent (state: NodeState, event: NodeEvent): void {
  switch (event.event) {
    case 'ready':
      state.ready = true
      state.peers = Number(event.peers)
      state.api = String(event.api)
      state.metrics = String(event.metrics)
      break
    case 'peers':
      state.peers = Number(event.count)
      break
    case 'request':
      // A node that keeps only the record (replication_factor) prints stored: false.
      if (event.stored !== false) {
        state.requestBytes += Number(event.bytes)
      }
      break
    case 'held':
      state.heldAt.set(String(event.tx_id), Number(event.held_at_ms))
      break
    case 'stopped':
      state.verdicts = event.verdicts as NodeState['verdicts']
      break
  }
}

const program = new Command('testnet')
  .description('start a local poh-node network on loopback, submit transactions and wait until every node holds them')
  .option('--nodes <n>', 'number of poh-node processes', wholeNumber('--nodes', 1), 5)
  .option('--txs <file>', 'file of raw transactions, one hex string per line')
  .option('--count <n>', 'number of Bitcoin transactions to generate when --txs is not given', wholeNumber('--count', 1), 200)
  .option('--min-poh <n>', 'min_poh_required of every node', wholeNumber('--min-poh', 1), 3)
  .option('--replication-factor <n>', 'replication_factor of every node: the number of holders that store each transaction (default: all)', wholeNumber('--replication-factor', 1))
  .addOption(new Option('--algorithm <name>', 'holder signature algorithm').choices(HOLDER_ALGORITHMS).default('ED25519'))
  .option('--timeout <seconds>', 'time allowed for every node to hold every transaction', wholeNumber('--timeout', 1), 120)
  .option('--log-level <level>', 'log level of the nodes (their logs go to <data dir>/node.log)', 'info')
  .option('--keep', 'keep the data directories and logs after the run')
  .option('--stay', 'keep the nodes running after every transaction is held, until Ctrl-C, so their API and metrics can be queried')
  .addOption(new Option('--scenario <name>', 'restart: stop one node with SIGTERM while transactions flow, then restart it; kill: the same with SIGKILL').choices(['none', 'restart', 'kill']).default('none'))
  .action(async (options: TestnetOptions) => {
    if (options.minPoh > options.nodes) {
      throw new Error(`--min-poh ${options.minPoh} is more than --nodes ${options.nodes}; nothing could ever be held`)
    }
    const factor = options.replicationFactor
    if (factor !== undefined && (factor < options.minPoh || factor > options.nodes)) {
      throw new Error(`--replication-factor ${factor} must be from --min-poh (${options.minPoh}) to --nodes (${options.nodes}); choose a value in that range or leave it out`)
    }
    process.exitCode = await run(options)
  })

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`testnet: error: ${err.message}`)
  process.exitCode = 2
})
