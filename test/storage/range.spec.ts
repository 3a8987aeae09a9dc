import { expect } from 'chai'
import { toHex } from '../../src/core/hash.js'
import { encodeRangeCursor, KeyPrefix, timeKey, txKey } from '../../src/storage/keys.js'
import { encodeStoredTx } from '../../src/storage/values.js'
import { caught, keysHexUnder, makeAck, makeHistory, makeTx, StoreFixture } from './helpers.js'
import type { PohStore, RangePage, RangeQuery, StoredTx } from '../../src/storage/store.js'

/** Stores `tx` with one 3-byte ACK, so its item costs payload length + 3 bytes. */
async function putWithAck (store: PohStore, tx: StoredTx, holderByte = 0x01): Promise<void> {
  await store.putTx(tx, makeHistory(tx), makeAck(tx, holderByte))
}

function idsOf (page: { items: Array<{ tx: StoredTx }> }): string[] {
  return page.items.map((item) => toHex(item.tx.txId))
}

/** Reads every page of a range and returns the pages. */
async function readAllPages (store: PohStore, query: RangeQuery, maxBytes: number): Promise<RangePage[]> {
  const pages: RangePage[] = []
  let cursor: Uint8Array | undefined
  do {
    const page = await store.itemsByRange({ ...query, cursor }, maxBytes)
    pages.push(page)
    cursor = page.nextCursor
    if (pages.length > 100) {
      throw new Error('range read does not advance')
    }
  } while (cursor !== undefined)
  return pages
}

