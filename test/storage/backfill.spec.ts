import { expect } from 'chai'
import { toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { historyExpiryKey, KeyPrefix, metaKey, prefixRange, timeKey } from '../../src/storage/keys.js'
import { keysHexUnder, makeHistory, makeTx, StoreFixture } from './helpers.js'
import type { RawDb } from './helpers.js'

const RETENTION_MS = 5_000

/** Deletes what a build without the `time/` and `hexp/` indexes never wrote. */
async function removeIndexes (db: RawDb): Promise<void> {
  for (const prefix of [KeyPrefix.TIME, KeyPrefix.HISTORY_EXPIRY]) {
    const range = prefixRange(prefix)
    await db.clear({ gte: range.gte, lt: range.lt })
  }
  await db.del(metaKey('index_version'))
}

describe('PohStore index backfill', () => {
  const fixture = new StoreFixture({ historyRetentionMs: RETENTION_MS })

  beforeEach(async () => { await fixture.setup() })
  afterEach(async () => { await fixture.teardown() })

  it('new database gets the marker', async () => {
    await fixture.open()
    const { result } = await fixture.withRaw(async (db) => db.get(metaKey('index_version')))
    expect(toHex(result ?? new Uint8Array())).to.equal('00000001')
  })

  it('builds indexes of older data', async () => {
    const store = await fixture.open()
    const expired = makeTx('expired', { requestTimestampMs: 100, expiresAtMs: 2_000 })
    const live = makeTx('live', { requestTimestampMs: 200, expiresAtMs: 9_000 })
    await store.putTx(expired, makeHistory(expired))
    await store.putTx(live, makeHistory(live))
    await store.deleteExpired(2_000, 10)
    await fixture.withRaw(removeIndexes)

    const { store: rebuilt, result } = await fixture.withRaw(async (db) => ({
      time: await keysHexUnder(db, KeyPrefix.TIME),
      hexp: await db.iterator(prefixRange(KeyPrefix.HISTORY_EXPIRY)).all(),
      marker: await db.get(metaKey('index_version'))
    }))
    expect(result.time).to.deep.equal([toHex(timeKey(200, live.txId))])
    expect(result.hexp.map(([key, value]) => [toHex(key), toHex(value)])).to.deep.equal([
      [toHex(historyExpiryKey(2_000 + RETENTION_MS, expired.txId)), '']
    ])
    expect(toHex(result.marker ?? new Uint8Array())).to.equal('00000001')

    const page = await rebuilt.itemsByRange({ fromMs: 0, toMs: 1_000, limit: 10 }, 1_000)
    expect(page.items.map((item) => toHex(item.tx.txId))).to.deep.equal([toHex(live.txId)])
    expect(await rebuilt.deleteExpiredHistory(2_000 + RETENTION_MS, 10)).to.deep.equal({ deleted: 1, more: false })
    expect(await rebuilt.getHistory(expired.txId)).to.equal(undefined)
    expect((await rebuilt.getHistory(live.txId))?.state).to.equal(TxState.PENDING)
  })

  it('runs once', async () => {
    const store = await fixture.open()
    const tx = makeTx('indexed', { requestTimestampMs: 300 })
    await store.putTx(tx, makeHistory(tx))
    await fixture.withRaw(async (db) => db.del(timeKey(300, tx.txId)))

    const { result } = await fixture.withRaw(async (db) => keysHexUnder(db, KeyPrefix.TIME))
    expect(result).to.deep.equal([])
  })

  it('damaged marker runs again', async () => {
    const store = await fixture.open()
    const tx = makeTx('indexed', { requestTimestampMs: 300 })
    await store.putTx(tx, makeHistory(tx))
    await fixture.withRaw(async (db) => {
      await db.del(timeKey(300, tx.txId))
      await db.put(metaKey('index_version'), Uint8Array.of(1))
    })

    const { result } = await fixture.withRaw(async (db) => keysHexUnder(db, KeyPrefix.TIME))
    expect(result).to.deep.equal([toHex(timeKey(300, tx.txId))])
  })
})
