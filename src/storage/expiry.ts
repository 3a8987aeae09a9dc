/**
 * Garbage collection of expired transactions through the `exp/` index, and
 * the index lookups that keep that index free of duplicate entries.
 */

import { PohError } from '../core/errors.js'
import { toHex } from '../core/hash.js'
import { TxState } from '../core/types.js'
import {
  ackRangeOf, decodeExpiryKey, expiryKey, expiryRangeUpTo, historyKey, KeyPrefix,
  prefixRange, txKey
} from './keys.js'
import { decodeHistory, decodeStoredTx, encodeHistory } from './values.js'
import type { Logger } from '../log/logger.js'
import type { BatchOp, HistoryRecord, StoreDb, StoredTx } from './types.js'

/** Result of one garbage-collection chunk. */
export interface ExpiredChunk {
  /** tx_ids whose expiry key and ACKs were deleted, with the payload where one was stored. */
  deleted: Uint8Array[]
  /** True when more expiry keys at or before the scan time remain. */
  more: boolean
}

/** A decoded `exp/` key, or a malformed one to drop. */
type DueEntry =
  | { key: Uint8Array, expiresAtMs: number, txId: Uint8Array }
  | { key: Uint8Array, expiresAtMs: undefined, txId: undefined }

/** Outcome of reading a stored record whose damage must not stop GC. */
type Readable<T> = { status: 'ok', value: T } | { status: 'missing' } | { status: 'corrupt' }

function isCorruptRecord (err: unknown): boolean {
  return err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD'
}

async function readTolerant<T> (db: StoreDb, log: Logger, key: Uint8Array, decode: (bytes: Uint8Array) => T): Promise<Readable<T>> {
  const bytes = await db.get(key)
  if (bytes === undefined) {
    return { status: 'missing' }
  }
  try {
    return { status: 'ok', value: decode(bytes) }
  } catch (err) {
    if (!isCorruptRecord(err)) {
      throw err
    }
    log.error({ err, key: toHex(key) }, 'garbage collection found a damaged record and replaces or deletes it')
    return { status: 'corrupt' }
  }
}

async function readDueEntries (db: StoreDb, log: Logger, nowMs: number, limit: number): Promise<DueEntry[]> {
  const entries: DueEntry[] = []
  for await (const key of db.keys({ ...expiryRangeUpTo(nowMs), limit })) {
    try {
      entries.push({ key, ...decodeExpiryKey(key) })
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      // The key carries no data, so dropping it loses nothing but the index entry.
      log.error({ err, key: toHex(key) }, 'garbage collection found a malformed expiry key and deletes it')
      entries.push({ key, expiresAtMs: undefined, txId: undefined })
    }
  }
  return entries
}

async function listAckKeys (db: StoreDb, txId: Uint8Array): Promise<Uint8Array[]> {
  const keys: Uint8Array[] = []
  for await (const key of db.keys(ackRangeOf(txId))) {
    keys.push(key)
  }
  return keys
}

/**
 * Builds the history record to keep for an expired transaction: the stored
 * one marked EXPIRED, or, when it is missing or damaged, one rebuilt from the
 * tx record. Returns undefined when neither record can be read.
 */
function expiredHistory (txId: Uint8Array, history: Readable<HistoryRecord>, tx: Readable<StoredTx>, ackCount: number): HistoryRecord | undefined {
  if (history.status === 'ok') {
    return { ...history.value, state: TxState.EXPIRED }
  }
  if (tx.status !== 'ok') {
    return undefined
  }
  return {
    txId,
    firstSeenMs: tx.value.receivedAtMs,
    quorumAtMs: 0,
    ackCount,
    state: TxState.EXPIRED,
    expiresAtMs: tx.value.expiresAtMs
  }
}

/**
 * Appends to `ops` the deletions for one due expiry entry. Returns false when
 * the entry is a stale index key, because the tx was stored again with
 * another expiry time, so only the index key goes.
 */
async function collectExpiry (db: StoreDb, log: Logger, txId: Uint8Array, expiresAtMs: number, ops: BatchOp[]): Promise<boolean> {
  const tx = await readTolerant(db, log, txKey(txId), (bytes) => decodeStoredTx(txId, `tx/${toHex(txId)}`, bytes))
  if (tx.status === 'ok' && tx.value.expiresAtMs !== expiresAtMs) {
    return false
  }

  const ackKeys = await listAckKeys(db, txId)
  const history = await readTolerant(db, log, historyKey(txId), (bytes) => decodeHistory(txId, `hist/${toHex(txId)}`, bytes))
  const expiredRecord = expiredHistory(txId, history, tx, ackKeys.length)

  ops.push({ type: 'del', key: txKey(txId) })
  for (const key of ackKeys) {
    ops.push({ type: 'del', key })
  }
  if (expiredRecord !== undefined) {
    ops.push({ type: 'put', key: historyKey(txId), value: encodeHistory(expiredRecord) })
  }
  return true
}

/**
 * Deletes up to `maxRecords` transactions whose expiry time is at or before
 * `nowMs`, in one atomic batch: payload, expiry key and every ACK. The
 * history record stays, with state EXPIRED.
 */
export async function deleteExpiredChunk (db: StoreDb, log: Logger, nowMs: number, maxRecords: number): Promise<ExpiredChunk> {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) {
    throw new RangeError(`nowMs must be a non-negative safe integer, got ${nowMs}`)
  }
  if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) {
    throw new RangeError(`maxRecords must be a positive integer, got ${maxRecords}`)
  }

  const due = await readDueEntries(db, log, nowMs, maxRecords + 1)
  const ops: BatchOp[] = []
  const deleted = new Map<string, Uint8Array>()
  for (const entry of due.slice(0, maxRecords)) {
    ops.push({ type: 'del', key: entry.key })
    if (entry.txId === undefined || deleted.has(toHex(entry.txId))) {
      continue
    }
    if (await collectExpiry(db, log, entry.txId, entry.expiresAtMs, ops)) {
      deleted.set(toHex(entry.txId), entry.txId)
    }
  }

  if (ops.length > 0) {
    await db.batch(ops)
  }
  return { deleted: [...deleted.values()], more: due.length > maxRecords }
}

/**
 * Lists every `exp/` key that points at `txId`. It scans the whole index, so
 * it is only for repairing a tx record that cannot be decoded.
 */
export async function findExpiryKeysOf (db: StoreDb, txId: Uint8Array): Promise<Uint8Array[]> {
  const found: Uint8Array[] = []
  const txIdHex = toHex(txId)
  const keyLength = expiryKey(0, txId).length
  for await (const key of db.keys(prefixRange(KeyPrefix.EXPIRY))) {
    if (key.length === keyLength && toHex(key.subarray(keyLength - txId.length)) === txIdHex) {
      found.push(key)
    }
  }
  return found
}
