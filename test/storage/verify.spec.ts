import { expect } from 'chai'
import { toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { expiryKey, historyKey, KeyPrefix, timeKey, txKey } from '../../src/storage/keys.js'
import { encodeStoredTx } from '../../src/storage/values.js'
import { caught, keysHexUnder, makeAck, makeHistory, makeTx, StoreFixture } from './helpers.js'
import type { StoredTx } from '../../src/storage/store.js'

const encoder = new TextEncoder()

/** Returns a tx/ value that decodes but whose payload does not hash to the tx_id of `tx`. */
function tamperedValue (tx: StoredTx): Uint8Array {
  return encodeStoredTx({ ...tx, payload: encoder.encode('not the original payload') })
}

describe('PohStore payload verification', () => {
  const fixture = new StoreFixture()

  beforeEach(async () => { await fixture.setup() })
  afterEach(async () => { await fixture.teardown() })

  it('intact store has no mismatch', async () => {
    const store = await fixture.open()
    for (const text of ['one', 'two', 'three']) {
      const tx = makeTx(text)
      await store.putTx(tx, makeHistory(tx))
    }
    const reported: Uint8Array[] = []

    const result = await store.verifyPayloads({ onMismatch: (txId) => { reported.push(txId) } })
    expect(result).to.deep.equal({ checked: 3, mismatched: [] })
    expect(reported).to.deep.equal([])
    expect(await store.countTxs()).to.equal(3)
  })

  it('deletes payload not matching tx_id', async () => {
    await fixture.open()
    const good = makeTx('good', { requestTimestampMs: 10, expiresAtMs: 8_000 })
    const bad = makeTx('bad', { requestTimestampMs: 20, expiresAtMs: 9_000 })
    await fixture.store?.putTx(good, makeHistory(good), makeAck(good, 0x01))
    await fixture.store?.putTx(bad, makeHistory(bad, TxState.HELD), makeAck(bad, 0x02))
    const { store } = await fixture.withRaw(async (db) => db.put(txKey(bad.txId), tamperedValue(bad)))
    const reported: string[] = []

    const result = await store.verifyPayloads({ onMismatch: (txId) => { reported.push(toHex(txId)) } })
    expect(result.checked).to.equal(2)
    expect(result.mismatched.map(toHex)).to.deep.equal([toHex(bad.txId)])
    expect(reported).to.deep.equal([toHex(bad.txId)])

    expect(await store.hasTx(bad.txId)).to.equal(false)
    expect(await store.getAcks(bad.txId)).to.deep.equal([makeAck(bad, 0x02)])
    expect(await store.getHistory(bad.txId)).to.deep.equal(makeHistory(bad, TxState.HELD))
    expect(await store.getTx(good.txId)).to.deep.equal(good)

    const { result: keys } = await fixture.withRaw(async (db) => ({
      time: await keysHexUnder(db, KeyPrefix.TIME),
      exp: await keysHexUnder(db, KeyPrefix.EXPIRY),
      hist: await keysHexUnder(db, KeyPrefix.HISTORY)
    }))
    expect(keys.time).to.deep.equal([toHex(timeKey(10, good.txId))])
    expect(keys.exp).to.have.members([toHex(expiryKey(8_000, good.txId)), toHex(expiryKey(9_000, bad.txId))])
    expect(keys.hist).to.have.members([toHex(historyKey(good.txId)), toHex(historyKey(bad.txId))])
  })

  it('deletes undecodable record', async () => {
    await fixture.open()
    const tx = makeTx('undecodable', { requestTimestampMs: 77 })
    await fixture.store?.putTx(tx, makeHistory(tx), makeAck(tx, 0x03))
    // Field 1 (payload) announces 5 bytes but only 1 follows.
    const { store } = await fixture.withRaw(async (db) => db.put(txKey(tx.txId), Uint8Array.of(0x0a, 0x05, 0x01)))

    const result = await store.verifyPayloads({ onMismatch: () => {} })
    expect(result.mismatched.map(toHex)).to.deep.equal([toHex(tx.txId)])
    expect(await store.hasTx(tx.txId)).to.equal(false)
    expect(await store.getAcks(tx.txId)).to.have.length(1)

    const { result: timeKeys } = await fixture.withRaw(async (db) => keysHexUnder(db, KeyPrefix.TIME))
    expect(timeKeys).to.deep.equal([])
  })

  it('repaired payload passes', async () => {
    await fixture.open()
    const tx = makeTx('repaired')
    await fixture.store?.putTx(tx, makeHistory(tx))
    const { store } = await fixture.withRaw(async (db) => db.put(txKey(tx.txId), tamperedValue(tx)))
    await store.verifyPayloads({ onMismatch: () => {} })

    await store.putTx(tx, makeHistory(tx))
    const again = await store.verifyPayloads({ onMismatch: () => {} })
    expect(again).to.deep.equal({ checked: 1, mismatched: [] })
    expect(await store.getTx(tx.txId)).to.deep.equal(tx)
  })

  it('samples and resumes', async () => {
    const store = await fixture.open()
    const txs = [1, 2, 3, 4, 5].map((n) => makeTx(`tx ${n}`))
    for (const tx of txs) {
      await store.putTx(tx, makeHistory(tx))
    }
    const sortedIds = txs.map((tx) => toHex(tx.txId)).sort()

    const first = await store.verifyPayloads({ sampleLimit: 2, onMismatch: () => {} })
    expect(first.checked).to.equal(2)
    expect(toHex(first.resumeAfter ?? new Uint8Array())).to.equal(sortedIds[1])

    const second = await store.verifyPayloads({ sampleLimit: 2, afterTxId: first.resumeAfter, onMismatch: () => {} })
    expect(second.checked).to.equal(2)
    expect(toHex(second.resumeAfter ?? new Uint8Array())).to.equal(sortedIds[3])

    const third = await store.verifyPayloads({ sampleLimit: 2, afterTxId: second.resumeAfter, onMismatch: () => {} })
    expect(third).to.deep.equal({ checked: 1, mismatched: [] })
  })

  it('exact sample has no resume point', async () => {
    const store = await fixture.open()
    for (const text of ['a', 'b']) {
      await store.putTx(makeTx(text), makeHistory(makeTx(text)))
    }
    expect(await store.verifyPayloads({ sampleLimit: 2, onMismatch: () => {} })).to.deep.equal({ checked: 2, mismatched: [] })
  })

  it('skips malformed tx key', async () => {
    await fixture.open()
    const tx = makeTx('valid')
    await fixture.store?.putTx(tx, makeHistory(tx))
    const malformed = txKey(tx.txId).subarray(0, 20)
    const { store } = await fixture.withRaw(async (db) => db.put(malformed, Uint8Array.of(1)))

    expect(await store.verifyPayloads({ onMismatch: () => {} })).to.deep.equal({ checked: 1, mismatched: [] })
  })

  it('rejects invalid sampleLimit', async () => {
    const store = await fixture.open()
    for (const sampleLimit of [0, -1, 1.5]) {
      expect(await caught(async () => store.verifyPayloads({ sampleLimit, onMismatch: () => {} })), String(sampleLimit)).to.be.instanceOf(RangeError)
    }
  })

  it('deleteTx onlyIfBad keeps good record', async () => {
    const store = await fixture.open()
    const tx = makeTx('good')
    await store.putTx(tx, makeHistory(tx))
    expect(await store.deleteTx(tx.txId, { onlyIfBad: true })).to.equal(false)
    expect(await store.getTx(tx.txId)).to.deep.equal(tx)
  })
})
