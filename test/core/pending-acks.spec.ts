import { expect } from 'chai'
import { PendingAcks } from '../../src/core/pending-acks.js'
import { SigAlg } from '../../src/core/types.js'
import { createFakeClock } from '../helpers/fixtures.js'
import type { PohAck } from '../../src/core/proto/poh.js'

/** Builds an unsigned ACK for transaction `txByte` from holder `holderByte`, because the buffer checks no signatures. */
function ackOf (txByte: number, holderByte: number): PohAck {
  return {
    version: 1,
    txId: new Uint8Array(32).fill(txByte),
    storageHash: new Uint8Array(32).fill(0x22),
    timestampMs: 1n,
    holderId: new Uint8Array(32).fill(holderByte),
    sigAlg: SigAlg.ED25519,
    signature: new Uint8Array(64)
  }
}

describe('PendingAcks', () => {
  it('take returns ACKs of one transaction', () => {
    const clock = createFakeClock()
    const pending = new PendingAcks({ maxAcks: 10, maxAgeMs: 1000 })
    const first = ackOf(1, 1)
    const second = ackOf(1, 2)
    const other = ackOf(2, 1)

    expect(pending.add(first, clock.now())).to.equal(true)
    expect(pending.add(second, clock.now())).to.equal(true)
    expect(pending.add(other, clock.now())).to.equal(true)
    expect(pending.size).to.equal(3)

    expect(pending.take(first.txId)).to.deep.equal([first, second])
    expect(pending.size).to.equal(1)
    expect(pending.take(first.txId)).to.deep.equal([])
    expect(pending.take(other.txId)).to.deep.equal([other])
    expect(pending.size).to.equal(0)
  })

  it('take of unknown transaction', () => {
    const pending = new PendingAcks({ maxAcks: 10, maxAgeMs: 1000 })

    expect(pending.take(new Uint8Array(32))).to.deep.equal([])
    expect(pending.size).to.equal(0)
  })

  it('full buffer counts overflow', () => {
    const clock = createFakeClock()
    const pending = new PendingAcks({ maxAcks: 2, maxAgeMs: 1000 })
    pending.add(ackOf(1, 1), clock.now())
    pending.add(ackOf(2, 1), clock.now())

    expect(pending.add(ackOf(3, 1), clock.now())).to.equal(false)
    expect(pending.add(ackOf(1, 2), clock.now())).to.equal(false)
    expect(pending.overflowed).to.equal(2)
    expect(pending.size).to.equal(2)
    expect(pending.take(new Uint8Array(32).fill(3))).to.deep.equal([])
  })

  it('take frees room in full buffer', () => {
    const clock = createFakeClock()
    const pending = new PendingAcks({ maxAcks: 1, maxAgeMs: 1000 })
    const first = ackOf(1, 1)
    pending.add(first, clock.now())
    pending.take(first.txId)

    expect(pending.add(ackOf(2, 1), clock.now())).to.equal(true)
    expect(pending.overflowed).to.equal(0)
  })

  it('expiry by age counts aged', () => {
    const clock = createFakeClock()
    const pending = new PendingAcks({ maxAcks: 10, maxAgeMs: 1000 })
    const old = ackOf(1, 1)
    const young = ackOf(1, 2)
    pending.add(old, clock.now())
    clock.advance(600)
    pending.add(young, clock.now())

    clock.advance(401)
    pending.expire(clock.now())

    expect(pending.aged).to.equal(1)
    expect(pending.size).to.equal(1)
    expect(pending.take(old.txId)).to.deep.equal([young])
  })

  it('ACK at max age is kept', () => {
    const clock = createFakeClock()
    const pending = new PendingAcks({ maxAcks: 10, maxAgeMs: 1000 })
    const ack = ackOf(1, 1)
    pending.add(ack, clock.now())

    clock.advance(1000)
    pending.expire(clock.now())

    expect(pending.aged).to.equal(0)
    expect(pending.take(ack.txId)).to.deep.equal([ack])
  })

  it('add expires aged ACKs first', () => {
    const clock = createFakeClock()
    const pending = new PendingAcks({ maxAcks: 1, maxAgeMs: 1000 })
    pending.add(ackOf(1, 1), clock.now())

    clock.advance(1001)

    expect(pending.add(ackOf(2, 1), clock.now())).to.equal(true)
    expect(pending.aged).to.equal(1)
    expect(pending.overflowed).to.equal(0)
    expect(pending.size).to.equal(1)
  })
})
