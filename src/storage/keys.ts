/**
 * Key layout of the node's LevelDB database. Every key starts with an ASCII
 * prefix naming the record kind, followed by fixed-length binary fields.
 * Numbers are unsigned 64-bit big-endian, so the byte order LevelDB sorts by
 * is also numeric order.
 */

import { StorageError } from '../core/errors.js'
import { toHex } from '../core/hash.js'
import { HASH_LENGTH } from '../core/types.js'

const encoder = new TextEncoder()

/** Byte length of an encoded u64 key field. */
const U64_LENGTH = 8

/** Separator between the binary fields of a composite key. */
const SEPARATOR = 0x2f // '/'

/**
 * Prefix of each record kind. A prefix is never changed once released,
 * because existing data directories contain it.
 */
export const KeyPrefix = {
  /** `tx/<tx_id>`: StoredTx protobuf with the payload. */
  TX: encoder.encode('tx/'),
  /** `exp/<expires_at_ms u64>/<tx_id>`: empty value, the expiry index that GC scans. */
  EXPIRY: encoder.encode('exp/'),
  /** `ack/<tx_id>/<holder_id>`: encoded PohAck exactly as received. */
  ACK: encoder.encode('ack/'),
  /** `hist/<tx_id>`: HistoryRecord protobuf, kept after the payload expires. */
  HISTORY: encoder.encode('hist/'),
  /** `time/<request_timestamp_ms u64>/<tx_id>`: empty value, the index that range reads scan. */
  TIME: encoder.encode('time/'),
  /**
   * `hexp/<delete_at_ms u64>/<tx_id>`: the history retention index. Its value
   * is the u64 timestamp of the tx's `time/` key, or empty when that is unknown.
   */
  HISTORY_EXPIRY: encoder.encode('hexp/'),
  /** `meta/<name>`: small node-level values such as the schema version. */
  META: encoder.encode('meta/'),
  /**
   * `evid/<tx_id>/<holder_id>`: a PohAckBatch of validly signed ACKs that
   * prove a holder faulty for a transaction. Kept until the operator removes it.
   */
  EVIDENCE: encoder.encode('evid/')
} as const

/** Key length of each fixed-layout record kind. */
const TX_KEY_LENGTH = KeyPrefix.TX.length + HASH_LENGTH
const ACK_KEY_LENGTH = KeyPrefix.ACK.length + HASH_LENGTH + 1 + HASH_LENGTH
const HISTORY_KEY_LENGTH = KeyPrefix.HISTORY.length + HASH_LENGTH

/** Byte length of what follows the prefix in a time-ordered index key: `<ms u64>/<tx_id>`. */
export const TIMED_KEY_SUFFIX_LENGTH = U64_LENGTH + 1 + HASH_LENGTH

/** Byte length of a range cursor: the request timestamp (u64) followed by the tx_id. */
export const RANGE_CURSOR_LENGTH = U64_LENGTH + HASH_LENGTH

/** Bounds of a key range for LevelDB iterators: `gte <= key < lt`. */
export interface KeyRange {
  gte: Uint8Array
  lt: Uint8Array
}

function concat (parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0)
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

function assertId (name: string, id: Uint8Array): void {
  if (id.length !== HASH_LENGTH) {
    throw new RangeError(`${name} must be ${HASH_LENGTH} bytes, got ${id.length}`)
  }
}

/** Encodes a non-negative safe integer as 8 bytes, big-endian. */
export function encodeU64 (value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`u64 value must be a non-negative safe integer, got ${value}`)
  }
  const out = new Uint8Array(U64_LENGTH)
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false)
  return out
}

/**
 * Returns bytes `start` to `end` of `bytes` as a plain Uint8Array view. LevelDB
 * hands back Node.js Buffers, and callers compare ids as plain Uint8Arrays.
 */
export function byteView (bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start)
}

function readU64 (bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, false)
}

/**
 * Returns the range of every key that starts with `prefix`. The upper bound
 * is the prefix with its last byte incremented, which works because every
 * prefix used here ends in '/' (0x2f), never 0xff.
 */
export function prefixRange (prefix: Uint8Array): KeyRange {
  const lt = prefix.slice()
  const last = lt.length - 1
  lt[last] = (lt[last] ?? 0) + 1
  return { gte: prefix, lt }
}

function hasPrefix (key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) {
    return false
  }
  for (let i = 0; i < prefix.length; i++) {
    if (key[i] !== prefix[i]) {
      return false
    }
  }
  return true
}

function corruptKey (kind: string, key: Uint8Array, problem: string): StorageError {
  return new StorageError('ERR_CORRUPT_RECORD', `invalid ${kind} key ${toHex(key)} in the database: ${problem}`)
}

/**
 * Checks a key read from disk against its fixed layout: prefix, total length
 * and the '/' separators at `separatorOffsets`.
 */
