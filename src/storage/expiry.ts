/**
 * Garbage collection of expired transactions through the `exp/` index, and
 * the index lookups that keep the time-ordered indexes free of duplicate
 * entries.
 */

import { PohError } from '../core/errors.js'
import { toHex } from '../core/hash.js'
import { TxState } from '../core/types.js'
import {
  ackRangeOf, decodeExpiryKey, decodeTimeKey, expiryRangeUpTo, historyExpiryKey, historyKey,
  KeyPrefix, prefixRange, TIMED_KEY_SUFFIX_LENGTH, txKey
} from './keys.js'
import { decodeHistory, decodeStoredTx, encodeHistory, encodeU64Value } from './values.js'
import type { Logger } from '../log/logger.js'
import type { BatchOp, BatchWrite, HistoryRecord, StoreDb, StoredTx } from './types.js'

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
  const bytes = db.getSync(key)
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
 * Returns the value of the `hexp/` entry of an expiring tx: the timestamp of
 * its `time/` key, so the history sweep can delete that key. A damaged tx
 * record hides the timestamp, so the `time/` index is searched for it. The
 * value is empty when there is no `time/` key, for example after
 * deleteTx removed it with the payload.
 */
async function timeKeyReference (db: StoreDb, txId: Uint8Array, tx: Readable<StoredTx>): Promise<Uint8Array> {
  if (tx.status === 'ok') {
    return encodeU64Value(tx.value.requestTimestampMs)
  }
  if (tx.status === 'missing') {
    return new Uint8Array(0)
  }
  const timeKeys = await findIndexKeysOf(db, KeyPrefix.TIME, txId)
  const first = timeKeys[0]
  return first === undefined ? new Uint8Array(0) : encodeU64Value(decodeTimeKey(first).requestTimestampMs)
}

/**
 * Appends to `ops` the deletions for one due expiry entry and the `hexp/`
 * entry that deletes its history `historyRetentionMs` later. Returns false
 * when the entry is a stale index key, because the tx was stored again with
 * another expiry time, so only the index key goes.
 */
async function collectExpiry (db: StoreDb, log: Logger, txId: Uint8Array, expiresAtMs: number, historyRetentionMs: number, ops: BatchOp[]): Promise<boolean> {
  const tx = await readTolerant(db, log, txKey(txId), (bytes) => decodeStoredTx(txId, `tx/${toHex(txId)}`, bytes))
  if (tx.status === 'ok' && tx.value.expiresAtMs !== expiresAtMs) {
    return false
  }

  const ackKeys = await listAckKeys(db, txId)
  const history = await readTolerant(db, log, historyKey(txId), (bytes) => decodeHistory(txId, `hist/${toHex(txId)}`, bytes))
  const expiredRecord = expiredHistory(txId, history, tx, ackKeys.length)
  const deleteAtMs = Math.min(expiresAtMs + historyRetentionMs, Number.MAX_SAFE_INTEGER)

  ops.push({ type: 'del', key: txKey(txId) })
  for (const key of ackKeys) {
    ops.push({ type: 'del', key })
  }
  if (expiredRecord !== undefined) {
    ops.push({ type: 'put', key: historyKey(txId), value: encodeHistory(expiredRecord) })
  }
  ops.push({ type: 'put', key: historyExpiryKey(deleteAtMs, txId), value: await timeKeyReference(db, txId, tx) })
  return true
}

/**
 * Returns whether garbage collection deleted a transaction: its tx record is
 * gone and its history record is EXPIRED. A tx whose payload deleteTx removed
 * for repair keeps a history record in another state, so it does not count.
 * Nor does a tx without a history record or with a damaged one.
 */
export function isCollected (db: StoreDb, txId: Uint8Array): boolean {
  // The small history record first: it rules out nearly every ACK, so the
  // tx record with its payload is read only for an EXPIRED history.
  const bytes = db.getSync(historyKey(txId))
  if (bytes === undefined) {
    return false
  }
  let expired: boolean
  try {
    expired = decodeHistory(txId, `hist/${toHex(txId)}`, bytes).state === TxState.EXPIRED
  } catch (err) {
    if (!isCorruptRecord(err)) {
      throw err
    }
    return false
  }
  return expired && db.getSync(txKey(txId)) === undefined
}

