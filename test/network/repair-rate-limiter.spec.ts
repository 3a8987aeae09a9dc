import { expect } from 'chai'
import { PeerRateLimiter } from '../../src/network/repair/rate-limiter.js'
import type { Clock } from '../../src/core/types.js'

function fakeClock (): Clock & { advance: (ms: number) => void } {
  let now = 1_700_000_000_000
  return { now: () => now, advance: (ms) => { now += ms } }
}

describe('PeerRateLimiter', () => {
  it('refuses once the bucket is empty', () => {
    const limiter = new PeerRateLimiter({ ratePerSecond: 10, capacity: 10, clock: fakeClock() })

    expect(limiter.tryTake('a', 6)).to.equal(true)
    expect(limiter.tryTake('a', 4)).to.equal(true)
    expect(limiter.tryTake('a', 1)).to.equal(false)
  })

  it('takes nothing from a refused request', () => {
    const limiter = new PeerRateLimiter({ ratePerSecond: 10, capacity: 10, clock: fakeClock() })

    expect(limiter.tryTake('a', 8)).to.equal(true)
    expect(limiter.tryTake('a', 3)).to.equal(false)
    expect(limiter.tryTake('a', 2)).to.equal(true)
  })

  it('refills at the rate', () => {
    const clock = fakeClock()
    const limiter = new PeerRateLimiter({ ratePerSecond: 10, capacity: 10, clock })
    limiter.tryTake('a', 10)

    clock.advance(499)
    expect(limiter.tryTake('a', 5)).to.equal(false)
    clock.advance(1)
    expect(limiter.tryTake('a', 5)).to.equal(true)
  })

  it('refills no higher than capacity', () => {
    const clock = fakeClock()
    const limiter = new PeerRateLimiter({ ratePerSecond: 10, capacity: 10, clock })
    limiter.tryTake('a', 1)

    clock.advance(60_000)
    expect(limiter.tryTake('a', 10)).to.equal(true)
    expect(limiter.tryTake('a', 1)).to.equal(false)
  })

  it('adds nothing when the clock steps back', () => {
    const clock = fakeClock()
    const limiter = new PeerRateLimiter({ ratePerSecond: 10, capacity: 10, clock })
    limiter.tryTake('a', 10)

    clock.advance(-5000)
    expect(limiter.tryTake('a', 1)).to.equal(false)
    clock.advance(5100)
    expect(limiter.tryTake('a', 1)).to.equal(true)
  })

  it('keeps buckets of peers apart', () => {
    const limiter = new PeerRateLimiter({ ratePerSecond: 10, capacity: 10, clock: fakeClock() })
    limiter.tryTake('a', 10)

    expect(limiter.tryTake('b', 10)).to.equal(true)
    expect(limiter.tryTake('a', 1)).to.equal(false)
  })

  it('keeps at most maxPeers buckets', () => {
    const limiter = new PeerRateLimiter({ ratePerSecond: 10, capacity: 10, clock: fakeClock(), maxPeers: 3 })

    for (let i = 0; i < 100; i++) {
      limiter.tryTake(`peer-${i}`, 1)
    }

    expect(limiter.size).to.equal(3)
  })

  it('evicts refilled buckets before drained ones', () => {
    const clock = fakeClock()
    const limiter = new PeerRateLimiter({ ratePerSecond: 10, capacity: 10, clock, maxPeers: 3 })
    limiter.tryTake('drained', 10)
    clock.advance(100)
    limiter.tryTake('idle-1', 1)
    limiter.tryTake('idle-2', 1)
    // 200 ms later the idle buckets are full again (9 + 2 tokens, capped at
    // 10) while the least recently used, drained bucket has 3 tokens.
    clock.advance(200)

    limiter.tryTake('new', 1)

    expect(limiter.size).to.equal(2)
    expect(limiter.tryTake('drained', 4)).to.equal(false)
    expect(limiter.tryTake('drained', 3)).to.equal(true)
  })

  it('rejects a zero rate', () => {
    expect(() => new PeerRateLimiter({ ratePerSecond: 0, capacity: 10, clock: fakeClock() })).to.throw(RangeError)
  })
})
