/**
 * Macro benchmark for scripts/bench.ts: the raw gossipsub ceiling of N
 * processes, the held-transaction ceiling of a testnet of as many poh-node
 * processes, latency at half the held ceiling, ACK batching, and the cost
 * of the gossip message id. It records their ratios as targets and writes
 * a latency-against-load plot.
 */
import { createHash } from 'node:crypto'
import { GossipSwarm } from './bench-gossip.js'
import { HeldTestnet } from './bench-held.js'
import { findCeiling, geometricRates, LOAD_HEADERS, loadRow, summarizeStep } from './bench-load.js'
import { formatTable, measure } from './bench-util.js'
import { writeLatencyPlot } from './latency-plot.js'
import type { LoadPoint } from './bench-load.js'
import type { BenchOptions } from './bench-util.js'

/** Sizes of the macro section. */
export interface MacroSizes {
  nodes: number
  minPohRequired: number
  payloadBytes: number
  /** Sending time of each load step, in milliseconds. */
  stepMs: number
  /** First offered rate, in messages or transactions per second over all nodes. */
  firstRate: number
  /** Each step offers this multiple of the previous rate. */
  rateFactor: number
  maxRate: number
  /** Whether these are the reduced --quick sizes, which the target notes mention. */
  quick: boolean
}

/** Held tx/s must reach this share of the raw gossip ceiling. */
const THROUGHPUT_BOUND = 0.5
/** Held p99 at half the held ceiling may be at most this multiple of raw gossip p99 at that load. */
const LATENCY_BOUND = 4
/** Share of one core that message-id hashing may take at the raw ceiling. */
const MESSAGE_ID_CORE_SHARE_BOUND = 0.05
/** Time allowed for a testnet's backlog to clear after a step that did not keep up. */
const SETTLE_MS = 30_000
/** The ack_batch_max_size 1 search starts at the first rate divided by this. */
const ACK_SINGLE_START_DIVISOR = 4

const NETWORK_ID = 'poh-bench-gossip'

interface HeldRun {
  points: LoadPoint[]
  ceiling: number
  half?: LoadPoint
}

/**
 * Finds the held ceiling of a fresh testnet from `firstRate` and, when
 * `halfLoad` is set, measures half that ceiling afterwards.
 */
async function heldRun (sizes: MacroSizes, label: string, firstRate: number, ackBatchMaxSize: number | undefined, halfLoad: boolean, rows: string[][]): Promise<HeldRun> {
  const testnet = await HeldTestnet.start({
    nodes: sizes.nodes,
    minPohRequired: sizes.minPohRequired,
    payloadBytes: sizes.payloadBytes,
    tune: ackBatchMaxSize === undefined ? undefined : (config) => { config.ack_batch_max_size = ackBatchMaxSize }
  })
  try {
    const rates = geometricRates(firstRate, sizes.rateFactor, sizes.maxRate)
    const { points, ceiling } = await findCeiling(testnet.step, rates, sizes.stepMs, (point) => { rows.push(loadRow(label, point)) })
    const run: HeldRun = { points, ceiling }
    if (halfLoad && Number.isFinite(ceiling)) {
      await testnet.settle(SETTLE_MS)
      const rate = Math.round(ceiling / 2)
      run.half = summarizeStep(rate, await testnet.step(rate, sizes.stepMs))
      rows.push(loadRow(`${label}, half load`, run.half))
    }
    return run
  } finally {
    await testnet.stop()
  }
}

/** Finds the raw gossip ceiling and then measures `halfRate`, half the held ceiling, on the same swarm. */
async function rawRun (sizes: MacroSizes, halfRate: number, rows: string[][]): Promise<HeldRun> {
  const swarm = await GossipSwarm.start(sizes.nodes, NETWORK_ID, sizes.payloadBytes)
  try {
    const rates = geometricRates(sizes.firstRate, sizes.rateFactor, sizes.maxRate)
    const { points, ceiling } = await findCeiling(swarm.step, rates, sizes.stepMs, (point) => { rows.push(loadRow('raw gossip', point)) })
    const run: HeldRun = { points, ceiling }
    if (Number.isFinite(halfRate)) {
      await swarm.settle(SETTLE_MS)
      run.half = summarizeStep(halfRate, await swarm.step(halfRate, sizes.stepMs))
      rows.push(loadRow('raw gossip, held half load', run.half))
    }
    return run
  } finally {
    await swarm.stop()
  }
}

/** Seconds of one SHA-256 message id over a payload of `payloadBytes`, the node's msgIdFn. */
function messageIdSeconds (payloadBytes: number, options: BenchOptions): number {
  const data = new Uint8Array(payloadBytes)
  const result = measure(() => createHash('sha256').update(data).digest(), { ...options, durationMs: 500, warmupMs: 100 })
  return 1 / result.opsPerSecond
}

/** CPU milliseconds per item at the highest step that kept up, or NaN when none did. */
function cpuAtCeiling (run: HeldRun): number {
  const keptUp = run.points.filter((point) => point.keptUp)
  return keptUp[keptUp.length - 1]?.cpuMsEach ?? Number.NaN
}

function ratioNote (sizes: MacroSizes, text: string): string {
  return sizes.quick ? `${text}; --quick steps, not the target's scale` : text
}

/**
 * Runs the macro loads, prints one table of every step, records the
 * targets and writes the plot to `plotPath`.
 */
