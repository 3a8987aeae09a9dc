/**
 * PohStore: the node's single LevelDB database. Every state change that
 * touches several keys is written as one atomic batch, and writes run one at
 * a time so a read-modify-write (re-put, GC) never interleaves with another.
 * Point reads use LevelDB's synchronous get on the calling thread: a read of
 * a recent record costs a few microseconds, while the asynchronous get hands
 * each read to the libuv thread pool and back, about ten times the CPU.
 */

import { pino } from 'pino'
import { PohError, StorageError } from '../core/errors.js'
import { bytesEqual, toHex } from '../core/hash.js'
import { backfillIndexes } from './backfill.js'
import { commitExpiryPlan, planExpiredChunk } from './expiry.js'
import { DEFAULT_HISTORY_RETENTION_MS, deleteExpiredHistoryChunk } from './history.js'
import {
  ackKey, ackRangeOf, byteView, decodeAckKey, decodeTxKey, evidenceKey, expiryKey, historyKey, KeyPrefix,
  metaKey, prefixRange, timeKey, txKey
} from './keys.js'
import {
  checkSchemaVersion, CLEAN_SHUTDOWN_META, LAST_WRITE_META, openLevel, readLastWriteTime,
  takeCleanShutdownTime
} from './lifecycle.js'
import { readItemsById, readItemsByRange } from './range.js'
import { readHistoryByRange } from './history-query.js'
import { HISTORY_SWEPT_PREFIXES, SWEPT_PREFIXES, compactPrefix } from './compaction.js'
import { staleIndexKeys } from './index-keys.js'
import type { HistoryPage, HistoryQuery } from './history-query.js'
import { decodeHistory, decodeStoredTx, encodeHistory, encodeStoredTx, encodeU64Value } from './values.js'
import { checkPayload, scanPayloads, timeKeysOf } from './verify.js'
import type { ExpiredChunk } from './expiry.js'
import type { HistoryChunk } from './history.js'
import type { KeyRange } from './keys.js'
import type { IdPage, RangePage, RangeQuery } from './range.js'
import type { BatchOp, HistoryRecord, StoreDb, StoredAck, StoredTx } from './types.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'

export { SCHEMA_VERSION } from './lifecycle.js'
export { DEFAULT_HISTORY_RETENTION_MS } from './history.js'
export { DEFAULT_MAX_SCANNED_KEYS, itemBytes } from './range.js'
export { RANGE_CURSOR_LENGTH } from './keys.js'
export type { ExpiredChunk } from './expiry.js'
export type { HistoryChunk } from './history.js'
export type { IdPage, RangePage, RangeQuery, TxWithAcks } from './range.js'
export type { HistoryRecord, StoredAck, StoredTx } from './types.js'
export type { VerifyPayloadsOptions, VerifyPayloadsResult } from './verify.js'
import type { VerifyPayloadsOptions, VerifyPayloadsResult } from './verify.js'
import { WriteQueue } from './write-queue.js'

const EMPTY = new Uint8Array(0)

/** LevelDB error codes that mean the database or an iterator was closed under an operation. */
const LEVEL_CLOSED_CODES = new Set(['LEVEL_DATABASE_NOT_OPEN', 'LEVEL_ITERATOR_NOT_OPEN'])

export interface PohStoreInit {
  /** Data directory, created if missing. */
  path: string
  clock: Clock
  /** Receives damaged records found and skipped or replaced. Defaults to a silent logger. */
  logger?: Logger
  /**
   * Time in milliseconds a history record and its `time/` key are kept after
   * the transaction expires. Defaults to DEFAULT_HISTORY_RETENTION_MS (30 days).
   */
  historyRetentionMs?: number
}

/** Fields of a newly opened store, read or derived at open. */
interface OpenedState {
  path: string
  db: StoreDb
  clock: Clock
  log: Logger
  historyRetentionMs: number
  lastCleanShutdownMs: number | undefined
  lastWriteMs: number | undefined
}

function assertRetention (historyRetentionMs: number): void {
  if (!Number.isSafeInteger(historyRetentionMs) || historyRetentionMs < 0) {
    throw new RangeError(`historyRetentionMs must be a non-negative safe integer, got ${historyRetentionMs}`)
  }
}

