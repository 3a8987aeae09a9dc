/**
 * Holder assignment by rendezvous hashing (PROTOCOL.md section 9.1). Every
 * node ranks the closed holder set the same way for a transaction, so the
 * holders that store it are agreed on without any message.
 */

import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from './hash.js'

/** One holder's place in the ranking of a transaction. */
export interface RankedHolder {
  holderId: Uint8Array
  /** SHA-256(tx_id ‖ holder_id), the rendezvous score. */
  score: Uint8Array
}

/** Role of one holder for a transaction: store at once, or stand by. */
export type HolderRole =
  | { kind: 'assigned', rank: number }
  | {
    kind: 'standby'
    rank: number
    /** Time after receipt, in milliseconds, at which this holder checks whether to step in. */
    stepInAfterMs: number
    /** Holders ranked above this one, best first. */
    above: Uint8Array[]
  }

/** Rendezvous score of a holder for a transaction: SHA-256(tx_id ‖ holder_id). */
export function rendezvousScore (txId: Uint8Array, holderId: Uint8Array): Uint8Array {
  return sha256.create().update(txId).update(holderId).digest()
}

/** Orders byte strings of equal length as big-endian unsigned numbers. */
function compareBytes (a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const diff = (a[i] as number) - (b[i] as number)
    if (diff !== 0) {
      return diff
    }
  }
  return a.length - b.length
}

/**
 * Ranks holders for a transaction, highest score first; equal scores are
 * ordered by holder_id, smallest first. The result does not depend on the
 * order of `holderIds`.
 */
export function rankHolders (txId: Uint8Array, holderIds: readonly Uint8Array[]): RankedHolder[] {
  return holderIds
    .map(holderId => ({ holderId, score: rendezvousScore(txId, holderId) }))
    .sort((a, b) => compareBytes(b.score, a.score) || compareBytes(a.holderId, b.holderId))
}

/** Picks the `replicationFactor` holders that store and ACK a transaction when none fails. */
export function assignedHolders (txId: Uint8Array, holderIds: readonly Uint8Array[], replicationFactor: number): Uint8Array[] {
  return rankHolders(txId, holderIds).slice(0, replicationFactor).map(ranked => ranked.holderId)
}

/**
 * Returns the role of `self` for a transaction, or undefined when `self` is
 * not in the holder set. The holder at 0-based rank r ≥ R steps in
 * (r − R + 1) × failoverAfterMs after it received the request, if by then
 * fewer than R of the holders ranked above it have ACKed. Each rank waits
 * one more period, so failover cascades down the ranking with no message.
 */
export function holderRole (txId: Uint8Array, holderIds: readonly Uint8Array[], self: Uint8Array, replicationFactor: number, failoverAfterMs: number): HolderRole | undefined {
  const ranked = rankHolders(txId, holderIds)
  const selfHex = toHex(self)
  const rank = ranked.findIndex(entry => toHex(entry.holderId) === selfHex)
  if (rank < 0) {
    return undefined
  }
  if (rank < replicationFactor) {
    return { kind: 'assigned', rank }
  }
  return {
    kind: 'standby',
    rank,
    stepInAfterMs: (rank - replicationFactor + 1) * failoverAfterMs,
    above: ranked.slice(0, rank).map(entry => entry.holderId)
  }
}
