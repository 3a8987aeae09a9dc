import { bytesEqual, computeTxId } from '../core/hash.js'
import { PROTOCOL_VERSION } from '../core/types.js'
import type { PohAck, PohRequest, RepairItem } from '../core/proto/poh.js'
import type { AckVerifier } from '../core/validate.js'

/** Rebuilds the request a repaired item stands for from its fields. */
export function requestFromItem (item: RepairItem): PohRequest {
  return {
    version: PROTOCOL_VERSION,
    txId: item.txId,
    payload: item.payload,
    timestampMs: item.requestTimestampMs,
    ttlSeconds: item.ttlSeconds
  }
}

/** Returns every ACK an item carries: the vouching holder ACK first, then the others. */
export function itemAcks (item: RepairItem): PohAck[] {
  return item.holderAck === undefined ? item.acks : [item.holderAck, ...item.acks]
}

export interface RepairCheckInit {
  verifier: AckVerifier
  maxTtlSeconds: number
}

/**
 * Checks a repaired item before anything is stored: the payload hashes to
 * tx_id, the expiry matches the request time and TTL, and the holder ACK
 * verifies against the payload. Returns the reason it fails, or undefined.
 */
export function checkRepairItem (item: RepairItem, init: RepairCheckInit, nowMs: number): string | undefined {
  if (!bytesEqual(computeTxId(item.payload), item.txId)) {
    return 'payload does not hash to tx_id'
  }
  if (item.ttlSeconds === 0 || item.ttlSeconds > init.maxTtlSeconds) {
    return `ttl_seconds ${item.ttlSeconds} is outside 1..${init.maxTtlSeconds}`
  }
  if (item.expiresAtMs !== item.requestTimestampMs + BigInt(item.ttlSeconds) * 1000n) {
    return 'expires_at_ms is not request_timestamp_ms plus the TTL'
  }
  const ack = item.holderAck
  if (ack === undefined) {
    return 'no holder ACK vouches for the payload'
  }
  if (!bytesEqual(ack.txId, item.txId)) {
    return 'holder ACK is for another transaction'
  }
  try {
    init.verifier.verify(ack, nowMs, item.payload)
  } catch (err) {
    return `holder ACK does not verify: ${(err as Error).message}`
  }
  return undefined
}
