import { toHex } from '../core/hash.js'
import { TxState } from '../core/types.js'
import type { PohAck } from '../core/proto/poh.js'
import type { HolderSpotChecks } from '../core/spot-check-tally.js'
import type { TimedHistory } from '../storage/history-query.js'

/** The node as `GET /v1/status` and `poh-node status` show it. */
export interface NodeStatus {
  network_id: string
  peer_id: string
  holder_id: string | null
  addresses: string[]
  peers: number
  holder_set: { open: boolean, size: number, hash: string }
  min_poh_required: number
  transactions_stored: number
  stored_bytes: number
  pending_transactions: number
  uptime_seconds: number
  /** Whether this node runs spot checks, and its counts per checked holder. */
  spot_checks: { enabled: boolean, holders: HolderSpotChecks[] }
}

/** One connected peer. */
export interface PeerInfo {
  peer_id: string
  addresses: string[]
  /** Gossipsub score; below -80 the node disconnects the peer. */
  score: number
}

/** One ACK in JSON form, every byte field in hex. */
export interface AckJson {
  tx_id: string
  holder_id: string
  storage_hash: string
  timestamp_ms: number
  sig_alg: string
  signature: string
  /** ML-DSA-65 half of a hybrid ACK's signature. */
  signature_pq?: string
  public_key?: string
}

/** A transaction's quorum certificate: the ACKs that made it held. */
export interface Certificate {
  network_id: string
  tx_id: string
  holder_set_hash: string
  acks: AckJson[]
}

/** One transaction in a range query. */
export interface HistoryItem {
  tx_id: string
  state: TxState
  request_timestamp_ms: number
  slot: number
  first_seen_ms: number
  held_at_ms: number | null
  ack_count: number
  expires_at_ms: number
}

export function ackToJson (ack: PohAck): AckJson {
  const json: AckJson = {
    tx_id: toHex(ack.txId),
    holder_id: toHex(ack.holderId),
    storage_hash: toHex(ack.storageHash),
    timestamp_ms: Number(ack.timestampMs),
    sig_alg: ack.sigAlg,
    signature: toHex(ack.signature)
  }
  if (ack.signaturePq !== undefined) {
    json.signature_pq = toHex(ack.signaturePq)
  }
  if (ack.publicKey !== undefined) {
    json.public_key = toHex(ack.publicKey)
  }
  return json
}

export function historyToJson (record: TimedHistory, slotDurationMs: number): HistoryItem {
  return {
    tx_id: toHex(record.txId),
    state: record.state,
    request_timestamp_ms: record.requestTimestampMs,
    slot: Math.floor(record.requestTimestampMs / slotDurationMs),
    first_seen_ms: record.firstSeenMs,
    held_at_ms: record.quorumAtMs > 0 ? record.quorumAtMs : null,
    ack_count: record.ackCount,
    expires_at_ms: record.expiresAtMs
  }
}

/** Returns the request-time range, in Unix ms, that slots `fromSlot` to `toSlot` cover. */
export function slotRange (fromSlot: number, toSlot: number, slotDurationMs: number): { fromMs: number, toMs: number } {
  if (!Number.isSafeInteger(fromSlot) || !Number.isSafeInteger(toSlot) || fromSlot < 0 || fromSlot > toSlot) {
    throw new RangeError(`slot range must satisfy 0 <= from <= to, got ${fromSlot}..${toSlot}`)
  }
  return { fromMs: fromSlot * slotDurationMs, toMs: (toSlot + 1) * slotDurationMs - 1 }
}

/** True when the state is one a certificate can exist for. */
export function isHeld (state: TxState | undefined): boolean {
  return state === TxState.HELD
}