function assertSameTx (recordName: string, txId: Uint8Array, otherTxId: Uint8Array): void {
  if (!bytesEqual(txId, otherTxId)) {
    throw new RangeError(`${recordName} is for tx_id ${toHex(otherTxId)}, expected ${toHex(txId)}`)
  }
}

function isCorruptRecord (err: unknown): boolean {
  return err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD'
}

export class PohStore {
  /** Time of the previous clean shutdown, or undefined if the node stopped without one or the database is new. */
  readonly lastCleanShutdownMs: number | undefined
  readonly path: string
  private readonly db: StoreDb
  private readonly clock: Clock
  private readonly log: Logger
  private readonly historyRetentionMs: number
  /** Time of the last putTx or putAck batch before this open, or undefined if there was none. */
  private readonly lastWriteMs: number | undefined
  private closing: Promise<void> | undefined
  /** Tail of the payload sweeps, which plan outside the write queue and so must not overlap. */
  private sweepTail: Promise<unknown> = Promise.resolve()
  private readonly writes: WriteQueue

  private constructor (state: OpenedState) {
    this.path = state.path
    this.db = state.db
    this.clock = state.clock
    this.log = state.log
    this.historyRetentionMs = state.historyRetentionMs
    this.lastCleanShutdownMs = state.lastCleanShutdownMs
    this.lastWriteMs = state.lastWriteMs
    this.writes = new WriteQueue({
      db: state.db,
      assertOpen: () => { this.assertOpen() },
      translateErrors: async (operation) => this.translateErrors(operation)
    })
  }

  /**
   * Opens or creates the database in `init.path`. Rejects with
   * ERR_DB_LOCKED when another process or PohStore has it open, and with
   * ERR_SCHEMA_VERSION when it was written with another schema version.
   */
  static async open (init: PohStoreInit): Promise<PohStore> {
    const historyRetentionMs = init.historyRetentionMs ?? DEFAULT_HISTORY_RETENTION_MS
    assertRetention(historyRetentionMs)
    const log = init.logger ?? pino({ level: 'silent' })
    const db = await openLevel(init.path)
    try {
      await checkSchemaVersion(db, init.path)
      const lastCleanShutdownMs = await takeCleanShutdownTime(db, log)
      const lastWriteMs = await readLastWriteTime(db, log)
      await backfillIndexes(db, log, historyRetentionMs)
      return new PohStore({ path: init.path, db, clock: init.clock, log, historyRetentionMs, lastCleanShutdownMs, lastWriteMs })
    } catch (err) {
      await db.close()
      throw err
    }
  }

  /** Records the clean shutdown time and closes the database. Later calls return the same promise. */
  async close (): Promise<void> {
    this.closing ??= this.writes.exclusive(async () => {
      try {
        await this.db.put(metaKey(CLEAN_SHUTDOWN_META), encodeU64Value(this.clock.now()))
      } finally {
        await this.db.close()
      }
    })
    return this.closing
  }

  /**
   * Returns the later of the clean-shutdown time and the time of the last
   * putTx or putAck batch, both as found at open, or undefined for a new
   * database. After a crash it is when the node last stored data, so
   * start-up catch-up can request what arrived since.
   */
  lastActivityMs (): number | undefined {
    if (this.lastCleanShutdownMs === undefined) {
      return this.lastWriteMs
    }
    return Math.max(this.lastCleanShutdownMs, this.lastWriteMs ?? 0)
  }