describe('PohStore repair reads', () => {
  const fixture = new StoreFixture()

  beforeEach(async () => { await fixture.setup() })
  afterEach(async () => { await fixture.teardown() })

  describe('itemsByRange', () => {
    it('returns tx with acks', async () => {
      const store = await fixture.open()
      const tx = makeTx('with acks', { requestTimestampMs: 500 })
      await store.putTx(tx, makeHistory(tx), makeAck(tx, 0x02))
      await store.putAck(makeAck(tx, 0x01))

      const page = await store.itemsByRange({ fromMs: 0, toMs: 1_000, limit: 10 }, 1_000)
      expect(page.items).to.deep.equal([{ tx, acks: [makeAck(tx, 0x01), makeAck(tx, 0x02)] }])
      expect(page.oversized).to.deep.equal([])
      expect(page.nextCursor).to.equal(undefined)
    })

    it('bounds are inclusive', async () => {
      const store = await fixture.open()
      const txs = [100, 200, 300].map((ms) => makeTx(`at ${ms}`, { requestTimestampMs: ms }))
      for (const tx of txs) {
        await putWithAck(store, tx)
      }
      const [at100, at200, at300] = txs.map((tx) => toHex(tx.txId))

      expect(idsOf(await store.itemsByRange({ fromMs: 100, toMs: 300, limit: 10 }, 1_000))).to.deep.equal([at100, at200, at300])
      expect(idsOf(await store.itemsByRange({ fromMs: 200, toMs: 200, limit: 10 }, 1_000))).to.deep.equal([at200])
      expect(idsOf(await store.itemsByRange({ fromMs: 101, toMs: 299, limit: 10 }, 1_000))).to.deep.equal([at200])
      expect(idsOf(await store.itemsByRange({ fromMs: 301, toMs: 10_000, limit: 10 }, 1_000))).to.deep.equal([])
      expect(idsOf(await store.itemsByRange({ fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, limit: 10 }, 1_000))).to.have.length(3)
    })

    it('equal timestamps sort by tx_id', async () => {
      const store = await fixture.open()
      const txs = ['x', 'y', 'z', 'w'].map((text) => makeTx(text, { requestTimestampMs: 700 }))
      for (const tx of txs) {
        await putWithAck(store, tx)
      }
      const page = await store.itemsByRange({ fromMs: 700, toMs: 700, limit: 10 }, 1_000)
      expect(idsOf(page)).to.deep.equal(txs.map((tx) => toHex(tx.txId)).sort())
    })

    it('skips expired payloads', async () => {
      const store = await fixture.open()
      const expired = makeTx('expired', { requestTimestampMs: 100, expiresAtMs: 2_000 })
      const live = makeTx('live', { requestTimestampMs: 200, expiresAtMs: 9_000 })
      await putWithAck(store, expired)
      await putWithAck(store, live)
      await store.deleteExpired(2_000, 10)

      const page = await store.itemsByRange({ fromMs: 0, toMs: 1_000, limit: 10 }, 1_000)
      expect(idsOf(page)).to.deep.equal([toHex(live.txId)])

      // The index key outlives the payload while the history is kept.
      const { store: reopened, result: timeKeys } = await fixture.withRaw(async (db) => keysHexUnder(db, KeyPrefix.TIME))
      expect(timeKeys).to.include(toHex(timeKey(100, expired.txId)))
      expect(idsOf(await reopened.itemsByRange({ fromMs: 100, toMs: 100, limit: 10 }, 1_000))).to.deep.equal([])
    })

    it('pages by limit', async () => {
      const store = await fixture.open()
      const txs = [1, 2, 3, 4, 5].map((n) => makeTx(`tx ${n}`, { requestTimestampMs: 100 * n }))
      for (const tx of txs) {
        await putWithAck(store, tx)
      }
      const query = { fromMs: 0, toMs: 1_000, limit: 2 }

      const first = await store.itemsByRange(query, 1_000)
      expect(idsOf(first)).to.deep.equal([toHex(txs[0]!.txId), toHex(txs[1]!.txId)])
      expect(toHex(first.nextCursor ?? new Uint8Array())).to.equal('00000000000000c8' + toHex(txs[1]!.txId))

      const second = await store.itemsByRange({ ...query, cursor: first.nextCursor }, 1_000)
      expect(idsOf(second)).to.deep.equal([toHex(txs[2]!.txId), toHex(txs[3]!.txId)])
      expect(second.nextCursor).to.not.equal(undefined)

      const third = await store.itemsByRange({ ...query, cursor: second.nextCursor }, 1_000)
      expect(idsOf(third)).to.deep.equal([toHex(txs[4]!.txId)])
      expect(third.nextCursor).to.equal(undefined)
    })

    it('exact last page has no cursor', async () => {
      const store = await fixture.open()
      for (const n of [1, 2]) {
        await putWithAck(store, makeTx(`tx ${n}`, { requestTimestampMs: n }))
      }
      const page = await store.itemsByRange({ fromMs: 0, toMs: 10, limit: 2 }, 1_000)
      expect(page.items).to.have.length(2)
      expect(page.nextCursor).to.equal(undefined)
    })

    it('stops before passing maxBytes', async () => {
      const store = await fixture.open()
      // Each item costs 10 payload bytes + 3 ACK bytes = 13 bytes.
      const txs = ['a', 'b', 'c', 'd', 'e'].map((letter, i) => makeTx(letter.repeat(10), { requestTimestampMs: 10 + i }))
      for (const tx of txs) {
        await putWithAck(store, tx)
      }
      const query = { fromMs: 0, toMs: 100, limit: 100 }

      const first = await store.itemsByRange(query, 30)
      expect(idsOf(first)).to.deep.equal([toHex(txs[0]!.txId), toHex(txs[1]!.txId)])
      expect(toHex(first.nextCursor ?? new Uint8Array())).to.equal(toHex(encodeRangeCursor(11, txs[1]!.txId)))

      const exact = await store.itemsByRange({ ...query, cursor: first.nextCursor }, 39)
      expect(idsOf(exact)).to.deep.equal(txs.slice(2).map((tx) => toHex(tx.txId)))
      expect(exact.nextCursor).to.equal(undefined)
    })

    it('pages cover range once', async () => {
      const store = await fixture.open()
      const txs = Array.from({ length: 23 }, (_, i) => makeTx(`payload ${i}`.padEnd(8 + (i % 5) * 7, '.'), { requestTimestampMs: 1_000 + (i % 7) }))
      for (const tx of txs) {
        await putWithAck(store, tx)
      }

      const pages = await readAllPages(store, { fromMs: 1_000, toMs: 1_006, limit: 4 }, 60)
      const seen = pages.flatMap((page) => idsOf(page))
      expect(seen).to.have.length(txs.length)
      expect(new Set(seen).size).to.equal(txs.length)
      for (const page of pages) {
        const bytes = page.items.reduce((sum, item) => sum + item.tx.payload.length + item.acks.reduce((s, a) => s + a.ack.length, 0), 0)
        expect(bytes).to.be.at.most(60)
        expect(page.items.length).to.be.at.most(4)
      }
    })

    it('oversized item is reported', async () => {
      const store = await fixture.open()
      const small1 = makeTx('small one', { requestTimestampMs: 1 })
      const big = makeTx('x'.repeat(100), { requestTimestampMs: 2 })
      const small2 = makeTx('small two', { requestTimestampMs: 3 })
      for (const tx of [small1, big, small2]) {
        await putWithAck(store, tx)
      }

      const page = await store.itemsByRange({ fromMs: 0, toMs: 10, limit: 10 }, 50)
      expect(idsOf(page)).to.deep.equal([toHex(small1.txId), toHex(small2.txId)])
      expect(page.oversized.map(toHex)).to.deep.equal([toHex(big.txId)])
      expect(page.nextCursor).to.equal(undefined)
    })

    it('oversized first item advances', async () => {
      const store = await fixture.open()
      const big = makeTx('x'.repeat(100), { requestTimestampMs: 1 })
      const small = makeTx('small', { requestTimestampMs: 2 })
      for (const tx of [big, small]) {
        await putWithAck(store, tx)
      }

      const first = await store.itemsByRange({ fromMs: 0, toMs: 10, limit: 1 }, 50)
      expect(first.items).to.deep.equal([])
      expect(first.oversized.map(toHex)).to.deep.equal([toHex(big.txId)])
      expect(toHex(first.nextCursor ?? new Uint8Array())).to.equal(toHex(encodeRangeCursor(1, big.txId)))

      const second = await store.itemsByRange({ fromMs: 0, toMs: 10, limit: 1, cursor: first.nextCursor }, 50)
      expect(idsOf(second)).to.deep.equal([toHex(small.txId)])
    })

    it('item equal to maxBytes fits', async () => {
      const store = await fixture.open()
      const tx = makeTx('0123456789', { requestTimestampMs: 5 })
      await putWithAck(store, tx)
      const page = await store.itemsByRange({ fromMs: 0, toMs: 10, limit: 10 }, 13)
      expect(idsOf(page)).to.deep.equal([toHex(tx.txId)])
      expect(page.oversized).to.deep.equal([])
    })

    it('maxScanned bounds the work', async () => {
      const store = await fixture.open()
      const expired = [1, 2, 3, 4].map((n) => makeTx(`expired ${n}`, { requestTimestampMs: n, expiresAtMs: 2_000 }))
      const live = makeTx('live', { requestTimestampMs: 9, expiresAtMs: 9_000 })
      for (const tx of [...expired, live]) {
        await putWithAck(store, tx)
      }
      await store.deleteExpired(2_000, 10)

      const query = { fromMs: 0, toMs: 10, limit: 10, maxScanned: 3 }
      const first = await store.itemsByRange(query, 1_000)
      expect(first.items).to.deep.equal([])
      expect(toHex(first.nextCursor ?? new Uint8Array())).to.equal(toHex(encodeRangeCursor(3, expired[2]!.txId)))

      const second = await store.itemsByRange({ ...query, cursor: first.nextCursor }, 1_000)
      expect(idsOf(second)).to.deep.equal([toHex(live.txId)])
      expect(second.nextCursor).to.equal(undefined)
    })

    it('cursor before fromMs starts at fromMs', async () => {
      const store = await fixture.open()
      const early = makeTx('early', { requestTimestampMs: 5 })
      const inRange = makeTx('in range', { requestTimestampMs: 50 })
      await putWithAck(store, early)
      await putWithAck(store, inRange)

      const page = await store.itemsByRange({ fromMs: 50, toMs: 60, limit: 10, cursor: encodeRangeCursor(1, early.txId) }, 1_000)
      expect(idsOf(page)).to.deep.equal([toHex(inRange.txId)])
    })

    it('cursor past toMs is empty', async () => {
      const store = await fixture.open()
      const tx = makeTx('in range', { requestTimestampMs: 50 })
      await putWithAck(store, tx)

      const page = await store.itemsByRange({ fromMs: 0, toMs: 60, limit: 10, cursor: encodeRangeCursor(61, tx.txId) }, 1_000)
      expect(page).to.deep.equal({ items: [], oversized: [] })
    })

    it('malformed cursor is RangeError', async () => {
      const store = await fixture.open()
      for (const cursor of [new Uint8Array(0), new Uint8Array(39), new Uint8Array(41), new Uint8Array(40).fill(0xff)]) {
        const err = await caught(async () => store.itemsByRange({ fromMs: 0, toMs: 10, limit: 1, cursor }, 100))
        expect(err, `cursor of ${cursor.length} bytes`).to.be.instanceOf(RangeError)
      }
    })

    it('invalid query is RangeError', async () => {
      const store = await fixture.open()
      const valid = { fromMs: 0, toMs: 10, limit: 1 }
      const cases: Array<[string, RangeQuery, number]> = [
        ['fromMs after toMs', { ...valid, fromMs: 11 }, 100],
        ['negative fromMs', { ...valid, fromMs: -1 }, 100],
        ['fractional toMs', { ...valid, toMs: 1.5 }, 100],
        ['zero limit', { ...valid, limit: 0 }, 100],
        ['zero maxScanned', { ...valid, maxScanned: 0 }, 100],
        ['zero maxBytes', valid, 0]
      ]
      for (const [name, query, maxBytes] of cases) {
        expect(await caught(async () => store.itemsByRange(query, maxBytes)), name).to.be.instanceOf(RangeError)
      }
    })

    it('corrupt payload is not served', async () => {
      const store = await fixture.open()
      const good = makeTx('good', { requestTimestampMs: 1 })
      const bad = makeTx('bad', { requestTimestampMs: 2 })
      await putWithAck(store, good)
      await putWithAck(store, bad)
      const { store: reopened } = await fixture.withRaw(async (db) => {
        await db.put(txKey(bad.txId), encodeStoredTx({ ...bad, payload: new TextEncoder().encode('tampered') }))
      })

      const page = await reopened.itemsByRange({ fromMs: 0, toMs: 10, limit: 10 }, 1_000)
      expect(idsOf(page)).to.deep.equal([toHex(good.txId)])
      expect((await reopened.itemsById([bad.txId], 1_000)).items).to.deep.equal([])
    })

    it('stale time key is not served', async () => {
      const store = await fixture.open()
      const tx = makeTx('moved', { requestTimestampMs: 40 })
      await putWithAck(store, tx)
      const { store: reopened } = await fixture.withRaw(async (db) => {
        await db.put(timeKey(10, tx.txId), new Uint8Array(0))
      })

      const page = await reopened.itemsByRange({ fromMs: 0, toMs: 100, limit: 10 }, 1_000)
      expect(idsOf(page)).to.deep.equal([toHex(tx.txId)])
    })
  })

  describe('itemsById', () => {
    it('returns present ids in order', async () => {
      const store = await fixture.open()
      const first = makeTx('first')
      const second = makeTx('second')
      const absent = makeTx('absent')
      await putWithAck(store, first)
      await putWithAck(store, second, 0x07)

      const page = await store.itemsById([second.txId, absent.txId, first.txId, second.txId], 1_000)
      expect(page.items).to.deep.equal([
        { tx: second, acks: [makeAck(second, 0x07)] },
        { tx: first, acks: [makeAck(first, 0x01)] }
      ])
      expect(page.oversized).to.deep.equal([])
      expect(page.leftOff).to.deep.equal([])
    })

    it('fills the byte budget', async () => {
      const store = await fixture.open()
      // Items cost 13, 23, 103 and 8 bytes.
      const a = makeTx('a'.repeat(10))
      const b = makeTx('b'.repeat(20))
      const huge = makeTx('h'.repeat(100))
      const c = makeTx('c'.repeat(5))
      for (const tx of [a, b, huge, c]) {
        await putWithAck(store, tx)
      }

      const page = await store.itemsById([a.txId, b.txId, huge.txId, c.txId], 30)
      expect(idsOf(page)).to.deep.equal([toHex(a.txId), toHex(c.txId)])
      expect(page.leftOff.map(toHex)).to.deep.equal([toHex(b.txId)])
      expect(page.oversized.map(toHex)).to.deep.equal([toHex(huge.txId)])
    })

    it('rejects wrong id length', async () => {
      const store = await fixture.open()
      const err = await caught(async () => store.itemsById([new Uint8Array(32), new Uint8Array(31)], 100))
      expect(err).to.be.instanceOf(RangeError)
      expect((err as Error).message).to.equal('txIds[1] must be 32 bytes, got 31')
    })
  })
})
