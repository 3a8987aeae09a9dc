/**
 * The share of time the event loop was busy, measured over fixed windows with
 * Node's event loop utilization counters.
 */

import { performance } from 'node:perf_hooks'
import type { EventLoopUtilization } from 'node:perf_hooks'

/** Length of one measuring window, in milliseconds. */
const WINDOW_MS = 250

export class EventLoopLoad {
  private last: EventLoopUtilization = performance.eventLoopUtilization()
  private share = 0
  private timer: NodeJS.Timeout | undefined

  /** Busy share of the last complete window, from 0 to 1; 0 before the first window ends. */
  get busyShare (): number {
    return this.share
  }

  /** Starts measuring. Calling it again restarts the measurement. */
  start (): void {
    this.stop()
    this.last = performance.eventLoopUtilization()
    this.timer = setInterval(() => { this.sample() }, WINDOW_MS)
    this.timer.unref()
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private sample (): void {
    const now = performance.eventLoopUtilization()
    this.share = performance.eventLoopUtilization(now, this.last).utilization
    this.last = now
  }
}