export async function macroLoad (sizes: MacroSizes, options: BenchOptions, plotPath: string): Promise<void> {
  const rows: string[][] = []
  const held = await heldRun(sizes, 'held', sizes.firstRate, undefined, true, rows)
  const halfRate = Number.isFinite(held.ceiling) ? Math.round(held.ceiling / 2) : Number.NaN
  const raw = await rawRun(sizes, halfRate, rows)
  // One ACK per message may not keep up even at the first rate, so its search starts lower.
  const ackSingle = await heldRun(sizes, 'held, ack_batch_max_size 1', sizes.firstRate / ACK_SINGLE_START_DIVISOR, 1, false, rows)

  console.log(`Macro load: ${sizes.nodes} processes on loopback TCP, ${sizes.payloadBytes}-byte payloads, steps of ${sizes.stepMs} ms from ${sizes.firstRate}/s, x${sizes.rateFactor} per step.`)
  console.log(`raw gossip: worker processes with libp2p from src/network/libp2p.ts, each publishing 1/${sizes.nodes} of the rate; latency from publish to delivery at each other process.`)
  console.log(`held: poh-node processes (min_poh_required ${sizes.minPohRequired}) fed by POST /v1/tx to each in turn; latency from the POST to the held event on each node.`)
  console.log('A step keeps up when 99% of deliveries arrive, the senders reach 90% of the rate and latency does not climb through the step.')
  console.log(formatTable(LOAD_HEADERS, rows))

  const heldCpu = cpuAtCeiling(held)
  const rawCpu = cpuAtCeiling(raw)
  const cpuBound = rawCpu / heldCpu
  console.log(`CPU of the ${sizes.nodes} processes together at the highest step that kept up: ${heldCpu.toFixed(2)} ms per held tx, ${rawCpu.toFixed(2)} ms per raw gossip message; with the same CPU, held tx/s can reach at most ${cpuBound.toFixed(2)} of the raw message rate`)

  const idSeconds = messageIdSeconds(sizes.payloadBytes, options)
  // No fastMsgIdFn is set, so gossipsub computes msgIdFn on every copy a
  // process receives, before its seen-cache check: up to one copy from
  // each other process, which bounds the cost from above.
  const idCoreShare = idSeconds * raw.ceiling * (sizes.nodes - 1)
  console.log(`gossip message id (SHA-256 of ${sizes.payloadBytes} bytes): ${(idSeconds * 1e6).toFixed(2)} us; at most ${(idCoreShare * 100).toFixed(2)}% of one core per process at the raw ceiling, hashing up to ${sizes.nodes - 1} copies of each message`)

  options.targets.record({
    name: `held tx/s / raw gossip msg/s (${sizes.nodes} processes, ${sizes.payloadBytes} B)`,
    ratio: held.ceiling / raw.ceiling,
    bound: THROUGHPUT_BOUND,
    direction: 'at-least',
    note: ratioNote(sizes, `${held.ceiling}/s held, ${raw.ceiling}/s raw ceiling; CPU per held tx ${heldCpu.toFixed(2)} ms against ${rawCpu.toFixed(2)} ms per raw message allows at most ${cpuBound.toFixed(2)}`)
  })
  options.targets.record({
    name: 'held p99 / raw gossip p99 at half the held ceiling',
    ratio: (held.half?.p99Ms ?? Number.NaN) / (raw.half?.p99Ms ?? Number.NaN),
    bound: LATENCY_BOUND,
    direction: 'at-most',
    note: ratioNote(sizes, `${halfRate}/s: ${held.half?.p99Ms.toFixed(1) ?? 'n/a'} ms held, ${raw.half?.p99Ms.toFixed(1) ?? 'n/a'} ms raw`)
  })
  options.targets.record({
    name: 'held tx/s, ack_batch_max_size 64 / 1',
    ratio: held.ceiling / ackSingle.ceiling,
    bound: 1,
    direction: 'at-least',
    note: ratioNote(sizes, `${held.ceiling}/s with batches of up to 64 ACKs, ${ackSingle.ceiling}/s with one ACK per message`)
  })
  options.targets.record({
    name: 'message-id hashing, share of one core at raw ceiling',
    ratio: idCoreShare,
    bound: MESSAGE_ID_CORE_SHARE_BOUND,
    direction: 'at-most',
    note: ratioNote(sizes, `${(idSeconds * 1e6).toFixed(2)} us per id x ${raw.ceiling} msg/s x ${sizes.nodes - 1} copies`)
  })

  const series = (run: HeldRun, pick: (p: LoadPoint) => number): Array<{ x: number, y: number }> =>
    [...run.points, ...(run.half === undefined ? [] : [run.half])].map((p) => ({ x: p.offeredPerSecond, y: pick(p) }))
  await writeLatencyPlot(plotPath, `Latency against offered load, ${sizes.nodes} processes, ${sizes.payloadBytes}-byte payloads`, 'offered load (messages or transactions per second, all nodes)', 'latency (ms)', [
    { label: 'raw gossip p99', color: '#1f77b4', dashed: false, points: series(raw, (p) => p.p99Ms) },
    { label: 'raw gossip p50', color: '#1f77b4', dashed: true, points: series(raw, (p) => p.p50Ms) },
    { label: 'held p99', color: '#d62728', dashed: false, points: series(held, (p) => p.p99Ms) },
    { label: 'held p50', color: '#d62728', dashed: true, points: series(held, (p) => p.p50Ms) }
  ])
  console.log(`plot written to ${plotPath}`)
}