function checkKeyLayout (kind: string, key: Uint8Array, prefix: Uint8Array, length: number, separatorOffsets: number[]): void {
  if (!hasPrefix(key, prefix)) {
    throw corruptKey(kind, key, 'wrong prefix')
  }
  if (key.length !== length) {
    throw corruptKey(kind, key, `expected ${length} bytes, got ${key.length}`)
  }
  for (const offset of separatorOffsets) {
    if (key[offset] !== SEPARATOR) {
      throw corruptKey(kind, key, `expected '/' at byte ${offset}`)
    }
  }
}

export function txKey (txId: Uint8Array): Uint8Array {
  assertId('tx_id', txId)
  return concat([KeyPrefix.TX, txId])
}

/** Extracts the tx_id from a `tx/` key read from disk. */
export function decodeTxKey (key: Uint8Array): Uint8Array {
  checkKeyLayout('tx', key, KeyPrefix.TX, TX_KEY_LENGTH, [])
  return byteView(key, KeyPrefix.TX.length)
}

/** Builds `<prefix><ms u64>/<tx_id>`, the layout of every time-ordered index. */
function timedKey (prefix: Uint8Array, ms: number, txId: Uint8Array): Uint8Array {
  assertId('tx_id', txId)
  return concat([prefix, encodeU64(ms), Uint8Array.of(SEPARATOR), txId])
}

/** Extracts the time and tx_id from a `<prefix><ms u64>/<tx_id>` key read from disk. */
function decodeTimedKey (kind: string, timeName: string, prefix: Uint8Array, key: Uint8Array): { ms: number, txId: Uint8Array } {
  const timeOffset = prefix.length
  checkKeyLayout(kind, key, prefix, prefix.length + TIMED_KEY_SUFFIX_LENGTH, [timeOffset + U64_LENGTH])
  const ms = readU64(key, timeOffset)
  if (ms > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw corruptKey(kind, key, `${timeName} ${ms} is beyond the safe integer range`)
  }
  return { ms: Number(ms), txId: byteView(key, timeOffset + U64_LENGTH + 1) }
}

/** Returns the range of `<prefix><ms u64>/` keys with a time at or before `maxMs`. */
function timedRangeUpTo (prefix: Uint8Array, maxMs: number): KeyRange {
  return { gte: prefix, lt: timedUpperBound(prefix, maxMs) }
}

/**
 * Returns the smallest key above every `<prefix><ms u64>/<tx_id>` key with
 * time `ms`: the time followed by '0' (0x30), the byte after '/'. Unlike
 * `ms + 1` it cannot pass the safe integer range.
 */
function timedUpperBound (prefix: Uint8Array, ms: number): Uint8Array {
  return concat([prefix, encodeU64(ms), Uint8Array.of(SEPARATOR + 1)])
}

export function expiryKey (expiresAtMs: number, txId: Uint8Array): Uint8Array {
  return timedKey(KeyPrefix.EXPIRY, expiresAtMs, txId)
}

/** Extracts the expiry time and tx_id from an `exp/` key read from disk. */
export function decodeExpiryKey (key: Uint8Array): { expiresAtMs: number, txId: Uint8Array } {
  const { ms, txId } = decodeTimedKey('exp', 'expiry time', KeyPrefix.EXPIRY, key)
  return { expiresAtMs: ms, txId }
}

/**
 * Returns the range of `exp/` keys with an expiry time at or before
 * `maxExpiresAtMs`.
 */
export function expiryRangeUpTo (maxExpiresAtMs: number): KeyRange {
  return timedRangeUpTo(KeyPrefix.EXPIRY, maxExpiresAtMs)
}

export function timeKey (requestTimestampMs: number, txId: Uint8Array): Uint8Array {
  return timedKey(KeyPrefix.TIME, requestTimestampMs, txId)
}

/** Extracts the request timestamp and tx_id from a `time/` key read from disk. */
export function decodeTimeKey (key: Uint8Array): { requestTimestampMs: number, txId: Uint8Array } {
  const { ms, txId } = decodeTimedKey('time', 'request timestamp', KeyPrefix.TIME, key)
  return { requestTimestampMs: ms, txId }
}

/** Returns the range of `time/` keys with a request timestamp from `fromMs` to `toMs`, both included. */
export function timeRangeOf (fromMs: number, toMs: number): KeyRange {
  return {
    gte: concat([KeyPrefix.TIME, encodeU64(fromMs)]),
    lt: timedUpperBound(KeyPrefix.TIME, toMs)
  }
}

export function historyExpiryKey (deleteAtMs: number, txId: Uint8Array): Uint8Array {
  return timedKey(KeyPrefix.HISTORY_EXPIRY, deleteAtMs, txId)
}

