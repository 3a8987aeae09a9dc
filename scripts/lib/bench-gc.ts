/**
 * Garbage-collection cost for scripts/bench.ts: the rate at which a PohStore
 * sweeps expired records, and how much a sweep on a running node raises the
 * latency of the transactions it receives by gossip meanwhile.
 */
import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { encodeAck } from '../../src/core/codec.js'
import { computeStorageHash, computeTxId, toHex } from '../../src/core/hash.js'
import { PROTOCOL_VERSION, SIG_ALG_LENGTHS, SigAlg, TxState } from '../../src/core/types.js'
import { PohNode } from '../../src/node/poh-node.js'
import { PohStore } from '../../src/storage/store.js'
import { connectNodes, createBenchLogger, LogTally, prepareBenchConfigs } from './bench-repair.js'
import { percentile } from './bench-load.js'
import { formatRate, formatTable } from './bench-util.js'
import { V8Pauses } from './v8-pauses.js'
import type { BenchNodeConfig } from './bench-repair.js'
import type { TargetBoard } from './bench-targets.js'
import type { PohConfig } from '../../src/config/index.js'
import type { Clock } from '../../src/core/types.js'
import type { HeldEvent } from '../../src/node/poh-node.js'
import type { PauseSummary, TimedSample } from './v8-pauses.js'

/** Data sizes and load of the GC section. */
export interface GcBenchSizes {
  /** Expired transactions in the backlog that a sweep deletes. */
  records: number
  /** Payload length of each backlog and published transaction, in bytes. */
  payloadBytes: number
  /** Transactions published per second while latency is measured. */
  publishPerSecond: number
  /** Length of the latency measurement without a sweep, in milliseconds. */
  baselineMs: number
  /**
   * Whether a copy of the backlog is also swept by the store alone, with no
   * node or load, for the deleteExpired rate. Off at 1M records, where it
   * would add several minutes to the run.
   */
  standaloneSweep: boolean
  /** Whether these are the reduced --quick sizes, which the target note mentions. */
  quick: boolean
}

/** Records per deleteExpired call, as the node's Maintenance sweeps. */
const SWEEP_CHUNK = 1000

/** putTx calls queued at once while the backlog is written. */
const FILL_CONCURRENCY = 1000

/** TTL of the backlog records. They expire only when the fake clock is moved past it. */
const BACKLOG_TTL_SECONDS = 7200

/**
 * Request timestamps of the backlog spread over 10 minutes, ending 10
 * minutes before the fill. That is before the window a restarted node
 * catches up at start (its last activity minus clock skew and a margin), so
 * the publishing node does not fetch the backlog by repair.
 */
const BACKLOG_START_MS = 1_200_000
const BACKLOG_SPREAD_MS = 600_000

/** Publishing time before the baseline, so JIT and the gossip mesh settle. Its samples are dropped. */
const WARMUP_MS = 1000

/** Time allowed for held events still outstanding when publishing stops. */
const DRAIN_TIMEOUT_MS = 10_000

/** Largest p99 during a sweep, as a multiple of the p99 without one, that meets the target. */
const P99_TARGET_RATIO = 1.2

/** A clock that the bench moves forward to expire the backlog. */
class OffsetClock implements Clock {
  offsetMs = 0
  now (): number {
    return Date.now() + this.offsetMs
  }
}

/** Size of a backlog that writeBacklog fills. */
export interface BacklogSizes {
  records: number
  payloadBytes: number
}

/** Encodes one stored ACK of ED25519 size from `holderId`, with a zero signature. */
function backlogAck (txId: Uint8Array, payload: Uint8Array, holderId: Uint8Array, timestampMs: number, signature: Uint8Array): Uint8Array {
  return encodeAck({
    version: PROTOCOL_VERSION,
    txId: txId as Uint8Array<ArrayBuffer>,
    storageHash: computeStorageHash(holderId, payload) as Uint8Array<ArrayBuffer>,
    timestampMs: BigInt(timestampMs),
    holderId: holderId as Uint8Array<ArrayBuffer>,
    sigAlg: SigAlg.ED25519,
    signature: signature as Uint8Array<ArrayBuffer>
  })
}

