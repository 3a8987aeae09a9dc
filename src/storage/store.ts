/**
 * PohStore: the node's single LevelDB database. Every state change that
 * touches several keys is written as one atomic batch, and writes run one at
 * a time so a read-modify-write (re-put, GC) never interleaves with another.
 */

import { pino } from 'pino'
import { PohError, StorageError } from '../core/errors.js'
import { bytesEqual, toHex } from '../core/hash.js'
import { deleteExpiredChunk, findExpiryKeysOf } from './expiry.js'
import {
  ackKey, ackRangeOf, byteView, decodeAckKey, decodeTxKey, expiryKey, historyKey, KeyPrefix,
  metaKey, prefixRange, txKey
} from './keys.js'
import { checkSchemaVersion, CLEAN_SHUTDOWN_META, openLevel, takeCleanShutdownTime } from './lifecycle.js'
import { decodeHistory, decodeStoredTx, encodeHistory, encodeStoredTx, encodeU64Value } from './values.js'
import type { ExpiredChunk } from './expiry.js'
import type { KeyRange } from './keys.js'
import type { BatchOp, HistoryRecord, StoreDb, StoredAck, StoredTx } from './types.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'

export { SCHEMA_VERSION } from './lifecycle.js'
export type { ExpiredChunk } from './expiry.js'
export type { HistoryRecord, StoredAck, StoredTx } from './types.js'

const EMPTY = new Uint8Array(0)

/** LevelDB error codes that mean the database or an iterator was closed under an operation. */
const LEVEL_CLOSED_CODES = new Set(['LEVEL_DATABASE_NOT_OPEN', 'LEVEL_ITERATOR_NOT_OPEN'])

export interface PohStoreInit {
  /** Data directory, created if missing. */
  path: string
  clock: Clock
  /** Receives damaged records found and skipped or replaced. Defaults to a silent logger. */
  logger?: Logger
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
  private closing: Promise<void> | undefined
  /** Tail of the write queue. Each write starts after the previous one settles. */
  private writeTail: Promise<unknown> = Promise.resolve()

  private constructor (path: string, db: StoreDb, clock: Clock, log: Logger, lastCleanShutdownMs: number | undefined) {
    this.path = path
    this.db = db
    this.clock = clock
    this.log = log
    this.lastCleanShutdownMs = lastCleanShutdownMs
  }

  /**
   * Opens or creates the database in `init.path`. Rejects with
   * ERR_DB_LOCKED when another process or PohStore has it open, and with
   * ERR_SCHEMA_VERSION when it was written with another schema version.
   */
  static async open (init: PohStoreInit): Promise<PohStore> {
    const log = init.logger ?? pino({ level: 'silent' })
    const db = await openLevel(init.path)
    try {
      await checkSchemaVersion(db, init.path)
      const lastCleanShutdownMs = await takeCleanShutdownTime(db, log)
      return new PohStore(init.path, db, init.clock, log, lastCleanShutdownMs)
    } catch (err) {
      await db.close()
      throw err
    }
  }

  /** Records the clean shutdown time and closes the database. Later calls return the same promise. */
  async close (): Promise<void> {
    this.closing ??= this.exclusive(async () => {
      try {
        await this.db.put(metaKey(CLEAN_SHUTDOWN_META), encodeU64Value(this.clock.now()))
      } finally {
        await this.db.close()
      }
    })
    return this.closing
  }

  /**
   * Stores a transaction with its expiry key and history record, and this
   * node's own ACK when given, in one batch. Storing a tx_id again replaces
   * its expiry key instead of adding a second one.
   */
  async putTx (tx: StoredTx, history: HistoryRecord, ownAck?: StoredAck): Promise<void> {
    assertSameTx('history record', tx.txId, history.txId)
    const ops: BatchOp[] = [
      { type: 'put', key: txKey(tx.txId), value: encodeStoredTx(tx) },
      { type: 'put', key: expiryKey(tx.expiresAtMs, tx.txId), value: EMPTY },
      { type: 'put', key: historyKey(tx.txId), value: encodeHistory(history) }
    ]
    if (ownAck !== undefined) {
      assertSameTx('ACK', tx.txId, ownAck.txId)
      ops.push({ type: 'put', key: ackKey(ownAck.txId, ownAck.holderId), value: ownAck.ack })
    }

    await this.exclusive(async () => {
      const staleKeys = await this.staleExpiryKeys(tx)
      const deletes: BatchOp[] = staleKeys.map((key) => ({ type: 'del', key }))
      await this.db.batch([...deletes, ...ops])
    })
  }

