/**
 * Reads that serve the repair protocol: stored transactions with their ACKs,
 * by request-time range through the `time/` index or by tx_id, bounded by an
 * item count and a byte budget.
 *
 * Byte budget: an item costs its payload length plus the length of every
 * stored ACK, and items are never split. A page stops before the first item
 * that would take it past `maxBytes`, so it never exceeds the budget. An item
 * that alone costs more than `maxBytes` can never fit, so instead of stalling
 * every later page on it, its tx_id is listed in `oversized` and the read
 * moves past it. The caller decides how to report those.
 */

import { PohError } from '../core/errors.js'
import { bytesEqual, computeTxId, toHex } from '../core/hash.js'
import { HASH_LENGTH } from '../core/types.js'
import {
  ackRangeOf, byteView, decodeAckKey, decodeTimeKey, encodeRangeCursor, rangeCursorToTimeKey,
  timeRangeOf, txKey
} from './keys.js'
import { decodeStoredTx } from './values.js'
import type { Logger } from '../log/logger.js'
import type { StoreDb, StoredAck, StoredTx } from './types.js'

/**
 * Maximum number of `time/` keys one range read examines when its caller
 * gives no `maxScanned`. Keys of expired transactions stay in the index for
 * the history retention time, so a range can hold many keys without a
 * payload, and this bounds the work one request can cause.
 */
export const DEFAULT_MAX_SCANNED_KEYS = 4096

/** A stored transaction with every ACK stored for it. */
export interface TxWithAcks {
  tx: StoredTx
  acks: StoredAck[]
}

/** Parameters of itemsByRange. Times are request timestamps in Unix milliseconds. */
export interface RangeQuery {
  /** First request timestamp included. */
  fromMs: number
  /** Last request timestamp included. */
  toMs: number
  /** Maximum number of entries in `items` and `oversized` together. */
  limit: number
  /** `nextCursor` of the previous page. This page starts strictly after it. */
  cursor?: Uint8Array
  /** Maximum number of `time/` keys examined. Defaults to DEFAULT_MAX_SCANNED_KEYS. */
  maxScanned?: number
}

/** One page of a range read. */
export interface RangePage {
  /** Transactions whose payload is stored, in request-time order, then tx_id order. */
  items: TxWithAcks[]
  /** tx_ids passed over because each alone costs more than `maxBytes`. */
  oversized: Uint8Array[]
  /**
   * Cursor of the last index key this page consumed, set when the page
   * stopped before the end of the range. The next page can still be empty,
   * because index keys outlive their payloads.
   */
  nextCursor?: Uint8Array
}

/** Result of a read by tx_id. tx_ids that have no stored payload are in no list. */
export interface IdPage {
  /** Transactions that fit the byte budget, in request order. */
  items: TxWithAcks[]
  /** tx_ids whose item alone costs more than `maxBytes`. */
  oversized: Uint8Array[]
  /** tx_ids whose item is stored but did not fit in what remained of `maxBytes`. */
  leftOff: Uint8Array[]
}

/** Returns the bytes an item counts against a byte budget: payload plus every ACK. */
export function itemBytes (item: TxWithAcks): number {
  let total = item.tx.payload.length
  for (const ack of item.acks) {
    total += ack.ack.length
  }
  return total
}

function isCorruptRecord (err: unknown): boolean {
  return err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD'
}

function assertTime (name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`)
  }
}

function assertPositive (name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`)
  }
}

async function readAcks (db: StoreDb, log: Logger, txId: Uint8Array): Promise<StoredAck[]> {
  const acks: StoredAck[] = []
  for await (const [key, value] of db.iterator(ackRangeOf(txId))) {
    try {
      acks.push({ ...decodeAckKey(key), ack: byteView(value) })
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      log.error({ err, key: toHex(key) }, 'skipping a malformed ack key in a repair read')
    }
  }
  return acks
}

/**
 * Reads one transaction to serve. Returns undefined when its payload is not
 * stored (no record, or a record without its payload), or when the record is damaged or does not hash to the tx_id. Those
 * two are logged, and verifyPayloads deletes such records. It also returns
 * undefined when `indexedTimestampMs` differs from the record's request
 * time, because the index key is then stale.
 */
async function readServableItem (db: StoreDb, log: Logger, txId: Uint8Array, indexedTimestampMs?: number): Promise<TxWithAcks | undefined> {
  const bytes = db.getSync(txKey(txId))
  if (bytes === undefined) {
    return undefined
  }

  let tx: StoredTx
  try {
    tx = decodeStoredTx(txId, `tx/${toHex(txId)}`, bytes)
  } catch (err) {
    if (!isCorruptRecord(err)) {
      throw err
    }
    log.error({ err, txId: toHex(txId) }, 'not serving a damaged tx record')
    return undefined
  }
  if (tx.payloadOmitted === true || (indexedTimestampMs !== undefined && tx.requestTimestampMs !== indexedTimestampMs)) {
    return undefined
  }
  if (!bytesEqual(computeTxId(tx.payload), txId)) {
    log.error({ txId: toHex(txId) }, 'not serving a stored payload that does not hash to its tx_id')
    return undefined
  }

  return { tx, acks: await readAcks(db, log, txId) }
}

