import { expect } from 'chai'
import { toHex } from '../../src/core/hash.js'
import { PROTOCOL_VERSION } from '../../src/core/types.js'
import { Failover } from '../../src/node/failover.js'
import { createDiscardLogger, createFakeClock, T0 } from '../helpers/fixtures.js'
import { until } from '../helpers/network.js'
import type { PohRequest } from '../../src/core/proto/poh.js'
import type { FailoverResult, StandbyLimits } from '../../src/node/failover.js'
import type { FakeClock } from '../helpers/fixtures.js'

function id (byte: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(32).fill(byte)
}

// For this tx_id the holders 1 to 6 rank 5, 4, 1, 6, 3, 2 (see test/core/assignment.spec.ts).
const TX = id(0xa0)
const HOLDERS = [1, 2, 3, 4, 5, 6].map(id)
const FAILOVER_MS = 50
const REQUEST: PohRequest = { version: PROTOCOL_VERSION, txId: TX, payload: new Uint8Array([1, 2, 3]), timestampMs: BigInt(T0), ttlSeconds: 600 }

interface Harness {
  failover: Failover
  clock: FakeClock
  acked: Set<number>
  steppedIn: PohRequest[]
  fetched: number
  results: FailoverResult[]
}

function createHarness (self: number, limits?: Partial<StandbyLimits>, answer: (attempt: number) => PohRequest | undefined = () => REQUEST): Harness {
  const clock = createFakeClock()
  const harness: Harness = { clock, acked: new Set(), steppedIn: [], fetched: 0, results: [], failover: undefined as unknown as Failover }
  harness.failover = new Failover({
    holderIds: HOLDERS,
    self: id(self),
    replicationFactor: 3,
    failoverAfterMs: FAILOVER_MS,
    hasAck: (txId, holderId) => toHex(txId) === toHex(TX) && harness.acked.has(holderId[0] as number),
    stepIn: async (request) => { harness.steppedIn.push(request); return true },
    fetch: async () => answer(harness.fetched++),
    clock,
    logger: createDiscardLogger(),
    onResult: (result) => { harness.results.push(result) },
    limits
  })
  return harness
}

