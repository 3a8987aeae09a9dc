/**
 * Opening the database: the LevelDB lock, the schema version check and the
 * clean-shutdown marker.
 */

import { mkdir, readdir } from 'node:fs/promises'
import { Level } from 'level'
import { PohError, StorageError } from '../core/errors.js'
import { metaKey } from './keys.js'
import { decodeU32Value, decodeU64Value, encodeU32Value } from './values.js'
import type { Logger } from '../log/logger.js'
import type { StoreDb } from './types.js'

/**
 * Version of the key layout and record encoding. Raise it with every change
 * that an older build would misread, and give the new version a migration.
 */
export const SCHEMA_VERSION = 1

/** `meta/` name of the schema version, a u32 big-endian. */
export const SCHEMA_VERSION_META = 'schema_version'

/** `meta/` name of the last clean shutdown time, a u64 big-endian in Unix milliseconds. */
export const CLEAN_SHUTDOWN_META = 'clean_shutdown_ms'

/**
 * `meta/` name of the time of the last putTx or putAck batch, a u64
 * big-endian in Unix milliseconds. Written inside those batches, so it
 * survives a crash that leaves no clean-shutdown time.
 */
export const LAST_WRITE_META = 'last_write_ms'

/** Deepest `cause` chain searched for the LevelDB lock error. */
const MAX_CAUSE_DEPTH = 8

/**
 * Tells whether `err` or one of its causes is classic-level's LEVEL_LOCKED.
 * classic-level 3 wraps it in a LEVEL_DATABASE_NOT_OPEN error.
 */
function isLockedError (err: unknown): boolean {
  let current: unknown = err
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    if ((current as { code?: unknown }).code === 'LEVEL_LOCKED') {
      return true
    }
    current = current.cause
  }
  return false
}

/** Returns the message of the deepest cause, which for LevelDB names the damaged file. */
function innermostMessage (err: unknown): string {
  let current: unknown = err
  let message = String(err)
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    message = current.message
    current = current.cause
  }
  return message
}

/** Creates the directory if needed and opens LevelDB in it with binary keys and values. */
export async function openLevel (path: string): Promise<StoreDb> {
  await mkdir(path, { recursive: true })
  // LevelDB treats a directory without CURRENT as a new database and deletes
  // the table files it finds there, so a damaged database is refused instead.
  const entries = await readdir(path)
  if (entries.length > 0 && !entries.includes('CURRENT')) {
    throw new StorageError('ERR_CORRUPT_RECORD', `database ${path} has files but no CURRENT file, so LevelDB would discard its tables; restore the directory from a backup or repair it with a LevelDB repair tool before starting`)
  }
  const db: StoreDb = new Level<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' })
  try {
    await db.open()
  } catch (err) {
    if (isLockedError(err)) {
      throw new StorageError('ERR_DB_LOCKED', `data directory ${path} is in use by another process; stop it or choose another data_dir`, { cause: err })
    }
    throw new StorageError('ERR_DB_OPEN', `cannot open database ${path}: ${innermostMessage(err)}`, { cause: err })
  }
  return db
}

async function isEmpty (db: StoreDb): Promise<boolean> {
  const keys = await db.keys({ limit: 1 }).all()
  return keys.length === 0
}

/**
 * Writes the schema version into a new database, or checks the version of an
 * existing one. A database with data but no version is rejected, because its
 * layout is unknown.
 */
export async function checkSchemaVersion (db: StoreDb, path: string): Promise<void> {
  const key = metaKey(SCHEMA_VERSION_META)
  const stored = await db.get(key)
  if (stored === undefined) {
    if (!(await isEmpty(db))) {
      throw new StorageError('ERR_SCHEMA_VERSION', `data directory ${path} contains data but no schema version, expected version ${SCHEMA_VERSION}; move it aside or choose another data_dir`)
    }
    await db.put(key, encodeU32Value(SCHEMA_VERSION))
    return
  }

  const found = decodeU32Value(`meta/${SCHEMA_VERSION_META}`, stored)
  if (found !== SCHEMA_VERSION) {
    throw new StorageError('ERR_SCHEMA_VERSION', `data directory ${path} has schema version ${found}, but this build reads version ${SCHEMA_VERSION}; use a build for version ${found} or choose another data_dir`)
  }
}

/**
 * Reads and deletes the clean-shutdown time, so that a crash before the next
 * close leaves none. A damaged value counts as no clean shutdown, the
 * cautious reading, and is logged instead of stopping start-up.
 */
export async function takeCleanShutdownTime (db: StoreDb, log: Logger): Promise<number | undefined> {
  const key = metaKey(CLEAN_SHUTDOWN_META)
  const stored = await db.get(key)
  if (stored === undefined) {
    return undefined
  }

  let shutdownMs: number | undefined
  try {
    shutdownMs = decodeU64Value(`meta/${CLEAN_SHUTDOWN_META}`, stored)
  } catch (err) {
    if (!(err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD')) {
      throw err
    }
    log.error({ err }, 'clean shutdown time is unreadable, so the last stop counts as unclean')
  }
  await db.del(key)
  return shutdownMs
}

/**
 * Reads the time of the last putTx or putAck batch. A damaged value is
 * logged and read as undefined, so start-up falls back to the clean-shutdown
 * time instead of stopping.
 */
export async function readLastWriteTime (db: StoreDb, log: Logger): Promise<number | undefined> {
  const stored = await db.get(metaKey(LAST_WRITE_META))
  if (stored === undefined) {
    return undefined
  }
  try {
    return decodeU64Value(`meta/${LAST_WRITE_META}`, stored)
  } catch (err) {
    if (!(err instanceof PohError && err.code === 'ERR_CORRUPT_RECORD')) {
      throw err
    }
    log.error({ err }, 'last write time is unreadable and is ignored')
    return undefined
  }
}