/** Extracts the deletion time and tx_id from a `hexp/` key read from disk. */
export function decodeHistoryExpiryKey (key: Uint8Array): { deleteAtMs: number, txId: Uint8Array } {
  const { ms, txId } = decodeTimedKey('hexp', 'deletion time', KeyPrefix.HISTORY_EXPIRY, key)
  return { deleteAtMs: ms, txId }
}

/** Returns the range of `hexp/` keys with a deletion time at or before `maxDeleteAtMs`. */
export function historyExpiryRangeUpTo (maxDeleteAtMs: number): KeyRange {
  return timedRangeUpTo(KeyPrefix.HISTORY_EXPIRY, maxDeleteAtMs)
}

/**
 * Encodes the cursor of a range read: the `time/` key of the last item
 * returned without its prefix and separator, so `u64 timestamp ‖ tx_id`.
 */
export function encodeRangeCursor (requestTimestampMs: number, txId: Uint8Array): Uint8Array {
  assertId('tx_id', txId)
  return concat([encodeU64(requestTimestampMs), txId])
}

/**
 * Turns a range cursor received from a peer into the `time/` key it names.
 * Throws RangeError when the cursor is not 40 bytes or its timestamp is
 * beyond the safe integer range.
 */
export function rangeCursorToTimeKey (cursor: Uint8Array): Uint8Array {
  if (cursor.length !== RANGE_CURSOR_LENGTH) {
    throw new RangeError(`range cursor must be ${RANGE_CURSOR_LENGTH} bytes (u64 timestamp and tx_id), got ${cursor.length}`)
  }
  const timestamp = readU64(cursor, 0)
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`range cursor timestamp ${timestamp} is beyond the safe integer range`)
  }
  return timeKey(Number(timestamp), byteView(cursor, U64_LENGTH))
}

export function ackKey (txId: Uint8Array, holderId: Uint8Array): Uint8Array {
  assertId('tx_id', txId)
  assertId('holder_id', holderId)
  return concat([KeyPrefix.ACK, txId, Uint8Array.of(SEPARATOR), holderId])
}

export function evidenceKey (txId: Uint8Array, holderId: Uint8Array): Uint8Array {
  assertId('tx_id', txId)
  assertId('holder_id', holderId)
  return concat([KeyPrefix.EVIDENCE, txId, Uint8Array.of(SEPARATOR), holderId])
}

/** Extracts the tx_id and holder_id from an `ack/` key read from disk. */
export function decodeAckKey (key: Uint8Array): { txId: Uint8Array, holderId: Uint8Array } {
  const txIdOffset = KeyPrefix.ACK.length
  const holderIdOffset = txIdOffset + HASH_LENGTH + 1
  checkKeyLayout('ack', key, KeyPrefix.ACK, ACK_KEY_LENGTH, [holderIdOffset - 1])
  return {
    txId: byteView(key, txIdOffset, txIdOffset + HASH_LENGTH),
    holderId: byteView(key, holderIdOffset)
  }
}

/** Returns the range of every `ack/` key of one transaction. */
export function ackRangeOf (txId: Uint8Array): KeyRange {
  assertId('tx_id', txId)
  return prefixRange(concat([KeyPrefix.ACK, txId, Uint8Array.of(SEPARATOR)]))
}

export function historyKey (txId: Uint8Array): Uint8Array {
  assertId('tx_id', txId)
  return concat([KeyPrefix.HISTORY, txId])
}

/** Extracts the tx_id from a `hist/` key read from disk. */
export function decodeHistoryKey (key: Uint8Array): Uint8Array {
  checkKeyLayout('hist', key, KeyPrefix.HISTORY, HISTORY_KEY_LENGTH, [])
  return byteView(key, KeyPrefix.HISTORY.length)
}

/** Prefixes of the records whose key starts with their tx_id. */
const TX_RECORD_PREFIXES = [KeyPrefix.TX, KeyPrefix.ACK, KeyPrefix.HISTORY]

/**
 * Returns the tx_id of a `tx/`, `ack/` or `hist/` key, the records that
 * garbage collection reads for a transaction, or undefined for any other key.
 */
export function recordTxIdOf (key: Uint8Array): Uint8Array | undefined {
  for (const prefix of TX_RECORD_PREFIXES) {
    if (key.length >= prefix.length + HASH_LENGTH && hasPrefix(key, prefix)) {
      return byteView(key, prefix.length, prefix.length + HASH_LENGTH)
    }
  }
  return undefined
}

/** Builds `meta/<name>`. Names are non-empty printable ASCII without '/'. */
export function metaKey (name: string): Uint8Array {
  if (!/^[\x21-\x2e\x30-\x7e]+$/.test(name)) {
    throw new RangeError(`meta name must be non-empty printable ASCII without '/', got ${JSON.stringify(name)}`)
  }
  return concat([KeyPrefix.META, encoder.encode(name)])
}
