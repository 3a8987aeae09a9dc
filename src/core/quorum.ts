import { toHex } from './hash.js'

/** Outcome of adding one verified ACK to a transaction's count. */
export type AckOutcome =
  | { kind: 'counted', count: number, becameHeld: boolean }
  | { kind: 'duplicate', count: number }
  | { kind: 'conflict', count: number }

/**
 * Count of one transaction. A node keeps one for every stored transaction,
 * so its size sets much of the node's memory. To keep it small, the storage
 * hash is a latin1 string of its bytes (half the length of hex), holder ids
 * are strings shared by every transaction, and the conflict set exists only
 * after a conflict.
 */
interface TxQuorum {
  /** holder_id hex → storage_hash bytes of the ACK that counted, as a latin1 string. */
  holders: Map<string, string>
  /** Holders caught signing two storage hashes for this transaction. */
  conflicted?: Set<string>
  heldAtMs?: number
}

function compactHash (storageHash: Uint8Array): string {
  return Buffer.from(storageHash.buffer, storageHash.byteOffset, storageHash.byteLength).toString('latin1')
}

/**
 * Counts distinct valid holders per transaction. Pure bookkeeping: callers
 * pass only ACKs that already passed signature and membership checks.
 */
export class QuorumTracker {
  private readonly minPohRequired: number
  private readonly txs = new Map<string, TxQuorum>()
  /** One string per holder_id hex, shared by the entries of every transaction. */
  private readonly holderIds = new Map<string, string>()

  constructor (minPohRequired: number) {
    if (!Number.isInteger(minPohRequired) || minPohRequired < 1) {
      throw new RangeError(`min_poh_required must be an integer of at least 1, got ${minPohRequired}`)
    }
    this.minPohRequired = minPohRequired
  }

  get threshold (): number {
    return this.minPohRequired
  }

  /**
   * Records one holder's ACK. A second ACK with the same storage hash is a
   * duplicate. One with a different storage hash proves the holder faulty,
   * so from then on neither of its ACKs counts.
   */
  add (txId: Uint8Array, holderId: Uint8Array, storageHash: Uint8Array, nowMs: number): AckOutcome {
    const entry = this.entry(toHex(txId))
    const holder = this.holderKey(holderId)
    const hash = compactHash(storageHash)

    if (entry.conflicted?.has(holder) === true) {
      return { kind: 'conflict', count: entry.holders.size }
    }
    const previous = entry.holders.get(holder)
    if (previous === hash) {
      return { kind: 'duplicate', count: entry.holders.size }
    }
    if (previous !== undefined) {
      entry.holders.delete(holder)
      ;(entry.conflicted ??= new Set()).add(holder)
      return { kind: 'conflict', count: entry.holders.size }
    }

    entry.holders.set(holder, hash)
    const count = entry.holders.size
    const becameHeld = entry.heldAtMs === undefined && count >= this.minPohRequired
    if (becameHeld) {
      entry.heldAtMs = nowMs
    }
    return { kind: 'counted', count, becameHeld }
  }

  /** Returns the storage_hash (hex) of the counted ACK of this holder, or undefined. */
  storageHashOf (txId: Uint8Array, holderId: Uint8Array): string | undefined {
    const hash = this.txs.get(toHex(txId))?.holders.get(toHex(holderId))
    return hash === undefined ? undefined : Buffer.from(hash, 'latin1').toString('hex')
  }

  /**
   * Stops counting a holder for a transaction, for good, after it was caught
   * signing something false about it. Returns the new count.
   */
  revoke (txId: Uint8Array, holderId: Uint8Array): number {
    const entry = this.entry(toHex(txId))
    const holder = this.holderKey(holderId)
    entry.holders.delete(holder)
    ;(entry.conflicted ??= new Set()).add(holder)
    return entry.holders.size
  }

  /** True when this holder's ACK for the transaction was already counted. */
  has (txId: Uint8Array, holderId: Uint8Array): boolean {
    return this.txs.get(toHex(txId))?.holders.has(toHex(holderId)) ?? false
  }

  count (txId: Uint8Array): number {
    return this.txs.get(toHex(txId))?.holders.size ?? 0
  }

  heldAt (txId: Uint8Array): number | undefined {
    return this.txs.get(toHex(txId))?.heldAtMs
  }

  /** Holder ids (hex) whose ACKs count for the transaction. */
  holders (txId: Uint8Array): string[] {
    return [...(this.txs.get(toHex(txId))?.holders.keys() ?? [])]
  }

  /** Drops a transaction's state, for example after garbage collection. */
  forget (txId: Uint8Array): void {
    this.txs.delete(toHex(txId))
  }

  /** Number of tracked transactions that have not reached quorum. */
  pendingCount (): number {
    let pending = 0
    for (const entry of this.txs.values()) {
      if (entry.heldAtMs === undefined) {
        pending++
      }
    }
    return pending
  }

  get size (): number {
    return this.txs.size
  }

  private entry (key: string): TxQuorum {
    let entry = this.txs.get(key)
    if (entry === undefined) {
      entry = { holders: new Map() }
      this.txs.set(key, entry)
    }
    return entry
  }

  private holderKey (holderId: Uint8Array): string {
    const hex = toHex(holderId)
    const shared = this.holderIds.get(hex)
    if (shared !== undefined) {
      return shared
    }
    this.holderIds.set(hex, hex)
    return hex
  }
}
