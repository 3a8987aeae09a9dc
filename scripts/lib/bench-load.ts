/**
 * Offered-load steps for the macro benchmarks: runs a load at rising rates,
 * summarizes each step's latencies, and decides whether delivery kept up.
 */

import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes on one machine. */
export function wallClockMs (): number {
  return performance.timeOrigin + performance.now()
}

/** One delivery: when its message was sent, and how long it took to arrive, in milliseconds. */
export interface LatencySample {
  sentAt: number
  latencyMs: number
}

/** Result of one step of a load. */
export interface StepRun {
  /** Messages or transactions sent in the step. */
  sent: number
  /** Time the sending took, in seconds. */
  seconds: number
  /** Deliveries that a complete step has: sent times the receivers of each. */
  expected: number
  samples: LatencySample[]
  /** CPU seconds the load's processes used from the first send until the deliveries ended, NaN where unknown. */
  cpuSeconds: number
}

/** A load that sends at `ratePerSecond` for `durationMs` and waits for the deliveries. */
export type LoadStep = (ratePerSecond: number, durationMs: number) => Promise<StepRun>

/** Summary of one step. */
export interface LoadPoint {
  offeredPerSecond: number
  achievedPerSecond: number
  delivered: number
  expected: number
  p50Ms: number
  p99Ms: number
  /** CPU milliseconds of all the load's processes per message or transaction sent, NaN where unknown. */
  cpuMsEach: number
  keptUp: boolean
  /** Reason the step did not keep up, or empty when it did. */
  reason: string
}

/** Smallest share of the expected deliveries that must arrive before the drain timeout. */
const MIN_DELIVERED_SHARE = 0.99

/** Smallest share of the offered rate that the senders must reach. */
const MIN_ACHIEVED_SHARE = 0.9

/**
 * A queue that grows during the step shows as rising latency: the median
 * latency of the last quarter of sends may be at most this multiple of the
 * first quarter's, plus QUEUE_GROWTH_SLACK_MS for scheduling noise.
 */
const MAX_QUEUE_GROWTH = 2
const QUEUE_GROWTH_SLACK_MS = 20

/** Returns the nearest-rank percentile `p` (0 to 1) of ascending `sorted` values. */
export function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number
}

function medianOf (samples: LatencySample[]): number {
  return percentile(samples.map((s) => s.latencyMs).sort((x, y) => x - y), 0.5)
}

/** Summarizes a step and decides whether delivery kept up with the offered rate. */
export function summarizeStep (offeredPerSecond: number, run: StepRun): LoadPoint {
  const latencies = run.samples.map((s) => s.latencyMs).sort((x, y) => x - y)
  const achievedPerSecond = run.seconds > 0 ? run.sent / run.seconds : 0
  const point: LoadPoint = {
    offeredPerSecond,
    achievedPerSecond,
    delivered: run.samples.length,
    expected: run.expected,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpuMsEach: run.sent > 0 ? run.cpuSeconds * 1000 / run.sent : Number.NaN,
    keptUp: true,
    reason: ''
  }

  const bySendTime = [...run.samples].sort((x, y) => x.sentAt - y.sentAt)
  const quarter = Math.floor(bySendTime.length / 4)
  const firstMedian = medianOf(bySendTime.slice(0, quarter))
  const lastMedian = medianOf(bySendTime.slice(bySendTime.length - quarter))
  if (run.samples.length < MIN_DELIVERED_SHARE * run.expected) {
    point.reason = `${run.expected - run.samples.length} of ${run.expected} deliveries missing`
  } else if (achievedPerSecond < MIN_ACHIEVED_SHARE * offeredPerSecond) {
    point.reason = `senders reached only ${achievedPerSecond.toFixed(0)}/s`
  } else if (lastMedian > MAX_QUEUE_GROWTH * firstMedian + QUEUE_GROWTH_SLACK_MS) {
    point.reason = `queue grew: median ${firstMedian.toFixed(1)} ms at the start, ${lastMedian.toFixed(1)} ms at the end`
  }
  point.keptUp = point.reason === ''
  return point
}

/**
 * Runs `step` once at the first rate as a warm-up, then at each rate in
 * order, and stops after the first step that does not keep up. The ceiling is the highest rate that kept up, or NaN when
 * none did.
 */
export async function findCeiling (step: LoadStep, rates: number[], durationMs: number, onPoint: (point: LoadPoint) => void): Promise<{ points: LoadPoint[], ceiling: number }> {
  // A first pass at the lowest rate warms up the JIT, connections and the
  // gossip mesh. Its figures are dropped.
  await step(rates[0] ?? 1, durationMs)
  const points: LoadPoint[] = []
  let ceiling = Number.NaN
  for (const rate of rates) {
    const point = summarizeStep(rate, await step(rate, durationMs))
    points.push(point)
    onPoint(point)
    if (!point.keptUp) {
      break
    }
    ceiling = rate
  }
  return { points, ceiling }
}

/** Rates from `first`, each `factor` times the one before, up to `max`, rounded to whole numbers. */
export function geometricRates (first: number, factor: number, max: number): number[] {
  const rates: number[] = []
  for (let rate = first; rate <= max; rate *= factor) {
    rates.push(Math.round(rate))
  }
  return rates
}

/** Table row of a load point, for formatTable. */
export function loadRow (label: string, point: LoadPoint): string[] {
  return [
    label,
    String(point.offeredPerSecond),
    point.achievedPerSecond.toFixed(0),
    `${point.delivered}/${point.expected}`,
    point.p50Ms.toFixed(1),
    point.p99Ms.toFixed(1),
    Number.isNaN(point.cpuMsEach) ? 'n/a' : point.cpuMsEach.toFixed(2),
    point.keptUp ? 'yes' : `no: ${point.reason}`
  ]
}

export const LOAD_HEADERS = ['load', 'offered/s', 'sent/s', 'delivered', 'p50 ms', 'p99 ms', 'CPU ms each', 'kept up']

/**
 * Calls `send` `ratePerSecond` times a second for `durationMs`, on a fixed
 * schedule that neither waits for earlier sends nor slows down when one is
 * late, so a slow receiver cannot lower the offered load. Returns the number
 * of calls and the seconds they took.
 */
export async function sendPaced (ratePerSecond: number, durationMs: number, send: (index: number) => void): Promise<{ sent: number, seconds: number }> {
  const intervalMs = 1000 / ratePerSecond
  const start = performance.now()
  let next = start
  let sent = 0
  while (performance.now() - start < durationMs) {
    send(sent)
    sent++
    next += intervalMs
    const waitMs = next - performance.now()
    if (waitMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, waitMs))
    }
  }
  return { sent, seconds: (performance.now() - start) / 1000 }
}

/** Clock ticks per second of the utime and stime fields in /proc/<pid>/stat (USER_HZ, which Linux fixes at 100 on x86). */
const USER_HZ = 100

/**
 * Returns the CPU seconds, user and system, that the processes `pids` have
 * used so far, read from /proc. Returns NaN where /proc is not available or
 * a process has exited.
 */
export function cpuSecondsOf (pids: Array<number | undefined>): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid ?? 'none'}/stat`, 'utf8')
      // Fields after the parenthesised command name, which may contain spaces: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      return Number.NaN
    }
  }
  return ticks / USER_HZ
}
