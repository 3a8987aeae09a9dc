/**
 * Range queries over history: every transaction whose request time is in a
 * range, held, pending or expired, for as long as its history is kept.
 */

import { toHex } from '../core/hash.js'
import { decodeTimeKey, encodeRangeCursor, historyKey } from './keys.js'
import { pageBounds } from './range.js'
import { decodeHistory } from './values.js'
import type { Logger } from '../log/logger.js'
import type { HistoryRecord, StoreDb } from './types.js'

/** Largest page a history query returns, whatever limit the caller asks for. */
export const MAX_HISTORY_PAGE = 1000

export interface HistoryQuery {
  /** First request timestamp included, Unix ms. */
  fromMs: number
  /** Last request timestamp included, Unix ms. */
  toMs: number
  /** Page size, capped at MAX_HISTORY_PAGE. */
  limit: number
  /** `nextCursor` of the previous page. */
  cursor?: Uint8Array
}

/** A history record with the request time it is indexed by. */
export interface TimedHistory extends HistoryRecord {
  requestTimestampMs: number
}

export interface HistoryPage {
  records: TimedHistory[]
  /** Set when more records may follow in the range. */
  nextCursor?: Uint8Array
}

/** Reads one page of history records in request-time order, then tx_id order. */
export async function readHistoryByRange (db: StoreDb, log: Logger, query: HistoryQuery): Promise<HistoryPage> {
  if (!Number.isSafeInteger(query.fromMs) || !Number.isSafeInteger(query.toMs) || query.fromMs < 0 || query.fromMs > query.toMs) {
    throw new RangeError(`history range must satisfy 0 <= from <= to, got ${query.fromMs}..${query.toMs}`)
  }
  const limit = Math.min(Math.max(1, Math.floor(query.limit)), MAX_HISTORY_PAGE)
  const records: TimedHistory[] = []
  let last: { requestTimestampMs: number, txId: Uint8Array } | undefined
  let full = false
  for await (const key of db.keys(pageBounds(query))) {
    if (records.length >= limit) {
      full = true
      break
    }
    let indexed: { requestTimestampMs: number, txId: Uint8Array }
    try {
      indexed = decodeTimeKey(key)
    } catch (err) {
      log.error({ err, key: toHex(key) }, 'skipping a malformed time key in a history query')
      continue
    }
    last = indexed
    const bytes = db.getSync(historyKey(indexed.txId))
    if (bytes === undefined) {
      continue
    }
    try {
      records.push({ ...decodeHistory(indexed.txId, `hist/${toHex(indexed.txId)}`, bytes), requestTimestampMs: indexed.requestTimestampMs })
    } catch (err) {
      log.error({ err, txId: toHex(indexed.txId) }, 'skipping a damaged history record in a history query')
    }
  }
  return full && last !== undefined
    ? { records, nextCursor: encodeRangeCursor(last.requestTimestampMs, last.txId) }
    : { records }
}
