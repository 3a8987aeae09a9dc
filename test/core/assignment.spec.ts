import { expect } from 'chai'
import { assignedHolders, holderRole, rankHolders, rendezvousScore } from '../../src/core/assignment.js'

function id (byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte)
}

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

const TX = id(0xa0)
const HOLDERS = [1, 2, 3, 4, 5, 6].map(id)
/** Holder bytes ranked by SHA-256(0xa0 × 32 ‖ holder), computed once with node:crypto. */
const EXPECTED_ORDER = [5, 4, 1, 6, 3, 2]

/** Deterministic shuffle (a small linear congruential generator), so a failure can be replayed. */
function shuffled<T> (items: readonly T[], seed: number): T[] {
  const out = [...items]
  let state = seed
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    const j = state % (i + 1)
    const swap = out[i] as T
    out[i] = out[j] as T
    out[j] = swap
  }
  return out
}

describe('holder assignment', () => {
  it('score is SHA-256 of tx_id and holder_id', () => {
    expect(hex(rendezvousScore(TX, id(5)))).to.equal('d112468f6f84c53b7c3497de4984990cbb26cd090c2d6bf2f22980c29ed4d355')
  })

  it('ranks by score, highest first', () => {
    expect(rankHolders(TX, HOLDERS).map(entry => entry.holderId[0])).to.deep.equal(EXPECTED_ORDER)
  })

  it('same ranking for any listing order', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const listing = shuffled(HOLDERS, seed)
      expect(rankHolders(TX, listing).map(entry => entry.holderId[0]), `seed ${seed}`).to.deep.equal(EXPECTED_ORDER)
      expect(assignedHolders(TX, listing, 3).map(holderId => holderId[0]), `seed ${seed}`).to.deep.equal([5, 4, 1])
    }
  })

  it('leaves the listing unchanged', () => {
    const listing = shuffled(HOLDERS, 7)
    const before = listing.map(holderId => holderId[0])
    rankHolders(TX, listing)

    expect(listing.map(holderId => holderId[0])).to.deep.equal(before)
  })

  it('role of an assigned holder', () => {
    expect(holderRole(TX, HOLDERS, id(1), 3, 100)).to.deep.equal({ kind: 'assigned', rank: 2 })
  })

  it('standby ranks wait one more period each', () => {
    const first = holderRole(TX, HOLDERS, id(6), 3, 100)
    const last = holderRole(TX, HOLDERS, id(2), 3, 100)

    expect(first).to.deep.include({ kind: 'standby', rank: 3, stepInAfterMs: 100 })
    expect(last).to.deep.include({ kind: 'standby', rank: 5, stepInAfterMs: 300 })
    expect(last?.kind === 'standby' ? last.above.map(holderId => holderId[0]) : []).to.deep.equal([5, 4, 1, 6, 3])
  })

  it('no role outside the holder set', () => {
    expect(holderRole(TX, HOLDERS, id(0x7f), 3, 100)).to.equal(undefined)
  })

  it('replication factor of the whole set assigns everyone', () => {
    for (const holder of HOLDERS) {
      expect(holderRole(TX, HOLDERS, holder, HOLDERS.length, 100)?.kind).to.equal('assigned')
    }
  })
})
