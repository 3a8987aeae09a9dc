import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { Level } from 'level'
import { StorageError } from '../../src/core/errors.js'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { ackKey, expiryKey, historyKey, KeyPrefix, metaKey, prefixRange, timeKey, txKey } from '../../src/storage/keys.js'
import { PohStore, SCHEMA_VERSION } from '../../src/storage/store.js'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import type { HistoryRecord, StoredAck, StoredTx } from '../../src/storage/store.js'

const encoder = new TextEncoder()

function makeTx (text: string, expiresAtMs = 10_000): StoredTx {
  const payload = encoder.encode(text)
  return {
    txId: computeTxId(payload),
    payload,
    receivedAtMs: 1_000,
    expiresAtMs,
    ttlSeconds: 9,
    requestTimestampMs: 990
  }
}

function makeHistory (tx: StoredTx, state = TxState.PENDING): HistoryRecord {
  return { txId: tx.txId, firstSeenMs: tx.receivedAtMs, quorumAtMs: 0, ackCount: 1, state, expiresAtMs: tx.expiresAtMs }
}

function makeAck (tx: StoredTx, holderByte: number): StoredAck {
  return { txId: tx.txId, holderId: new Uint8Array(32).fill(holderByte), ack: Uint8Array.of(0x08, 0x01, holderByte) }
}

async function collect<T> (iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) {
    items.push(item)
  }
  return items
}

/** Runs `action` and returns what it rejected with, or undefined if it resolved. */
async function caught (action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action()
  } catch (err) {
    return err
  }
  return undefined
}

function expectStorageError (err: unknown, code: string): StorageError {
  expect(err).to.be.instanceOf(StorageError)
  expect((err as StorageError).code).to.equal(code)
  return err as StorageError
}

/** Opens the LevelDB directly, as another tool would, to plant or list raw entries. */
async function withRawDb<T> (path: string, use: (db: Level<Uint8Array, Uint8Array>) => Promise<T>): Promise<T> {
  const db = new Level<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  try {
    return await use(db)
  } finally {
    await db.close()
  }
}

async function rawKeysHex (path: string): Promise<string[]> {
  return withRawDb(path, async (db) => (await db.keys().all()).map((key) => toHex(key)))
}

