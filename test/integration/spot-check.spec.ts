import { Writable } from 'node:stream'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { lpStream } from '@libp2p/utils'
import { expect } from 'chai'
import { holderSignerFromKeyPair } from '../../src/core/builders.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { holderKeyFromPublicKey } from '../../src/core/holder-set.js'
import { SpotCheckRequest, SpotCheckResponse, SpotCheckStatus } from '../../src/core/proto/poh.js'
import { signSpotCheck, spotCheckProof } from '../../src/core/spot-check.js'
import { SigAlg } from '../../src/core/types.js'
import { startApiServer } from '../../src/api/server.js'
import { createGrpcClient } from '../../src/grpc/client.js'
import { fromStatusMessage } from '../../src/grpc/messages.js'
import { startGrpcServer } from '../../src/grpc/server.js'
import { createLogger } from '../../src/log/logger.js'
import { createPohLibp2p } from '../../src/network/libp2p.js'
import { spotCheckProtocol } from '../../src/network/topics.js'
import { nextEvent, startCluster, until } from '../helpers/network.js'
import type { HolderSigner } from '../../src/core/builders.js'
import type { HolderKey } from '../../src/core/types.js'
import type { PohLibp2p } from '../../src/network/libp2p.js'
import type { HeldEvent, PohNode } from '../../src/node/poh-node.js'
import type { NodeStatus } from '../../src/node/queries.js'
import type { PohStore } from '../../src/storage/store.js'
import type { Stream } from '@libp2p/interface'
import type { TestCluster } from '../helpers/network.js'

const NETWORK = 'poh-test'

/** Returns the node's store, read past its private field so a test can delete a payload through the store API. */
function storeOf (node: PohNode): PohStore {
  const store = (node as unknown as { store?: PohStore }).store
  if (store === undefined) {
    throw new Error('node has no open store')
  }
  return store
}

function holderKeyOfNode (cluster: TestCluster, index: number): HolderKey {
  const key = cluster.keys[index]
  if (key === undefined) {
    throw new Error(`cluster has no key ${index}`)
  }
  return holderKeyFromPublicKey(key.alg, key.publicKey)
}

async function counterValue (node: PohNode, name: 'spotChecks' | 'spotCheckAnswers' | 'spotCheckServed', labels: Record<string, string>): Promise<number> {
  const metric = await node.metrics[name].get()
  return metric.values
    .filter(v => Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value))
    .reduce((sum, v) => sum + v.value, 0)
}

/** Behaviour of a stand-in holder when it responds to a challenge. */
type Behaviour = 'honest' | 'wrong_proof' | 'bad_signature' | 'not_holder' | 'garbage'

/** Builds the stand-in holder's response frame to one request. */
function answerFor (behaviour: Behaviour, request: SpotCheckRequest, signer: HolderSigner, payload: Uint8Array): Uint8Array {
  if (behaviour === 'garbage') {
    return Uint8Array.of(0xff, 0xff, 0xff)
  }
  if (behaviour === 'not_holder') {
    return SpotCheckResponse.encode({ requestId: request.requestId, status: SpotCheckStatus.SPOT_CHECK_NOT_HOLDER, proof: new Uint8Array(0), signature: new Uint8Array(0) })
  }
  const proof = spotCheckProof(request.nonce, behaviour === 'wrong_proof' ? new TextEncoder().encode('not the payload') : payload)
  const statement = { networkId: NETWORK, txId: request.txId, holderId: request.holderId, nonce: request.nonce, status: SpotCheckStatus.SPOT_CHECK_OK, proof }
  const signature = signSpotCheck(statement, signer.keyPair)
  if (behaviour === 'bad_signature') {
    signature[0] = (signature[0] ?? 0) ^ 0x01
  }
  return SpotCheckResponse.encode({ requestId: request.requestId, status: SpotCheckStatus.SPOT_CHECK_OK, proof: proof as Uint8Array<ArrayBuffer>, signature: signature as Uint8Array<ArrayBuffer> })
}

/** Resolves once the node has counted one served spot-check stream with `result`. */
async function nextCounter (node: PohNode, result: string): Promise<void> {
  await until(async () => await counterValue(node, 'spotCheckServed', { result }) === 1, `a served spot check counted as ${result}`)
}

