import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { Level } from 'level'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { pino } from 'pino'
import { commitExpiryPlan, planExpiredChunk } from '../../src/storage/expiry.js'
import type { ExpiredChunk } from '../../src/storage/expiry.js'
import { ackKey, expiryKey, historyKey, KeyPrefix, metaKey, prefixRange, txKey } from '../../src/storage/keys.js'
import { encodeStoredTx } from '../../src/storage/values.js'
import { WriteWatch } from '../../src/storage/write-watch.js'
import type { BatchOp } from '../../src/storage/types.js'
import { holdNextBatch } from './helpers.js'
import { PohStore } from '../../src/storage/store.js'
import type { HistoryRecord, StoredAck, StoredTx } from '../../src/storage/store.js'

const encoder = new TextEncoder()

function makeTx (text: string, expiresAtMs: number): StoredTx {
  const payload = encoder.encode(text)
  return {
    txId: computeTxId(payload),
    payload,
    receivedAtMs: 100,
    expiresAtMs,
    ttlSeconds: 1,
    requestTimestampMs: 90
  }
}

function makeHistory (tx: StoredTx, state = TxState.PENDING): HistoryRecord {
  return { txId: tx.txId, firstSeenMs: tx.receivedAtMs, quorumAtMs: 0, ackCount: 2, state, expiresAtMs: tx.expiresAtMs }
}

function makeAck (tx: StoredTx, holderByte: number): StoredAck {
  return { txId: tx.txId, holderId: new Uint8Array(32).fill(holderByte), ack: Uint8Array.of(holderByte) }
}

type RawDb = Level<Uint8Array, Uint8Array>

const silent = pino({ level: 'silent' })

async function withRawDb<T> (path: string, use: (db: RawDb) => Promise<T>): Promise<T> {
  const db = new Level<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  try {
    return await use(db)
  } finally {
    await db.close()
  }
}

/** Lists the raw `exp/` keys in hex, in key order. */
async function expiryKeysHex (path: string): Promise<string[]> {
  return withRawDb(path, async (db) => (await db.keys(prefixRange(KeyPrefix.EXPIRY)).all()).map((key) => toHex(key)))
}