/**
 * Writes `records` transactions through PohStore.putTx, each with a history
 * record marked HELD and one ACK from each of `holderIds` (the first through
 * putTx, the others through putAck). The ACKs have the size and fields of
 * real ED25519 ACKs, but their signatures are zero bytes: nothing verifies
 * stored ACKs when a node starts or sweeps, and signing a million ACKs
 * would add minutes. Request times end BACKLOG_START_MS before the fill,
 * and the TTL is BACKLOG_TTL_SECONDS. Returns the seconds spent writing.
 */
export async function writeBacklog (store: PohStore, clock: Clock, sizes: BacklogSizes, holderIds: Uint8Array[]): Promise<number> {
  const fillStartMs = clock.now()
  const signature = new Uint8Array(SIG_ALG_LENGTHS[SigAlg.ED25519].signature)
  const [ownId, ...otherIds] = holderIds
  if (ownId === undefined) {
    throw new RangeError('writeBacklog needs at least one holder id')
  }
  const start = performance.now()
  for (let first = 0; first < sizes.records; first += FILL_CONCURRENCY) {
    const writes: Array<Promise<void>> = []
    for (let i = first; i < Math.min(first + FILL_CONCURRENCY, sizes.records); i++) {
      const payload = randomBytes(sizes.payloadBytes)
      const txId = computeTxId(payload)
      const requestTimestampMs = fillStartMs - BACKLOG_START_MS + Math.floor(i * BACKLOG_SPREAD_MS / sizes.records)
      const expiresAtMs = requestTimestampMs + BACKLOG_TTL_SECONDS * 1000
      const ack = (holderId: Uint8Array): Uint8Array => backlogAck(txId, payload, holderId, requestTimestampMs, signature)
      writes.push(store.putTx(
        { txId, payload, receivedAtMs: requestTimestampMs, expiresAtMs, ttlSeconds: BACKLOG_TTL_SECONDS, requestTimestampMs },
        { txId, firstSeenMs: requestTimestampMs, quorumAtMs: requestTimestampMs, ackCount: holderIds.length, state: TxState.HELD, expiresAtMs },
        { txId, holderId: ownId, ack: ack(ownId) }
      ).then(async () => {
        await Promise.all(otherIds.map(async (holderId) => { await store.putAck({ txId, holderId, ack: ack(holderId) }) }))
      }))
    }
    await Promise.all(writes)
  }
  return (performance.now() - start) / 1000
}

interface SweepTimes {
  deleted: number
  sweepSeconds: number
  compactSeconds: number
}

/** Deletes every expired record in chunks as Maintenance does, then compacts, timing each step. */
async function sweepStore (store: PohStore, nowMs: number): Promise<SweepTimes> {
  let deleted = 0
  const start = performance.now()
  for (let more = true; more;) {
    const chunk = await store.deleteExpired(nowMs, SWEEP_CHUNK)
    deleted += chunk.deleted.length
    more = chunk.more
  }
  const sweepSeconds = (performance.now() - start) / 1000
  const compactStart = performance.now()
  await store.compactAfterSweep()
  return { deleted, sweepSeconds, compactSeconds: (performance.now() - compactStart) / 1000 }
}

/** Times from each submit on the publishing node to the held event on the observed node. */
class LatencyProbe {
  private readonly started = new Map<string, number>()
  /** Submit time and latency of each held transaction, both in performance.now() milliseconds. */
  readonly samples: Array<{ submittedAt: number, latencyMs: number }> = []
  private readonly onHeld = (evt: CustomEvent<HeldEvent>): void => {
    const submittedAt = this.started.get(evt.detail.txId)
    if (submittedAt !== undefined) {
      this.started.delete(evt.detail.txId)
      this.samples.push({ submittedAt, latencyMs: performance.now() - submittedAt })
    }
  }