describe('spot checks between nodes', function () {
  this.timeout(60_000)
  let cluster: TestCluster
  let txId: Uint8Array
  const payload = new TextEncoder().encode('spot-checked payload')

  async function submitAndWait (count: number): Promise<void> {
    const [a] = cluster.nodes as [PohNode]
    txId = computeTxId(payload)
    const held = nextEvent<HeldEvent>(a, 'held', d => d.txId === toHex(txId) && d.count >= count)
    await a.submit(payload, { ttlSeconds: 600 })
    await held
  }

  afterEach(async () => {
    await cluster?.stop()
  })

  describe('with honest holders', () => {
    beforeEach(async () => {
      cluster = await startCluster({ size: 3, minPohRequired: 3, adjust: (config) => { config.spot_check.enabled = false } })
      await submitAndWait(3)
    })

    it('holder with the payload passes', async () => {
      const [a] = cluster.nodes as [PohNode]
      const run = await a.spotCheck.checker.checkHolder(txId, holderKeyOfNode(cluster, 1))

      expect(run.result).to.equal('pass')
      expect(run.peer).to.equal(cluster.nodes[1]?.libp2p.peerId.toString())
      const status = await a.view.status()
      expect(status.spot_checks.holders).to.have.length(1)
      expect(status.spot_checks.holders[0]).to.include({ holder_id: toHex(holderKeyOfNode(cluster, 1).holderId), pass: 1, fail: 0, unreachable: 0, last_result: 'pass' })
    })

    it('random check picks another holder', async () => {
      const [a] = cluster.nodes as [PohNode]
      const run = await a.spotCheck.checker.checkRandom()

      expect(run?.result).to.equal('pass')
      expect(run?.txId).to.equal(toHex(txId))
      expect([toHex(holderKeyOfNode(cluster, 1).holderId), toHex(holderKeyOfNode(cluster, 2).holderId)]).to.include(run?.holderId)
    })

    it('holder that deleted its copy fails', async () => {
      const [a, b] = cluster.nodes as [PohNode, PohNode]
      const holderB = holderKeyOfNode(cluster, 1)
      expect(await storeOf(b).deleteTx(txId)).to.equal(true)

      const run = await a.spotCheck.checker.checkHolder(txId, holderB)

      expect(run.result).to.equal('not_held')
      const status = await a.view.status()
      expect(status.spot_checks.holders[0]).to.include({ holder_id: toHex(holderB.holderId), pass: 0, fail: 1, last_result: 'not_held' })
      const label = toHex(holderB.holderId).slice(0, 16)
      expect(await counterValue(a, 'spotChecks', { holder: label, result: 'not_held' })).to.equal(1)
      expect(await a.registry.metrics()).to.match(new RegExp(`^poh_spot_checks_total\\{holder="${label}",result="not_held"\\} 1$`, 'm'))
      expect(await counterValue(b, 'spotCheckServed', { result: 'not_held' })).to.equal(1)
    })

    it('REST and gRPC status carry the counts', async () => {
      const [a, b] = cluster.nodes as [PohNode, PohNode]
      await storeOf(b).deleteTx(txId)
      await a.spotCheck.checker.checkHolder(txId, holderKeyOfNode(cluster, 1))
      await a.spotCheck.checker.checkHolder(txId, holderKeyOfNode(cluster, 2))
      const quiet = createLogger({ level: 'fatal', format: 'json' })
      const api = await startApiServer({ node: a, config: { ...a.config, api: { listen: '127.0.0.1:0' } }, logger: quiet })
      const grpc = await startGrpcServer({ node: a, config: { ...a.config, grpc: { enabled: true, listen: '127.0.0.1:0' } }, logger: quiet })
      const client = createGrpcClient({ address: grpc.address, timeoutMs: 10_000 })
      try {
        const expected = (await a.view.status()).spot_checks
        const rest = await (await fetch(`${api.url}/v1/status`)).json() as NodeStatus
        const overGrpc = fromStatusMessage(await client.status())

        expect(expected.holders.map(h => [h.holder_id, h.last_result]).sort()).to.deep.equal([
          [toHex(holderKeyOfNode(cluster, 1).holderId), 'not_held'],
          [toHex(holderKeyOfNode(cluster, 2).holderId), 'pass']
        ].sort())
        expect(rest.spot_checks).to.deep.equal(expected)
        expect(overGrpc.spot_checks).to.deep.equal(expected)
      } finally {
        client.close()
        await grpc.close()
        await api.close()
      }
    })

    it('peer asked for another holder says not holder', async () => {
      const [a] = cluster.nodes as [PohNode]
      // A listed holder whose key no running node has, so every peer responds NOT_HOLDER.
      const absent = holderKeyFromPublicKey(SigAlg.ED25519, getScheme(SigAlg.ED25519).generateKeyPair().publicKey)

      const run = await a.spotCheck.checker.checkHolder(txId, absent)

      expect(run.result).to.equal('unreachable')
      expect(await counterValue(a, 'spotCheckAnswers', { result: 'not_holder' })).to.equal(2)
    })
  })

  describe('on a schedule', () => {
    it('enabled node checks other holders by itself', async () => {
      cluster = await startCluster({
        size: 2,
        minPohRequired: 2,
        adjust: (config, index) => {
          config.spot_check.enabled = index === 0
          config.spot_check.interval_ms = 100
        }
      })
      await submitAndWait(2)
      const [a, b] = cluster.nodes as [PohNode, PohNode]
      const label = toHex(holderKeyOfNode(cluster, 1).holderId).slice(0, 16)

      await until(async () => await counterValue(a, 'spotChecks', { holder: label, result: 'pass' }) >= 2, 'two scheduled checks of b to pass')

      expect((await a.view.status()).spot_checks.enabled).to.equal(true)
      expect((await b.view.status()).spot_checks).to.deep.equal({ enabled: false, holders: [] })
      expect(await counterValue(b, 'spotCheckServed', { result: 'ok' })).to.be.at.least(2)
      const text = await a.registry.metrics()
      expect(text).to.not.include(toHex(holderKeyOfNode(cluster, 1).holderId))
      expect(text).to.not.match(/="[0-9a-fA-F]{64}"/)
    })
  })

  describe('with a stand-in holder', () => {
    let standIn: PohLibp2p
    let behaviour: Behaviour
    let signer: HolderSigner
    let logLines: string[]

    beforeEach(async () => {
      signer = holderSignerFromKeyPair(getScheme(SigAlg.ED25519).generateKeyPair())
      logLines = []
      const destination = new Writable({ write (chunk, _encoding, done) { logLines.push(...String(chunk).split('\n').filter(line => line !== '')); done() } })
      cluster = await startCluster({
        size: 2,
        minPohRequired: 2,
        logger: createLogger({ level: 'debug', format: 'json', destination }),
        adjust: (config) => {
          config.spot_check.enabled = false
          config.holders = [...(config.holders as Array<{ algorithm: 'ED25519', public_key: string }>), { algorithm: 'ED25519', public_key: toHex(signer.keyPair.publicKey) }]
        }
      })
      await submitAndWait(2)
      standIn = await createPohLibp2p({ privateKey: await generateKeyPair('Ed25519'), networkId: NETWORK, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrapPeers: [] })
      await standIn.handle(spotCheckProtocol(NETWORK), async (stream) => {
        const lp = lpStream(stream)
        const request = SpotCheckRequest.decode(await lp.read({ signal: AbortSignal.timeout(5000) }))
        await lp.write(answerFor(behaviour, request, signer, payload))
        await stream.close()
      })
      // Only a, the challenger, is connected to the stand-in, so no other peer can claim its holder id.
      await standIn.dial(cluster.nodes[0]!.libp2p.getMultiaddrs())
      // The dialler registers the connection first. a's challenge must find the stand-in among its peers.
      await until(() => cluster.nodes[0]!.libp2p.getPeers().some(peer => peer.equals(standIn.peerId)), 'a to list the stand-in as a peer')
    })

    afterEach(async () => {
      await standIn?.stop()
    })

    /** Level (and verdict, where set) of every record logged with message `msg`. */
    const logged = (msg: string): Array<Record<string, unknown>> => logLines
      .map(line => JSON.parse(line) as Record<string, unknown>)
      .filter(entry => entry.msg === msg)
      .map(entry => entry.verdict === undefined ? { level: entry.level } : { level: entry.level, verdict: entry.verdict })

    /** Opens a spot-check stream from the stand-in to b and writes one frame. */
    const sendToB = async (frame: Uint8Array, maxDataLength?: number): Promise<{ stream: Stream, lp: ReturnType<typeof lpStream> }> => {
      const stream = await standIn.dialProtocol(cluster.nodes[1]!.libp2p.getMultiaddrs(), spotCheckProtocol(NETWORK), { signal: AbortSignal.timeout(5000) })
      const lp = lpStream(stream, { maxDataLength })
      await lp.write(frame).catch(() => undefined)
      return { stream, lp }
    }

    const standInKey = (): HolderKey => holderKeyFromPublicKey(signer.keyPair.alg, signer.keyPair.publicKey)

    it('honest stand-in passes', async () => {
      behaviour = 'honest'
      const run = await cluster.nodes[0]!.spotCheck.checker.checkHolder(txId, standInKey())

      expect(run.result).to.equal('pass')
      expect(run.peer).to.equal(standIn.peerId.toString())
    })

    it('signed wrong proof fails', async () => {
      behaviour = 'wrong_proof'
      const run = await cluster.nodes[0]!.spotCheck.checker.checkHolder(txId, standInKey())

      expect(run.result).to.equal('wrong_proof')
    })

    it('bad signature from unproven peer is not blamed on the holder', async () => {
      const a = cluster.nodes[0]!
      behaviour = 'bad_signature'
      const run = await a.spotCheck.checker.checkHolder(txId, standInKey())

      expect(run.result).to.equal('unreachable')
      expect(await counterValue(a, 'spotCheckAnswers', { result: 'bad_signature' })).to.equal(1)
    })

    const provenCases: Array<[Behaviour, string]> = [['bad_signature', 'bad_signature'], ['garbage', 'malformed']]
    for (const [bad, result] of provenCases) {
      it(`${result} answer from proven peer fails`, async () => {
        const a = cluster.nodes[0]!
        behaviour = 'honest'
        expect((await a.spotCheck.checker.checkHolder(txId, standInKey())).result).to.equal('pass')
        behaviour = bad

        const run = await a.spotCheck.checker.checkHolder(txId, standInKey())

        expect(run.result).to.equal(result)
        const status = await a.view.status()
        expect(status.spot_checks.holders.find(h => h.holder_id === toHex(signer.holderId))).to.include({ pass: 1, fail: 1, last_result: result })
      })
    }

    it('stand-in posing as another holder is ignored', async () => {
      const a = cluster.nodes[0]!
      // The stand-in signs with its own key while b is named, so its response proves nothing about b.
      behaviour = 'wrong_proof'
      const run = await a.spotCheck.checker.checkHolder(txId, holderKeyOfNode(cluster, 1))

      expect(run.result).to.equal('pass')
      expect(run.peer).to.equal(cluster.nodes[1]!.libp2p.peerId.toString())
    })

    it('malformed response gets a verdict, metric and log', async () => {
      const a = cluster.nodes[0]!
      behaviour = 'garbage'
      const run = await a.spotCheck.checker.checkHolder(txId, standInKey())

      expect(run.result).to.equal('unreachable')
      expect(await counterValue(a, 'spotCheckAnswers', { result: 'malformed' })).to.equal(1)
      expect(logged('spot-check response judged').filter(entry => entry.verdict === 'malformed')).to.deep.equal([{ level: 'debug', verdict: 'malformed' }])
    })

    const badRequests: Array<[string, Uint8Array]> = [
      ['undecodable frame', Uint8Array.of(0xff, 0xff, 0xff)],
      ['short nonce', SpotCheckRequest.encode({ requestId: new Uint8Array(16), txId: new Uint8Array(32), holderId: new Uint8Array(32), nonce: new Uint8Array(5) })],
      ['oversized frame', new Uint8Array(4096)]
    ]

    it('holder aborts stream past its read buffer', async () => {
      const { stream } = await sendToB(new Uint8Array(200_000), 1 << 20)

      await nextCounter(cluster.nodes[1]!, 'aborted')
      expect(logged('spot-check stream aborted')).to.deep.equal([{ level: 'debug' }])
      stream.abort(new Error('test done'))
      expect((await cluster.nodes[0]!.spotCheck.checker.checkHolder(txId, holderKeyOfNode(cluster, 1))).result).to.equal('pass')
    })

    for (const [name, frame] of badRequests) {
      it(`holder answers ${name} with INVALID_REQUEST`, async () => {
        const { stream, lp } = await sendToB(frame)
        await stream.close()
        const response = SpotCheckResponse.decode(await lp.read({ signal: AbortSignal.timeout(5000) }))

        expect(response.status).to.equal(SpotCheckStatus.SPOT_CHECK_INVALID_REQUEST)
        expect(await counterValue(cluster.nodes[1]!, 'spotCheckServed', { result: 'invalid_request' })).to.equal(1)
        expect(logged('invalid spot-check request')).to.deep.equal([{ level: 'debug' }])
        // The holder still serves challenges afterwards.
        expect((await cluster.nodes[0]!.spotCheck.checker.checkHolder(txId, holderKeyOfNode(cluster, 1))).result).to.equal('pass')
      })
    }
  })
})
