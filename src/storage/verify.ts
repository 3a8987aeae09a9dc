/**
 * Start-up payload verification: finding `tx/` records whose payload does
 * not hash to the tx_id in their key, and the keys to delete with them.
 */

import { PohError } from '../core/errors.js'
import { bytesEqual, computeTxId, toHex } from '../core/hash.js'
import { findIndexKeysOf } from './expiry.js'
import { decodeTxKey, KeyPrefix, prefixRange, timeKey, txKey } from './keys.js'
import { decodeStoredTx } from './values.js'
import type { Logger } from '../log/logger.js'
import type { StoreDb, StoredTx } from './types.js'

/** Result of a scan of stored payloads. */
export interface PayloadScan {
  /** Number of well-formed `tx/` keys whose record was checked. */
  checked: number
  /** tx_ids of records that cannot be decoded or whose payload does not hash to the tx_id. */
  bad: Uint8Array[]
  /** Last tx_id checked, set when records remain after `sampleLimit`. */
  resumeAfter?: Uint8Array
}

/** Outcome of checking one stored `tx/` value. */
export type PayloadCheck =
  | { status: 'ok', tx: StoredTx }
  | { status: 'missing' }
  | { status: 'undecodable' }
  | { status: 'mismatch', tx: StoredTx }

function isCorruptRecord (err: unknown): boolean {
  return err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD'
}

/** Checks that a stored `tx/` value decodes and that its payload hashes to `txId`. */
export function checkPayload (txId: Uint8Array, bytes: Uint8Array | undefined): PayloadCheck {
  if (bytes === undefined) {
    return { status: 'missing' }
  }
  let tx: StoredTx
  try {
    tx = decodeStoredTx(txId, `tx/${toHex(txId)}`, bytes)
  } catch (err) {
    if (!isCorruptRecord(err)) {
      throw err
    }
    return { status: 'undecodable' }
  }
  // A record without its payload has nothing to check.
  return tx.payloadOmitted === true || bytesEqual(computeTxId(tx.payload), txId) ? { status: 'ok', tx } : { status: 'mismatch', tx }
}

/**
 * Returns the `time/` keys to delete with a tx record: the one its request
 * timestamp names, or, when the record cannot be decoded, every key of that
 * tx_id found by scanning the whole index.
 */
export async function timeKeysOf (db: StoreDb, txId: Uint8Array, check: PayloadCheck): Promise<Uint8Array[]> {
  switch (check.status) {
    case 'ok':
    case 'mismatch':
      return [timeKey(check.tx.requestTimestampMs, txId)]
    case 'undecodable':
      return findIndexKeysOf(db, KeyPrefix.TIME, txId)
    case 'missing':
      return []
  }
}

function assertSampleLimit (sampleLimit: number | undefined): void {
  if (sampleLimit !== undefined && (!Number.isSafeInteger(sampleLimit) || sampleLimit < 1)) {
    throw new RangeError(`sampleLimit must be a positive integer, got ${sampleLimit}`)
  }
}

/**
 * Scans `tx/` records in key order, after `afterTxId` when given, and lists
 * those that fail checkPayload. It checks at most `sampleLimit` records.
 * Because a tx_id is a SHA-256 hash, key order is effectively a random
 * sample. A malformed key is logged and skipped.
 */
export async function scanPayloads (db: StoreDb, log: Logger, sampleLimit: number | undefined, afterTxId: Uint8Array | undefined): Promise<PayloadScan> {
  assertSampleLimit(sampleLimit)
  const range = prefixRange(KeyPrefix.TX)
  const bounds = afterTxId === undefined ? range : { gt: txKey(afterTxId), lt: range.lt }

  const scan: PayloadScan = { checked: 0, bad: [] }
  let lastChecked: Uint8Array | undefined
  for await (const [key, value] of db.iterator(bounds)) {
    if (sampleLimit !== undefined && scan.checked >= sampleLimit) {
      scan.resumeAfter = lastChecked
      break
    }

    let txId: Uint8Array
    try {
      txId = decodeTxKey(key)
    } catch (err) {
      if (!isCorruptRecord(err)) {
        throw err
      }
      log.error({ err, key: toHex(key) }, 'payload verification skips a malformed tx key')
      continue
    }

    scan.checked++
    lastChecked = txId.slice()
    const check = checkPayload(txId, value)
    if (check.status !== 'ok') {
      scan.bad.push(txId.slice())
    }
  }
  return scan
}

/** Options of verifyPayloads. */
export interface VerifyPayloadsOptions {
  /** Maximum number of records checked in this call. Defaults to all of them. */
  sampleLimit?: number
  /** `resumeAfter` of the previous call. Checking starts strictly after this tx_id. */
  afterTxId?: Uint8Array
  /** Called with each tx_id after its bad record was deleted, for example to queue a repair. */
  onMismatch: (txId: Uint8Array) => void
}

/** Result of verifyPayloads. */
export interface VerifyPayloadsResult {
  /** Number of records checked. */
  checked: number
  /** tx_ids whose record was deleted because it was undecodable or its payload did not hash to the tx_id. */
  mismatched: Uint8Array[]
  /** Last tx_id checked, set when `sampleLimit` stopped the check early. Pass it as `afterTxId` to continue. */
  resumeAfter?: Uint8Array
}