/** Returns the iterator bounds of a range page: from `fromMs`, or strictly after the cursor when that is later. */
export function pageBounds (query: Pick<RangeQuery, 'fromMs' | 'toMs' | 'cursor'>): { gte?: Uint8Array, gt?: Uint8Array, lt: Uint8Array } {
  const range = timeRangeOf(query.fromMs, query.toMs)
  if (query.cursor === undefined) {
    return range
  }
  const after = rangeCursorToTimeKey(query.cursor)
  return Buffer.compare(after, range.gte) >= 0 ? { gt: after, lt: range.lt } : range
}

function checkRangeQuery (query: RangeQuery, maxBytes: number): void {
  assertTime('fromMs', query.fromMs)
  assertTime('toMs', query.toMs)
  if (query.fromMs > query.toMs) {
    throw new RangeError(`fromMs ${query.fromMs} is after toMs ${query.toMs}`)
  }
  assertPositive('limit', query.limit)
  assertPositive('maxBytes', maxBytes)
  if (query.maxScanned !== undefined) {
    assertPositive('maxScanned', query.maxScanned)
  }
}

/**
 * Reads one page of the transactions whose request timestamp is in
 * `[fromMs, toMs]` and whose payload is still stored. Throws RangeError for
 * invalid bounds or limits and for a cursor that is not 40 bytes. A cursor
 * past `toMs` gives an empty last page.
 */
export async function readItemsByRange (db: StoreDb, log: Logger, query: RangeQuery, maxBytes: number): Promise<RangePage> {
  checkRangeQuery(query, maxBytes)
  const maxScanned = query.maxScanned ?? DEFAULT_MAX_SCANNED_KEYS

  const items: TxWithAcks[] = []
  const oversized: Uint8Array[] = []
  let usedBytes = 0
  let scanned = 0
  let lastConsumed: { requestTimestampMs: number, txId: Uint8Array } | undefined
  let stoppedEarly = false

  for await (const key of db.keys(pageBounds(query))) {
    if (items.length + oversized.length >= query.limit || scanned >= maxScanned) {
      stoppedEarly = true
      break
    }

    let indexed: { requestTimestampMs: number, txId: Uint8Array }
    try {
      indexed = decodeTimeKey(key)
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      // Malformed keys do not count against maxScanned, so that a cursor
      // always names a well-formed key. NOTE: a range that contains only
      // malformed keys is therefore scanned to its end in one call.
      log.error({ err, key: toHex(key) }, 'skipping a malformed time key in a range read')
      continue
    }
    scanned++

    const item = await readServableItem(db, log, indexed.txId, indexed.requestTimestampMs)
    if (item !== undefined) {
      const size = itemBytes(item)
      if (size > maxBytes) {
        oversized.push(indexed.txId)
      } else if (usedBytes + size > maxBytes) {
        stoppedEarly = true
        break
      } else {
        items.push(item)
        usedBytes += size
      }
    }
    lastConsumed = indexed
  }

  const page: RangePage = { items, oversized }
  if (stoppedEarly && lastConsumed !== undefined) {
    page.nextCursor = encodeRangeCursor(lastConsumed.requestTimestampMs, lastConsumed.txId)
  }
  return page
}

/**
 * Reads the stored transactions among `txIds`, skipping duplicates. Each item
 * that fits in what remains of `maxBytes` is taken, in request order, so a
 * large item does not hold back smaller ones after it. Throws RangeError for
 * a tx_id that is not 32 bytes.
 */
export async function readItemsById (db: StoreDb, log: Logger, txIds: Uint8Array[], maxBytes: number): Promise<IdPage> {
  assertPositive('maxBytes', maxBytes)
  txIds.forEach((txId, index) => {
    if (txId.length !== HASH_LENGTH) {
      throw new RangeError(`txIds[${index}] must be ${HASH_LENGTH} bytes, got ${txId.length}`)
    }
  })

  const page: IdPage = { items: [], oversized: [], leftOff: [] }
  const seen = new Set<string>()
  let usedBytes = 0
  for (const txId of txIds) {
    const hex = toHex(txId)
    if (seen.has(hex)) {
      continue
    }
    seen.add(hex)

    const item = await readServableItem(db, log, txId)
    if (item === undefined) {
      continue
    }
    const size = itemBytes(item)
    if (size > maxBytes) {
      page.oversized.push(txId)
    } else if (usedBytes + size > maxBytes) {
      page.leftOff.push(txId)
    } else {
      page.items.push(item)
      usedBytes += size
    }
  }
  return page
}