  /**
   * Stores a transaction with its expiry key, time key and history record,
   * and this node's own ACK when given, in one batch. Storing a tx_id again
   * replaces its expiry and time keys instead of adding second ones.
   */
  async putTx (tx: StoredTx, history: HistoryRecord, ownAck?: StoredAck): Promise<void> {
    assertSameTx('history record', tx.txId, history.txId)
    const ops: BatchOp[] = [
      { type: 'put', key: txKey(tx.txId), value: encodeStoredTx(tx) },
      { type: 'put', key: expiryKey(tx.expiresAtMs, tx.txId), value: EMPTY },
      { type: 'put', key: timeKey(tx.requestTimestampMs, tx.txId), value: EMPTY },
      { type: 'put', key: historyKey(tx.txId), value: encodeHistory(history) }
    ]
    if (ownAck !== undefined) {
      assertSameTx('ACK', tx.txId, ownAck.txId)
      ops.push({ type: 'put', key: ackKey(ownAck.txId, ownAck.holderId), value: ownAck.ack })
    }

    await this.writes.exclusive(async () => {
      const staleKeys = await staleIndexKeys(this.db, this.log, tx)
      const deletes: BatchOp[] = staleKeys.map((key) => ({ type: 'del', key }))
      await this.writes.write([...deletes, ...ops, this.lastWriteOp()])
    })
  }

  async getTx (txId: Uint8Array): Promise<StoredTx | undefined> {
    const key = txKey(txId)
    return this.guard(async () => {
      const bytes = this.db.getSync(key)
      return bytes === undefined ? undefined : decodeStoredTx(txId, `tx/${toHex(txId)}`, bytes)
    })
  }

  async hasTx (txId: Uint8Array): Promise<boolean> {
    const key = txKey(txId)
    return this.guard(async () => this.db.getSync(key) !== undefined)
  }

  /**
   * Stores one ACK, and the updated history record when given, in one batch.
   * Returns false, storing neither, when garbage collection deleted the tx
   * after the caller read it but before this write ran: the ACK would
   * outlive its tx, and the history record would lose its EXPIRED state.
   */
  async putAck (ack: StoredAck, history?: HistoryRecord): Promise<boolean> {
    const ops: BatchOp[] = [{ type: 'put', key: ackKey(ack.txId, ack.holderId), value: ack.ack }]
    if (history !== undefined) {
      assertSameTx('history record', ack.txId, history.txId)
      ops.push({ type: 'put', key: historyKey(history.txId), value: encodeHistory(history) })
    }
    return this.writes.group({ ops: [...ops, this.lastWriteOp()], unlessCollected: ack.txId })
  }

  async getAcks (txId: Uint8Array): Promise<StoredAck[]> {
    const range = ackRangeOf(txId)
    return this.guard(async () => {
      const acks: StoredAck[] = []
      for await (const [key, value] of this.db.iterator(range)) {
        acks.push({ ...decodeAckKey(key), ack: byteView(value) })
      }
      return acks
    })
  }

  /**
   * Yields every stored ACK in key order, for rebuilding quorum state at
   * start-up. A malformed key is logged and skipped so that one damaged entry
   * does not stop the rebuild.
   */
  async * iterateAcks (): AsyncIterable<StoredAck> {
    for await (const [key, value] of this.scan(prefixRange(KeyPrefix.ACK))) {
      const ids = this.decodeOrSkip(key, decodeAckKey)
      if (ids !== undefined) {
        yield { ...ids, ack: byteView(value) }
      }
    }
  }

  /**
   * Yields every stored ACK like iterateAcks, in arrays of up to `size`. One
   * iterator call per array, instead of one per ACK, is what makes start-up
   * over millions of ACKs fast.
   */
  async * iterateAckBatches (size = 1000): AsyncIterable<StoredAck[]> {
    this.assertOpen()
    const iterator = this.db.iterator(prefixRange(KeyPrefix.ACK))
    try {
      while (true) {
        const entries = await iterator.nextv(size)
        if (entries.length === 0) {
          return
        }
        const acks: StoredAck[] = []
        for (const [key, value] of entries) {
          const ids = this.decodeOrSkip(key, decodeAckKey)
          if (ids !== undefined) {
            acks.push({ ...ids, ack: byteView(value) })
          }
        }
        yield acks
      }
    } catch (err) {
      throw this.translateClosed(err)
    } finally {
      await iterator.close()
    }
  }

  /** Yields the tx_id of every stored payload in byte order. A malformed key is logged and skipped. */
  async * iterateTxIds (): AsyncIterable<Uint8Array> {
    for await (const [key] of this.scan(prefixRange(KeyPrefix.TX))) {
      const txId = this.decodeOrSkip(key, decodeTxKey)
      if (txId !== undefined) {
        yield txId
      }
    }
  }

