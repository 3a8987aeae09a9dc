import { expect } from 'chai'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { nextEvent, startCluster } from '../helpers/network.js'
import type { HeldEvent } from '../../src/node/poh-node.js'
import type { TestCluster } from '../helpers/network.js'

describe('three nodes on loopback', function () {
  this.timeout(60_000)
  let cluster: TestCluster

  before(async () => {
    cluster = await startCluster({ size: 3, minPohRequired: 2 })
  })

  after(async () => {
    await cluster?.stop()
  })

  it('reach quorum on every node', async () => {
    const payload = new TextEncoder().encode('three-node quorum')
    const txId = toHex(computeTxId(payload))
    const held = cluster.nodes.map(async node => await nextEvent<HeldEvent>(node, 'held', d => d.txId === txId))

    const submitted = await cluster.nodes[0]!.submit(payload, { ttlSeconds: 600 })

    expect(submitted).to.equal(txId)
    const events = await Promise.all(held)
    for (const event of events) {
      expect(event.count).to.be.at.least(2)
    }
  })

  it('store the payload and three ACKs on every node', async () => {
    const payload = new TextEncoder().encode('stored everywhere')
    const txId = toHex(computeTxId(payload))
    const allAcks = cluster.nodes.map(async node => await nextEvent<{ txId: string, count: number }>(node, 'ack', d => d.txId === txId && d.count === 3))

    await cluster.nodes[1]!.submit(payload, { ttlSeconds: 600 })
    await Promise.all(allAcks)

    for (const node of cluster.nodes) {
      const status = await node.getTx(txId)
      expect(status?.state).to.equal(TxState.HELD)
      expect(status?.ackCount).to.equal(3)
      expect(status?.holders).to.have.length(3)
      expect(status?.payloadBytes).to.equal(payload.length)
    }
  })

  it('hold a batch of transactions', async () => {
    const payloads = Array.from({ length: 50 }, (_, i) => new TextEncoder().encode(`batch transaction ${i}`))
    const ids = new Set(payloads.map(p => toHex(computeTxId(p))))
    const done = cluster.nodes.map(async node => {
      const seen = new Set<string>()
      await nextEvent<HeldEvent>(node, 'held', d => {
        if (ids.has(d.txId)) {
          seen.add(d.txId)
        }
        return seen.size === ids.size
      })
    })

    await Promise.all(payloads.map(async p => await cluster.nodes[2]!.submit(p, { ttlSeconds: 600 })))

    await Promise.all(done)
  })
})

describe('two nodes over QUIC only', function () {
  this.timeout(60_000)
  let cluster: TestCluster

  before(async () => {
    cluster = await startCluster({
      size: 2,
      minPohRequired: 2,
      adjust: (config) => { config.listen = ['/ip4/127.0.0.1/udp/0/quic-v1'] }
    })
  })

  after(async () => {
    await cluster?.stop()
  })

  it('reach quorum over a QUIC connection', async () => {
    const connections = cluster.nodes[0]!.libp2p.getConnections()
    expect(connections.map(c => c.remoteAddr.toString()).every(a => a.includes('/quic-v1'))).to.equal(true)
    const payload = new TextEncoder().encode('over quic')
    const txId = toHex(computeTxId(payload))
    const held = cluster.nodes.map(async node => await nextEvent<HeldEvent>(node, 'held', d => d.txId === txId))

    await cluster.nodes[0]!.submit(payload, { ttlSeconds: 600 })

    expect((await Promise.all(held)).map(e => e.count)).to.deep.equal([2, 2])
  })
})
