/**
 * One-time backfill of the `time/` and `hexp/` indexes in a database written
 * before they existed. The key layout of existing records is unchanged, so
 * the schema version stays, and a `meta/` marker records that the indexes
 * are complete.
 */

import { PohError } from '../core/errors.js'
import { toHex } from '../core/hash.js'
import { TxState } from '../core/types.js'
import {
  decodeHistoryKey, decodeTxKey, historyExpiryKey, KeyPrefix, metaKey, prefixRange, timeKey, txKey
} from './keys.js'
import { decodeHistory, decodeStoredTx, decodeU32Value, encodeU32Value } from './values.js'
import type { Logger } from '../log/logger.js'
import type { BatchOp, StoreDb } from './types.js'

/** `meta/` name of the version of the secondary indexes, a u32 big-endian. */
export const INDEX_VERSION_META = 'index_version'

/** Version of the secondary indexes: 1 means `time/` and `hexp/` cover every record. */
export const INDEX_VERSION = 1

/** Maximum number of operations written in one backfill batch. */
const BACKFILL_BATCH_SIZE = 1000

const EMPTY = new Uint8Array(0)

function isCorruptRecord (err: unknown): boolean {
  return err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD'
}

/** Collects operations and writes them in batches of BACKFILL_BATCH_SIZE. */
class BatchWriter {
  written = 0
  private ops: BatchOp[] = []

  constructor (private readonly db: StoreDb) {}

  async put (key: Uint8Array, value: Uint8Array): Promise<void> {
    this.ops.push({ type: 'put', key, value })
    if (this.ops.length >= BACKFILL_BATCH_SIZE) {
      await this.flush()
    }
  }

  async flush (): Promise<void> {
    if (this.ops.length > 0) {
      await this.db.batch(this.ops)
      this.written += this.ops.length
      this.ops = []
    }
  }
}

/** Adds the `time/` key of every stored tx record that decodes. Damaged records are logged and skipped. */
async function backfillTimeKeys (db: StoreDb, log: Logger, writer: BatchWriter): Promise<void> {
  for await (const [key, value] of db.iterator(prefixRange(KeyPrefix.TX))) {
    try {
      const txId = decodeTxKey(key)
      const tx = decodeStoredTx(txId, `tx/${toHex(txId)}`, value)
      await writer.put(timeKey(tx.requestTimestampMs, txId), EMPTY)
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      log.error({ err, key: toHex(key) }, 'index backfill skips a damaged tx record')
    }
  }
}

/**
 * Adds a `hexp/` entry for every EXPIRED history record whose payload is
 * gone, due `historyRetentionMs` after its expiry time. Its value is empty,
 * because no `time/` key existed for it.
 */
async function backfillHistoryExpiry (db: StoreDb, log: Logger, historyRetentionMs: number, writer: BatchWriter): Promise<void> {
  for await (const [key, value] of db.iterator(prefixRange(KeyPrefix.HISTORY))) {
    try {
      const txId = decodeHistoryKey(key)
      const history = decodeHistory(txId, `hist/${toHex(txId)}`, value)
      if (history.state !== TxState.EXPIRED || db.getSync(txKey(txId)) !== undefined) {
        continue
      }
      const deleteAtMs = Math.min(history.expiresAtMs + historyRetentionMs, Number.MAX_SAFE_INTEGER)
      await writer.put(historyExpiryKey(deleteAtMs, txId), EMPTY)
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      log.error({ err, key: toHex(key) }, 'index backfill skips a damaged history record')
    }
  }
}

/**
 * Reads the index version marker, or 0 when it is missing. A damaged marker
 * is logged and read as 0, because running the backfill again is harmless.
 */
async function readIndexVersion (db: StoreDb, log: Logger, markerKey: Uint8Array): Promise<number> {
  const marker = await db.get(markerKey)
  if (marker === undefined) {
    return 0
  }
  try {
    return decodeU32Value(`meta/${INDEX_VERSION_META}`, marker)
  } catch (err) {
    if (!isCorruptRecord(err)) {
      throw err
    }
    log.error({ err }, 'index version marker is unreadable, so the indexes are built again')
    return 0
  }
}

/**
 * Builds the `time/` and `hexp/` indexes unless the marker records that
 * they are complete, then writes the marker. It scans every tx and history record
 * once, so the first open after an upgrade takes longer. A new database
 * only gets the marker.
 */
export async function backfillIndexes (db: StoreDb, log: Logger, historyRetentionMs: number): Promise<void> {
  const markerKey = metaKey(INDEX_VERSION_META)
  if ((await readIndexVersion(db, log, markerKey)) >= INDEX_VERSION) {
    return
  }

  const writer = new BatchWriter(db)
  await backfillTimeKeys(db, log, writer)
  await backfillHistoryExpiry(db, log, historyRetentionMs, writer)
  await writer.flush()
  if (writer.written > 0) {
    log.info({ keys: writer.written }, 'built the time and history retention indexes for records stored before they existed')
  }
  await db.put(markerKey, encodeU32Value(INDEX_VERSION))
}
