/**
 * The verify-pool benchmark section: where handing a batch to the worker
 * pool starts to pay (latency per batch, inline against pooled), and the
 * throughput of a pool of 2 workers against one core verifying inline.
 */
import { performance } from 'node:perf_hooks'
import { createLogger } from '../../src/log/logger.js'
import { VerifyPool } from '../../src/node/verify-pool.js'
import { addCpuMeasured, addMeasured, BENCH_ALGS, cpuSecondsSince, createAckFixture, emptyCpuMeasurement } from './bench-acks.js'
import { formatRate, formatTable, measure } from './bench-util.js'
import type { AckFixture } from './bench-acks.js'
import type { BenchOptions, Measurement } from './bench-util.js'
import type { PohAck } from '../../src/core/proto/poh.js'

/** Workers of the measured pool, as the target states. */
const POOL_WORKERS = 2

/** A pool of 2 workers must verify at least this many times the ACKs of one core. */
const POOL_BOUND = 1.8

/** Batch sizes of the crossover table. */
const CROSSOVER_SIZES = [1, 2, 4, 8, 16, 32, 64]

/** ACKs per batch in the throughput comparison: the default ack_batch_max_size. */
const THROUGHPUT_BATCH = 64

/**
 * Batches kept in flight on the pool: two per worker, so that a worker that
 * finishes a batch finds the next one queued instead of waiting while the
 * main thread prepares it, as under a steady gossip load.
 */
const IN_FLIGHT = 4

/** Round trips timed for the hand-off time. */
const HAND_OFF_SAMPLES = 200

/** Alternating rounds of the throughput comparison. */
const ROUNDS = 10

export async function verifyPoolSection (options: BenchOptions): Promise<void> {
  const pool = new VerifyPool({ size: POOL_WORKERS, logger: createLogger({ level: 'fatal', format: 'json', destination: { write: () => {} } }) })
  try {
    for (const alg of BENCH_ALGS) {
      const fixture = createAckFixture(alg)
      await crossover(fixture, pool, options)
      await throughput(fixture, pool, options)
    }
  } finally {
    await pool.close()
  }
}

/** Verifies the ACKs on this thread through the whole per-ACK path. */
function verifyInline (fixture: AckFixture, acks: readonly PohAck[]): void {
  for (const ack of acks) {
    fixture.verifier.verify(ack, fixture.nowMs)
  }
}

/** Prechecks the ACKs here, verifies their signatures on the pool, and fails on any bad verdict. */
async function verifyPooled (fixture: AckFixture, pool: VerifyPool, acks: readonly PohAck[]): Promise<void> {
  const { verifier, nowMs } = fixture
  const verdicts = await pool.verify(acks.map((ack) => verifier.signatureCheck(ack, verifier.precheck(ack, nowMs))))
  if (verdicts.includes(false)) {
    throw new Error('a benchmark ACK did not verify on the pool, so its rates would mean nothing')
  }
}

/**
 * Prints the time per batch inline and pooled for each size, and the
 * smallest size where the pool is faster. Each size alternates inline and
 * pooled batches for durationMs and keeps the fastest of each. Preemption by
 * other processes only adds time, so the minimum shows the cost of the work
 * itself, while a mean on a shared machine mostly shows the load.
 */
