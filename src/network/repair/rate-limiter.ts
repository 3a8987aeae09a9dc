import type { Clock } from '../../core/types.js'

export interface PeerRateLimiterInit {
  /** Tokens added to each bucket per second. */
  ratePerSecond: number
  /** Tokens a bucket holds when full, and so the largest burst. */
  capacity: number
  clock: Clock
  /**
   * Maximum number of buckets kept.
   * @default 4096
   */
  maxPeers?: number
}

interface Bucket {
  tokens: number
  updatedMs: number
}

export const DEFAULT_MAX_TRACKED_PEERS = 4096

/**
 * Token buckets keyed by peer. A bucket refills at `ratePerSecond` up to
 * `capacity`. A full bucket behaves like a missing one, so full buckets are
 * the first to go when the map reaches `maxPeers`.
 */
export class PeerRateLimiter {
  private readonly ratePerMs: number
  private readonly capacity: number
  private readonly clock: Clock
  private readonly maxPeers: number
  /** Buckets in least recently used order: every take moves a bucket to the end. */
  private readonly buckets = new Map<string, Bucket>()

  constructor (init: PeerRateLimiterInit) {
    if (!(init.ratePerSecond > 0) || !(init.capacity > 0)) {
      throw new RangeError(`rate limiter needs a positive rate and capacity, got ${init.ratePerSecond}/s and ${init.capacity}`)
    }
    this.ratePerMs = init.ratePerSecond / 1000
    this.capacity = init.capacity
    this.clock = init.clock
    this.maxPeers = init.maxPeers ?? DEFAULT_MAX_TRACKED_PEERS
  }

  /** Number of buckets currently kept. */
  get size (): number {
    return this.buckets.size
  }

  /**
   * Takes `cost` tokens from the peer's bucket and returns true, or returns
   * false and takes nothing when the bucket has fewer tokens.
   */
  tryTake (peer: string, cost: number): boolean {
    const now = this.clock.now()
    const bucket = this.buckets.get(peer) ?? this.newBucket(now)
    this.refill(bucket, now)

    // Re-inserting keeps the map in least recently used order.
    this.buckets.delete(peer)
    this.buckets.set(peer, bucket)

    if (bucket.tokens < cost) {
      return false
    }
    bucket.tokens -= cost
    return true
  }

  private newBucket (now: number): Bucket {
    if (this.buckets.size >= this.maxPeers) {
      this.evict(now)
    }
    return { tokens: this.capacity, updatedMs: now }
  }

  private refill (bucket: Bucket, now: number): void {
    // A clock that steps back adds nothing rather than removing tokens.
    const elapsed = Math.max(0, now - bucket.updatedMs)
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsed * this.ratePerMs)
    bucket.updatedMs = Math.max(bucket.updatedMs, now)
  }

  /**
   * Frees room for one bucket: first drops every bucket that has refilled to
   * capacity, which loses nothing, then the least recently used ones.
   * NOTE: dropping a bucket that is not full hands that peer a full bucket on
   * its next request. That happens only while more than `maxPeers` peers are
   * draining their buckets at once.
   */
  private evict (now: number): void {
    for (const [peer, bucket] of this.buckets) {
      this.refill(bucket, now)
      if (bucket.tokens >= this.capacity) {
        this.buckets.delete(peer)
      }
    }
    for (const peer of this.buckets.keys()) {
      if (this.buckets.size < this.maxPeers) {
        break
      }
      this.buckets.delete(peer)
    }
  }
}
