import { expect } from 'chai'
import { ConfigError } from '../../src/core/errors.js'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { SigAlg, TxState } from '../../src/core/types.js'
import { nextEvent, startCluster, until } from '../helpers/network.js'
import type { HeldEvent } from '../../src/node/poh-node.js'
import type { TestCluster } from '../helpers/network.js'

describe('hybrid ACKs on loopback', function () {
  this.timeout(60_000)
  let cluster: TestCluster

  before(async () => {
    // Two hybrid holders and one Ed25519 holder. Only hybrid ACKs count.
    cluster = await startCluster({
      size: 3,
      minPohRequired: 2,
      algorithm: ['HYBRID_ED25519_ML_DSA_65', 'HYBRID_ED25519_ML_DSA_65', 'ED25519'],
      adjust: (config) => { config.ack_policy = 'hybrid' }
    })
  })

  after(async () => {
    await cluster?.stop()
  })

  it('hold with hybrid ACKs only', async () => {
    const payload = new TextEncoder().encode('hybrid quorum')
    const txId = toHex(computeTxId(payload))
    const held = cluster.nodes.map(async node => await nextEvent<HeldEvent>(node, 'held', d => d.txId === txId))

    await cluster.nodes[2]!.submit(payload, { ttlSeconds: 600 })
    await Promise.all(held)

    for (const node of cluster.nodes) {
      const status = await node.getTx(txId)
      expect(status?.state).to.equal(TxState.HELD)
      expect(status?.ackCount).to.equal(2)
    }
  })

  it('ignore the Ed25519 holder ACK', async () => {
    const payload = new TextEncoder().encode('ed25519 ack not counted')
    const txId = toHex(computeTxId(payload))
    const heldOnFirst = nextEvent<HeldEvent>(cluster.nodes[0]!, 'held', d => d.txId === txId)

    await cluster.nodes[1]!.submit(payload, { ttlSeconds: 600 })
    await heldOnFirst
    const ignored = async (): Promise<number> => await metricValue(cluster, 'algorithm_not_allowed')
    await until(async () => await ignored() > 0, 'node 0 to ignore the Ed25519 ACK')

    const certificate = await cluster.nodes[0]!.view.certificate(txId)
    expect(certificate?.acks).to.have.length(2)
    expect(certificate?.acks.every(ack => ack.sig_alg === SigAlg.HYBRID_ED25519_ML_DSA_65)).to.equal(true)
    expect(certificate?.acks.every(ack => ack.signature_pq?.length === 3309 * 2)).to.equal(true)
  })
})

async function metricValue (cluster: TestCluster, reason: string): Promise<number> {
  const metrics = await cluster.nodes[0]!.registry.getSingleMetricAsString('poh_ack_verdicts_total')
  const line = metrics.split('\n').find(text => text.includes(`result="${reason}"`))
  return line === undefined ? 0 : Number(line.split(' ').pop())
}

describe('holder.algorithm and key file', function () {
  this.timeout(30_000)

  it('mismatch stops start-up', async () => {
    const err = await startCluster({
      size: 1,
      minPohRequired: 1,
      algorithm: 'ED25519',
      adjust: (config) => { config.holder.algorithm = 'HYBRID_ED25519_ML_DSA_65' }
    }).then(async (cluster) => { await cluster.stop() }, (error: unknown) => error)

    expect(err).to.be.instanceOf(ConfigError)
    expect((err as ConfigError).message).to.match(/holder\.algorithm is HYBRID_ED25519_ML_DSA_65, but the holder key file .* has a key of algorithm ED25519/)
  })
})