describe('Failover', () => {
  let harness: Harness | undefined

  afterEach(async () => {
    await harness?.failover.stop()
    harness = undefined
  })

  it('assigned holders store at once', () => {
    harness = createHarness(1)

    expect(harness.failover.stores(TX)).to.equal(true)
    expect(createHarness(6).failover.stores(TX)).to.equal(false)
  })

  it('observer never stores nor watches', () => {
    const clock = createFakeClock()
    const observer = new Failover({
      holderIds: HOLDERS,
      replicationFactor: 3,
      failoverAfterMs: FAILOVER_MS,
      hasAck: () => false,
      stepIn: async () => true,
      fetch: async () => undefined,
      clock,
      logger: createDiscardLogger()
    })
    observer.recorded(REQUEST, clock.now())

    expect(observer.stores(TX)).to.equal(false)
    expect(observer.watching).to.equal(0)
  })

  it('standby copy dropped once assigned ACK', () => {
    harness = createHarness(6)
    harness.failover.recorded(REQUEST, harness.clock.now())
    expect(harness.failover.watching).to.equal(1)

    harness.acked.add(5).add(4)
    harness.failover.acked(TX)
    expect(harness.failover.watching).to.equal(1)

    harness.acked.add(1)
    harness.failover.acked(TX)
    expect(harness.failover.watching).to.equal(0)
    expect(harness.results).to.deep.equal(['not_needed'])
  })

  it('first standby steps in at its deadline', async () => {
    const h = harness = createHarness(6)
    h.failover.recorded(REQUEST, h.clock.now())
    h.acked.add(5).add(4)

    h.clock.advance(FAILOVER_MS)
    await until(() => h.steppedIn.length === 1, 'the standby holder to step in')

    expect(h.steppedIn[0]).to.equal(REQUEST)
    expect(h.fetched).to.equal(0)
    expect(h.results).to.deep.equal(['stepped_in'])
    expect(h.failover.watching).to.equal(0)
  })

  it('re-armed standby fetches and steps in', async () => {
    const h = harness = createHarness(6)
    h.acked.add(5)

    h.failover.rearm(TX, h.clock.now() - 10 * FAILOVER_MS)
    await until(() => h.steppedIn.length === 1, 'the re-armed holder to step in')

    expect(h.fetched).to.equal(1)
    expect(h.results).to.deep.equal(['fetched_and_stepped_in'])
  })

  it('re-armed standby already covered does nothing', () => {
    const h = harness = createHarness(6)
    h.acked.add(5).add(4).add(1)

    h.failover.rearm(TX, h.clock.now())

    expect(h.failover.watching).to.equal(0)
    expect(h.results).to.deep.equal([])
  })

  it('failed fetch retried next period', async () => {
    const h = harness = createHarness(6, undefined, (attempt) => attempt === 0 ? undefined : REQUEST)
    h.failover.rearm(TX, h.clock.now())

    h.clock.advance(FAILOVER_MS)
    await until(() => h.fetched === 1 && h.failover.watching === 1, 'the first fetch to fail and the holder to wait again')
    h.clock.advance(FAILOVER_MS)
    await until(() => h.steppedIn.length === 1, 'the second fetch to succeed')

    expect(h.fetched).to.equal(2)
    expect(h.results).to.deep.equal(['fetched_and_stepped_in'])
  })

  it('waits for the injected clock', async () => {
    const h = harness = createHarness(6)
    h.failover.recorded(REQUEST, h.clock.now())

    // The timer fires after FAILOVER_MS of real time, finds the clock short of
    // the deadline and waits again, so the entry stays until the clock moves.
    await new Promise(resolve => setTimeout(resolve, FAILOVER_MS * 3))
    expect(h.steppedIn).to.have.length(0)
    expect(h.failover.watching).to.equal(1)

    h.clock.advance(FAILOVER_MS)
    await until(() => h.steppedIn.length === 1, 'the standby holder to step in')
  })

  it('second standby waits two periods', async () => {
    const h = harness = createHarness(3)
    h.failover.recorded(REQUEST, h.clock.now())
    // Holders 5 and 6 ACKed; 4 and 1 did not, so two of the three above are missing.
    h.acked.add(5).add(6)

    h.clock.advance(2 * FAILOVER_MS)
    await until(() => h.steppedIn.length === 1, 'the second standby holder to step in')
    expect(h.results).to.deep.equal(['stepped_in'])
  })

  it('second standby stays out after first stepped in', async () => {
    const h = harness = createHarness(3)
    h.failover.recorded(REQUEST, h.clock.now())
    h.acked.add(5).add(4).add(6)

    h.clock.advance(2 * FAILOVER_MS)
    h.failover.acked(TX)

    expect(h.results).to.deep.equal(['not_needed'])
    expect(h.failover.watching).to.equal(0)
  })

  it('fetches by repair without a copy', async () => {
    const h = harness = createHarness(6, { maxBytes: 0 })
    h.failover.recorded(REQUEST, h.clock.now())

    h.clock.advance(FAILOVER_MS)
    await until(() => h.steppedIn.length === 1, 'the standby holder to step in')

    expect(h.fetched).to.equal(1)
    expect(h.results).to.deep.equal(['fetched_and_stepped_in'])
  })

  it('full buffer watches nothing more', () => {
    harness = createHarness(6, { maxEntries: 0 })
    harness.failover.recorded(REQUEST, harness.clock.now())

    expect(harness.failover.watching).to.equal(0)
    expect(harness.results).to.deep.equal(['failed'])
  })

  it('stop clears every entry', async () => {
    harness = createHarness(6)
    harness.failover.recorded(REQUEST, harness.clock.now())

    await harness.failover.stop()
    harness.failover.recorded(REQUEST, harness.clock.now())

    expect(harness.failover.watching).to.equal(0)
  })
})