  /**
   * Returns the first stored tx_id at or after `start` in byte order, wrapping
   * round to the first one, or undefined when no payload is stored. With a
   * random `start` this samples stored transactions close to uniformly,
   * because tx_ids are SHA-256 hashes. A malformed key is logged and skipped.
   */
  async txIdAtOrAfter (start: Uint8Array): Promise<Uint8Array | undefined> {
    const all = prefixRange(KeyPrefix.TX)
    for (const gte of [txKey(start), all.gte]) {
      for await (const [key] of this.scan({ gte, lt: all.lt })) {
        const txId = this.decodeOrSkip(key, decodeTxKey)
        if (txId !== undefined) {
          return txId
        }
      }
    }
    return undefined
  }

  /** Reads history records by request time, for range queries; see readHistoryByRange. */
  async historyByRange (query: HistoryQuery): Promise<HistoryPage> {
    return this.guard(async () => readHistoryByRange(this.db, this.log, query))
  }

  async getHistory (txId: Uint8Array): Promise<HistoryRecord | undefined> {
    const key = historyKey(txId)
    return this.guard(async () => {
      const bytes = this.db.getSync(key)
      return bytes === undefined ? undefined : decodeHistory(txId, `hist/${toHex(txId)}`, bytes)
    })
  }

  async putHistory (history: HistoryRecord): Promise<void> {
    const key = historyKey(history.txId)
    const value = encodeHistory(history)
    await this.writes.group({ ops: [{ type: 'put', key, value }] })
  }

  /**
   * Deletes up to `maxRecords` transactions whose expiry time is at or before
   * `nowMs` in one atomic batch: payload, expiry key and every ACK. Each
   * history record stays with state EXPIRED until deleteExpiredHistory
   * removes it `historyRetentionMs` later. `more` is true when due records
   * remain, so the caller runs another chunk.
   */
  async deleteExpired (nowMs: number, maxRecords: number): Promise<ExpiredChunk> {
    const run = this.sweepTail.then(async () => this.sweepChunk(nowMs, maxRecords))
    this.sweepTail = run.catch(() => undefined)
    return run
  }

  /**
   * Reads a chunk outside the write queue, so gossip writes do not wait
   * behind its reads, and takes the queue only for the batch that deletes it.
   */
  private async sweepChunk (nowMs: number, maxRecords: number): Promise<ExpiredChunk> {
    const touched = this.writes.watch.begin()
    try {
      const plan = await this.guard(async () => planExpiredChunk(this.db, this.log, nowMs, maxRecords, this.historyRetentionMs))
      return await this.writes.exclusive(async () => commitExpiryPlan(this.db, this.log, plan, touched, this.historyRetentionMs, async (ops) => { await this.writes.write(ops) }))
    } finally {
      this.writes.watch.end(touched)
    }
  }

  /**
   * Deletes up to `maxRecords` history records whose retention ended at or
   * before `nowMs`, with their `time/` and `hexp/` keys, in one atomic batch.
   * Retention ends `historyRetentionMs` after the expiry time, as set when
   * deleteExpired collected the payload. `more` is true when due records
   * remain, so the caller runs another chunk.
   */
  async deleteExpiredHistory (nowMs: number, maxRecords: number): Promise<HistoryChunk> {
    return this.writes.exclusive(async () => deleteExpiredHistoryChunk(this.db, this.log, nowMs, maxRecords, async (ops) => { await this.writes.write(ops) }))
  }

  /**
   * Reads one page of stored transactions, with their ACKs, whose request
   * timestamp is in `[query.fromMs, query.toMs]`, for the repair protocol.
   * The page contains at most `query.limit` entries and at most `maxBytes` of
   * payload and ACK bytes. Pass `nextCursor` back as `query.cursor` for the
   * next page. Throws RangeError for invalid bounds and for a cursor that is
   * not 40 bytes. See range.ts for how items larger than `maxBytes` are
   * reported.
   */
  async itemsByRange (query: RangeQuery, maxBytes: number): Promise<RangePage> {
    return this.guard(async () => readItemsByRange(this.db, this.log, query, maxBytes))
  }

