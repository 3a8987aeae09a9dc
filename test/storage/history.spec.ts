import { expect } from 'chai'
import { toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { historyExpiryKey, historyKey, KeyPrefix, prefixRange, timeKey, txKey } from '../../src/storage/keys.js'
import { DEFAULT_HISTORY_RETENTION_MS, PohStore } from '../../src/storage/store.js'
import { caught, keysHexUnder, makeAck, makeHistory, makeTx, StoreFixture } from './helpers.js'
import type { RawDb } from './helpers.js'

const RETENTION_MS = 5_000

/** Lists the tx_ids (hex) that have a `time/` key but no `hist/` record. */
async function orphanTimeKeys (db: RawDb): Promise<string[]> {
  const orphans: string[] = []
  for (const key of await db.keys(prefixRange(KeyPrefix.TIME)).all()) {
    const txId = key.subarray(key.length - 32)
    if (!(await db.has(historyKey(txId)))) {
      orphans.push(toHex(txId))
    }
  }
  return orphans
}

describe('PohStore history retention', () => {
  const fixture = new StoreFixture({ historyRetentionMs: RETENTION_MS })

  beforeEach(async () => { await fixture.setup() })
  afterEach(async () => { await fixture.teardown() })

  it('expiry writes hexp key', async () => {
    const store = await fixture.open()
    const tx = makeTx('expiring', { requestTimestampMs: 990, expiresAtMs: 2_000 })
    await store.putTx(tx, makeHistory(tx))
    await store.deleteExpired(2_000, 10)

    const { result } = await fixture.withRaw(async (db) => ({
      hexp: await db.iterator(prefixRange(KeyPrefix.HISTORY_EXPIRY)).all(),
      time: await keysHexUnder(db, KeyPrefix.TIME)
    }))
    // delete_at = 2_000 + 5_000 = 7_000 = 0x1b58; the value is the time key's timestamp 990 = 0x3de.
    expect(result.hexp.map(([key, value]) => [toHex(key), toHex(value)])).to.deep.equal([
      ['686578702f' + '0000000000001b58' + '2f' + toHex(tx.txId), '00000000000003de']
    ])
    expect(result.time).to.deep.equal([toHex(timeKey(990, tx.txId))])
  })

  it('default retention is 30 days', async () => {
    const other = new StoreFixture()
    await other.setup()
    try {
      const store = await other.open()
      const tx = makeTx('default', { expiresAtMs: 2_000 })
      await store.putTx(tx, makeHistory(tx))
      await store.deleteExpired(2_000, 10)

      const { result } = await other.withRaw(async (db) => keysHexUnder(db, KeyPrefix.HISTORY_EXPIRY))
      expect(DEFAULT_HISTORY_RETENTION_MS).to.equal(2_592_000_000)
      expect(result).to.deep.equal([toHex(historyExpiryKey(2_000 + 2_592_000_000, tx.txId))])
    } finally {
      await other.teardown()
    }
  })

  it('deletes history when due', async () => {
    const store = await fixture.open()
    const tx = makeTx('history', { requestTimestampMs: 990, expiresAtMs: 2_000 })
    await store.putTx(tx, makeHistory(tx, TxState.HELD), makeAck(tx, 0x01))
    fixture.nowMs = 2_000
    await store.deleteExpired(fixture.nowMs, 10)
    expect((await store.getHistory(tx.txId))?.state).to.equal(TxState.EXPIRED)

    fixture.nowMs = 6_999
    expect(await store.deleteExpiredHistory(fixture.nowMs, 10)).to.deep.equal({ deleted: 0, more: false })
    expect((await store.getHistory(tx.txId))?.state).to.equal(TxState.EXPIRED)

    fixture.nowMs = 7_000
    expect(await store.deleteExpiredHistory(fixture.nowMs, 10)).to.deep.equal({ deleted: 1, more: false })
    expect(await store.getHistory(tx.txId)).to.equal(undefined)

    const { result } = await fixture.withRaw(async (db) => ({
      time: await keysHexUnder(db, KeyPrefix.TIME),
      hexp: await keysHexUnder(db, KeyPrefix.HISTORY_EXPIRY),
      hist: await keysHexUnder(db, KeyPrefix.HISTORY)
    }))
    expect(result).to.deep.equal({ time: [], hexp: [], hist: [] })
  })

  it('leaves no orphan time key', async () => {
    const store = await fixture.open()
    const txs = [1, 2, 3, 4, 5, 6].map((n) => makeTx(`tx ${n}`, { requestTimestampMs: 100 + n, expiresAtMs: 1_000 * n }))
    for (const tx of txs) {
      await store.putTx(tx, makeHistory(tx))
    }
    await store.deleteExpired(3_000, 100)
    await store.deleteExpiredHistory(3_000 + RETENTION_MS, 100)

    const { result } = await fixture.withRaw(async (db) => ({
      orphans: await orphanTimeKeys(db),
      time: await keysHexUnder(db, KeyPrefix.TIME)
    }))
    expect(result.orphans).to.deep.equal([])
    expect(result.time).to.deep.equal(txs.slice(3).map((tx) => toHex(timeKey(tx.requestTimestampMs, tx.txId))))
  })

  it('chunks by maxRecords', async () => {
    const store = await fixture.open()
    const txs = [1, 2, 3, 4, 5].map((n) => makeTx(`tx ${n}`, { expiresAtMs: 1_000 + n }))
    for (const tx of txs) {
      await store.putTx(tx, makeHistory(tx))
    }
    await store.deleteExpired(2_000, 100)
    const due = 2_000 + RETENTION_MS

    expect(await store.deleteExpiredHistory(due, 2)).to.deep.equal({ deleted: 2, more: true })
    expect(await store.getHistory(txs[0]!.txId)).to.equal(undefined)
    expect(await store.getHistory(txs[2]!.txId)).to.not.equal(undefined)
    expect(await store.deleteExpiredHistory(due, 2)).to.deep.equal({ deleted: 2, more: true })
    expect(await store.deleteExpiredHistory(due, 2)).to.deep.equal({ deleted: 1, more: false })
    expect(await store.deleteExpiredHistory(due, 2)).to.deep.equal({ deleted: 0, more: false })
  })

  it('keeps history of a restored payload', async () => {
    const store = await fixture.open()
    const tx = makeTx('restored', { expiresAtMs: 2_000 })
    await store.putTx(tx, makeHistory(tx))
    await store.deleteExpired(2_000, 10)
    const later = { ...tx, expiresAtMs: 50_000 }
    await store.putTx(later, makeHistory(later))

    expect(await store.deleteExpiredHistory(2_000 + RETENTION_MS, 10)).to.deep.equal({ deleted: 0, more: false })
    expect(await store.getHistory(tx.txId)).to.deep.equal(makeHistory(later))
    const { result } = await fixture.withRaw(async (db) => ({
      time: await keysHexUnder(db, KeyPrefix.TIME),
      hexp: await keysHexUnder(db, KeyPrefix.HISTORY_EXPIRY)
    }))
    expect(result).to.deep.equal({ time: [toHex(timeKey(tx.requestTimestampMs, tx.txId))], hexp: [] })
  })

  it('finds time key of corrupt tx', async () => {
    await fixture.open()
    const tx = makeTx('corrupt', { requestTimestampMs: 321, expiresAtMs: 2_000 })
    await fixture.store?.putTx(tx, makeHistory(tx))
    const { store } = await fixture.withRaw(async (db) => db.put(txKey(tx.txId), Uint8Array.of(0xff, 0xff)))

    await store.deleteExpired(2_000, 10)
    expect(await store.deleteExpiredHistory(2_000 + RETENTION_MS, 10)).to.deep.equal({ deleted: 1, more: false })
    const { result } = await fixture.withRaw(async (db) => keysHexUnder(db, KeyPrefix.TIME))
    expect(result).to.deep.equal([])
  })

  it('deletes malformed hexp key', async () => {
    await fixture.open()
    const malformed = historyExpiryKey(100, new Uint8Array(32)).subarray(0, 20)
    const { store } = await fixture.withRaw(async (db) => db.put(malformed, new Uint8Array(0)))

    expect(await store.deleteExpiredHistory(1_000, 10)).to.deep.equal({ deleted: 0, more: false })
    const { result } = await fixture.withRaw(async (db) => keysHexUnder(db, KeyPrefix.HISTORY_EXPIRY))
    expect(result).to.deep.equal([])
  })

  it('rejects invalid arguments', async () => {
    const store = await fixture.open()
    for (const [nowMs, maxRecords] of [[-1, 10], [1.5, 10], [1_000, 0], [1_000, Number.NaN]] as const) {
      expect(await caught(async () => store.deleteExpiredHistory(nowMs, maxRecords)), `${nowMs}, ${maxRecords}`).to.be.instanceOf(RangeError)
    }
  })

  it('rejects invalid retention', async () => {
    for (const historyRetentionMs of [-1, 0.5, Number.POSITIVE_INFINITY]) {
      const err = await caught(async () => PohStore.open({ path: fixture.dbPath, clock: fixture.clock, historyRetentionMs }))
      expect(err, String(historyRetentionMs)).to.be.instanceOf(RangeError)
    }
  })
})