async function crossover (fixture: AckFixture, pool: VerifyPool, options: BenchOptions): Promise<void> {
  const rows: string[][] = []
  let firstFaster: number | undefined
  await verifyPooled(fixture, pool, fixture.acks)
  for (const size of CROSSOVER_SIZES) {
    const acks = fixture.acks.slice(0, size)
    let inline = Infinity
    let pooled = Infinity
    const end = performance.now() + options.durationMs
    while (performance.now() < end) {
      inline = Math.min(inline, await elapsedUs(async () => { verifyInline(fixture, acks) }))
      pooled = Math.min(pooled, await elapsedUs(async () => { await verifyPooled(fixture, pool, acks) }))
    }
    if (pooled < inline && firstFaster === undefined) {
      firstFaster = size
    }
    rows.push([`${size}`, inline.toFixed(0), pooled.toFixed(0), `${(inline / pooled).toFixed(2)}x`])
  }

  // A signature of the wrong length fails before any arithmetic, so this times the hand-off alone.
  const empty = { alg: fixture.alg, signature: new Uint8Array(0), message: new Uint8Array(0), publicKey: new Uint8Array(0) }
  let handOff = Infinity
  for (let i = 0; i < HAND_OFF_SAMPLES; i++) {
    handOff = Math.min(handOff, await elapsedUs(async () => { await pool.verify([empty]) }))
  }
  console.log(`${fixture.alg}: fastest time per batch, inline on this thread against ${POOL_WORKERS} pool workers; pool faster from ${firstFaster ?? 'no measured'} ACKs per batch; fastest hand-off to a worker and back ${handOff.toFixed(0)} us`)
  console.log(formatTable(['ACKs', 'inline us', 'pooled us', 'inline/pooled'], rows))
}

async function elapsedUs (operation: () => Promise<void>): Promise<number> {
  const start = performance.now()
  await operation()
  return (performance.now() - start) * 1000
}

/**
 * Compares ACKs per second of one core verifying batches inline with the
 * pool verifying IN_FLIGHT batches at a time, in alternating rounds.
 */
async function throughput (fixture: AckFixture, pool: VerifyPool, options: BenchOptions): Promise<void> {
  const acks = fixture.acks.slice(0, THROUGHPUT_BATCH)
  const round: BenchOptions = { ...options, durationMs: options.durationMs / ROUNDS, warmupMs: 0 }
  const inline = emptyCpuMeasurement()
  const pooled = emptyCpuMeasurement()
  const pooledBatch = async (): Promise<void> => { await verifyPooled(fixture, pool, acks) }
  await inFlight(pooledBatch, options.warmupMs)
  for (let i = 0; i < ROUNDS; i++) {
    addCpuMeasured(inline, () => measure(() => { verifyInline(fixture, acks) }, round))
    const start = process.cpuUsage()
    const part = await inFlight(pooledBatch, round.durationMs)
    addMeasured(pooled, part, cpuSecondsSince(start))
  }

  const ratio = pooled.opsPerSecond / inline.opsPerSecond
  // Pool CPU covers the main thread's prechecks and the workers, so twice
  // this efficiency bounds the ratio that two otherwise idle cores allow.
  const efficiency = pooled.opsPerCpuSecond / inline.opsPerCpuSecond
  console.log(`${fixture.alg}: ${formatRate(inline.opsPerSecond * acks.length)} ACKs/s inline on one core, ${formatRate(pooled.opsPerSecond * acks.length)} ACKs/s on ${POOL_WORKERS} workers (batches of ${acks.length}, ${IN_FLIGHT} in flight); ACKs per CPU second pooled / inline ${efficiency.toFixed(2)}\n`)
  options.targets.record({
    name: `pool ${POOL_WORKERS} workers / one core (${fixture.alg})`,
    ratio,
    bound: POOL_BOUND,
    direction: 'at-least',
    note: `${formatRate(pooled.opsPerSecond * acks.length)} vs ${formatRate(inline.opsPerSecond * acks.length)} ACKs/s; CPU-bound limit on 2 idle cores ${(POOL_WORKERS * efficiency).toFixed(2)}x`
  })
}

/** Runs `operation` in IN_FLIGHT concurrent loops for `durationMs` and counts completed calls. */
async function inFlight (operation: () => Promise<void>, durationMs: number): Promise<Measurement> {
  const start = performance.now()
  const end = start + durationMs
  let operations = 0
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      await operation()
      operations++
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop))
  const seconds = (performance.now() - start) / 1000
  return { operations, seconds, opsPerSecond: operations / seconds }
}
