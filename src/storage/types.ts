import type { TxState } from '../core/types.js'
import type { Level } from 'level'

/** A transaction's original payload as stored, with its timing. Times are Unix milliseconds. */
export interface StoredTx {
  txId: Uint8Array
  payload: Uint8Array
  receivedAtMs: number
  expiresAtMs: number
  ttlSeconds: number
  /** timestamp_ms of the PoH_REQUEST that carried the payload. */
  requestTimestampMs: number
  /**
   * True for the record of a transaction that other holders store
   * (replication_factor): `payload` is then empty.
   */
  payloadOmitted?: boolean
}

/** One holder's ACK for a transaction, as the encoded PohAck bytes received. */
export interface StoredAck {
  txId: Uint8Array
  holderId: Uint8Array
  ack: Uint8Array
}

/** History of one transaction on this node, kept after the payload expires. */
export interface HistoryRecord {
  txId: Uint8Array
  firstSeenMs: number
  /** Time the quorum was reached, or 0 if it has not been. */
  quorumAtMs: number
  ackCount: number
  state: TxState
  expiresAtMs: number
}

/** The node's LevelDB handle, with binary keys and values. */
export type StoreDb = Level<Uint8Array, Uint8Array>

/** One operation of an atomic LevelDB batch. */
export type BatchOp =
  | { type: 'put', key: Uint8Array, value: Uint8Array }
  | { type: 'del', key: Uint8Array }

/** Writes one batch of operations atomically. */
export type BatchWrite = (ops: BatchOp[]) => Promise<void>