  constructor (private readonly observed: PohNode) {
    observed.addEventListener('held', this.onHeld)
  }

  /** Number of submitted transactions not yet held on the observed node. */
  get outstanding (): number {
    return this.started.size
  }

  track (txId: string): void {
    this.started.set(txId, performance.now())
  }

  /** Latencies of transactions submitted in [from, to), sorted ascending. */
  between (from: number, to: number): number[] {
    return this.samples.filter((s) => s.submittedAt >= from && s.submittedAt < to).map((s) => s.latencyMs).sort((x, y) => x - y)
  }

  /** Samples of transactions submitted in [from, to). */
  samplesBetween (from: number, to: number): TimedSample[] {
    return this.samples.filter((s) => s.submittedAt >= from && s.submittedAt < to)
  }

  /** Transactions submitted in [from, to) that never became held. */
  lostBetween (from: number, to: number): number {
    return [...this.started.values()].filter((at) => at >= from && at < to).length
  }

  close (): void {
    this.observed.removeEventListener('held', this.onHeld)
  }
}

/**
 * Submits random payloads through `publisher` at a fixed rate until `done`
 * returns true. The schedule does not wait for earlier submits, so a slow
 * node cannot lower the offered load and hide its own latency.
 */
async function publishAtRate (publisher: PohNode, probe: LatencyProbe, sizes: GcBenchSizes, done: () => boolean, failures: unknown[]): Promise<void> {
  const intervalMs = 1000 / sizes.publishPerSecond
  const submits: Array<Promise<void>> = []
  let next = performance.now()
  while (!done()) {
    const payload = randomBytes(sizes.payloadBytes)
    probe.track(toHex(computeTxId(payload)))
    submits.push(publisher.submit(payload).then(() => {}, (err: unknown) => { failures.push(err) }))
    next += intervalMs
    const waitMs = next - performance.now()
    if (waitMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, waitMs))
    }
  }
  await Promise.all(submits)
}

