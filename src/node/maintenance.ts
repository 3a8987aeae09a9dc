import { toHex } from '../core/hash.js'
import type { PendingAcks } from '../core/pending-acks.js'
import type { QuorumTracker } from '../core/quorum.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohStore } from '../storage/store.js'
import type { NodeMetrics } from './metrics.js'

export interface MaintenanceInit {
  store: PohStore
  quorum: QuorumTracker
  pending: PendingAcks
  clock: Clock
  logger: Logger
  metrics: NodeMetrics
  intervalMs: number
  /** Called with the tx_ids whose payloads a sweep chunk deleted. */
  onExpired?: (txIds: Uint8Array[]) => void
}

/**
 * Records deleted per batch. A batch occupies the store's write queue, so new
 * requests wait behind it: 100 records take about 25 ms on the benchmark
 * machine, where 1000 delayed gossip by a quarter of a second.
 */
const SWEEP_CHUNK = 100

/** A sweep that deleted more records than this is followed by compaction of the swept ranges. */
const COMPACT_AFTER_RECORDS = 10_000

/** Payload records checked per step of the background verification. */
const VERIFY_CHUNK = 1000

/**
 * Periodic upkeep of the store: expired payloads, expired history and the
 * pending ACK buffer are swept on a timer and once at start, whether or not
 * new data arrives, and stored payloads are checked against their tx_id.
 */
export class Maintenance {
  private readonly init: MaintenanceInit
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false

  constructor (init: MaintenanceInit) {
    this.init = init
  }

  start (): void {
    this.timer = setInterval(() => { this.trigger() }, this.init.intervalMs)
    this.timer.unref()
    this.trigger()
  }

  /**
   * Runs a sweep that starts after this call, so it reads the current time,
   * and resolves when it ends. A sweep under way is awaited first.
   */
  async sweepNow (): Promise<void> {
    await this.running
    this.trigger()
    await this.running
  }

  private trigger (): void {
    if (this.running !== undefined || this.stopped) {
      return
    }
    this.running = this.sweep().finally(() => { this.running = undefined })
  }

  private async sweep (): Promise<void> {
    const { store, clock, logger, metrics } = this.init
    try {
      this.init.pending.expire(clock.now())
      const payloads = await this.sweepPayloads()
      if (payloads > COMPACT_AFTER_RECORDS && !this.stopped) {
        await store.compactAfterSweep()
        logger.info({ deleted: payloads }, 'compacted the swept payload ranges')
      }
      let history = 0
      for (let more = true; more && !this.stopped;) {
        const chunk = await store.deleteExpiredHistory(clock.now(), SWEEP_CHUNK)
        history += chunk.deleted
        more = chunk.more
        await new Promise(resolve => setImmediate(resolve))
      }
      metrics.gcDeleted.inc({ kind: 'history' }, history)
      if (history > COMPACT_AFTER_RECORDS && !this.stopped) {
        await store.compactAfterHistorySweep()
      }
      if (payloads > 0 || history > 0) {
        logger.info({ payloads, history }, 'garbage collection deleted expired records')
      }
    } catch (err) {
      if (!this.stopped) {
        logger.error({ err }, 'garbage collection failed; retrying at the next interval')
      }
    }
  }

  private async sweepPayloads (): Promise<number> {
    const { store, clock, quorum, metrics } = this.init
    let deleted = 0
    for (let more = true; more && !this.stopped;) {
      const chunk = await store.deleteExpired(clock.now(), SWEEP_CHUNK)
      for (const txId of chunk.deleted) {
        quorum.forget(txId)
      }
      if (chunk.deleted.length > 0) {
        this.init.onExpired?.(chunk.deleted)
      }
      deleted += chunk.deleted.length
      metrics.gcDeleted.inc({ kind: 'payload' }, chunk.deleted.length)
      more = chunk.more
      // Let gossip and repair run between chunks.
      await new Promise(resolve => setImmediate(resolve))
    }
    return deleted
  }

  /**
   * Checks every stored payload against its tx_id, in chunks. Corrupt copies
   * are deleted by the store and returned, for the caller to repair once
   * peers are connected.
   */
  async verifyPayloads (): Promise<{ checked: number, corrupt: Uint8Array[] }> {
    const { store, logger, metrics } = this.init
    let checked = 0
    const corrupt: Uint8Array[] = []
    let after: Uint8Array | undefined
    do {
      const found: Uint8Array[] = []
      const result = await store.verifyPayloads({ sampleLimit: VERIFY_CHUNK, afterTxId: after, onMismatch: (txId) => { found.push(txId) } })
      checked += result.checked
      corrupt.push(...found)
      if (found.length > 0) {
        metrics.corruptPayloads.inc(found.length)
        logger.warn({ count: found.length, txIds: found.slice(0, 4).map(toHex) }, 'stored payloads do not match their tx_id; deleted and queued for repair')
      }
      after = result.resumeAfter
      await new Promise(resolve => setImmediate(resolve))
    } while (after !== undefined && !this.stopped)
    return { checked, corrupt }
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.running
  }
}