export function assertSweepArguments (nowMs: number, maxRecords: number): void {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) {
    throw new RangeError(`nowMs must be a non-negative safe integer, got ${nowMs}`)
  }
  if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) {
    throw new RangeError(`maxRecords must be a positive integer, got ${maxRecords}`)
  }
}

/** The deletions planned for one due `exp/` entry. */
interface PlannedExpiry {
  entry: DueEntry
  /** The entry's own deletion, then the tx's records when `collected`. */
  ops: BatchOp[]
  /** True when the entry's tx is deleted with it, false for a stale or duplicate index key. */
  collected: boolean
}

/** A garbage-collection chunk read but not yet written. */
export interface ExpiryPlan {
  entries: PlannedExpiry[]
  more: boolean
}

async function planEntry (db: StoreDb, log: Logger, entry: DueEntry, seen: Set<string>, historyRetentionMs: number): Promise<PlannedExpiry> {
  const ops: BatchOp[] = [{ type: 'del', key: entry.key }]
  if (entry.txId === undefined || seen.has(toHex(entry.txId))) {
    return { entry, ops, collected: false }
  }
  const collected = await collectExpiry(db, log, entry.txId, entry.expiresAtMs, historyRetentionMs, ops)
  if (collected) {
    seen.add(toHex(entry.txId))
  }
  return { entry, ops, collected }
}

/**
 * Reads up to `maxRecords` expiry entries at or before `nowMs` and plans the
 * deletion of each: payload, expiry key and every ACK, with the history
 * record marked EXPIRED and a `hexp/` entry that deletes it
 * `historyRetentionMs` after the expiry time. It only reads, so it can run
 * outside the store's write queue; commitExpiryPlan writes the plan.
 */
export async function planExpiredChunk (db: StoreDb, log: Logger, nowMs: number, maxRecords: number, historyRetentionMs: number): Promise<ExpiryPlan> {
  assertSweepArguments(nowMs, maxRecords)
  const due = await readDueEntries(db, log, nowMs, maxRecords + 1)
  const seen = new Set<string>()
  const entries: PlannedExpiry[] = []
  for (const entry of due.slice(0, maxRecords)) {
    entries.push(await planEntry(db, log, entry, seen, historyRetentionMs))
  }
  return { entries, more: due.length > maxRecords }
}

/**
 * Writes a plan from planExpiredChunk in one atomic batch. Entries whose tx
 * a write touched since the plan was read (`touched`, hex tx_ids) are
 * planned again first, so a tx stored again or given a new ACK meanwhile is
 * judged on its current records. Call it inside the write queue.
 */
export async function commitExpiryPlan (db: StoreDb, log: Logger, plan: ExpiryPlan, touched: ReadonlySet<string>, historyRetentionMs: number, write: BatchWrite = async (ops) => { await db.batch(ops) }): Promise<ExpiredChunk> {
  const seen = new Set<string>()
  const ops: BatchOp[] = []
  const deleted: Uint8Array[] = []
  for (const planned of plan.entries) {
    const txId = planned.entry.txId
    const current = txId !== undefined && touched.has(toHex(txId))
      ? await planEntry(db, log, planned.entry, seen, historyRetentionMs)
      : planned
    if (current.collected && txId !== undefined) {
      seen.add(toHex(txId))
      deleted.push(txId)
    }
    ops.push(...current.ops)
  }
  if (ops.length > 0) {
    await write(ops)
  }
  return { deleted, more: plan.more }
}

/**
 * Lists every key of the time-ordered index under `prefix` (`exp/` or
 * `time/`) that points at `txId`. It scans the whole index, so it is only
 * for repairing a tx record that cannot be decoded.
 */
export async function findIndexKeysOf (db: StoreDb, prefix: Uint8Array, txId: Uint8Array): Promise<Uint8Array[]> {
  const found: Uint8Array[] = []
  const txIdHex = toHex(txId)
  const keyLength = prefix.length + TIMED_KEY_SUFFIX_LENGTH
  for await (const key of db.keys(prefixRange(prefix))) {
    if (key.length === keyLength && toHex(key.subarray(keyLength - txId.length)) === txIdHex) {
      found.push(key)
    }
  }
  return found
}
