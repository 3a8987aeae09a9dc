import { expect } from 'chai'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { PohNode } from '../../src/node/poh-node.js'
import { createLogger } from '../../src/log/logger.js'
import { nextEvent, startCluster } from '../helpers/network.js'
import type { HeldEvent } from '../../src/node/poh-node.js'
import type { TestCluster } from '../helpers/network.js'

describe('node restart', function () {
  this.timeout(60_000)
  let cluster: TestCluster
  let restarted: PohNode | undefined

  beforeEach(async () => {
    cluster = await startCluster({ size: 1, minPohRequired: 1 })
  })

  afterEach(async () => {
    await restarted?.stop()
    await cluster?.stop()
  })

  it('keeps held state and ACKs', async () => {
    const node = cluster.nodes[0]!
    const payload = new TextEncoder().encode('survives a restart')
    const txId = toHex(computeTxId(payload))
    const held = nextEvent<HeldEvent>(node, 'held', d => d.txId === txId)
    await node.submit(payload, { ttlSeconds: 600 })
    await held
    await node.stop()

    restarted = new PohNode({ config: node.config, logger: createLogger({ level: 'fatal', format: 'json' }) })
    await restarted.start()
    const status = await restarted.getTx(txId)

    expect(status?.state).to.equal(TxState.HELD)
    expect(status?.ackCount).to.equal(1)
    expect(status?.holders).to.deep.equal([restarted.holderId])
    expect(status?.payloadBytes).to.equal(payload.length)
  })
})