describe('PohStore expiry', () => {
  let dir: string
  let dbPath: string
  let nowMs: number
  const clock = { now: () => nowMs }
  let store: PohStore | undefined

  async function openStore (): Promise<PohStore> {
    store = await PohStore.open({ path: dbPath, clock })
    return store
  }

  /** Closes the store so a test can read or plant raw entries, and reopens it afterwards. */
  async function withStoreClosed (use: () => Promise<void>): Promise<PohStore> {
    await store?.close()
    await use()
    return openStore()
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-expiry-'))
    dbPath = join(dir, 'db')
    nowMs = 1_000
    store = undefined
  })

  afterEach(async () => {
    await store?.close()
    await rm(dir, { recursive: true, force: true })
  })

  describe('deleteExpired', () => {
    it('deletes payload, exp and acks', async () => {
      const db = await openStore()
      const tx = makeTx('expiring', 2_000)
      const history: HistoryRecord = { ...makeHistory(tx, TxState.HELD), quorumAtMs: 1_500 }
      await db.putTx(tx, history, makeAck(tx, 0x01))
      await db.putAck(makeAck(tx, 0x02))

      nowMs = 2_000
      const result = await db.deleteExpired(nowMs, 10)
      expect(result.deleted).to.deep.equal([tx.txId])
      expect(result.more).to.equal(false)
      expect(await db.getTx(tx.txId)).to.equal(undefined)
      expect(await db.getAcks(tx.txId)).to.deep.equal([])
      expect(await db.getHistory(tx.txId)).to.deep.equal({ ...history, state: TxState.EXPIRED })

      await withStoreClosed(async () => {
        expect(await expiryKeysHex(dbPath)).to.deep.equal([])
      })
    })

    it('keeps records not yet due', async () => {
      const db = await openStore()
      const due = makeTx('due', 2_000)
      const later = makeTx('later', 2_001)
      await db.putTx(due, makeHistory(due), makeAck(due, 0x01))
      await db.putTx(later, makeHistory(later), makeAck(later, 0x01))

      const result = await db.deleteExpired(2_000, 10)
      expect(result.deleted.map(toHex)).to.deep.equal([toHex(due.txId)])
      expect(await db.getTx(later.txId)).to.deep.equal(later)
      expect(await db.getAcks(later.txId)).to.have.length(1)
      expect((await db.getHistory(later.txId))?.state).to.equal(TxState.PENDING)
    })

    it('nothing due returns empty', async () => {
      const db = await openStore()
      const tx = makeTx('later', 5_000)
      await db.putTx(tx, makeHistory(tx))
      expect(await db.deleteExpired(4_999, 10)).to.deep.equal({ deleted: [], more: false })
    })

    it('chunks by maxRecords', async () => {
      const db = await openStore()
      const txs = [1, 2, 3, 4, 5].map((n) => makeTx(`tx ${n}`, 1_000 + n))
      for (const tx of txs) {
        await db.putTx(tx, makeHistory(tx))
      }

      const first = await db.deleteExpired(10_000, 2)
      expect(first.deleted.map(toHex)).to.deep.equal([toHex(txs[0]!.txId), toHex(txs[1]!.txId)])
      expect(first.more).to.equal(true)
      expect(await db.countTxs()).to.equal(3)

      const second = await db.deleteExpired(10_000, 2)
      expect(second.deleted).to.have.length(2)
      expect(second.more).to.equal(true)

      const third = await db.deleteExpired(10_000, 2)
      expect(third.deleted.map(toHex)).to.deep.equal([toHex(txs[4]!.txId)])
      expect(third.more).to.equal(false)
      expect(await db.countTxs()).to.equal(0)
    })

    it('more is false at exact chunk', async () => {
      const db = await openStore()
      for (const n of [1, 2]) {
        const tx = makeTx(`tx ${n}`, 1_000 + n)
        await db.putTx(tx, makeHistory(tx))
      }
      const result = await db.deleteExpired(10_000, 2)
      expect(result.deleted).to.have.length(2)
      expect(result.more).to.equal(false)
    })

    it('more ignores records not due', async () => {
      const db = await openStore()
      for (const [text, expiresAtMs] of [['due', 1_000], ['later', 3_000]] as const) {
        const tx = makeTx(text, expiresAtMs)
        await db.putTx(tx, makeHistory(tx))
      }
      const result = await db.deleteExpired(2_000, 1)
      expect(result.deleted).to.have.length(1)
      expect(result.more).to.equal(false)
    })

    it('rejects invalid maxRecords', async () => {
      const db = await openStore()
      for (const maxRecords of [0, -1, 1.5, Number.NaN]) {
        let caught: unknown
        try {
          await db.deleteExpired(nowMs, maxRecords)
        } catch (err) {
          caught = err
        }
        expect(caught, String(maxRecords)).to.be.instanceOf(RangeError)
      }
    })

    it('rejects invalid nowMs', async () => {
      const db = await openStore()
      for (const badNowMs of [-1, 1.5, 2 ** 53]) {
        let caught: unknown
        try {
          await db.deleteExpired(badNowMs, 10)
        } catch (err) {
          caught = err
        }
        expect(caught, String(badNowMs)).to.be.instanceOf(RangeError)
      }
    })

    it('rebuilds missing history', async () => {
      let db = await openStore()
      const tx = makeTx('no history', 1_500)
      await db.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))
      db = await withStoreClosed(async () => {
        await withRawDb(dbPath, async (raw) => raw.del(historyKey(tx.txId)))
      })

      await db.deleteExpired(2_000, 10)
      expect(await db.getHistory(tx.txId)).to.deep.equal({
        txId: tx.txId,
        firstSeenMs: tx.receivedAtMs,
        quorumAtMs: 0,
        ackCount: 1,
        state: TxState.EXPIRED,
        expiresAtMs: tx.expiresAtMs
      })
    })

    it('deletes corrupt tx record', async () => {
      let db = await openStore()
      const tx = makeTx('corrupt', 1_500)
      await db.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))
      db = await withStoreClosed(async () => {
        await withRawDb(dbPath, async (raw) => raw.put(txKey(tx.txId), Uint8Array.of(0xff, 0xff)))
      })

      const result = await db.deleteExpired(2_000, 10)
      expect(result.deleted.map(toHex)).to.deep.equal([toHex(tx.txId)])
      expect(await db.hasTx(tx.txId)).to.equal(false)
      expect(await db.getAcks(tx.txId)).to.deep.equal([])
      expect((await db.getHistory(tx.txId))?.state).to.equal(TxState.EXPIRED)
    })

    it('deletes malformed exp key', async () => {
      let db = await openStore()
      const tx = makeTx('valid', 1_500)
      await db.putTx(tx, makeHistory(tx))
      const malformed = expiryKey(1_200, tx.txId).subarray(0, 20)
      db = await withStoreClosed(async () => {
        await withRawDb(dbPath, async (raw) => raw.put(malformed, new Uint8Array(0)))
      })

      const result = await db.deleteExpired(2_000, 10)
      expect(result.deleted.map(toHex)).to.deep.equal([toHex(tx.txId)])
      await withStoreClosed(async () => {
        expect(await expiryKeysHex(dbPath)).to.deep.equal([])
      })
    })
  })

  describe('writes during a sweep', () => {
    it('deletes ACK stored during read', async () => {
      const db = await openStore()
      const tx = makeTx('late ack', 2_000)
      await db.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))

      const sweep = db.deleteExpired(2_000, 10)
      await db.putAck(makeAck(tx, 0x02))
      expect((await sweep).deleted).to.deep.equal([tx.txId])
      expect(await db.getAcks(tx.txId)).to.deep.equal([])
      expect((await db.getHistory(tx.txId))?.state).to.equal(TxState.EXPIRED)
    })

    it('keeps tx stored again during read', async () => {
      const db = await openStore()
      const tx = makeTx('stored again', 2_000)
      await db.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))

      const sweep = db.deleteExpired(2_000, 10)
      const moved = { ...tx, expiresAtMs: 9_000 }
      await db.putTx(moved, makeHistory(moved))
      expect((await sweep).deleted).to.deep.equal([])
      expect(await db.getTx(tx.txId)).to.deep.equal(moved)
      expect(await db.getAcks(tx.txId)).to.have.length(1)
      await withStoreClosed(async () => {
        expect(await expiryKeysHex(dbPath)).to.deep.equal([toHex(expiryKey(9_000, tx.txId))])
      })
    })

    it('write finishes before the chunk', async () => {
      const db = await openStore()
      for (let n = 0; n < 200; n++) {
        const tx = makeTx(`backlog ${n}`, 2_000)
        await db.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))
      }
      const finished: string[] = []
      const sweep = db.deleteExpired(2_000, 200).then((chunk) => { finished.push('sweep'); return chunk })
      const fresh = makeTx('fresh', 9_000)
      await db.putTx(fresh, makeHistory(fresh), makeAck(fresh, 0x01))
      finished.push('write')
      expect((await sweep).deleted).to.have.length(200)
      expect(finished).to.deep.equal(['write', 'sweep'])
      expect(await db.getTx(fresh.txId)).to.deep.equal(fresh)
    })

    it('keeps tx whose write was in flight', async () => {
      const db = await openStore()
      const tx = makeTx('in flight', 2_000)
      await db.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))

      // The batch that stores the tx again is on its way to disk when the sweep starts reading.
      const slowBatch = holdNextBatch(db)
      const moved = { ...tx, expiresAtMs: 9_000 }
      const put = db.putTx(moved, makeHistory(moved))
      await new Promise((resolve) => setImmediate(resolve))
      const sweep = db.deleteExpired(2_000, 10)
      await new Promise((resolve) => setTimeout(resolve, 50))
      slowBatch.release()

      await put
      expect((await sweep).deleted).to.deep.equal([])
      expect(await db.getTx(tx.txId)).to.deep.equal(moved)
      expect(await db.getAcks(tx.txId)).to.have.length(1)
      expect((await db.getHistory(tx.txId))?.state).to.equal(TxState.PENDING)
    })

    it('drops ACK queued after the chunk', async () => {
      const db = await openStore()
      const tx = makeTx('acked late', 2_000)
      await db.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))

      // Another write occupies the queue, so the planned chunk waits behind it.
      const slowBatch = holdNextBatch(db)
      const backlog = makeTx('backlog', 9_000)
      const writing = db.putTx(backlog, makeHistory(backlog))
      const sweep = db.deleteExpired(2_000, 10)
      await new Promise((resolve) => setTimeout(resolve, 50))

      // As the gossip handler does: it reads the tx, then stores the ACK.
      expect(await db.getTx(tx.txId)).to.deep.equal(tx)
      const late = db.putAck(makeAck(tx, 0x02), { ...makeHistory(tx), state: TxState.HELD })
      slowBatch.release()

      await writing
      expect((await sweep).deleted).to.deep.equal([tx.txId])
      expect(await late).to.equal(false)
      expect(await db.getAcks(tx.txId)).to.deep.equal([])
      expect((await db.getHistory(tx.txId))?.state).to.equal(TxState.EXPIRED)
    })

    it('serializes overlapping calls', async () => {
      const db = await openStore()
      const tx = makeTx('swept once', 2_000)
      await db.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))

      const results = await Promise.all([db.deleteExpired(2_000, 10), db.deleteExpired(2_000, 10)])
      expect(results.map((chunk) => chunk.deleted.length)).to.deep.equal([1, 0])
    })
  })

  describe('a plan read before a write', () => {
    const retentionMs = 1_000

    /** Plans a chunk on the raw database, runs `write` with a watch open, then commits. */
    async function planWriteCommit (write: (raw: RawDb, watch: WriteWatch) => Promise<void>): Promise<ExpiredChunk> {
      await store?.close()
      store = undefined
      return withRawDb(dbPath, async (raw) => {
        const watch = new WriteWatch()
        const touched = watch.begin()
        const plan = await planExpiredChunk(raw, silent, 2_000, 10, retentionMs)
        await write(raw, watch)
        return commitExpiryPlan(raw, silent, plan, touched, retentionMs)
      })
    }

    it('replans touched tx with new ACK', async () => {
      const tx = makeTx('late ack', 2_000)
      await (await openStore()).putTx(tx, makeHistory(tx), makeAck(tx, 0x01))
      const late = makeAck(tx, 0x02)
      const op: BatchOp = { type: 'put', key: ackKey(late.txId, late.holderId), value: late.ack }

      const chunk = await planWriteCommit(async (raw, watch) => {
        watch.note([op])
        await raw.batch([op])
      })
      expect(chunk.deleted).to.deep.equal([tx.txId])
      expect(await (await openStore()).getAcks(tx.txId)).to.deep.equal([])
    })

    it('keeps touched tx with later expiry', async () => {
      const tx = makeTx('stored again', 2_000)
      await (await openStore()).putTx(tx, makeHistory(tx), makeAck(tx, 0x01))
      const moved = { ...tx, expiresAtMs: 9_000 }
      const op: BatchOp = { type: 'put', key: txKey(tx.txId), value: encodeStoredTx(moved) }

      const chunk = await planWriteCommit(async (raw, watch) => {
        watch.note([op])
        await raw.batch([op, { type: 'put', key: expiryKey(9_000, tx.txId), value: new Uint8Array(0) }])
      })
      expect(chunk.deleted).to.deep.equal([])
      const db = await openStore()
      expect(await db.getTx(tx.txId)).to.deep.equal(moved)
      expect(await db.getAcks(tx.txId)).to.have.length(1)
    })

    it('notes only tx, ACK and history keys', () => {
      const tx = makeTx('noted', 2_000)
      const watch = new WriteWatch()
      const touched = watch.begin()
      watch.note([
        { type: 'del', key: expiryKey(2_000, tx.txId) },
        { type: 'put', key: metaKey('x'), value: new Uint8Array(0) }
      ])
      expect([...touched]).to.deep.equal([])
      watch.note([{ type: 'put', key: historyKey(tx.txId), value: new Uint8Array(0) }])
      expect([...touched]).to.deep.equal([toHex(tx.txId)])
      watch.end(touched)
    })
  })

  describe('re-put', () => {
    it('same expiry keeps one exp key', async () => {
      let db = await openStore()
      const tx = makeTx('again', 3_000)
      await db.putTx(tx, makeHistory(tx))
      await db.putTx(tx, makeHistory(tx, TxState.HELD))
      db = await withStoreClosed(async () => {
        expect(await expiryKeysHex(dbPath)).to.deep.equal([toHex(expiryKey(3_000, tx.txId))])
      })
    })

    it('new expiry replaces exp key', async () => {
      let db = await openStore()
      const tx = makeTx('moved', 3_000)
      await db.putTx(tx, makeHistory(tx))
      const moved = { ...tx, expiresAtMs: 9_000 }
      await db.putTx(moved, makeHistory(moved))
      db = await withStoreClosed(async () => {
        expect(await expiryKeysHex(dbPath)).to.deep.equal([toHex(expiryKey(9_000, tx.txId))])
      })

      expect((await db.deleteExpired(3_000, 10)).deleted).to.deep.equal([])
      expect(await db.getTx(tx.txId)).to.deep.equal(moved)
    })

    it('stale exp key is dropped', async () => {
      // An index entry left by an older expiry must not delete the tx early.
      let db = await openStore()
      const tx = makeTx('stale index', 9_000)
      await db.putTx(tx, makeHistory(tx))
      db = await withStoreClosed(async () => {
        await withRawDb(dbPath, async (raw) => raw.put(expiryKey(3_000, tx.txId), new Uint8Array(0)))
      })

      expect((await db.deleteExpired(3_000, 10)).deleted).to.deep.equal([])
      expect(await db.getTx(tx.txId)).to.deep.equal(tx)
      await withStoreClosed(async () => {
        expect(await expiryKeysHex(dbPath)).to.deep.equal([toHex(expiryKey(9_000, tx.txId))])
      })
    })

    it('replaces corrupt record', async () => {
      let db = await openStore()
      const tx = makeTx('repaired', 3_000)
      await db.putTx(tx, makeHistory(tx))
      db = await withStoreClosed(async () => {
        await withRawDb(dbPath, async (raw) => raw.put(txKey(tx.txId), Uint8Array.of(0x0a, 0x09)))
      })

      const repaired = { ...tx, expiresAtMs: 8_000 }
      await db.putTx(repaired, makeHistory(repaired))
      expect(await db.getTx(tx.txId)).to.deep.equal(repaired)
      await withStoreClosed(async () => {
        expect(await expiryKeysHex(dbPath)).to.deep.equal([toHex(expiryKey(8_000, tx.txId))])
      })
    })
  })
})
