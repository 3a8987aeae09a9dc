/**
 * Fixtures shared by the storage specs: records to store, a data directory
 * per test and direct access to the LevelDB under a closed PohStore.
 */

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { prefixRange } from '../../src/storage/keys.js'
import { PohStore } from '../../src/storage/store.js'
import type { HistoryRecord, PohStoreInit, StoredAck, StoredTx } from '../../src/storage/store.js'

const encoder = new TextEncoder()

export type RawDb = Level<Uint8Array, Uint8Array>

export function makeTx (text: string, options: { requestTimestampMs?: number, expiresAtMs?: number } = {}): StoredTx {
  const payload = encoder.encode(text)
  return {
    txId: computeTxId(payload),
    payload,
    receivedAtMs: 1_000,
    expiresAtMs: options.expiresAtMs ?? 10_000,
    ttlSeconds: 9,
    requestTimestampMs: options.requestTimestampMs ?? 990
  }
}

export function makeHistory (tx: StoredTx, state = TxState.PENDING): HistoryRecord {
  return { txId: tx.txId, firstSeenMs: tx.receivedAtMs, quorumAtMs: 0, ackCount: 1, state, expiresAtMs: tx.expiresAtMs }
}

/** Builds an ACK of `length` bytes from the holder whose id is 32 bytes of `holderByte`. */
export function makeAck (tx: StoredTx, holderByte: number, length = 3): StoredAck {
  return { txId: tx.txId, holderId: new Uint8Array(32).fill(holderByte), ack: new Uint8Array(length).fill(holderByte) }
}

/** Runs `action` and returns what it rejected with, or undefined if it resolved. */
export async function caught (action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action()
  } catch (err) {
    return err
  }
  return undefined
}

/** Opens the LevelDB directly, as another tool would, to plant or list raw entries. */
export async function withRawDb<T> (path: string, use: (db: RawDb) => Promise<T>): Promise<T> {
  const db: RawDb = new Level<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  try {
    return await use(db)
  } finally {
    await db.close()
  }
}

/** Lists the raw keys under `prefix` in hex, in key order. */
export async function keysHexUnder (db: RawDb, prefix: Uint8Array): Promise<string[]> {
  return (await db.keys(prefixRange(prefix)).all()).map((key) => toHex(key))
}

/**
 * Holds the next LevelDB batch of `store` until `release` is called, as a
 * slow disk would: the store has handed the batch over, but it has not landed.
 */
export function holdNextBatch (store: PohStore): { release: () => void } {
  const db = (store as unknown as { db: { batch: (...args: unknown[]) => Promise<void> } }).db
  const batch = db.batch.bind(db)
  let release = (): void => {}
  const gate = new Promise<void>((resolve) => { release = resolve })
  db.batch = async (...args: unknown[]) => {
    db.batch = batch
    await gate
    await batch(...args)
  }
  return { release }
}

/**
 * A PohStore in a fresh temporary directory with a fake clock. Call
 * `setup` in beforeEach and `teardown` in afterEach.
 */
export class StoreFixture {
  dir = ''
  dbPath = ''
  nowMs = 1_000
  readonly clock = { now: (): number => this.nowMs }
  store: PohStore | undefined
  private readonly options: Partial<PohStoreInit>

  constructor (options: Partial<PohStoreInit> = {}) {
    this.options = options
  }

  async setup (): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'poh-storage-'))
    this.dbPath = join(this.dir, 'db')
    this.nowMs = 1_000
    this.store = undefined
  }

  async teardown (): Promise<void> {
    await this.store?.close()
    this.store = undefined
    await rm(this.dir, { recursive: true, force: true })
  }

  async open (): Promise<PohStore> {
    this.store = await PohStore.open({ ...this.options, path: this.dbPath, clock: this.clock })
    return this.store
  }

  /** Closes the store, runs `use` on the raw database, and reopens the store. */
  async withRaw<T> (use: (db: RawDb) => Promise<T>): Promise<{ store: PohStore, result: T }> {
    await this.store?.close()
    this.store = undefined
    const result = await withRawDb(this.dbPath, use)
    return { store: await this.open(), result }
  }
}