  async getTx (txId: Uint8Array): Promise<StoredTx | undefined> {
    const key = txKey(txId)
    return this.guard(async () => {
      const bytes = await this.db.get(key)
      return bytes === undefined ? undefined : decodeStoredTx(txId, `tx/${toHex(txId)}`, bytes)
    })
  }

  async hasTx (txId: Uint8Array): Promise<boolean> {
    const key = txKey(txId)
    return this.guard(async () => this.db.has(key))
  }

  /** Stores one ACK, and the updated history record when given, in one batch. */
  async putAck (ack: StoredAck, history?: HistoryRecord): Promise<void> {
    const ops: BatchOp[] = [{ type: 'put', key: ackKey(ack.txId, ack.holderId), value: ack.ack }]
    if (history !== undefined) {
      assertSameTx('history record', ack.txId, history.txId)
      ops.push({ type: 'put', key: historyKey(history.txId), value: encodeHistory(history) })
    }
    await this.exclusive(async () => this.db.batch(ops))
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

  /** Yields the tx_id of every stored payload in byte order. A malformed key is logged and skipped. */
  async * iterateTxIds (): AsyncIterable<Uint8Array> {
    for await (const [key] of this.scan(prefixRange(KeyPrefix.TX))) {
      const txId = this.decodeOrSkip(key, decodeTxKey)
      if (txId !== undefined) {
        yield txId
      }
    }
  }

  async getHistory (txId: Uint8Array): Promise<HistoryRecord | undefined> {
    const key = historyKey(txId)
    return this.guard(async () => {
      const bytes = await this.db.get(key)
      return bytes === undefined ? undefined : decodeHistory(txId, `hist/${toHex(txId)}`, bytes)
    })
  }

  async putHistory (history: HistoryRecord): Promise<void> {
    const key = historyKey(history.txId)
    const value = encodeHistory(history)
    await this.exclusive(async () => this.db.put(key, value))
  }

  /**
   * Deletes up to `maxRecords` transactions whose expiry time is at or before
   * `nowMs` in one atomic batch: payload, expiry key and every ACK. Each
   * history record stays with state EXPIRED. `more` is true when due records
   * remain, so the caller runs another chunk.
   */
  async deleteExpired (nowMs: number, maxRecords: number): Promise<ExpiredChunk> {
    return this.exclusive(async () => deleteExpiredChunk(this.db, this.log, nowMs, maxRecords))
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
    let total = 0
    for await (const [key, value] of this.scan(prefixRange(KeyPrefix.TX))) {
      const tx = this.decodeOrSkip(key, (txKeyBytes) => {
        const txId = decodeTxKey(txKeyBytes)
        return decodeStoredTx(txId, `tx/${toHex(txId)}`, value)
      })
      total += tx?.payload.length ?? 0
    }
    return total
  }

  async getMeta (name: string): Promise<Uint8Array | undefined> {
    const key = metaKey(name)
    return this.guard(async () => {
      const value = await this.db.get(key)
      return value === undefined ? undefined : byteView(value)
    })
  }

  async putMeta (name: string, value: Uint8Array): Promise<void> {
    const key = metaKey(name)
    await this.exclusive(async () => this.db.put(key, value))
  }

  /**
   * Lists the expiry keys to delete before storing `tx`: the key of an
   * existing record with another expiry time. When the existing record
   * cannot be decoded, its expiry time is unknown, so the whole index is
   * searched for keys of this tx_id.
   */
  private async staleExpiryKeys (tx: StoredTx): Promise<Uint8Array[]> {
    const bytes = await this.db.get(txKey(tx.txId))
    if (bytes === undefined) {
      return []
    }
    const newKey = expiryKey(tx.expiresAtMs, tx.txId)
    try {
      const existing = decodeStoredTx(tx.txId, `tx/${toHex(tx.txId)}`, bytes)
      return existing.expiresAtMs === tx.expiresAtMs ? [] : [expiryKey(existing.expiresAtMs, tx.txId)]
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      this.log.error({ err, txId: toHex(tx.txId) }, 'replacing a damaged tx record')
      const keys = await findExpiryKeysOf(this.db, tx.txId)
      return keys.filter((key) => !bytesEqual(key, newKey))
    }
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

  /** Runs a write after every earlier write has settled. */
  private async exclusive<T> (operation: () => Promise<T>): Promise<T> {
    this.assertOpen()
    const run = this.writeTail.then(async () => this.translateErrors(operation))
    this.writeTail = run.catch(() => undefined)
    return run
  }

  private async translateErrors<T> (operation: () => Promise<T>): Promise<T> {
    try {
      return await operation()
    } catch (err) {
      throw this.translateClosed(err)
    }
  }
}
