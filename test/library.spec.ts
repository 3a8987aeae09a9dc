import { expect } from 'chai'
import * as poh from '../src/index.js'

describe('library exports', () => {
  it('exports the node, client and core API', () => {
    for (const name of ['PohNode', 'LightClient', 'loadConfig', 'createLogger', 'buildPohRequest', 'buildPohAck', 'AckVerifier', 'HolderSet', 'computeTxId', 'encodeRequest', 'decodeAckBatch', 'getScheme', 'requestTopic', 'ackTopic', 'repairProtocol']) {
      expect(poh, name).to.have.property(name)
    }
  })

  it('builds a request whose tx_id is SHA-256 of the payload', () => {
    const request = poh.buildPohRequest(new TextEncoder().encode('abc'), { ttlSeconds: 60, timestampMs: 1 })

    expect(poh.toHex(request.txId)).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
