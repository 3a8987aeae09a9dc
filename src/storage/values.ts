/**
 * Encoding of stored values: the protobuf records of records.proto and the
 * fixed-width numbers under `meta/`. Decoders turn any malformed value into
 * StorageError ERR_CORRUPT_RECORD naming the key it was read from.
 */

import { StorageError } from '../core/errors.js'
import { TxState } from '../core/types.js'
import { byteView, encodeU64 } from './keys.js'
import { HistoryRecord as HistoryRecordMessage, StoredTx as StoredTxMessage, TxState as TxStateMessage } from './records.js'
import type { HistoryRecord, StoredTx } from './types.js'

const U32_MAX = 0xffffffff

const STATE_TO_MESSAGE: Readonly<Record<TxState, TxStateMessage>> = {
  [TxState.PENDING]: TxStateMessage.PENDING,
  [TxState.HELD]: TxStateMessage.HELD,
  [TxState.EXPIRED]: TxStateMessage.EXPIRED
}

function corruptValue (keyName: string, problem: string, cause?: unknown): StorageError {
  return new StorageError('ERR_CORRUPT_RECORD', `invalid value stored at ${keyName}: ${problem}`, { cause })
}

function assertU64 (field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a non-negative safe integer, got ${value}`)
  }
}

function assertU32 (field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new RangeError(`${field} must be an integer from 0 to ${U32_MAX}, got ${value}`)
  }
}

/**
 * Checks decoded u64 fields. protons decodes them as `number` and loses
 * precision above 2^53 - 1, so a value past that range means damaged bytes.
 */
function checkDecodedU64 (keyName: string, fields: Record<string, number>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (!Number.isSafeInteger(value)) {
      throw corruptValue(keyName, `${field} ${value} is beyond the safe integer range`)
    }
  }
}

function decodeMessage<T> (keyName: string, bytes: Uint8Array, decode: (bytes: Uint8Array) => T): T {
  try {
    return decode(bytes)
  } catch (err) {
    throw corruptValue(keyName, `protobuf decoding failed (${(err as Error).message})`, err)
  }
}

export function encodeStoredTx (tx: StoredTx): Uint8Array {
  assertU64('receivedAtMs', tx.receivedAtMs)
  assertU64('expiresAtMs', tx.expiresAtMs)
  assertU32('ttlSeconds', tx.ttlSeconds)
  assertU64('requestTimestampMs', tx.requestTimestampMs)
  return StoredTxMessage.encode({
    payload: tx.payload as Uint8Array<ArrayBuffer>,
    receivedAtMs: tx.receivedAtMs,
    expiresAtMs: tx.expiresAtMs,
    ttlSeconds: tx.ttlSeconds,
    requestTimestampMs: tx.requestTimestampMs,
    payloadOmitted: tx.payloadOmitted === true
  })
}

/** Decodes the value of `tx/<txId>`. `keyName` is that key as shown in errors. */
export function decodeStoredTx (txId: Uint8Array, keyName: string, bytes: Uint8Array): StoredTx {
  const message = decodeMessage(keyName, bytes, (b) => StoredTxMessage.decode(b))
  checkDecodedU64(keyName, {
    received_at_ms: message.receivedAtMs,
    expires_at_ms: message.expiresAtMs,
    request_timestamp_ms: message.requestTimestampMs
  })
  return {
    txId,
    payload: byteView(message.payload),
    receivedAtMs: message.receivedAtMs,
    expiresAtMs: message.expiresAtMs,
    ttlSeconds: message.ttlSeconds,
    requestTimestampMs: message.requestTimestampMs,
    ...(message.payloadOmitted ? { payloadOmitted: true } : {})
  }
}

export function encodeHistory (history: HistoryRecord): Uint8Array {
  assertU64('firstSeenMs', history.firstSeenMs)
  assertU64('quorumAtMs', history.quorumAtMs)
  assertU32('ackCount', history.ackCount)
  assertU64('expiresAtMs', history.expiresAtMs)
  const state = STATE_TO_MESSAGE[history.state]
  if (state === undefined) {
    throw new RangeError(`history state must be one of ${Object.keys(STATE_TO_MESSAGE).join(', ')}, got ${String(history.state)}`)
  }
  return HistoryRecordMessage.encode({
    firstSeenMs: history.firstSeenMs,
    quorumAtMs: history.quorumAtMs,
    ackCount: history.ackCount,
    state,
    expiresAtMs: history.expiresAtMs
  })
}

function decodeState (keyName: string, state: TxStateMessage): TxState {
  switch (state) {
    case TxStateMessage.PENDING: return TxState.PENDING
    case TxStateMessage.HELD: return TxState.HELD
    case TxStateMessage.EXPIRED: return TxState.EXPIRED
    default: throw corruptValue(keyName, `state ${String(state)} is not PENDING, HELD or EXPIRED`)
  }
}

/** Decodes the value of `hist/<txId>`. `keyName` is that key as shown in errors. */
export function decodeHistory (txId: Uint8Array, keyName: string, bytes: Uint8Array): HistoryRecord {
  const message = decodeMessage(keyName, bytes, (b) => HistoryRecordMessage.decode(b))
  checkDecodedU64(keyName, {
    first_seen_ms: message.firstSeenMs,
    quorum_at_ms: message.quorumAtMs,
    expires_at_ms: message.expiresAtMs
  })
  return {
    txId,
    firstSeenMs: message.firstSeenMs,
    quorumAtMs: message.quorumAtMs,
    ackCount: message.ackCount,
    state: decodeState(keyName, message.state),
    expiresAtMs: message.expiresAtMs
  }
}

export function encodeU32Value (value: number): Uint8Array {
  assertU32('value', value)
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value, false)
  return out
}

export function decodeU32Value (keyName: string, bytes: Uint8Array): number {
  if (bytes.length !== 4) {
    throw corruptValue(keyName, `expected a 4-byte big-endian u32, got ${bytes.length} bytes`)
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false)
}

export function encodeU64Value (value: number): Uint8Array {
  return encodeU64(value)
}

export function decodeU64Value (keyName: string, bytes: Uint8Array): number {
  if (bytes.length !== 8) {
    throw corruptValue(keyName, `expected an 8-byte big-endian u64, got ${bytes.length} bytes`)
  }
  const value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, false)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw corruptValue(keyName, `u64 ${value} is beyond the safe integer range`)
  }
  return Number(value)
}
