import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { toHex } from '../../src/core/hash.js'
import { KeyPrefix, prefixRange } from '../../src/storage/keys.js'
import { caught, makeAck, makeHistory, makeTx, StoreFixture } from './helpers.js'
import type { RawDb } from './helpers.js'

/** classic-level's approximateSize, which the browser-compatible `level` type leaves out. */
async function approximateSizeOf (db: RawDb, prefix: Uint8Array): Promise<number> {
  const range = prefixRange(prefix)
  const sized = db as unknown as { approximateSize: (start: Uint8Array, end: Uint8Array) => Promise<number> }
  return sized.approximateSize(range.gte, range.lt)
}

describe('PohStore compaction', () => {
  const fixture = new StoreFixture()

  beforeEach(async () => { await fixture.setup() })
  afterEach(async () => { await fixture.teardown() })

  it('compacts after a sweep', async () => {
    const store = await fixture.open()
    // Random hex, so that LevelDB's Snappy compression cannot shrink the payloads much.
    const expiring = Array.from({ length: 500 }, (_, i) => makeTx(`expiring ${i} ${randomBytes(512).toString('hex')}`, { expiresAtMs: 2_000 }))
    for (const tx of expiring) {
      await store.putTx(tx, makeHistory(tx), makeAck(tx, 0x01))
    }
    const kept = makeTx('kept', { expiresAtMs: 9_000 })
    await store.putTx(kept, makeHistory(kept), makeAck(kept, 0x02))
    await store.putMeta('sync_cursor', Uint8Array.of(1, 2, 3))

    // Reopening writes the log to a table file, so the size is measurable.
    const { store: reopened, result: sizeBefore } = await fixture.withRaw(async (db) => approximateSizeOf(db, KeyPrefix.TX))
    expect(sizeBefore).to.be.greaterThan(250_000)

    let more = true
    while (more) {
      more = (await reopened.deleteExpired(2_000, 100)).more
    }
    await reopened.compactAfterSweep()

    expect(await reopened.getTx(kept.txId)).to.deep.equal(kept)
    expect(await reopened.getAcks(kept.txId)).to.deep.equal([makeAck(kept, 0x02)])
    expect(await reopened.getHistory(kept.txId)).to.deep.equal(makeHistory(kept))
    expect(await reopened.getMeta('sync_cursor')).to.deep.equal(Uint8Array.of(1, 2, 3))
    expect(await reopened.countTxs()).to.equal(1)
    expect((await reopened.getHistory(expiring[0]!.txId))?.txId).to.deep.equal(expiring[0]!.txId)

    const { result: sizeAfter } = await fixture.withRaw(async (db) => approximateSizeOf(db, KeyPrefix.TX))
    expect(sizeAfter).to.be.lessThan(sizeBefore / 10)
  })

  it('compactRange of one prefix', async () => {
    const store = await fixture.open()
    const tx = makeTx('stays')
    await store.putTx(tx, makeHistory(tx))
    await store.compactRange(KeyPrefix.ACK)
    expect(await store.getTx(tx.txId)).to.deep.equal(tx)
    expect((await store.itemsByRange({ fromMs: 0, toMs: 10_000, limit: 10 }, 1_000)).items.map((item) => toHex(item.tx.txId))).to.deep.equal([toHex(tx.txId)])
  })

  it('history compaction keeps live data', async () => {
    const store = await fixture.open()
    const expired = makeTx('expired', { expiresAtMs: 2_000 })
    const kept = makeTx('kept', { expiresAtMs: 9_000 })
    await store.putTx(expired, makeHistory(expired))
    await store.putTx(kept, makeHistory(kept))
    await store.deleteExpired(2_000, 10)
    await store.deleteExpiredHistory(Number.MAX_SAFE_INTEGER, 10)

    await store.compactAfterHistorySweep()
    expect(await store.getHistory(expired.txId)).to.equal(undefined)
    expect(await store.getHistory(kept.txId)).to.deep.equal(makeHistory(kept))
    expect(await store.getTx(kept.txId)).to.deep.equal(kept)
  })

  it('rejects invalid prefix', async () => {
    const store = await fixture.open()
    expect(await caught(async () => store.compactRange(new Uint8Array(0)))).to.be.instanceOf(RangeError)
    expect(await caught(async () => store.compactRange(Uint8Array.of(0x61, 0xff)))).to.be.instanceOf(RangeError)
  })
})
