import { PohError } from '../core/errors.js'
import { bytesEqual, toHex } from '../core/hash.js'
import { findIndexKeysOf } from './expiry.js'
import { KeyPrefix, expiryKey, timeKey, txKey } from './keys.js'
import { decodeStoredTx } from './values.js'
import type { Logger } from '../log/logger.js'
import type { StoreDb, StoredTx } from './types.js'

/**
 * Lists the index keys to delete before storing `tx`: the expiry and time
 * keys of an existing record whose expiry time or request time differ.
 * When the existing record cannot be decoded, those times are unknown, so
 * both whole indexes are searched for keys of this tx_id.
 */
export async function staleIndexKeys (db: StoreDb, log: Logger, tx: StoredTx): Promise<Uint8Array[]> {
  const bytes = db.getSync(txKey(tx.txId))
  if (bytes === undefined) {
    return []
  }
  try {
    const existing = decodeStoredTx(tx.txId, `tx/${toHex(tx.txId)}`, bytes)
    const stale: Uint8Array[] = []
    if (existing.expiresAtMs !== tx.expiresAtMs) {
      stale.push(expiryKey(existing.expiresAtMs, tx.txId))
    }
    if (existing.requestTimestampMs !== tx.requestTimestampMs) {
      stale.push(timeKey(existing.requestTimestampMs, tx.txId))
    }
    return stale
  } catch (err) {
    if (!(err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD')) {
      throw err
    }
    log.error({ err, txId: toHex(tx.txId) }, 'replacing a damaged tx record')
    const newKeys = [expiryKey(tx.expiresAtMs, tx.txId), timeKey(tx.requestTimestampMs, tx.txId)]
    const found = [
      ...await findIndexKeysOf(db, KeyPrefix.EXPIRY, tx.txId),
      ...await findIndexKeysOf(db, KeyPrefix.TIME, tx.txId)
    ]
    return found.filter((key) => !newKeys.some((newKey) => bytesEqual(key, newKey)))
  }
}
