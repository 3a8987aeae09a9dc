import type { PohAck } from '../core/proto/poh.js'

export interface AckBatcherInit {
  /** Flush when this many ACKs are waiting. */
  maxSize: number
  /** Flush before the waiting ACKs would exceed this many encoded bytes. */
  maxBytes: number
  /** Flush this long after the first waiting ACK arrived, in milliseconds, while the node is not busy. */
  maxDelayMs: number
  /**
   * Flush delay in milliseconds while the node is busy. A busy node's
   * messages queue anyway, so waiting longer costs little latency, and
   * fuller batches mean fewer gossip messages, each of which costs every
   * peer CPU. Ignored when unset or not above maxDelayMs.
   */
  busyDelayMs?: number
  /** Returns the share of recent time the node's event loop was busy, from 0 to 1. */
  busyShare?: () => number
  /** Publishes one batch; errors are passed to onError and the ACKs dropped. */
  publish: (acks: PohAck[]) => Promise<void>
  onError: (err: unknown, count: number) => void
}

/** Upper bound of one ACK's encoded size: its variable fields plus room for the fixed ones and tags. */
function estimateEncodedSize (ack: PohAck): number {
  return ack.signature.length + (ack.signaturePq?.length ?? 0) + (ack.publicKey?.length ?? 0) + 160
}

/** Busy share from which the flush delay starts to rise above maxDelayMs. */
const BUSY_FROM = 0.5
/** Busy share at which the flush delay reaches busyDelayMs. */
const BUSY_FULL = 0.9

/**
 * Collects a holder's own ACKs and publishes them as one PohAckBatch when
 * maxSize is reached or the flush delay has passed, whichever comes first.
 * The delay is maxDelayMs, rising linearly to busyDelayMs as the busy share
 * goes from 0.5 to 0.9.
 */
export class AckBatcher {
  private readonly init: AckBatcherInit
  private waiting: PohAck[] = []
  private waitingBytes = 0
  private timer: NodeJS.Timeout | undefined
  private inFlight = new Set<Promise<void>>()

  constructor (init: AckBatcherInit) {
    if (init.maxSize < 1) {
      throw new RangeError(`ack_batch_max_size must be at least 1, got ${init.maxSize}`)
    }
    this.init = init
  }

  get pending (): number {
    return this.waiting.length
  }

  add (ack: PohAck): void {
    const size = estimateEncodedSize(ack)
    if (this.waiting.length > 0 && this.waitingBytes + size > this.init.maxBytes) {
      this.flush()
    }
    this.waiting.push(ack)
    this.waitingBytes += size
    if (this.waiting.length >= this.init.maxSize) {
      this.flush()
      return
    }
    this.timer ??= setTimeout(() => { this.flush() }, this.delayMs())
  }

  /** Returns the delay, in milliseconds, that a batch started now waits before it is published. */
  delayMs (): number {
    const { maxDelayMs, busyDelayMs, busyShare } = this.init
    if (busyDelayMs === undefined || busyShare === undefined || busyDelayMs <= maxDelayMs) {
      return maxDelayMs
    }
    const rise = Math.min(1, Math.max(0, (busyShare() - BUSY_FROM) / (BUSY_FULL - BUSY_FROM)))
    return Math.round(maxDelayMs + rise * (busyDelayMs - maxDelayMs))
  }

  /** Publishes what is waiting now. */
  flush (): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.waiting.length === 0) {
      return
    }
    const acks = this.waiting
    this.waiting = []
    this.waitingBytes = 0
    const sending = this.init.publish(acks)
      .catch(err => { this.init.onError(err, acks.length) })
      .finally(() => { this.inFlight.delete(sending) })
    this.inFlight.add(sending)
  }

  /** Flushes and waits for every publish under way. */
  async drain (): Promise<void> {
    this.flush()
    await Promise.all([...this.inFlight])
  }
}