describe('PohStore', () => {
  let dir: string
  let dbPath: string
  let nowMs: number
  const clock = { now: () => nowMs }
  let stores: PohStore[]
  let child: ChildProcessWithoutNullStreams | undefined

  async function openStore (path = dbPath): Promise<PohStore> {
    const store = await PohStore.open({ path, clock })
    stores.push(store)
    return store
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-store-'))
    dbPath = join(dir, 'db')
    nowMs = 1_000
    stores = []
    child = undefined
  })

  afterEach(async () => {
    for (const store of stores) {
      await store.close()
    }
    if (child !== undefined && child.exitCode === null) {
      child.kill()
      await once(child, 'exit')
    }
    await rm(dir, { recursive: true, force: true })
  })

  describe('open', () => {
    it('creates missing directories', async () => {
      const nested = join(dir, 'a', 'b', 'db')
      const store = await openStore(nested)
      expect((await stat(nested)).isDirectory()).to.equal(true)
      expect(toHex((await store.getMeta('schema_version')) ?? new Uint8Array())).to.equal('00000001')
    })

    it('rejects another schema version', async () => {
      const store = await openStore()
      const version = new Uint8Array(4)
      new DataView(version.buffer).setUint32(0, SCHEMA_VERSION + 1)
      await store.putMeta('schema_version', version)
      await store.close()

      const err = expectStorageError(await caught(async () => openStore()), 'ERR_SCHEMA_VERSION')
      expect(err.message).to.include(dbPath)
      expect(err.message).to.include(`schema version ${SCHEMA_VERSION + 1}`)
      expect(err.message).to.include(`version ${SCHEMA_VERSION};`)
    })

    it('releases the lock after a failed open', async () => {
      const store = await openStore()
      await store.putMeta('schema_version', Uint8Array.of(0, 0, 0, 9))
      await store.close()
      await caught(async () => openStore())

      const keys = await rawKeysHex(dbPath)
      expect(keys).to.include(toHex(metaKey('schema_version')))
    })

    it('rejects data without schema version', async () => {
      await withRawDb(dbPath, async (db) => db.put(txKey(new Uint8Array(32)), Uint8Array.of(1)))

      const err = expectStorageError(await caught(async () => openStore()), 'ERR_SCHEMA_VERSION')
      expect(err.message).to.include(dbPath)
      expect(err.message).to.include('no schema version')
    })

    it('rejects second open in-process', async () => {
      await openStore()

      const err = expectStorageError(await caught(async () => openStore()), 'ERR_DB_LOCKED')
      expect(err.message).to.equal(`data directory ${dbPath} is in use by another process; stop it or choose another data_dir`)
    })

    it('rejects open locked by another process', async () => {
      // The child opens the database with `level` directly and keeps it open
      // until it is killed.
      const script = [
        'const { Level } = await import(process.argv[1])',
        'const db = new Level(process.argv[2])',
        'await db.open()',
        "process.stdout.write('ready\\n')",
        'setInterval(() => {}, 1000)'
      ].join('\n')
      const holder = spawn(process.execPath, ['--input-type=module', '-e', script, import.meta.resolve('level'), dbPath])
      child = holder
      let stderr = ''
      holder.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => { resolve() })
        holder.once('exit', (code) => { reject(new Error(`lock holder exited with code ${code}: ${stderr}`)) })
      })

      const err = expectStorageError(await caught(async () => openStore()), 'ERR_DB_LOCKED')
      expect(err.message).to.include(dbPath)
    })
  })

  describe('last activity', () => {
    it('is undefined for a new database', async () => {
      const store = await openStore()
      expect(store.lastActivityMs()).to.equal(undefined)
    })

    it('is the last write after a crash', async () => {
      const first = await openStore()
      const tx = makeTx('written')
      nowMs = 4_000
      await first.putTx(tx, makeHistory(tx))
      nowMs = 4_500
      await first.putAck(makeAck(tx, 0x02))
      nowMs = 9_000
      await first.putMeta('other', Uint8Array.of(1))
      stores = []
      await (first as unknown as { db: Level<Uint8Array, Uint8Array> }).db.close()

      const second = await openStore()
      expect(second.lastCleanShutdownMs).to.equal(undefined)
      expect(second.lastActivityMs()).to.equal(4_500)
    })

    it('is the clean shutdown when later', async () => {
      const first = await openStore()
      const tx = makeTx('written')
      nowMs = 4_000
      await first.putTx(tx, makeHistory(tx))
      nowMs = 8_000
      await first.close()

      nowMs = 9_000
      const second = await openStore()
      expect(second.lastActivityMs()).to.equal(8_000)
      nowMs = 9_500
      await second.putTx(makeTx('later'), makeHistory(makeTx('later')))
      expect(second.lastActivityMs()).to.equal(8_000)
    })

    it('ignores a damaged write time', async () => {
      const first = await openStore()
      nowMs = 4_000
      await first.putTx(makeTx('written'), makeHistory(makeTx('written')))
      stores = []
      await (first as unknown as { db: Level<Uint8Array, Uint8Array> }).db.close()
      await withRawDb(dbPath, async (db) => db.put(metaKey('last_write_ms'), Uint8Array.of(1)))

      const store = await openStore()
      expect(store.lastCleanShutdownMs).to.equal(undefined)
      expect(store.lastActivityMs()).to.equal(undefined)
    })
  })

  describe('clean shutdown', () => {
    it('is undefined for a new database', async () => {
      const store = await openStore()
      expect(store.lastCleanShutdownMs).to.equal(undefined)
    })

    it('is recorded at close', async () => {
      const first = await openStore()
      nowMs = 5_000
      await first.close()

      nowMs = 6_000
      const second = await openStore()
      expect(second.lastCleanShutdownMs).to.equal(5_000)
    })

    it('is cleared at open', async () => {
      const first = await openStore()
      await first.close()

      const second = await openStore()
      expect(await second.getMeta('clean_shutdown_ms')).to.equal(undefined)
    })

    it('is absent after a crash', async () => {
      // A crash is a process that leaves without close(), so the marker deleted
      // at open is never written again.
      const first = await openStore()
      await first.close()
      const second = await openStore()
      expect(second.lastCleanShutdownMs).to.equal(1_000)
      stores = []
      await (second as unknown as { db: Level<Uint8Array, Uint8Array> }).db.close()

      const third = await openStore()
      expect(third.lastCleanShutdownMs).to.equal(undefined)
    })

    it('treats damaged time as unclean', async () => {
      await (await openStore()).close()
      await withRawDb(dbPath, async (db) => db.put(metaKey('clean_shutdown_ms'), Uint8Array.of(1, 2, 3)))

      const store = await openStore()
      expect(store.lastCleanShutdownMs).to.equal(undefined)
      expect(await store.getMeta('clean_shutdown_ms')).to.equal(undefined)
    })
  })

  describe('transactions', () => {
    it('putTx and getTx round trip', async () => {
      const store = await openStore()
      const tx = makeTx('round trip', 2 ** 45)
      await store.putTx(tx, makeHistory(tx))

      const stored = await store.getTx(tx.txId)
      expect(stored).to.deep.equal(tx)
      expect(await store.hasTx(tx.txId)).to.equal(true)
    })

    it('getTx of unknown id', async () => {
      const store = await openStore()
      const unknown = new Uint8Array(32).fill(7)
      expect(await store.getTx(unknown)).to.equal(undefined)
      expect(await store.hasTx(unknown)).to.equal(false)
      expect(await store.getHistory(unknown)).to.equal(undefined)
    })

    it('empty payload round trip', async () => {
      const store = await openStore()
      const tx = makeTx('')
      await store.putTx(tx, makeHistory(tx))
      expect((await store.getTx(tx.txId))?.payload).to.deep.equal(new Uint8Array(0))
    })

    it('putTx writes every key', async () => {
      const store = await openStore()
      const tx = makeTx('atomic', 77)
      const ack = makeAck(tx, 0x11)
      await store.putTx(tx, makeHistory(tx, TxState.HELD), ack)
      await store.close()

      const keys = await rawKeysHex(dbPath)
      expect(keys).to.have.members([
        toHex(txKey(tx.txId)),
        '6578702f' + '000000000000004d' + '2f' + toHex(tx.txId),
        // time/ ‖ request timestamp 990 = 0x3de ‖ / ‖ tx_id
        '74696d652f' + '00000000000003de' + '2f' + toHex(tx.txId),
        toHex(historyKey(tx.txId)),
        toHex(ackKey(tx.txId, ack.holderId)),
        toHex(metaKey('schema_version')),
        toHex(metaKey('clean_shutdown_ms')),
        toHex(metaKey('last_write_ms')),
        toHex(metaKey('index_version'))
      ])
    })

    it('re-put moves time key', async () => {
      const store = await openStore()
      const tx = makeTx('moved')
      await store.putTx(tx, makeHistory(tx))
      await store.putTx({ ...tx, requestTimestampMs: 995 }, makeHistory(tx))
      await store.close()

      const keys = await withRawDb(dbPath, async (db) => (await db.keys(prefixRange(KeyPrefix.TIME)).all()).map((key) => toHex(key)))
      expect(keys).to.deep.equal([toHex(timeKey(995, tx.txId))])
    })

    it('re-put over corrupt record moves time key', async () => {
      const store = await openStore()
      const tx = makeTx('damaged')
      await store.putTx(tx, makeHistory(tx))
      await store.close()
      await withRawDb(dbPath, async (db) => db.put(txKey(tx.txId), Uint8Array.of(0x0a, 0x09)))

      const reopened = await openStore()
      await reopened.putTx({ ...tx, requestTimestampMs: 1_234 }, makeHistory(tx))
      await reopened.close()
      const keys = await withRawDb(dbPath, async (db) => (await db.keys(prefixRange(KeyPrefix.TIME)).all()).map((key) => toHex(key)))
      expect(keys).to.deep.equal([toHex(timeKey(1_234, tx.txId))])
    })

    it('deleteTx keeps acks, history and exp', async () => {
      const store = await openStore()
      const tx = makeTx('deleted', 5_000)
      const ack = makeAck(tx, 0x05)
      await store.putTx(tx, makeHistory(tx), ack)

      expect(await store.deleteTx(tx.txId)).to.equal(true)
      expect(await store.hasTx(tx.txId)).to.equal(false)
      expect(await store.getAcks(tx.txId)).to.deep.equal([ack])
      expect(await store.getHistory(tx.txId)).to.deep.equal(makeHistory(tx))
      expect(await store.deleteTx(tx.txId)).to.equal(false)
      await store.close()

      const keys = await rawKeysHex(dbPath)
      expect(keys).to.include(toHex(expiryKey(5_000, tx.txId)))
      expect(keys).to.not.include(toHex(timeKey(tx.requestTimestampMs, tx.txId)))
      expect(keys).to.not.include(toHex(txKey(tx.txId)))
    })

    it('deleteTx then expiry collects acks', async () => {
      const store = await openStore()
      const tx = makeTx('never repaired', 5_000)
      await store.putTx(tx, makeHistory(tx, TxState.HELD), makeAck(tx, 0x05))
      await store.deleteTx(tx.txId)

      const result = await store.deleteExpired(5_000, 10)
      expect(result.deleted.map(toHex)).to.deep.equal([toHex(tx.txId)])
      expect(await store.getAcks(tx.txId)).to.deep.equal([])
      expect((await store.getHistory(tx.txId))?.state).to.equal(TxState.EXPIRED)
    })

    it('deleteTx then re-put restores keys', async () => {
      const store = await openStore()
      const tx = makeTx('repaired', 5_000)
      await store.putTx(tx, makeHistory(tx))
      await store.deleteTx(tx.txId)
      await store.putTx(tx, makeHistory(tx))
      await store.close()

      const keys = await rawKeysHex(dbPath)
      expect(keys).to.include.members([
        toHex(txKey(tx.txId)),
        toHex(expiryKey(5_000, tx.txId)),
        toHex(timeKey(tx.requestTimestampMs, tx.txId))
      ])
    })

    it('putTx with mismatched ids writes nothing', async () => {
      const store = await openStore()
      const tx = makeTx('mismatch')
      const other = makeTx('other')

      const err = await caught(async () => store.putTx(tx, makeHistory(tx), makeAck(other, 1)))
      expect(err).to.be.instanceOf(RangeError)
      expect(await caught(async () => store.putTx(tx, makeHistory(other)))).to.be.instanceOf(RangeError)
      expect(await store.hasTx(tx.txId)).to.equal(false)
      expect(await store.getHistory(tx.txId)).to.equal(undefined)
    })

    it('iterateTxIds and countTxs', async () => {
      const store = await openStore()
      const txs = [makeTx('one'), makeTx('two'), makeTx('three')]
      for (const tx of txs) {
        await store.putTx(tx, makeHistory(tx))
      }

      const ids = (await collect(store.iterateTxIds())).map((id) => toHex(id))
      expect(ids).to.deep.equal(txs.map((tx) => toHex(tx.txId)).sort())
      expect(await store.countTxs()).to.equal(3)
    })

    it('storedBytes sums payloads', async () => {
      const store = await openStore()
      expect(await store.storedBytes()).to.equal(0)
      for (const text of ['a', 'bb', 'cccc']) {
        const tx = makeTx(text)
        await store.putTx(tx, makeHistory(tx))
      }
      expect(await store.storedBytes()).to.equal(7)
    })
  })

  describe('acks and history', () => {
    it('putAck and getAcks', async () => {
      const store = await openStore()
      const tx = makeTx('acked')
      const other = makeTx('other')
      await store.putAck(makeAck(tx, 0x22))
      await store.putAck(makeAck(tx, 0x11))
      await store.putAck(makeAck(other, 0x33))

      const acks = await store.getAcks(tx.txId)
      expect(acks).to.deep.equal([makeAck(tx, 0x11), makeAck(tx, 0x22)])
    })

    it('putAck with history', async () => {
      const store = await openStore()
      const tx = makeTx('acked')
      const history: HistoryRecord = { ...makeHistory(tx, TxState.HELD), quorumAtMs: 1_500, ackCount: 3 }
      await store.putAck(makeAck(tx, 0x01), history)

      expect(await store.getHistory(tx.txId)).to.deep.equal(history)
      expect(await store.getAcks(tx.txId)).to.have.length(1)
    })

    it('putAck rejects other tx history', async () => {
      const store = await openStore()
      const tx = makeTx('acked')
      const err = await caught(async () => store.putAck(makeAck(tx, 1), makeHistory(makeTx('other'))))
      expect(err).to.be.instanceOf(RangeError)
      expect(await store.getAcks(tx.txId)).to.deep.equal([])
    })

    it('iterateAcks yields every ack', async () => {
      const store = await openStore()
      const first = makeTx('first')
      const second = makeTx('second')
      await store.putTx(first, makeHistory(first), makeAck(first, 0x01))
      await store.putAck(makeAck(second, 0x02))
      await store.putAck(makeAck(second, 0x03))

      const acks = await collect(store.iterateAcks())
      expect(acks).to.have.length(3)
      expect(acks).to.deep.include(makeAck(first, 0x01))
      expect(acks).to.deep.include(makeAck(second, 0x02))
      expect(acks).to.deep.include(makeAck(second, 0x03))
    })

    it('history round trip per state', async () => {
      const store = await openStore()
      const tx = makeTx('history')
      for (const state of [TxState.PENDING, TxState.HELD, TxState.EXPIRED]) {
        const history: HistoryRecord = { ...makeHistory(tx, state), quorumAtMs: state === TxState.PENDING ? 0 : 1_234, ackCount: 0 }
        await store.putHistory(history)
        expect(await store.getHistory(tx.txId)).to.deep.equal(history)
      }
    })

    it('putHistory rejects invalid fields', async () => {
      const store = await openStore()
      const history = makeHistory(makeTx('bad'))
      expect(await caught(async () => store.putHistory({ ...history, ackCount: -1 }))).to.be.instanceOf(RangeError)
      expect(await caught(async () => store.putHistory({ ...history, firstSeenMs: 2 ** 53 }))).to.be.instanceOf(RangeError)
      expect(await caught(async () => store.putHistory({ ...history, state: 'LOST' as TxState }))).to.be.instanceOf(RangeError)
    })
  })

  describe('grouped writes', () => {
    /** Counts the LevelDB batches the store writes from now on. */
    function countBatches (store: PohStore): { count: number } {
      const db = (store as unknown as { db: Level<Uint8Array, Uint8Array> }).db
      const counter = { count: 0 }
      const batch = db.batch.bind(db) as (...args: unknown[]) => Promise<void>
      ;(db as unknown as { batch: (...args: unknown[]) => Promise<void> }).batch = async (...args: unknown[]) => {
        counter.count++
        await batch(...args)
      }
      return counter
    }

    it('joins ACKs queued together', async () => {
      const db = await openStore()
      const tx = makeTx('grouped')
      await db.putTx(tx, makeHistory(tx))
      const batches = countBatches(db)

      await Promise.all([1, 2, 3, 4, 5].map(async (holder) => db.putAck(makeAck(tx, holder))))
      expect(await db.getAcks(tx.txId)).to.have.length(5)
      expect(batches.count).to.equal(1)
    })

    it('keeps call order around putTx', async () => {
      const db = await openStore()
      const tx = makeTx('ordered')
      const first = { ...makeHistory(tx), ackCount: 1 }
      const second = { ...makeHistory(tx), ackCount: 2 }
      const third = { ...makeHistory(tx), ackCount: 3 }

      await Promise.all([db.putHistory(first), db.putTx(tx, second), db.putHistory(third)])
      expect((await db.getHistory(tx.txId))?.ackCount).to.equal(3)
      await Promise.all([db.putHistory(third), db.putTx(tx, first)])
      expect((await db.getHistory(tx.txId))?.ackCount).to.equal(1)
    })

    it('leaves out ACK of collected tx', async () => {
      const db = await openStore()
      const collected = makeTx('collected', 2_000)
      const live = makeTx('live', 9_000)
      await db.putTx(collected, makeHistory(collected))
      await db.putTx(live, makeHistory(live))
      await db.deleteExpired(2_000, 10)
      const batches = countBatches(db)

      const stored = await Promise.all([db.putAck(makeAck(collected, 1)), db.putAck(makeAck(live, 1))])
      expect(stored).to.deep.equal([false, true])
      expect(batches.count).to.equal(1)
      expect(await db.getAcks(collected.txId)).to.deep.equal([])
      expect(await db.getAcks(live.txId)).to.deep.equal([makeAck(live, 1)])
      expect((await db.getHistory(collected.txId))?.state).to.equal(TxState.EXPIRED)
    })

    it('keeps ACK of tx awaiting repair', async () => {
      const db = await openStore()
      const tx = makeTx('awaiting repair')
      await db.putTx(tx, makeHistory(tx))
      expect(await db.deleteTx(tx.txId)).to.equal(true)

      expect(await db.putAck(makeAck(tx, 1))).to.equal(true)
      expect(await db.getAcks(tx.txId)).to.deep.equal([makeAck(tx, 1)])
    })

    it('rejects a write queued after close', async () => {
      const db = await openStore()
      const tx = makeTx('late')
      const closing = db.close()
      const err = await db.putAck(makeAck(tx, 1)).catch((e: unknown) => e)
      await closing
      expect(err).to.be.instanceOf(StorageError)
      expect((err as StorageError).code).to.equal('ERR_DB_CLOSED')
    })
  })

  describe('meta', () => {
    it('getMeta and putMeta', async () => {
      const store = await openStore()
      expect(await store.getMeta('sync_cursor')).to.equal(undefined)
      await store.putMeta('sync_cursor', Uint8Array.of(1, 2, 3))
      expect(await store.getMeta('sync_cursor')).to.deep.equal(Uint8Array.of(1, 2, 3))
    })
  })

  describe('corrupt records', () => {
    it('corrupt tx value is reported', async () => {
      const store = await openStore()
      const good = makeTx('good')
      const bad = makeTx('bad')
      await store.putTx(good, makeHistory(good))
      await store.putTx(bad, makeHistory(bad))
      await store.close()
      // Field 1 (payload) announces 5 bytes but only 1 follows.
      await withRawDb(dbPath, async (db) => db.put(txKey(bad.txId), Uint8Array.of(0x0a, 0x05, 0x01)))

      const reopened = await openStore()
      const err = expectStorageError(await caught(async () => reopened.getTx(bad.txId)), 'ERR_CORRUPT_RECORD')
      expect(err.message).to.include(`tx/${toHex(bad.txId)}`)
      expect(await reopened.getTx(good.txId)).to.deep.equal(good)
      expect(await reopened.hasTx(bad.txId)).to.equal(true)
      expect(await reopened.countTxs()).to.equal(2)
      expect(await reopened.storedBytes()).to.equal(good.payload.length)
    })

    it('corrupt history value is reported', async () => {
      const store = await openStore()
      const tx = makeTx('history')
      await store.putTx(tx, makeHistory(tx))
      await store.close()
      // A record without field 4 decodes with state 0, which is never written.
      await withRawDb(dbPath, async (db) => db.put(historyKey(tx.txId), Uint8Array.of(0x08, 0x01)))

      const reopened = await openStore()
      const err = expectStorageError(await caught(async () => reopened.getHistory(tx.txId)), 'ERR_CORRUPT_RECORD')
      expect(err.message).to.include(`hist/${toHex(tx.txId)}`)
      expect(await reopened.getTx(tx.txId)).to.deep.equal(tx)
    })

    it('malformed ack key is skipped', async () => {
      const store = await openStore()
      const tx = makeTx('acked')
      await store.putAck(makeAck(tx, 0x01))
      await store.close()
      const malformed = ackKey(tx.txId, new Uint8Array(32)).subarray(0, 50)
      await withRawDb(dbPath, async (db) => db.put(malformed, Uint8Array.of(1)))

      const reopened = await openStore()
      expect(await collect(reopened.iterateAcks())).to.deep.equal([makeAck(tx, 0x01)])
    })

    it('malformed ack key fails getAcks', async () => {
      const store = await openStore()
      const tx = makeTx('acked')
      await store.close()
      const malformed = new Uint8Array([...ackKey(tx.txId, new Uint8Array(32)), 0x00])
      await withRawDb(dbPath, async (db) => db.put(malformed, Uint8Array.of(1)))

      const reopened = await openStore()
      const err = expectStorageError(await caught(async () => reopened.getAcks(tx.txId)), 'ERR_CORRUPT_RECORD')
      expect(err.message).to.include(toHex(malformed))
    })
  })

  describe('after close', () => {
    it('operations reject with ERR_DB_CLOSED', async () => {
      const store = await openStore()
      const tx = makeTx('closed')
      await store.close()

      const operations: Array<() => Promise<unknown>> = [
        async () => store.getTx(tx.txId),
        async () => store.hasTx(tx.txId),
        async () => store.putTx(tx, makeHistory(tx)),
        async () => store.putAck(makeAck(tx, 1)),
        async () => store.getAcks(tx.txId),
        async () => collect(store.iterateAcks()),
        async () => collect(store.iterateTxIds()),
        async () => store.getHistory(tx.txId),
        async () => store.putHistory(makeHistory(tx)),
        async () => store.deleteExpired(nowMs, 10),
        async () => store.countTxs(),
        async () => store.storedBytes(),
        async () => store.getMeta('x'),
        async () => store.putMeta('x', Uint8Array.of(1)),
        async () => store.deleteExpiredHistory(nowMs, 10),
        async () => store.itemsByRange({ fromMs: 0, toMs: 1, limit: 1 }, 100),
        async () => store.itemsById([tx.txId], 100),
        async () => store.verifyPayloads({ onMismatch: () => {} }),
        async () => store.deleteTx(tx.txId),
        async () => store.compactAfterSweep()
      ]
      for (const operation of operations) {
        const err = expectStorageError(await caught(operation), 'ERR_DB_CLOSED')
        expect(err.message).to.include(dbPath)
      }
    })

    it('close twice resolves', async () => {
      const store = await openStore()
      await store.close()
      await store.close()
    })

    it('close waits for queued writes', async () => {
      const store = await openStore()
      const tx = makeTx('queued')
      const write = store.putTx(tx, makeHistory(tx))
      const closing = store.close()
      await write
      await closing

      const reopened = await openStore()
      expect(await reopened.hasTx(tx.txId)).to.equal(true)
    })
  })
})
