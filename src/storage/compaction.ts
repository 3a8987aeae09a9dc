import { KeyPrefix, prefixRange } from './keys.js'
import type { StoreDb } from './types.js'

/** The ranges that deleteExpired deletes from. */
export const SWEPT_PREFIXES = [KeyPrefix.TX, KeyPrefix.EXPIRY, KeyPrefix.ACK]

/** The ranges that deleteExpiredHistory deletes from. */
export const HISTORY_SWEPT_PREFIXES = [KeyPrefix.HISTORY, KeyPrefix.TIME, KeyPrefix.HISTORY_EXPIRY]

/**
 * LevelDB as `level` 10 returns it in Node.js is classic-level's ClassicLevel,
 * which adds compactRange to the browser-compatible type that `level` declares.
 */
interface CompactableDb {
  compactRange: (start: Uint8Array, end: Uint8Array) => Promise<void>
}

function isCompactable (db: unknown): db is CompactableDb {
  return typeof (db as Partial<CompactableDb>).compactRange === 'function'
}

/** Compacts every key that starts with `prefix`. */
export async function compactPrefix (db: StoreDb, prefix: Uint8Array): Promise<void> {
  if (prefix.length === 0 || prefix[prefix.length - 1] === 0xff) {
    throw new RangeError('compaction prefix must be non-empty and must not end in byte 0xff')
  }
  if (!isCompactable(db)) {
    throw new Error('this LevelDB backend has no compactRange; compaction needs classic-level, which `level` uses in Node.js')
  }
  const range = prefixRange(prefix)
  await db.compactRange(range.gte, range.lt)
}