/** Waits until every tracked transaction is held, or DRAIN_TIMEOUT_MS passes. */
async function drain (probe: LatencyProbe): Promise<void> {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS
  while (probe.outstanding > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

interface LatencyWindow {
  latencies: number[]
  lost: number
  /** V8 pauses of the bench process in the window, which both nodes share. */
  pauses: PauseSummary
}

interface SweepLatency {
  baseline: LatencyWindow
  sweep: LatencyWindow
  sweepSeconds: number
  deleted: number
  publishFailures: unknown[]
}

/**
 * Starts the sweeping node on the copied backlog and a publishing node,
 * measures latency without a sweep, then expires the backlog by moving the
 * shared clock and measures again while the node sweeps.
 */
async function measureSweepLatency (configs: [PohConfig, PohConfig], clock: OffsetClock, sizes: GcBenchSizes, tally: LogTally): Promise<SweepLatency> {
  const [sweeperConfig, publisherConfig] = configs
  // Only the sweep started below runs while latency is measured.
  sweeperConfig.gc_interval_seconds = 3600
  // A store that was just closed marks the publisher as a restarted node,
  // which catches up only the recent past rather than every live transaction.
  const publisherStore = await PohStore.open({ path: join(publisherConfig.data_dir, 'db'), clock })
  await publisherStore.close()

  const logger = createBenchLogger(tally)
  const sweeper = new PohNode({ config: sweeperConfig, logger, clock })
  const publisher = new PohNode({ config: publisherConfig, logger, clock })
  const probe = new LatencyProbe(sweeper)
  const pauses = new V8Pauses()
  pauses.start()
  const windowOf = (from: number, to: number): LatencyWindow => {
    const latencies = probe.between(from, to)
    return { latencies, lost: probe.lostBetween(from, to), pauses: pauses.summarize(from, to, probe.samplesBetween(from, to), percentile(latencies, 0.99)) }
  }
  try {
    await sweeper.start()
    await publisher.start()
    await connectNodes(publisher, sweeper)
    // Start-up checks every stored payload, and that scan is not part of the sweep.
    await Promise.all([sweeper.recovered(), publisher.recovered()])

    const publishFailures: unknown[] = []
    let phaseEnd = performance.now() + WARMUP_MS
    await publishAtRate(publisher, probe, sizes, () => performance.now() >= phaseEnd, publishFailures)

    const baselineStart = performance.now()
    phaseEnd = baselineStart + sizes.baselineMs
    await publishAtRate(publisher, probe, sizes, () => performance.now() >= phaseEnd, publishFailures)
    const baselineEnd = performance.now()
    await drain(probe)

    clock.offsetMs = (BACKLOG_TTL_SECONDS + 60) * 1000
    let sweepEnd: number | undefined
    const sweepStart = performance.now()
    const sweep = sweeper.collectGarbage().finally(() => { sweepEnd = performance.now() })
    await publishAtRate(publisher, probe, sizes, () => sweepEnd !== undefined, publishFailures)
    await sweep
    await drain(probe)

    const gcDeleted = await sweeper.metrics.gcDeleted.get()
    const deleted = gcDeleted.values.filter((value) => value.labels.kind === 'payload').reduce((sum, value) => sum + value.value, 0)
    const end = sweepEnd ?? performance.now()
    return {
      baseline: windowOf(baselineStart, baselineEnd),
      sweep: windowOf(sweepStart, end),
      sweepSeconds: (end - sweepStart) / 1000,
      deleted,
      publishFailures
    }
  } finally {
    pauses.stop()
    probe.close()
    await publisher.stop()
    await sweeper.stop()
  }
}

function latencyRow (phase: string, window: LatencyWindow, baselineP99: number): string[] {
  const p99 = percentile(window.latencies, 0.99)
  return [
    phase,
    String(window.latencies.length),
    String(window.lost),
    percentile(window.latencies, 0.5).toFixed(1),
    p99.toFixed(1),
    (window.latencies.at(-1) ?? Number.NaN).toFixed(1),
    `${(p99 / baselineP99).toFixed(2)}x`,
    window.pauses.msPerSecond.toFixed(1),
    window.pauses.maxMs.toFixed(1),
    `${window.pauses.slowInPause}/${window.pauses.slow}`
  ]
}

/**
 * Fills a store with the backlog and, when `sizes.standaloneSweep` is set,
 * copies it for the node and sweeps the original alone. Returns the fill
 * time and the standalone sweep times.
 */
async function fillAndSweepStore (root: string, nodeDbPath: string, clock: OffsetClock, sizes: GcBenchSizes, holderId: Uint8Array): Promise<{ fillSeconds: number, storeSweep?: SweepTimes }> {
  // Without the standalone sweep the node uses the filled store itself.
  const fillPath = sizes.standaloneSweep ? join(root, 'backlog') : nodeDbPath
  let store = await PohStore.open({ path: fillPath, clock })
  let fillSeconds: number
  try {
    fillSeconds = await writeBacklog(store, clock, sizes, [holderId])
  } finally {
    await store.close()
  }
  if (!sizes.standaloneSweep) {
    return { fillSeconds }
  }
  // The node gets its own copy, because the store sweep below empties this one.
  await cp(fillPath, nodeDbPath, { recursive: true })

  store = await PohStore.open({ path: fillPath, clock })
  let storeSweep: SweepTimes
  try {
    storeSweep = await sweepStore(store, clock.now() + (BACKLOG_TTL_SECONDS + 60) * 1000)
  } finally {
    await store.close()
  }
  if (storeSweep.deleted !== sizes.records) {
    throw new Error(`store sweep deleted ${storeSweep.deleted} of ${sizes.records} expired records`)
  }
  return { fillSeconds, storeSweep }
}

/**
 * Measures the sweep rate of a PohStore that contains `sizes.records` expired
 * transactions, then the gossip latency on a node sweeping the same
 * backlog, prints two tables and records the latency ratio in `targets`.
 */
export async function gcSweep (sizes: GcBenchSizes, targets: TargetBoard): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'poh-bench-gc-'))
  try {
    const [sweeperNode, publisherNode] = await prepareBenchConfigs(root, 2) as [BenchNodeConfig, BenchNodeConfig]
    const configs: [PohConfig, PohConfig] = [sweeperNode.config, publisherNode.config]
    const clock = new OffsetClock()
    const { fillSeconds, storeSweep } = await fillAndSweepStore(root, join(configs[0].data_dir, 'db'), clock, sizes, sweeperNode.holderId)

    const tally = new LogTally()
    const latency = await measureSweepLatency(configs, clock, sizes, tally)
    if (latency.deleted !== sizes.records) {
      throw new Error(`node sweep deleted ${latency.deleted} of ${sizes.records} expired records, so its latency window is not a full sweep`)
    }
    if (latency.publishFailures.length > 0) {
      throw new Error(`${latency.publishFailures.length} submits failed on the publishing node; first: ${String(latency.publishFailures[0])}`)
    }

    const count = String(sizes.records)
    console.log(`GC sweep on a PohStore: ${count} transactions of ${sizes.payloadBytes}-byte payloads, each with one ACK and a history record,`)
    console.log(`swept with deleteExpired(now, ${SWEEP_CHUNK}) until none remain, then compactAfterSweep.`)
    const notRun = ['not run at this size', 'n/a', 'n/a']
    console.log(formatTable(['operation', 'records', 'seconds', 'records/s'], [
      ['putTx (fill, 1000 queued)', count, fillSeconds.toFixed(2), formatRate(sizes.records / fillSeconds)],
      ['deleteExpired sweep', ...(storeSweep === undefined ? notRun : [count, storeSweep.sweepSeconds.toFixed(2), formatRate(sizes.records / storeSweep.sweepSeconds)])],
      ['compactAfterSweep', ...(storeSweep === undefined ? notRun : [count, storeSweep.compactSeconds.toFixed(2), 'n/a'])]
    ]))

    const baselineP99 = percentile(latency.baseline.latencies, 0.99)
    const sweepP99 = percentile(latency.sweep.latencies, 0.99)
    const ratio = sweepP99 / baselineP99
    console.log('')
    console.log(`Gossip latency during a sweep: 2 in-process nodes on loopback TCP, min_poh_required 1, one process and event loop.`)
    console.log(`Node P publishes ${sizes.publishPerSecond} transactions/s of ${sizes.payloadBytes} bytes. Latency runs from submit on P to the held event on node S.`)
    console.log(`S stores the same ${count}-transaction backlog. "no sweep" runs for ${sizes.baselineMs} ms before the backlog expires.`)
    console.log(`"during sweep" spans collectGarbage on S after the clock passes the expiry: ${latency.sweepSeconds.toFixed(2)} s including compaction, ${formatRate(sizes.records / latency.sweepSeconds)} records/s.`)
    console.log('V8 pause columns: garbage-collection pauses of the bench process, which runs both nodes; "p99+ in pause" counts the samples at or above the row\'s p99 during which a pause of 2 ms or more ran.')
    console.log(formatTable(['phase', 'samples', 'lost', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs no sweep', 'V8 pause ms/s', 'max pause ms', 'p99+ in pause'], [
      latencyRow('no sweep', latency.baseline, baselineP99),
      latencyRow('during sweep', latency.sweep, baselineP99)
    ]))
    targets.record({
      name: `gossip p99 during / without a GC sweep of ${sizes.records} records`,
      ratio,
      bound: P99_TARGET_RATIO,
      direction: 'at-most',
      note: `${sweepP99.toFixed(1)} ms during, ${baselineP99.toFixed(1)} ms without; sweep ${latency.sweepSeconds.toFixed(1)} s${sizes.quick ? '; --quick: not the target\'s 1M records' : ''}`
    })
    tally.print()
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}
