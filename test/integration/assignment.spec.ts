import { createHash } from 'node:crypto'
import { expect } from 'chai'
import { computeHolderId, computeTxId, toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { createLogger } from '../../src/log/logger.js'
import { PohNode } from '../../src/node/poh-node.js'
import { nextEvent, startCluster, until } from '../helpers/network.js'
import type { KeyPair } from '../../src/core/types.js'
import type { TestCluster } from '../helpers/network.js'

const REPLICATION_FACTOR = 3

/** Node indexes ranked by SHA-256(tx_id ‖ holder_id), highest first, computed here without the node's code. */
function rankedNodes (keys: KeyPair[], payload: Uint8Array): number[] {
  const txId = createHash('sha256').update(payload).digest()
  return keys
    .map((key, index) => ({ index, score: createHash('sha256').update(txId).update(computeHolderId(key.alg, key.publicKey)).digest('hex') }))
    .sort((a, b) => (a.score < b.score ? 1 : -1))
    .map(entry => entry.index)
}

function holderIdOf (key: KeyPair): string {
  return toHex(computeHolderId(key.alg, key.publicKey))
}

/** Starts a cluster whose nodes all set replication_factor to REPLICATION_FACTOR and this failover_after_ms. */
async function startAssignedCluster (size: number, minPohRequired: number, failoverAfterMs: number): Promise<TestCluster> {
  return await startCluster({
    size,
    minPohRequired,
    adjust: (config) => {
      config.replication_factor = REPLICATION_FACTOR
      config.failover_after_ms = failoverAfterMs
    }
  })
}

async function failoverCount (node: PohNode, result: string): Promise<number> {
  const metric = await node.registry.getSingleMetric('poh_failover_deadlines_total')?.get()
  return metric?.values.find(value => value.labels.result === result)?.value ?? 0
}

describe('replication factor on five nodes', function () {
  this.timeout(60_000)
  let cluster: TestCluster

  before(async () => {
    // Long enough that no holder steps in while every node runs.
    cluster = await startAssignedCluster(5, 2, 30_000)
  })

  after(async () => {
    await cluster?.stop()
  })

  it('only the top-ranked holders store and ACK', async () => {
    const payload = new TextEncoder().encode('assigned by rendezvous hashing')
    const txId = toHex(computeTxId(payload))
    const ranked = rankedNodes(cluster.keys, payload)
    const assigned = ranked.slice(0, REPLICATION_FACTOR)
    const allAcks = cluster.nodes.map(async node => await nextEvent<{ txId: string, count: number }>(node, 'ack', d => d.txId === txId && d.count === REPLICATION_FACTOR))

    // Submitted from a node that is not assigned, so the origin keeps no copy either.
    await cluster.nodes[ranked[4] as number]!.submit(payload, { ttlSeconds: 600 })
    await Promise.all(allAcks)

    const expectedHolders = assigned.map(index => holderIdOf(cluster.keys[index] as KeyPair)).sort()
    for (const [index, node] of cluster.nodes.entries()) {
      const status = await node.getTx(txId)
      expect(status?.state, `node ${index}`).to.equal(TxState.HELD)
      expect([...status?.holders ?? []].sort(), `node ${index}`).to.deep.equal(expectedHolders)
      expect(status?.payloadBytes, `node ${index}`).to.equal(assigned.includes(index) ? payload.length : undefined)
    }
    // The standby holders drop their copies once the assigned ones ACKed.
    for (const index of ranked.slice(REPLICATION_FACTOR)) {
      await until(async () => await failoverCount(cluster.nodes[index]!, 'not_needed') >= 1, `node ${index} to drop its standby copy`)
    }
  })
})

describe('failover on five nodes', function () {
  this.timeout(60_000)
  let cluster: TestCluster

  before(async () => {
    cluster = await startAssignedCluster(5, 2, 300)
  })

  after(async () => {
    await cluster?.stop()
  })

  it('next-ranked holder steps in for a stopped one', async () => {
    const stopped = 0
    await cluster.nodes[stopped]!.stop()
    // A payload that the stopped node is assigned to, at rank 0.
    let payload = new Uint8Array()
    let ranked: number[] = []
    for (let i = 0; ranked[0] !== stopped; i++) {
      payload = new TextEncoder().encode(`failover ${i}`)
      ranked = rankedNodes(cluster.keys, payload)
    }
    const txId = toHex(computeTxId(payload))
    const [firstStandby, secondStandby] = ranked.slice(REPLICATION_FACTOR) as [number, number]
    const submitter = cluster.nodes[ranked[1] as number]!
    const standbyAck = nextEvent<{ txId: string, holderId: string }>(submitter, 'ack', d => d.txId === txId && d.holderId === holderIdOf(cluster.keys[firstStandby] as KeyPair))

    await submitter.submit(payload, { ttlSeconds: 600 })
    await standbyAck

    const running = cluster.nodes.filter((_, index) => index !== stopped)
    await until(async () => {
      const statuses = await Promise.all(running.map(async node => await node.getTx(txId)))
      return statuses.every(status => status?.state === TxState.HELD && status.ackCount === REPLICATION_FACTOR)
    }, 'every running node to count three ACKs')
    expect((await cluster.nodes[firstStandby]!.getTx(txId))?.payloadBytes).to.equal(payload.length)
    expect(await failoverCount(cluster.nodes[firstStandby]!, 'stepped_in')).to.equal(1)
    // The second standby counts three ACKs from holders above it, so it never steps in.
    await until(async () => await failoverCount(cluster.nodes[secondStandby]!, 'not_needed') >= 1, 'the second standby to drop its copy')
    expect((await cluster.nodes[secondStandby]!.getTx(txId))?.payloadBytes).to.equal(undefined)
  })
})

describe('catch-up with replication factor', function () {
  this.timeout(60_000)
  let cluster: TestCluster
  let restarted: PohNode | undefined

  before(async () => {
    cluster = await startAssignedCluster(5, 2, 30_000)
  })

  after(async () => {
    await restarted?.stop()
    await cluster?.stop()
  })

  it('restarted node reads every peer', async () => {
    const down = cluster.nodes[0]!
    await down.stop()
    const running = cluster.nodes.slice(1)
    const payloads = Array.from({ length: 12 }, (_, i) => new TextEncoder().encode(`published while node 0 is down ${i}`))
    const txIds = payloads.map(payload => toHex(computeTxId(payload)))
    for (const payload of payloads) {
      await running[0]!.submit(payload, { ttlSeconds: 600 })
    }
    await until(async () => {
      const statuses = await Promise.all(txIds.map(async txId => await running[3]!.getTx(txId)))
      return statuses.every(status => status?.state === TxState.HELD)
    }, 'the running nodes to hold every transaction')

    restarted = new PohNode({ config: down.config, logger: createLogger({ level: 'fatal', format: 'json' }) })
    await restarted.start()
    for (const node of running) {
      await restarted.libp2p.dial(node.libp2p.getMultiaddrs())
    }
    const node = restarted
    await until(async () => {
      const statuses = await Promise.all(txIds.map(async txId => await node.getTx(txId)))
      return statuses.every(status => status?.state === TxState.HELD)
    }, 'the restarted node to hold every transaction')

    for (const [index, payload] of payloads.entries()) {
      const assigned = rankedNodes(cluster.keys, payload).slice(0, REPLICATION_FACTOR).includes(0)
      const status = await node.getTx(txIds[index] as string)
      expect(status?.payloadBytes, `transaction ${index}`).to.equal(assigned ? payload.length : undefined)
    }
  })
})

describe('standby restart with replication factor', function () {
  this.timeout(60_000)
  let cluster: TestCluster
  let restarted: PohNode | undefined

  before(async () => {
    cluster = await startAssignedCluster(4, REPLICATION_FACTOR, 1500)
  })

  after(async () => {
    await restarted?.stop()
    await cluster?.stop()
  })

  it('restarted standby still steps in', async () => {
    let payload = new Uint8Array()
    let ranked: number[] = []
    for (let i = 0; ranked.length === 0 || ranked[0] !== 0; i++) {
      payload = new TextEncoder().encode(`standby restart ${i}`)
      ranked = rankedNodes(cluster.keys, payload)
    }
    const txId = toHex(computeTxId(payload))
    const standby = ranked[3] as number
    await cluster.nodes[0]!.stop()
    await cluster.nodes[ranked[1] as number]!.submit(payload, { ttlSeconds: 600 })
    await until(async () => (await cluster.nodes[standby]!.getTx(txId)) !== undefined, 'the standby to record the request')

    // The restart loses the standby's in-memory deadline and copy.
    const down = cluster.nodes[standby]!
    await down.stop()
    restarted = new PohNode({ config: down.config, logger: createLogger({ level: 'fatal', format: 'json' }) })
    await restarted.start()
    for (const index of ranked.slice(1, 3)) {
      await restarted.libp2p.dial(cluster.nodes[index]!.libp2p.getMultiaddrs())
    }

    const node = restarted
    await until(async () => (await node.getTx(txId))?.payloadBytes === payload.length, 'the restarted standby to step in')
    for (const index of ranked.slice(1, 3)) {
      const other = cluster.nodes[index]!
      await until(async () => (await other.getTx(txId))?.state === TxState.HELD, `node ${index} to hold the transaction`)
    }
    expect(await failoverCount(node, 'fetched_and_stepped_in')).to.equal(1)
  })
})
