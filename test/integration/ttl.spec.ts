import { expect } from 'chai'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { nextEvent, startCluster } from '../helpers/network.js'
import type { HeldEvent, PohNode } from '../../src/node/poh-node.js'
import type { PohConfig } from '../../src/config/index.js'
import type { Clock } from '../../src/core/types.js'
import type { TestCluster } from '../helpers/network.js'

/** Starts one node on a movable clock, with garbage collection only when a test runs it. */
async function startClockedNode (clock: Clock, adjust: (config: PohConfig) => void): Promise<TestCluster> {
  return await startCluster({
    size: 1,
    minPohRequired: 1,
    clock,
    adjust: (config) => {
      config.gc_interval_seconds = 3600
      adjust(config)
    }
  })
}

describe('TTL garbage collection', function () {
  this.timeout(60_000)
  let cluster: TestCluster
  let now: number
  const clock = { now: () => now }

  beforeEach(async () => {
    now = Date.now()
    cluster = await startClockedNode(clock, (config) => { config.history_retention_seconds = 100 })
  })

  afterEach(async () => {
    await cluster?.stop()
  })

  async function submitHeld (node: PohNode, text: string, ttlSeconds: number): Promise<string> {
    const payload = new TextEncoder().encode(text)
    const txId = toHex(computeTxId(payload))
    const held = nextEvent<HeldEvent>(node, 'held', d => d.txId === txId)
    await node.submit(payload, { ttlSeconds })
    await held
    return txId
  }

  it('deletes payloads and keeps history', async () => {
    const node = cluster.nodes[0]!
    await node.recovered()
    const shortLived = await submitHeld(node, 'ten seconds', 10)
    const longLived = await submitHeld(node, 'one hour', 3600)

    now += 11_000
    await node.collectGarbage()

    const expired = await node.getTx(shortLived)
    expect(expired?.state).to.equal(TxState.EXPIRED)
    expect(expired?.payloadBytes).to.equal(undefined)
    expect(expired?.heldAtMs).to.be.a('number')
    expect(await node.getAcks(shortLived)).to.have.length(0)
    const kept = await node.getTx(longLived)
    expect(kept?.state).to.equal(TxState.HELD)
    expect(kept?.payloadBytes).to.equal(8)
  })

  it('deletes history after retention', async () => {
    const node = cluster.nodes[0]!
    await node.recovered()
    const txId = await submitHeld(node, 'gone later', 10)

    now += 11_000
    await node.collectGarbage()
    expect((await node.getTx(txId))?.state).to.equal(TxState.EXPIRED)

    now += 100_000
    await node.collectGarbage()
    expect(await node.getTx(txId)).to.equal(undefined)
  })

  it('counts deletions in metrics', async () => {
    const node = cluster.nodes[0]!
    await node.recovered()
    await submitHeld(node, 'counted', 10)

    const expired: string[] = []
    node.addEventListener('expired', (evt) => { expired.push(evt.detail.txId) })
    now += 11_000
    await node.collectGarbage()

    expect(expired).to.have.length(1)
    const text = await node.registry.getSingleMetricAsString('poh_gc_deleted_total')
    expect(text).to.match(/poh_gc_deleted_total\{kind="payload"\} 1/)
  })
})

describe('storage cap', function () {
  this.timeout(60_000)
  let cluster: TestCluster
  let now: number
  const clock = { now: () => now }

  beforeEach(async () => {
    now = Date.now()
    cluster = await startClockedNode(clock, (config) => { config.max_stored_bytes = 30 })
  })

  afterEach(async () => {
    await cluster?.stop()
  })

  it('frees room after expiry', async () => {
    const node = cluster.nodes[0]!
    const encoder = new TextEncoder()
    await node.submit(encoder.encode('twenty bytes, first.'), { ttlSeconds: 10 })

    const rejected = await node.submit(encoder.encode('twenty bytes, again.'), { ttlSeconds: 10 }).then(() => undefined, (err: Error) => err)
    expect(rejected?.message).to.include('max_stored_bytes')

    now += 11_000
    await node.collectGarbage()
    await node.view.recount()
    const txId = await node.submit(encoder.encode('twenty bytes, later.'), { ttlSeconds: 10 })
    expect((await node.getTx(txId))?.payloadBytes).to.equal(20)
  })
})
