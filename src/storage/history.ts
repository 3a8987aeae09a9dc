/**
 * History retention: deleting `hist/` records and their `time/` keys through
 * the `hexp/` index that garbage collection fills when a payload expires.
 */

import { PohError } from '../core/errors.js'
import { toHex } from '../core/hash.js'
import { assertSweepArguments } from './expiry.js'
import { decodeHistoryExpiryKey, historyExpiryRangeUpTo, historyKey, timeKey, txKey } from './keys.js'
import { decodeU64Value } from './values.js'
import type { Logger } from '../log/logger.js'
import type { BatchOp, BatchWrite, StoreDb } from './types.js'

/** Default time a history record is kept after its transaction expires: 30 days. */
export const DEFAULT_HISTORY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

/** Result of one history retention chunk. */
export interface HistoryChunk {
  /** Number of history records deleted, with their `time/` keys. */
  deleted: number
  /** True when more `hexp/` entries at or before the scan time remain. */
  more: boolean
}

function isCorruptRecord (err: unknown): boolean {
  return err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD'
}

/**
 * Returns the `time/` key named by a `hexp/` value, or undefined when the
 * value is empty (no time key was known at expiry) or damaged (logged).
 */
function referencedTimeKey (log: Logger, hexpKey: Uint8Array, txId: Uint8Array, value: Uint8Array): Uint8Array | undefined {
  if (value.length === 0) {
    return undefined
  }
  try {
    return timeKey(decodeU64Value(`hexp key ${toHex(hexpKey)}`, value), txId)
  } catch (err) {
    if (!isCorruptRecord(err)) {
      throw err
    }
    // NOTE: the time key of this tx stays as an orphan. Range reads skip it
    // because it has no payload, and it costs 46 bytes of disk.
    log.error({ err, txId: toHex(txId) }, 'history retention found a damaged time reference and deletes the history record without its time key')
    return undefined
  }
}

/**
 * Deletes up to `maxRecords` history records whose deletion time is at or
 * before `nowMs`, with their `time/` and `hexp/` keys, in one atomic batch.
 * A record whose payload is stored again is kept, and only its `hexp/` entry
 * goes, because that payload gets a new entry when it expires.
 */
export async function deleteExpiredHistoryChunk (db: StoreDb, log: Logger, nowMs: number, maxRecords: number, write: BatchWrite = async (ops) => { await db.batch(ops) }): Promise<HistoryChunk> {
  assertSweepArguments(nowMs, maxRecords)

  const due = await db.iterator({ ...historyExpiryRangeUpTo(nowMs), limit: maxRecords + 1 }).all()
  const ops: BatchOp[] = []
  const deletedTxIds = new Set<string>()
  for (const [key, value] of due.slice(0, maxRecords)) {
    ops.push({ type: 'del', key })

    let txId: Uint8Array
    try {
      txId = decodeHistoryExpiryKey(key).txId
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      // The key carries no data, so dropping it loses nothing but the index entry.
      log.error({ err, key: toHex(key) }, 'history retention found a malformed hexp key and deletes it')
      continue
    }

    if (deletedTxIds.has(toHex(txId)) || db.getSync(txKey(txId)) !== undefined) {
      continue
    }
    ops.push({ type: 'del', key: historyKey(txId) })
    const time = referencedTimeKey(log, key, txId, value)
    if (time !== undefined) {
      ops.push({ type: 'del', key: time })
    }
    deletedTxIds.add(toHex(txId))
  }

  if (ops.length > 0) {
    await write(ops)
  }
  return { deleted: deletedTxIds.size, more: due.length > maxRecords }
}
