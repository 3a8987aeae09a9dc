import { expect } from 'chai'
import { QuorumTracker } from '../../src/core/quorum.js'
import { T0 } from '../helpers/fixtures.js'

function id (byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte)
}

const TX = id(0xa0)
const OTHER_TX = id(0xa1)
const HASH = id(0x50)
const OTHER_HASH = id(0x51)

describe('QuorumTracker', () => {
  it('counts distinct holders', () => {
    const quorum = new QuorumTracker(5)

    expect(quorum.add(TX, id(1), HASH, T0)).to.deep.equal({ kind: 'counted', count: 1, becameHeld: false })
    expect(quorum.add(TX, id(2), HASH, T0)).to.deep.equal({ kind: 'counted', count: 2, becameHeld: false })
    expect(quorum.count(TX)).to.equal(2)
    expect(quorum.has(TX, id(1))).to.equal(true)
    expect(quorum.has(TX, id(3))).to.equal(false)
    expect(quorum.holders(TX)).to.have.members([Buffer.from(id(1)).toString('hex'), Buffer.from(id(2)).toString('hex')])
  })

  it('keeps transactions apart', () => {
    const quorum = new QuorumTracker(2)
    quorum.add(TX, id(1), HASH, T0)

    expect(quorum.count(OTHER_TX)).to.equal(0)
    expect(quorum.has(OTHER_TX, id(1))).to.equal(false)
    expect(quorum.add(OTHER_TX, id(1), HASH, T0)).to.deep.equal({ kind: 'counted', count: 1, becameHeld: false })
  })

  it('duplicate ACK not counted', () => {
    const quorum = new QuorumTracker(3)
    quorum.add(TX, id(1), HASH, T0)

    expect(quorum.add(TX, id(1), HASH, T0 + 1)).to.deep.equal({ kind: 'duplicate', count: 1 })
    expect(quorum.count(TX)).to.equal(1)
  })

  it('threshold sets becameHeld once', () => {
    const quorum = new QuorumTracker(2)
    const outcomes = [1, 2, 3].map((byte) => quorum.add(TX, id(byte), HASH, T0 + byte))

    expect(outcomes.map((outcome) => outcome.kind === 'counted' && outcome.becameHeld)).to.deep.equal([false, true, false])
    expect(quorum.heldAt(TX)).to.equal(T0 + 2)
    expect(quorum.count(TX)).to.equal(3)
  })

  it('threshold 1 holds on first ACK', () => {
    const quorum = new QuorumTracker(1)

    expect(quorum.add(TX, id(1), HASH, T0)).to.deep.equal({ kind: 'counted', count: 1, becameHeld: true })
  })

  it('heldAt undefined below threshold', () => {
    const quorum = new QuorumTracker(2)
    quorum.add(TX, id(1), HASH, T0)

    expect(quorum.heldAt(TX)).to.equal(undefined)
  })

  it('conflicting storage hash removes holder', () => {
    const quorum = new QuorumTracker(3)
    quorum.add(TX, id(1), HASH, T0)
    quorum.add(TX, id(2), HASH, T0)

    expect(quorum.add(TX, id(1), OTHER_HASH, T0)).to.deep.equal({ kind: 'conflict', count: 1 })
    expect(quorum.count(TX)).to.equal(1)
    expect(quorum.has(TX, id(1))).to.equal(false)
  })

  it('conflicted holder never counts again', () => {
    const quorum = new QuorumTracker(3)
    quorum.add(TX, id(1), HASH, T0)
    quorum.add(TX, id(1), OTHER_HASH, T0)

    expect(quorum.add(TX, id(1), HASH, T0)).to.deep.equal({ kind: 'conflict', count: 0 })
    expect(quorum.add(TX, id(1), OTHER_HASH, T0)).to.deep.equal({ kind: 'conflict', count: 0 })
    expect(quorum.count(TX)).to.equal(0)
  })

  it('conflict after held does not re-emit becameHeld', () => {
    const quorum = new QuorumTracker(2)
    quorum.add(TX, id(1), HASH, T0)
    quorum.add(TX, id(2), HASH, T0)
    quorum.add(TX, id(1), OTHER_HASH, T0)

    expect(quorum.add(TX, id(3), HASH, T0)).to.deep.equal({ kind: 'counted', count: 2, becameHeld: false })
    expect(quorum.heldAt(TX)).to.equal(T0)
  })

  it('forget drops transaction state', () => {
    const quorum = new QuorumTracker(1)
    quorum.add(TX, id(1), HASH, T0)
    quorum.add(OTHER_TX, id(1), HASH, T0)

    quorum.forget(TX)

    expect(quorum.count(TX)).to.equal(0)
    expect(quorum.heldAt(TX)).to.equal(undefined)
    expect(quorum.size).to.equal(1)
    expect(quorum.add(TX, id(1), HASH, T0 + 5)).to.deep.equal({ kind: 'counted', count: 1, becameHeld: true })
  })

  it('storageHashOf returns counted hash', () => {
    const quorum = new QuorumTracker(3)
    quorum.add(TX, id(1), HASH, T0)
    quorum.add(TX, id(2), OTHER_HASH, T0)

    expect(quorum.storageHashOf(TX, id(1))).to.equal(Buffer.from(HASH).toString('hex'))
    expect(quorum.storageHashOf(TX, id(2))).to.equal(Buffer.from(OTHER_HASH).toString('hex'))
    expect(quorum.storageHashOf(TX, id(3))).to.equal(undefined)
    expect(quorum.storageHashOf(OTHER_TX, id(1))).to.equal(undefined)
  })

  it('removal keeps other holders intact', () => {
    const quorum = new QuorumTracker(5)
    for (const byte of [1, 2, 3]) {
      quorum.add(TX, id(byte), id(0x60 + byte), T0)
    }

    expect(quorum.add(TX, id(2), OTHER_HASH, T0)).to.deep.equal({ kind: 'conflict', count: 2 })
    expect(quorum.holders(TX)).to.deep.equal([Buffer.from(id(1)).toString('hex'), Buffer.from(id(3)).toString('hex')])
    expect(quorum.storageHashOf(TX, id(1))).to.equal(Buffer.from(id(0x61)).toString('hex'))
    expect(quorum.storageHashOf(TX, id(3))).to.equal(Buffer.from(id(0x63)).toString('hex'))
    expect(quorum.add(TX, id(3), id(0x63), T0)).to.deep.equal({ kind: 'duplicate', count: 2 })
  })

  it('revoke stops counting holder', () => {
    const quorum = new QuorumTracker(2)
    quorum.add(TX, id(1), HASH, T0)
    quorum.add(TX, id(2), HASH, T0)

    expect(quorum.revoke(TX, id(1))).to.equal(1)
    expect(quorum.has(TX, id(1))).to.equal(false)
    expect(quorum.has(TX, id(2))).to.equal(true)
    expect(quorum.add(TX, id(1), HASH, T0)).to.deep.equal({ kind: 'conflict', count: 1 })
    expect(quorum.revoke(OTHER_TX, id(3))).to.equal(0)
    expect(quorum.add(OTHER_TX, id(3), HASH, T0)).to.deep.equal({ kind: 'conflict', count: 0 })
  })

  it('holder index shared across transactions', () => {
    const quorum = new QuorumTracker(1)
    quorum.add(TX, id(1), HASH, T0)
    quorum.add(OTHER_TX, id(2), HASH, T0)
    quorum.add(OTHER_TX, id(1), HASH, T0)

    expect(quorum.holders(TX)).to.deep.equal([Buffer.from(id(1)).toString('hex')])
    expect(quorum.holders(OTHER_TX)).to.deep.equal([Buffer.from(id(2)).toString('hex'), Buffer.from(id(1)).toString('hex')])
    expect(quorum.has(TX, id(2))).to.equal(false)
  })

  it('add rejects short storage hash', () => {
    const quorum = new QuorumTracker(1)

    expect(() => quorum.add(TX, id(1), new Uint8Array(31), T0)).to.throw(RangeError)
    expect(quorum.count(TX)).to.equal(0)
  })

  it('constructor rejects invalid threshold', () => {
    expect(() => new QuorumTracker(0)).to.throw(RangeError)
    expect(() => new QuorumTracker(-1)).to.throw(RangeError)
    expect(() => new QuorumTracker(1.5)).to.throw(RangeError)
  })

  it('threshold getter returns min_poh_required', () => {
    expect(new QuorumTracker(4).threshold).to.equal(4)
  })
})