  /**
   * Reads the stored transactions among `txIds`, with their ACKs, taking each
   * one that fits in what remains of `maxBytes`. tx_ids without a stored
   * payload are left out of every list.
   */
  async itemsById (txIds: Uint8Array[], maxBytes: number): Promise<IdPage> {
    return this.guard(async () => readItemsById(this.db, this.log, txIds, maxBytes))
  }

  /**
   * Checks stored payloads against their tx_id and deletes each record that
   * cannot be decoded or does not hash to it, as deleteTx does, then calls
   * `onMismatch` with its tx_id. Each deletion is its own batch and runs only
   * if the record is still bad, so a repair stored meanwhile is kept. An
   * error thrown by `onMismatch` stops the check and rejects.
   */
  async verifyPayloads (options: VerifyPayloadsOptions): Promise<VerifyPayloadsResult> {
    const scan = await this.guard(async () => scanPayloads(this.db, this.log, options.sampleLimit, options.afterTxId))
    const mismatched: Uint8Array[] = []
    for (const txId of scan.bad) {
      if (await this.deleteTx(txId, { onlyIfBad: true })) {
        this.log.warn({ txId: toHex(txId) }, 'deleted a stored payload that does not match its tx_id, so it needs repair')
        mismatched.push(txId)
        options.onMismatch(txId)
      }
    }
    const result: VerifyPayloadsResult = { checked: scan.checked, mismatched }
    if (scan.resumeAfter !== undefined) {
      result.resumeAfter = scan.resumeAfter
    }
    return result
  }

  /**
   * Deletes a transaction's payload record and its `time/` key in one batch,
   * so repair can store it again. ACKs and the history record stay, so quorum
   * state survives. The `exp/` key also stays, so that if no repair arrives,
   * garbage collection still deletes the ACKs and marks the history EXPIRED
   * at the original expiry time. With `onlyIfBad` it deletes only a record that
   * cannot be decoded or whose payload does not hash to `txId`. Returns
   * whether a record was deleted.
   */
  async deleteTx (txId: Uint8Array, options: { onlyIfBad?: boolean } = {}): Promise<boolean> {
    const key = txKey(txId)
    return this.writes.exclusive(async () => {
      const check = checkPayload(txId, this.db.getSync(key))
      if (check.status === 'missing' || (options.onlyIfBad === true && check.status === 'ok')) {
        return false
      }
      const ops: BatchOp[] = [{ type: 'del', key }]
      for (const time of await timeKeysOf(this.db, txId, check)) {
        ops.push({ type: 'del', key: time })
      }
      await this.writes.write(ops)
      return true
    })
  }

  /**
   * Compacts the key range of one record kind, such as KeyPrefix.TX, so that
   * LevelDB drops deleted entries and gives the disk space back. Deleting
   * only writes tombstones, so call it after large sweeps. It runs alongside
   * reads and writes.
   */
  async compactRange (prefix: Uint8Array): Promise<void> {
    await this.guard(async () => compactPrefix(this.db, prefix))
  }

  /** Compacts the ranges that deleteExpired deletes from: `tx/`, `exp/` and `ack/`. */
  async compactAfterSweep (): Promise<void> {
    for (const prefix of SWEPT_PREFIXES) {
      await this.compactRange(prefix)
    }
  }

  /** Compacts the ranges that deleteExpiredHistory deletes from: `hist/`, `time/` and `hexp/`. */
  async compactAfterHistorySweep (): Promise<void> {
    for (const prefix of HISTORY_SWEPT_PREFIXES) {
      await this.compactRange(prefix)
    }
  }

  /** Returns the number of `tx/` records, counting keys without decoding values. */
  async countTxs (): Promise<number> {
    let count = 0
    for await (const _entry of this.scan(prefixRange(KeyPrefix.TX))) {
      count++
    }
    return count
  }

