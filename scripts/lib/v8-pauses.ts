/**
 * Records V8's garbage-collection pauses on this thread, so a benchmark can
 * tell whether its slowest samples waited for one.
 */
import { PerformanceObserver } from 'node:perf_hooks'

/** The pauses of one window and how they met the window's slowest samples. */
export interface PauseSummary {
  /** Milliseconds of pause per second of the window. */
  msPerSecond: number
  /** Maximum pause, in milliseconds. */
  maxMs: number
  /** Samples at or above the window's p99. */
  slow: number
  /** Of those, the samples during which a pause of at least MIN_PAUSE_MS began or ran. */
  slowInPause: number
}

/** A sample: when it started and how long it took, in performance.now() milliseconds. */
export interface TimedSample {
  submittedAt: number
  latencyMs: number
}

/** Pauses shorter than this do not count as holding up a slow sample. */
const MIN_PAUSE_MS = 2

export class V8Pauses {
  private readonly pauses: Array<{ start: number, end: number }> = []
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.pauses.push({ start: entry.startTime, end: entry.startTime + entry.duration })
    }
  })

  start (): void {
    this.observer.observe({ entryTypes: ['gc'] })
  }

  stop (): void {
    this.observer.disconnect()
  }

  /** Summarizes the pauses that began in [from, to) and the samples of that window at or above `slowMs`. */
  summarize (from: number, to: number, samples: TimedSample[], slowMs: number): PauseSummary {
    const inWindow = this.pauses.filter((pause) => pause.start >= from && pause.start < to)
    const totalMs = inWindow.reduce((sum, pause) => sum + pause.end - pause.start, 0)
    const long = inWindow.filter((pause) => pause.end - pause.start >= MIN_PAUSE_MS)
    const slow = samples.filter((sample) => sample.latencyMs >= slowMs)
    const slowInPause = slow.filter((sample) => {
      const end = sample.submittedAt + sample.latencyMs
      return long.some((pause) => pause.start < end && pause.end > sample.submittedAt)
    }).length
    return {
      msPerSecond: to > from ? totalMs / ((to - from) / 1000) : Number.NaN,
      maxMs: inWindow.reduce((max, pause) => Math.max(max, pause.end - pause.start), 0),
      slow: slow.length,
      slowInPause
    }
  }
}
