/**
 * Expiry notices for WatchTransactions. PohNode dispatches request, ack and
 * held events but none when garbage collection deletes an expired
 * transaction. So this tracker keeps the expiry time of the transactions that
 * watches request, and reads their state from the node once collection has
 * run.
 *
 * NOTE: a PohNode `expired` event, dispatched where Maintenance deletes each
 * chunk of expired transactions, would replace this tracker and its polling.
 */

import { TxState } from '../core/types.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohNode } from '../node/poh-node.js'

export interface ExpiryTrackerInit {
  node: PohNode
  clock: Clock
  /** Interval between checks of the garbage-collection counter, in milliseconds. */
  intervalMs: number
  /** Maximum number of transactions tracked at once; more are not tracked. */
  maxTracked: number
  logger: Logger
  /** Called once per tracked transaction after garbage collection deleted it. */
  onExpired: (txIdHex: string, expiresAtMs: number) => void
}

/** Transactions looked up per step of a check; the check yields to I/O between steps. */
const CHECK_CHUNK = 256

/**
 * Tracks expiry times and reports each tracked transaction once garbage
 * collection has deleted it. Collection runs are detected through the node's
 * poh_gc_deleted_total{kind="payload"} counter, which grows with every chunk
 * of deleted transactions, so the tracker reads the store only after a run.
 */
export class ExpiryTracker {
  private readonly init: ExpiryTrackerInit
  /** Expiry time in Unix ms, by tx_id in hex. */
  private readonly tracked = new Map<string, number>()
  private timer: NodeJS.Timeout | undefined
  /** Counter value at the start of the last complete check; undefined before the first. */
  private checkedAt: number | undefined
  private checking = false
  private dropped = 0

  constructor (init: ExpiryTrackerInit) {
    this.init = init
  }

  get size (): number {
    return this.tracked.size
  }

  get running (): boolean {
    return this.timer !== undefined
  }

  start (): void {
    if (this.timer !== undefined) {
      return
    }
    this.checkedAt = undefined
    this.timer = setInterval(() => { void this.check() }, this.init.intervalMs)
    this.timer.unref()
  }

  /** Stops the checks and clears the tracked transactions. */
  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.tracked.clear()
    this.dropped = 0
  }

  /** Tracks a transaction that expires at `expiresAtMs`. Returns false when the tracker is full. */
  track (txIdHex: string, expiresAtMs: number): boolean {
    if (this.tracked.has(txIdHex)) {
      return true
    }
    if (this.tracked.size >= this.init.maxTracked) {
      if (this.dropped % 10_000 === 0) {
        this.init.logger.warn({ tracked: this.tracked.size, dropped: this.dropped + 1 }, 'too many transactions to track for expired events; watches get no expired event for the transactions left out')
      }
      this.dropped++
      return false
    }
    this.tracked.set(txIdHex, expiresAtMs)
    if (expiresAtMs <= this.init.clock.now()) {
      // A collection run may have deleted it before it was tracked, and the
      // counter would not move again for it, so the next check runs anyway.
      this.checkedAt = undefined
    }
    return true
  }

  /** Looks up a transaction's expiry time and tracks it; does nothing for an unknown or expired one. */
  async trackFromNode (txIdHex: string): Promise<void> {
    const tx = await this.init.node.view.getTx(txIdHex)
    if (tx?.expiresAtMs !== undefined && tx.state !== TxState.EXPIRED && this.running) {
      this.track(txIdHex, tx.expiresAtMs)
    }
  }

  private async deletedCount (): Promise<number> {
    const metric = await this.init.node.metrics.gcDeleted.get()
    return metric.values.find(value => value.labels.kind === 'payload')?.value ?? 0
  }

  /**
   * Reports the due transactions that garbage collection deleted, when the
   * counter moved since the last check. The counter is read before the
   * lookups, so a run that ends during a check moves it again and causes
   * another check.
   */
  private async check (): Promise<void> {
    if (this.checking || this.tracked.size === 0) {
      return
    }
    this.checking = true
    try {
      const deleted = await this.deletedCount()
      if (deleted === this.checkedAt) {
        return
      }
      const now = this.init.clock.now()
      const due = [...this.tracked].filter(([, expiresAtMs]) => expiresAtMs <= now)
      for (let i = 0; i < due.length && this.running; i += CHECK_CHUNK) {
        for (const [txIdHex, expiresAtMs] of due.slice(i, i + CHECK_CHUNK)) {
          const tx = await this.init.node.view.getTx(txIdHex)
          // No record at all means the history was deleted too (history_retention_seconds = 0).
          if ((tx === undefined || tx.state === TxState.EXPIRED) && this.tracked.delete(txIdHex)) {
            this.init.onExpired(txIdHex, expiresAtMs)
          }
        }
        await new Promise(resolve => setImmediate(resolve))
      }
      this.checkedAt = deleted
    } catch (err) {
      // Typically the node is stopping; the next check tries again.
      this.init.logger.debug({ err }, 'expiry check failed; retrying at the next interval')
    } finally {
      this.checking = false
    }
  }
}