  /**
   * Returns the sum of stored payload lengths in bytes, found by reading every
   * tx record. A damaged record is logged and left out of the sum.
   */
  async storedBytes (): Promise<number> {
    return (await this.storedTotals()).bytes
  }

  /**
   * Returns the number of stored payloads and their total length in bytes,
   * found by reading every tx record. Records kept without their payload
   * (replication_factor) and damaged records are left out.
   */
  async storedTotals (): Promise<{ count: number, bytes: number }> {
    let count = 0
    let bytes = 0
    for await (const [key, value] of this.scan(prefixRange(KeyPrefix.TX))) {
      const tx = this.decodeOrSkip(key, (txKeyBytes) => {
        const txId = decodeTxKey(txKeyBytes)
        return decodeStoredTx(txId, `tx/${toHex(txId)}`, value)
      })
      if (tx !== undefined && tx.payloadOmitted !== true) {
        count++
        bytes += tx.payload.length
      }
    }
    return { count, bytes }
  }

  async getMeta (name: string): Promise<Uint8Array | undefined> {
    const key = metaKey(name)
    return this.guard(async () => {
      const value = this.db.getSync(key)
      return value === undefined ? undefined : byteView(value)
    })
  }

  /**
   * Stores evidence against a holder (encoded ACKs that contradict each other
   * or the payload) and deletes its counted ACK in the same batch, so a
   * restart does not count that holder again.
   */
  async putEvidence (txId: Uint8Array, holderId: Uint8Array, evidence: Uint8Array): Promise<void> {
    const ops: BatchOp[] = [
      { type: 'put', key: evidenceKey(txId, holderId), value: evidence },
      { type: 'del', key: ackKey(txId, holderId) }
    ]
    await this.writes.group({ ops })
  }

  /** Returns the stored evidence against a holder for a transaction, or undefined. */
  async getEvidence (txId: Uint8Array, holderId: Uint8Array): Promise<Uint8Array | undefined> {
    const key = evidenceKey(txId, holderId)
    return await this.guard(async () => this.db.getSync(key))
  }

  async putMeta (name: string, value: Uint8Array): Promise<void> {
    const key = metaKey(name)
    await this.writes.group({ ops: [{ type: 'put', key, value }] })
  }

  /** Returns the batch operation that records now as the time of the last write. */
  private lastWriteOp (): BatchOp {
    return { type: 'put', key: metaKey(LAST_WRITE_META), value: encodeU64Value(this.clock.now()) }
  }

  /** Yields the entries in `range` in key order, after checking that the store is open. */
  private async * scan (range: KeyRange): AsyncGenerator<[Uint8Array, Uint8Array]> {
    this.assertOpen()
    try {
      yield * this.db.iterator(range)
    } catch (err) {
      throw this.translateClosed(err)
    }
  }

  /** Decodes a record met during a scan, or logs it and returns undefined when it is damaged. */
  private decodeOrSkip<T> (key: Uint8Array, decode: (key: Uint8Array) => T): T | undefined {
    try {
      return decode(key)
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      this.log.error({ err, key: toHex(key) }, 'skipping a damaged record during a scan')
      return undefined
    }
  }

  private assertOpen (): void {
    if (this.closing !== undefined) {
      throw new StorageError('ERR_DB_CLOSED', `database in ${this.path} is closed; open a new PohStore to use it`)
    }
  }

  /** Turns a LevelDB "not open" error raised while closing into ERR_DB_CLOSED. */
  private translateClosed (err: unknown): unknown {
    const code = (err as { code?: unknown } | undefined)?.code
    if (this.closing !== undefined && typeof code === 'string' && LEVEL_CLOSED_CODES.has(code)) {
      return new StorageError('ERR_DB_CLOSED', `database in ${this.path} was closed during the operation`, { cause: err })
    }
    return err
  }

  /** Runs a read after checking that the store is open. */
  private async guard<T> (operation: () => Promise<T>): Promise<T> {
    this.assertOpen()
    return this.translateErrors(operation)
  }

  private async translateErrors<T> (operation: () => Promise<T>): Promise<T> {
    try {
      return await operation()
    } catch (err) {
      throw this.translateClosed(err)
    }
  }
}
