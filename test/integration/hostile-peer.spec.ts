import { generateKeyPair } from '@libp2p/crypto/keys'
import { expect } from 'chai'
import { encodeAckBatch, encodeRequest } from '../../src/core/codec.js'
import { buildPohAck, buildPohRequest, holderSignerFromKeyPair } from '../../src/core/builders.js'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { SigAlg } from '../../src/core/types.js'
import { createPohLibp2p } from '../../src/network/libp2p.js'
import { ackTopic, requestTopic } from '../../src/network/topics.js'
import { nextEvent, startCluster, until } from '../helpers/network.js'
import type { PohLibp2p } from '../../src/network/libp2p.js'
import type { HeldEvent } from '../../src/node/poh-node.js'
import type { TestCluster } from '../helpers/network.js'

const NETWORK = 'poh-test'

async function verdictCount (cluster: TestCluster, labels: Record<string, string>): Promise<number> {
  const metric = await cluster.nodes[0]!.metrics.verdicts.get()
  return metric.values
    .filter(v => Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value))
    .reduce((sum, v) => sum + v.value, 0)
}

describe('hostile gossip peer', function () {
  this.timeout(60_000)
  let cluster: TestCluster
  let attacker: PohLibp2p

  beforeEach(async () => {
    cluster = await startCluster({ size: 1, minPohRequired: 1 })
    attacker = await createPohLibp2p({
      privateKey: await generateKeyPair('Ed25519'),
      networkId: NETWORK,
      listen: [],
      bootstrapPeers: []
    })
    attacker.services.pubsub.subscribe(requestTopic(NETWORK))
    attacker.services.pubsub.subscribe(ackTopic(NETWORK))
    await attacker.dial(cluster.nodes[0]!.libp2p.getMultiaddrs())
    await until(() => attacker.services.pubsub.getSubscribers(requestTopic(NETWORK)).length === 1, 'the attacker to see the node subscribed')
  })

  afterEach(async () => {
    await attacker?.stop()
    await cluster?.stop()
  })

  it('undecodable messages are rejected', async () => {
    await attacker.services.pubsub.publish(requestTopic(NETWORK), Uint8Array.from([0xff, 0xff, 0xff]))
    await attacker.services.pubsub.publish(ackTopic(NETWORK), Uint8Array.from([0x0a, 0x05, 0x01]))

    await until(async () => await verdictCount(cluster, { verdict: 'reject', reason: 'undecodable' }) === 2, 'two undecodable verdicts')
    expect(await verdictCount(cluster, { topic: 'request', reason: 'undecodable' })).to.equal(1)
    expect(await verdictCount(cluster, { topic: 'ack', reason: 'undecodable' })).to.equal(1)
  })

  it('node keeps working after bad input', async () => {
    await attacker.services.pubsub.publish(requestTopic(NETWORK), Uint8Array.from([0x12, 0x40]))
    await until(async () => await verdictCount(cluster, { verdict: 'reject' }) === 1, 'one reject verdict')
    const payload = new TextEncoder().encode('after the attack')
    const held = nextEvent<HeldEvent>(cluster.nodes[0]!, 'held', d => d.txId === toHex(computeTxId(payload)))

    await attacker.services.pubsub.publish(requestTopic(NETWORK), encodeRequest(buildPohRequest(payload, { ttlSeconds: 60, timestampMs: Date.now() })))

    expect((await held).count).to.equal(1)
  })

  it('ACK from an unknown holder is ignored', async () => {
    const payload = new TextEncoder().encode('unknown holder')
    const request = buildPohRequest(payload, { ttlSeconds: 60, timestampMs: Date.now() })
    const stranger = holderSignerFromKeyPair(getScheme(SigAlg.ED25519).generateKeyPair())
    const ack = buildPohAck(request, stranger, { networkId: NETWORK, timestampMs: Date.now() })

    await attacker.services.pubsub.publish(ackTopic(NETWORK), encodeAckBatch([ack]))

    await until(async () => await verdictCount(cluster, { verdict: 'ignore', reason: 'unknown_holder' }) === 1, 'an unknown_holder verdict')
    expect(await verdictCount(cluster, { verdict: 'reject' })).to.equal(0)
  })

  it('repeated rejects disconnect the peer', async () => {
    const attackerId = attacker.peerId.toString()
    for (let i = 0; i < 4; i++) {
      const request = buildPohRequest(new TextEncoder().encode(`forged ${i}`), { ttlSeconds: 60, timestampMs: Date.now() })
      request.txId = new Uint8Array(32).fill(i) as Uint8Array<ArrayBuffer>
      await attacker.services.pubsub.publish(requestTopic(NETWORK), encodeRequest(request))
    }

    await until(async () => await verdictCount(cluster, { reason: 'tx_id_mismatch' }) === 4, 'four tx_id_mismatch verdicts')
    await until(() => !cluster.nodes[0]!.libp2p.getPeers().some(p => p.toString() === attackerId), 'the node to disconnect the attacker')
    const disconnects = await cluster.nodes[0]!.registry.getSingleMetricAsString('poh_gossip_graylist_disconnects_total')
    expect(disconnects).to.match(/poh_gossip_graylist_disconnects_total [1-9]/)
  })
})
