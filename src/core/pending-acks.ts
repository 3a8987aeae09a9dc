import { toHex } from './hash.js'
import type { PohAck } from './proto/poh.js'

export interface PendingAcksInit {
  /** Maximum ACKs held across all transactions. */
  maxAcks: number
  /** ACKs older than this (by arrival) are dropped. */
  maxAgeMs: number
}

/**
 * Copies an ACK's byte fields. Decoded fields are views into the whole gossip
 * message, so keeping them would keep that message, and whatever padding it
 * carried, in memory for as long as the ACK waits.
 */
function detach (ack: PohAck): PohAck {
  const copy: PohAck = {
    ...ack,
    txId: ack.txId.slice(),
    storageHash: ack.storageHash.slice(),
    holderId: ack.holderId.slice(),
    signature: ack.signature.slice()
  }
  if (ack.signaturePq !== undefined) {
    copy.signaturePq = ack.signaturePq.slice()
  }
  if (ack.publicKey !== undefined) {
    copy.publicKey = ack.publicKey.slice()
  }
  return copy
}

interface PendingEntry {
  ack: PohAck
  arrivedAtMs: number
}

/**
 * ACKs whose request has not arrived yet. They passed the signature check,
 * but their storage_hash cannot be checked without the payload, so they are
 * counted only once the request (or a repaired payload) is known.
 */
export class PendingAcks {
  private readonly init: PendingAcksInit
  private readonly byTx = new Map<string, PendingEntry[]>()
  private total = 0
  /** ACKs dropped because the buffer was full. */
  overflowed = 0
  /** ACKs dropped because they waited longer than maxAgeMs. */
  aged = 0
  private lastExpiryMs = Number.NEGATIVE_INFINITY

  constructor (init: PendingAcksInit) {
    this.init = init
  }

  get size (): number {
    return this.total
  }

  /** Keeps an ACK; returns false and counts an overflow when the buffer is full. */
  add (ack: PohAck, nowMs: number): boolean {
    // Expiry walks every entry, so add() runs it at most once a second of
    // clock time. The garbage-collection timer also calls expire().
    if (nowMs - this.lastExpiryMs >= 1000) {
      this.expire(nowMs)
    }
    if (this.total >= this.init.maxAcks) {
      this.overflowed++
      return false
    }
    const key = toHex(ack.txId)
    const list = this.byTx.get(key) ?? []
    list.push({ ack: detach(ack), arrivedAtMs: nowMs })
    this.byTx.set(key, list)
    this.total++
    return true
  }

  /** True when an ACK from this holder already waits for this transaction. */
  has (txId: Uint8Array, holderId: Uint8Array): boolean {
    const list = this.byTx.get(toHex(txId))
    if (list === undefined) {
      return false
    }
    const holder = toHex(holderId)
    return list.some(entry => toHex(entry.ack.holderId) === holder)
  }

  /** Removes and returns the ACKs waiting for this transaction. */
  take (txId: Uint8Array): PohAck[] {
    const key = toHex(txId)
    const list = this.byTx.get(key)
    if (list === undefined) {
      return []
    }
    this.byTx.delete(key)
    this.total -= list.length
    return list.map(entry => entry.ack)
  }

  /** Drops ACKs older than maxAgeMs. Map order is arrival order of each tx's first ACK. */
  expire (nowMs: number): void {
    this.lastExpiryMs = nowMs
    const cutoff = nowMs - this.init.maxAgeMs
    for (const [key, list] of this.byTx) {
      const kept = list.filter(entry => entry.arrivedAtMs >= cutoff)
      const dropped = list.length - kept.length
      if (dropped === 0) {
        continue
      }
      this.aged += dropped
      this.total -= dropped
      if (kept.length === 0) {
        this.byTx.delete(key)
      } else {
        this.byTx.set(key, kept)
      }
    }
  }
}
