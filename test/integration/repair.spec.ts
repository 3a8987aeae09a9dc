import { expect } from 'chai'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { createLogger } from '../../src/log/logger.js'
import { TxState } from '../../src/core/types.js'
import { PohNode } from '../../src/node/poh-node.js'
import { nextEvent, startCluster, until } from '../helpers/network.js'
import type { HeldEvent } from '../../src/node/poh-node.js'
import type { TestCluster } from '../helpers/network.js'

const NETWORK = 'poh-test'

async function repairCount (node: PohNode, result: string): Promise<number> {
  const metric = await node.metrics.repairs.get()
  return metric.values.filter(v => v.labels.result === result).reduce((sum, v) => sum + v.value, 0)
}

describe('repair between nodes', function () {
  this.timeout(60_000)
  let cluster: TestCluster
  let restarted: PohNode | undefined

  afterEach(async () => {
    await restarted?.stop()
    restarted = undefined
    await cluster?.stop()
  })

  it('node that missed a request repairs it by id', async () => {
    cluster = await startCluster({ size: 3, minPohRequired: 2 })
    const [a, b, c] = cluster.nodes as [PohNode, PohNode, PohNode]
    // c leaves the request topic, so it misses the request but still gets ACKs.
    c.libp2p.services.pubsub.unsubscribe(`/poh/${NETWORK}/request/1/proto`)
    await until(() => !a.libp2p.services.pubsub.getSubscribers(`/poh/${NETWORK}/request/1/proto`).some(p => p.equals(c.libp2p.peerId)), 'a to see c leave the request topic')
    const payload = new TextEncoder().encode('missed by c')
    const txId = toHex(computeTxId(payload))
    const heldOnC = nextEvent<HeldEvent>(c, 'held', d => d.txId === txId)

    await a.submit(payload, { ttlSeconds: 600 })

    const held = await heldOnC
    expect(held.count).to.be.at.least(2)
    const status = await c.getTx(txId)
    expect(status?.payloadBytes).to.equal(payload.length)
    await until(async () => await repairCount(c, 'repaired') === 1, 'the repair to be counted')
    expect((await b.getTx(txId))?.state).to.equal(TxState.HELD)
  })

  it('restarted node catches up by range', async () => {
    cluster = await startCluster({ size: 3, minPohRequired: 2 })
    const [a, , c] = cluster.nodes as [PohNode, PohNode, PohNode]
    await c.stop()
    const payloads = Array.from({ length: 20 }, (_, i) => new TextEncoder().encode(`while c was down ${i}`))
    const ids = payloads.map(p => toHex(computeTxId(p)))
    const heldOnA = ids.map(async id => await nextEvent<HeldEvent>(a, 'held', d => d.txId === id))
    for (const payload of payloads) {
      await a.submit(payload, { ttlSeconds: 600 })
    }
    await Promise.all(heldOnA)

    restarted = new PohNode({ config: c.config, logger: createLogger({ level: 'fatal', format: 'json' }) })
    const seen = new Set<string>()
    const allHeld = nextEvent<HeldEvent>(restarted, 'held', d => { seen.add(d.txId); return ids.every(id => seen.has(id)) })
    await restarted.start()
    for (const other of cluster.nodes.slice(0, 2)) {
      await restarted.libp2p.dial(other.libp2p.getMultiaddrs())
    }
    await allHeld
    await restarted.recovered()

    for (const id of ids) {
      const status = await restarted.getTx(id)
      expect(status?.state).to.equal(TxState.HELD)
      expect(status?.ackCount).to.be.at.least(2)
    }
  })

  it('new node fetches transactions still within their TTL', async () => {
    cluster = await startCluster({ size: 2, minPohRequired: 2 })
    const [a, b] = cluster.nodes as [PohNode, PohNode]
    const payload = new TextEncoder().encode('before the new node existed')
    const txId = toHex(computeTxId(payload))
    const heldOnB = nextEvent<HeldEvent>(b, 'held', d => d.txId === txId)
    await a.submit(payload, { ttlSeconds: 600 })
    await heldOnB

    // An observer whose own key is not in the holder set joins afterwards.
    const late = await startCluster({ size: 1, minPohRequired: 2, adjust: (config) => { config.holders = a.config.holders } })
    try {
      const node = late.nodes[0] as PohNode
      const held = nextEvent<HeldEvent>(node, 'held', d => d.txId === txId)

      await node.libp2p.dial(a.libp2p.getMultiaddrs())

      expect((await held).count).to.equal(2)
      await until(async () => await repairCount(node, 'repaired') === 1, 'the repair to be counted')
      expect((await node.getTx(txId))?.payloadBytes).to.equal(payload.length)
    } finally {
      await late.stop()
    }
  })
})
