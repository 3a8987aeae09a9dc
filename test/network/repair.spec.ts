import { generateKeyPair } from '@libp2p/crypto/keys'
import { lpStream } from '@libp2p/utils'
import { expect } from 'chai'
import { buildPohAck, buildPohRequest, holderSignerFromKeyPair } from '../../src/core/builders.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { bytesEqual, computeTxId, toHex } from '../../src/core/hash.js'
import { HolderSet, holderKeyFromPublicKey } from '../../src/core/holder-set.js'
import { PohAck, RepairRequest, RepairResponse, RepairStatus } from '../../src/core/proto/poh.js'
import { SigAlg } from '../../src/core/types.js'
import { AckVerifier } from '../../src/core/validate.js'
import { createLogger } from '../../src/log/logger.js'
import { createPohLibp2p } from '../../src/network/libp2p.js'
import {
  RepairClient,
  RepairIncompleteError,
  RepairServer,
  RepairSourceUnavailableError,
  itemBudgetBytes
} from '../../src/network/repair/index.js'
import { ITEM_FRAMING_BYTES, RESPONSE_ENVELOPE_BYTES } from '../../src/network/repair/codec.js'
import { repairProtocol } from '../../src/network/topics.js'
import type { RepairItem } from '../../src/core/proto/poh.js'
import type { Clock } from '../../src/core/types.js'
import type { Logger } from '../../src/log/logger.js'
import type { PohLibp2p } from '../../src/network/libp2p.js'
import type {
  RepairClientInit,
  RepairClientResult,
  RepairMetrics,
  RepairServerLimits,
  RepairServerResult,
  RepairSource,
  RepairTimeRange
} from '../../src/network/repair/index.js'
import type { PeerId, Stream } from '@libp2p/interface'

const NETWORK_ID = 'poh-test'
const PROTOCOL = repairProtocol(NETWORK_ID)
const TCP = ['/ip4/127.0.0.1/tcp/0']
const QUIC = ['/ip4/127.0.0.1/udp/0/quic-v1']

/** Request time of the first stored transaction: 2023-11-14T22:13:20Z. */
const T0 = 1_700_000_000_000

const encoder = new TextEncoder()
const signer = holderSignerFromKeyPair(getScheme(SigAlg.ED25519).generateKeyPair(new Uint8Array(32).fill(1)))
const verifier = new AckVerifier({
  networkId: NETWORK_ID,
  holderSet: HolderSet.closedSet([holderKeyFromPublicKey(signer.keyPair.alg, signer.keyPair.publicKey)]),
  maxClockSkewMs: 5000
})

/** A stored transaction: its repair item and its request time. */
interface StoredTx {
  item: RepairItem
  timestampMs: number
}

/** Builds a transaction with a real payload and a holder ACK signed 10 ms after the request. */
function makeTx (text: string, timestampMs: number): StoredTx {
  const request = buildPohRequest(encoder.encode(text), { ttlSeconds: 3600, timestampMs })
  const ack = buildPohAck(request, signer, { networkId: NETWORK_ID, timestampMs: timestampMs + 10 })
  const item: RepairItem = {
    txId: request.txId,
    payload: request.payload,
    expiresAtMs: BigInt(timestampMs + 3600 * 1000),
    holderAck: ack,
    acks: [],
    requestTimestampMs: request.timestampMs,
    ttlSeconds: request.ttlSeconds
  }
  return { item, timestampMs }
}

/** Builds `count` transactions one second apart, from T0. */
function makeTxs (count: number, prefix = 'tx', padding = 0): StoredTx[] {
  return Array.from({ length: count }, (_, i) => makeTx(`${prefix} ${i} ${'.'.repeat(padding)}`, T0 + i * 1000))
}

/** Checks an item as the node does: SHA-256(payload) = tx_id and a holder ACK that verifies against the payload. */
function verifyItem (item: RepairItem): boolean {
  if (!bytesEqual(computeTxId(item.payload), item.txId)) {
    return false
  }
  const ack = item.holderAck
  if (ack === undefined || !bytesEqual(ack.txId, item.txId)) {
    return false
  }
  try {
    verifier.verify(ack, T0 + 3_600_000, item.payload)
    return true
  } catch {
    return false
  }
}

/** Cursor: the request time (8 bytes, big-endian) and tx_id of the last item served. */
function encodeCursor (tx: StoredTx): Uint8Array {
  const cursor = new Uint8Array(40)
  new DataView(cursor.buffer).setBigUint64(0, BigInt(tx.timestampMs))
  cursor.set(tx.item.txId, 8)
  return cursor
}

function isAfterCursor (tx: StoredTx, cursor: Uint8Array): boolean {
  const timestampMs = Number(new DataView(cursor.buffer, cursor.byteOffset).getBigUint64(0))
  if (tx.timestampMs !== timestampMs) {
    return tx.timestampMs > timestampMs
  }
  return toHex(tx.item.txId) > toHex(cursor.subarray(8))
}

/** RepairSource over an in-memory list, ordered by request time, then tx_id. */
class MemorySource implements RepairSource {
  private readonly sorted: StoredTx[]
  private readonly byId: Map<string, StoredTx>
  /** Thrown by every call when set. */
  failure: Error | undefined
  /** Awaited at the start of every call. */
  beforeCall: () => Promise<void> = async () => {}
  /** Bytes an item costs against the budget. */
  cost: (item: RepairItem) => number = itemBudgetBytes
  calls = 0

  constructor (txs: StoredTx[]) {
    this.sorted = [...txs].sort((a, b) => a.timestampMs - b.timestampMs || (toHex(a.item.txId) < toHex(b.item.txId) ? -1 : 1))
    this.byId = new Map(txs.map((tx) => [toHex(tx.item.txId), tx]))
  }

  async itemsById (txIds: Uint8Array[], maxBytes: number): Promise<RepairItem[]> {
    await this.enter()
    const items: RepairItem[] = []
    let used = 0
    for (const txId of txIds) {
      const tx = this.byId.get(toHex(txId))
      if (tx === undefined || used + this.cost(tx.item) > maxBytes) {
        continue
      }
      used += this.cost(tx.item)
      items.push(tx.item)
    }
    return items
  }

  async itemsByRange (range: RepairTimeRange & { limit: number, cursor?: Uint8Array }, maxBytes: number): Promise<{ items: RepairItem[], nextCursor?: Uint8Array }> {
    await this.enter()
    const { cursor } = range
    const candidates = this.sorted.filter((tx) => tx.timestampMs >= range.fromMs && tx.timestampMs <= range.toMs && (cursor === undefined || isAfterCursor(tx, cursor)))
    const page: StoredTx[] = []
    let used = 0
    for (const tx of candidates) {
      if (page.length === range.limit || used + this.cost(tx.item) > maxBytes) {
        break
      }
      used += this.cost(tx.item)
      page.push(tx)
    }
    const last = page.at(-1)
    const more = candidates.length > page.length && last !== undefined
    return { items: page.map((tx) => tx.item), nextCursor: more ? encodeCursor(last) : undefined }
  }

  private async enter (): Promise<void> {
    this.calls++
    await this.beforeCall()
    if (this.failure !== undefined) {
      throw this.failure
    }
  }
}

/** Clock that moves only when a test advances it. */
function fakeClock (): Clock & { advance: (ms: number) => void } {
  let now = T0
  return { now: () => now, advance: (ms) => { now += ms } }
}

/** RepairMetrics that counts every label it receives. */
function recordingMetrics (): RepairMetrics & { client: Partial<Record<RepairClientResult, number>>, server: Partial<Record<RepairServerResult, number>> } {
  const client: Partial<Record<RepairClientResult, number>> = {}
  const server: Partial<Record<RepairServerResult, number>> = {}
  return {
    client,
    server,
    clientResult: (result) => { client[result] = (client[result] ?? 0) + 1 },
    serverResponse: (result) => { server[result] = (server[result] ?? 0) + 1 }
  }
}

function discardLogger (): Logger {
  return createLogger({ level: 'fatal', format: 'json', destination: { write: () => {} } })
}

const DEFAULT_SERVER_LIMITS: RepairServerLimits = {
  maxIdsPerRequest: 64,
  ratePerSecond: 1000,
  maxConcurrentStreams: 8,
  maxResponseBytes: 1 << 20,
  readTimeoutMs: 2000
}

/** Sends one raw request frame and reads the response frame. */
async function rawExchange (from: PohLibp2p, to: PeerId, frame: Uint8Array): Promise<{ response: RepairResponse, frameBytes: number }> {
  const signal = AbortSignal.timeout(5000)
  const stream = await from.dialProtocol(to, PROTOCOL, { signal })
  const lp = lpStream(stream, { maxDataLength: 1 << 24 })
  try {
    await lp.write(frame, { signal })
    await stream.close({ signal })
    const body = await lp.read({ signal })
    return { response: RepairResponse.decode(body), frameBytes: body.byteLength }
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

function randomRequestId (length = 16): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length))
}

function idsRequest (txIds: Uint8Array[], requestId = randomRequestId()): Uint8Array {
  return RepairRequest.encode({ requestId, txIds: txIds as Array<Uint8Array<ArrayBuffer>> })
}

function rangeRequest (fromMs: number, toMs: number, limit: number, cursor = new Uint8Array(0)): Uint8Array {
  return RepairRequest.encode({ requestId: randomRequestId(), txIds: [], range: { fromMs: BigInt(fromMs), toMs: BigInt(toMs), limit, cursor } })
}

/** Polls `check` until it holds, yielding to I/O between checks. */
async function until (check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function hexes (items: Array<{ txId: Uint8Array } | Uint8Array>): string[] {
  return items.map((item) => toHex(item instanceof Uint8Array ? item : item.txId))
}

describe('repair protocol', function () {
  let nodes: PohLibp2p[]
  let servers: RepairServer[]

  async function startNode (listen = TCP): Promise<PohLibp2p> {
    const node = await createPohLibp2p({ privateKey: await generateKeyPair('Ed25519'), networkId: NETWORK_ID, listen, bootstrapPeers: [] })
    nodes.push(node)
    return node
  }

  /** Starts a node connected to each of `peers`, so dialing their peer ids finds a connection. */
  async function startClientNode (...peers: PohLibp2p[]): Promise<PohLibp2p> {
    const node = await startNode()
    for (const peer of peers) {
      await node.dial(peer.getMultiaddrs())
    }
    return node
  }

  async function startServer (source: RepairSource, limits: Partial<RepairServerLimits> = {}, options: { listen?: string[], clock?: Clock, metrics?: RepairMetrics } = {}): Promise<PohLibp2p> {
    const node = await startNode(options.listen)
    const server = new RepairServer({
      libp2p: node,
      networkId: NETWORK_ID,
      source,
      limits: { ...DEFAULT_SERVER_LIMITS, ...limits },
      clock: options.clock ?? fakeClock(),
      logger: discardLogger(),
      metrics: options.metrics
    })
    await server.start()
    servers.push(server)
    return node
  }

  function createClient (node: PohLibp2p, overrides: Partial<RepairClientInit> = {}): RepairClient {
    return new RepairClient({
      libp2p: node,
      networkId: NETWORK_ID,
      timeouts: { dialMs: 2000, firstByteMs: 300, responseMs: 2000 },
      backoffMs: 1,
      maxResponseBytes: 1 << 20,
      verifyItem,
      logger: discardLogger(),
      ...overrides
    })
  }

  beforeEach(() => {
    nodes = []
    servers = []
  })

  afterEach(async () => {
    await Promise.all(servers.map(async (server) => { await server.stop() }))
    await Promise.all(nodes.map(async (node) => { await node.stop() }))
  })

  describe('fetch', () => {
    it('fetchByIds returns present items and missing ids', async () => {
      const txs = makeTxs(5)
      const absent = makeTxs(2, 'absent').map((tx) => tx.item.txId)
      const server = await startServer(new MemorySource(txs))
      const clientNode = await startClientNode(server)
      const metrics = recordingMetrics()
      const client = createClient(clientNode, { metrics })
      const requested = [txs[0], txs[2], txs[4]].map((tx) => tx!.item.txId)

      const { items, missing } = await client.fetchByIds([...requested, ...absent], [server.peerId])

      expect(hexes(items)).to.have.members(hexes(requested))
      expect(hexes(missing)).to.have.members(hexes(absent))
      // After a partial response the client asks once more for the rest, since
      // a server leaves out items that do not fit in one response.
      expect(metrics.client).to.deep.equal({ ok: 2 })
      expect(client.outstandingRequests).to.equal(0)
    })

    it('fetchByIds splits 70 ids into two requests', async () => {
      const txs = makeTxs(70)
      const source = new MemorySource(txs)
      const server = await startServer(source)
      const metrics = recordingMetrics()
      const client = createClient(await startClientNode(server), { metrics })

      const { items, missing } = await client.fetchByIds(txs.map((tx) => tx.item.txId), [server.peerId])

      expect(items).to.have.length(70)
      expect(missing).to.have.length(0)
      expect(source.calls).to.equal(2)
      expect(metrics.client).to.deep.equal({ ok: 2 })
    })

    it('fetchByIds reads a 5 MiB response', async () => {
      // lpStream buffers at most 4 MiB by default, below the frame limit used here.
      const large = makeTx(`large ${'x'.repeat(5 * 1024 * 1024)}`, T0)
      const maxResponseBytes = 6 * 1024 * 1024
      const server = await startServer(new MemorySource([large]), { maxResponseBytes })
      const client = createClient(await startClientNode(server), { maxResponseBytes })

      const { items, missing } = await client.fetchByIds([large.item.txId], [server.peerId])

      expect(missing).to.have.length(0)
      expect(items).to.have.length(1)
      expect(items[0]!.payload.length).to.be.above(5 * 1024 * 1024)
    })

    it('fetchByIds asks the next peer for ids the first lacks', async () => {
      const txs = makeTxs(4)
      const first = await startServer(new MemorySource(txs.slice(0, 2)))
      const second = await startServer(new MemorySource(txs.slice(2)))
      const client = createClient(await startClientNode(first, second))

      const { items, missing } = await client.fetchByIds(txs.map((tx) => tx.item.txId), [first.peerId, second.peerId])

      expect(hexes(items)).to.have.members(hexes(txs.map((tx) => tx.item)))
      expect(missing).to.have.length(0)
    })

    it('fetchRange pages through the range with a cursor', async () => {
      const txs = makeTxs(25)
      const source = new MemorySource(txs)
      const server = await startServer(source)
      const metrics = recordingMetrics()
      const client = createClient(await startClientNode(server), { metrics })

      const items: RepairItem[] = []
      for await (const item of client.fetchRange({ fromMs: T0, toMs: T0 + 24_000 }, [server.peerId], { pageLimit: 10 })) {
        items.push(item)
      }

      expect(hexes(items)).to.deep.equal(hexes(txs.map((tx) => tx.item)))
      expect(source.calls).to.equal(3)
      expect(metrics.client).to.deep.equal({ ok: 3 })
    })

    it('fetchRange keeps to the range bounds', async () => {
      const txs = makeTxs(10)
      const server = await startServer(new MemorySource(txs))
      const client = createClient(await startClientNode(server))

      const items: RepairItem[] = []
      for await (const item of client.fetchRange({ fromMs: T0 + 3000, toMs: T0 + 6000 }, [server.peerId], { pageLimit: 2 })) {
        items.push(item)
      }

      expect(hexes(items)).to.deep.equal(hexes(txs.slice(3, 7).map((tx) => tx.item)))
    })

    it('fetchRange stops at maxPages', async () => {
      const server = await startServer(new MemorySource(makeTxs(10)))
      const client = createClient(await startClientNode(server))

      const items: RepairItem[] = []
      for await (const item of client.fetchRange({ fromMs: T0, toMs: T0 + 60_000 }, [server.peerId], { pageLimit: 3, maxPages: 2 })) {
        items.push(item)
      }

      expect(items).to.have.length(6)
    })

    it('fetchRange throws when no peer finishes', async () => {
      const source = new MemorySource(makeTxs(3))
      source.failure = new Error('disk read failed')
      const server = await startServer(source)
      const client = createClient(await startClientNode(server))

      let error: unknown
      try {
        for await (const item of client.fetchRange({ fromMs: T0, toMs: T0 + 60_000 }, [server.peerId])) {
          expect.fail(`unexpected item ${toHex(item.txId)}`)
        }
      } catch (err) {
        error = err
      }

      expect(error).to.be.instanceOf(RepairIncompleteError)
    })

    it('fetch works over QUIC', async () => {
      const txs = makeTxs(12)
      const server = await startServer(new MemorySource(txs), {}, { listen: QUIC })
      const clientNode = await startNode(QUIC)
      await clientNode.dial(server.getMultiaddrs())
      const client = createClient(clientNode)

      const byId = await client.fetchByIds(txs.slice(0, 3).map((tx) => tx.item.txId), [server.peerId])
      const ranged: RepairItem[] = []
      for await (const item of client.fetchRange({ fromMs: T0, toMs: T0 + 60_000 }, [server.peerId], { pageLimit: 5 })) {
        ranged.push(item)
      }

      const connections = clientNode.getConnections(server.peerId)
      expect(connections.map((connection) => connection.remoteAddr.toString())).to.satisfy((addrs: string[]) => addrs.every((addr) => addr.includes('/quic-v1')))
      expect(byId.items).to.have.length(3)
      expect(hexes(ranged)).to.deep.equal(hexes(txs.map((tx) => tx.item)))
    })

    it('fetchByIds rejects when the caller aborts', async () => {
      const source = new MemorySource(makeTxs(1))
      let entered!: () => void
      const inSource = new Promise<void>((resolve) => { entered = resolve })
      source.beforeCall = async () => {
        entered()
        await new Promise(() => {})
      }
      const server = await startServer(source)
      const client = createClient(await startClientNode(server), { timeouts: { dialMs: 2000, firstByteMs: 10_000, responseMs: 10_000 } })
      const controller = new AbortController()

      const call = client.fetchByIds([makeTxs(1)[0]!.item.txId], [server.peerId], { signal: controller.signal })
      await inSource
      controller.abort()

      let error: unknown
      try {
        await call
      } catch (err) {
        error = err
      }
      expect((error as Error)?.name).to.equal('AbortError')
      expect(client.outstandingRequests).to.equal(0)
    })
  })

  describe('client input checks', () => {
    const noNetwork = { dialProtocol: async () => { throw new Error('no dial expected') } }

    it('fetchByIds rejects a 31-byte id', async () => {
      const client = createClient(noNetwork as unknown as PohLibp2p)

      let error: unknown
      try {
        await client.fetchByIds([new Uint8Array(31)], [])
      } catch (err) {
        error = err
      }

      expect(error).to.be.instanceOf(RangeError)
    })

    it('fetchRange rejects from after to', async () => {
      const client = createClient(noNetwork as unknown as PohLibp2p)

      let error: unknown
      try {
        for await (const item of client.fetchRange({ fromMs: T0 + 1, toMs: T0 }, [])) {
          expect.fail(`unexpected item ${toHex(item.txId)}`)
        }
      } catch (err) {
        error = err
      }

      expect(error).to.be.instanceOf(RangeError)
    })

    it('client rejects maxIdsPerRequest 0', () => {
      expect(() => createClient(noNetwork as unknown as PohLibp2p, { maxIdsPerRequest: 0 })).to.throw(RangeError)
    })
  })

  describe('server', () => {
    const invalidCases: Array<{ name: string, frame: () => Uint8Array, echoesId: boolean }> = [
      { name: '65 ids', frame: () => idsRequest(makeTxs(65).map((tx) => tx.item.txId)), echoesId: true },
      { name: 'neither ids nor range', frame: () => RepairRequest.encode({ requestId: randomRequestId(), txIds: [] }), echoesId: true },
      {
        name: 'both ids and range',
        frame: () => RepairRequest.encode({ requestId: randomRequestId(), txIds: [new Uint8Array(32)], range: { fromMs: 0n, toMs: 1n, limit: 1, cursor: new Uint8Array(0) } }),
        echoesId: true
      },
      { name: '8-byte request id', frame: () => idsRequest([new Uint8Array(32)], randomRequestId(8)), echoesId: false },
      { name: 'missing request id', frame: () => idsRequest([new Uint8Array(32)], new Uint8Array(0)), echoesId: false },
      { name: '31-byte tx id', frame: () => idsRequest([new Uint8Array(31)]), echoesId: true },
      { name: 'range limit 0', frame: () => rangeRequest(T0, T0 + 1, 0), echoesId: true },
      { name: 'range limit 1001', frame: () => rangeRequest(T0, T0 + 1, 1001), echoesId: true },
      { name: 'range from after to', frame: () => rangeRequest(T0 + 1, T0, 10), echoesId: true },
      { name: '65-byte cursor', frame: () => rangeRequest(T0, T0 + 1, 10, new Uint8Array(65)), echoesId: true },
      { name: 'undecodable frame', frame: () => new Uint8Array([0x0a, 0xff, 0xff, 0xff]), echoesId: false }
    ]

    for (const { name, frame, echoesId } of invalidCases) {
      it(`server answers INVALID_REQUEST for ${name}`, async () => {
        const source = new MemorySource(makeTxs(1))
        const metrics = recordingMetrics()
        const server = await startServer(source, {}, { metrics })
        const clientNode = await startClientNode(server)
        const bytes = frame()

        const { response } = await rawExchange(clientNode, server.peerId, bytes)

        expect(response.status).to.equal(RepairStatus.INVALID_REQUEST)
        expect(response.items).to.have.length(0)
        expect(source.calls).to.equal(0)
        expect(metrics.server).to.deep.equal({ invalid_request: 1 })
        if (echoesId) {
          expect(toHex(response.requestId)).to.equal(toHex(RepairRequest.decode(bytes).requestId))
        } else {
          expect(response.requestId).to.have.length(0)
        }
      })
    }

    it('server answers RATE_LIMITED until the bucket refills', async () => {
      const txs = makeTxs(8)
      const clock = fakeClock()
      const server = await startServer(new MemorySource(txs), { ratePerSecond: 10, burst: 10, maxIdsPerRequest: 8 }, { clock })
      const clientNode = await startClientNode(server)
      const ids = txs.map((tx) => tx.item.txId)

      const first = await rawExchange(clientNode, server.peerId, idsRequest(ids))
      const second = await rawExchange(clientNode, server.peerId, idsRequest(ids))
      clock.advance(500)
      const halfRefilled = await rawExchange(clientNode, server.peerId, idsRequest(ids))
      clock.advance(300)
      const refilled = await rawExchange(clientNode, server.peerId, idsRequest(ids))

      expect(first.response.status).to.equal(RepairStatus.OK)
      expect(first.response.items).to.have.length(8)
      expect(second.response.status).to.equal(RepairStatus.RATE_LIMITED)
      expect(second.response.items).to.have.length(0)
      expect(halfRefilled.response.status).to.equal(RepairStatus.RATE_LIMITED)
      expect(refilled.response.status).to.equal(RepairStatus.OK)
    })

    it('server serves a range limit above the burst as a smaller page', async () => {
      const server = await startServer(new MemorySource(makeTxs(100)), { ratePerSecond: 64, burst: 64, maxIdsPerRequest: 64 })
      const clientNode = await startClientNode(server)

      const { response } = await rawExchange(clientNode, server.peerId, rangeRequest(T0, T0 + 200_000, 1000))

      expect(response.status).to.equal(RepairStatus.OK)
      expect(response.items).to.have.length(64)
      expect(response.nextCursor.length).to.be.above(0)
    })

    it('server answers RATE_LIMITED over the stream cap', async () => {
      const txs = makeTxs(2)
      const source = new MemorySource(txs)
      let entered!: () => void
      let release!: () => void
      const inSource = new Promise<void>((resolve) => { entered = resolve })
      const released = new Promise<void>((resolve) => { release = resolve })
      source.beforeCall = async () => {
        entered()
        await released
      }
      const server = await startServer(source, { maxConcurrentStreams: 1 })
      const clientNode = await startClientNode(server)

      const blocked = rawExchange(clientNode, server.peerId, idsRequest([txs[0]!.item.txId]))
      await inSource
      const over = await rawExchange(clientNode, server.peerId, idsRequest([txs[1]!.item.txId]))
      release()
      const first = await blocked

      expect(over.response.status).to.equal(RepairStatus.RATE_LIMITED)
      expect(first.response.status).to.equal(RepairStatus.OK)
      expect(first.response.items).to.have.length(1)
    })

    it('server keeps responses within maxResponseBytes', async () => {
      const txs = makeTxs(6, 'large', 600)
      const maxResponseBytes = 2500
      const server = await startServer(new MemorySource(txs), { maxResponseBytes })
      const clientNode = await startClientNode(server)
      const ids = txs.map((tx) => tx.item.txId)

      const { response, frameBytes } = await rawExchange(clientNode, server.peerId, idsRequest(ids))
      const client = createClient(clientNode, { maxResponseBytes })
      const fetched = await client.fetchByIds(ids, [server.peerId])

      expect(response.status).to.equal(RepairStatus.OK)
      expect(frameBytes).to.be.at.most(maxResponseBytes)
      expect(response.items.length).to.be.within(1, 5)
      expect(fetched.items).to.have.length(6)
      expect(fetched.missing).to.have.length(0)
    })

    it('server asks again when framing overruns the budget', async () => {
      const txs = makeTxs(6, 'large', 600)
      const source = new MemorySource(txs)
      // Counts what the storage layer counts: payload and ACK bytes only.
      source.cost = (item) => item.payload.length + PohAck.encode(item.holderAck!).length
      const sourceCost = source.cost(txs[0]!.item)
      // A budget that fits five items by that count, whose full encoding does not fit.
      const maxResponseBytes = 5 * sourceCost + RESPONSE_ENVELOPE_BYTES + 6 * ITEM_FRAMING_BYTES
      const server = await startServer(source, { maxResponseBytes })
      const clientNode = await startClientNode(server)

      const { response, frameBytes } = await rawExchange(clientNode, server.peerId, idsRequest(txs.map((tx) => tx.item.txId)))

      expect(response.status).to.equal(RepairStatus.OK)
      expect(frameBytes).to.be.at.most(maxResponseBytes)
      expect(response.items).to.have.length(4)
      expect(source.calls).to.equal(2)
    })

    it('server answers SERVER_ERROR when the source overruns its budget', async () => {
      const txs = makeTxs(6, 'large', 600)
      const source = new MemorySource(txs)
      source.itemsById = async () => txs.map((tx) => tx.item)
      const metrics = recordingMetrics()
      const server = await startServer(source, { maxResponseBytes: 2500 }, { metrics })
      const clientNode = await startClientNode(server)

      const { response } = await rawExchange(clientNode, server.peerId, idsRequest(txs.map((tx) => tx.item.txId)))

      expect(response.status).to.equal(RepairStatus.SERVER_ERROR)
      expect(response.items).to.have.length(0)
      expect(metrics.server).to.deep.equal({ server_error: 1 })
    })

    const sourceFailures: Array<{ name: string, error: Error, status: RepairStatus, result: RepairServerResult }> = [
      { name: 'SERVER_ERROR when the source throws', error: new Error('disk read failed'), status: RepairStatus.SERVER_ERROR, result: 'server_error' },
      { name: 'RESOURCE_UNAVAILABLE when the source is unavailable', error: new RepairSourceUnavailableError('store closed'), status: RepairStatus.RESOURCE_UNAVAILABLE, result: 'resource_unavailable' }
    ]

    for (const { name, error, status, result } of sourceFailures) {
      it(`server answers ${name}`, async () => {
        const txs = makeTxs(1)
        const source = new MemorySource(txs)
        source.failure = error
        const metrics = recordingMetrics()
        const server = await startServer(source, {}, { metrics })
        const clientNode = await startClientNode(server)

        const { response } = await rawExchange(clientNode, server.peerId, idsRequest([txs[0]!.item.txId]))

        expect(response.status).to.equal(status)
        expect(response.items).to.have.length(0)
        expect(metrics.server).to.deep.equal({ [result]: 1 })
      })
    }

    it('server answers OK with no items for unknown ids', async () => {
      const server = await startServer(new MemorySource(makeTxs(1)))
      const clientNode = await startClientNode(server)

      const { response } = await rawExchange(clientNode, server.peerId, idsRequest(makeTxs(2, 'absent').map((tx) => tx.item.txId)))

      expect(response.status).to.equal(RepairStatus.OK)
      expect(response.items).to.have.length(0)
    })

    it('server answers RESOURCE_UNAVAILABLE while stopping', async () => {
      const txs = makeTxs(1)
      const source = new MemorySource(txs)
      const server = await startServer(source)
      const clientNode = await startClientNode(server)
      const stream = await clientNode.dialProtocol(server.peerId, PROTOCOL)
      const lp = lpStream(stream)
      await until(() => server.getConnections().some((connection) => connection.streams.some((s) => s.protocol === PROTOCOL)), 'the server to accept the stream')

      await servers[0]!.stop()
      await lp.write(idsRequest([txs[0]!.item.txId]))
      await stream.close()
      const response = RepairResponse.decode(await lp.read({ signal: AbortSignal.timeout(5000) }))

      expect(response.status).to.equal(RepairStatus.RESOURCE_UNAVAILABLE)
      expect(source.calls).to.equal(0)
    })

    it('server aborts a stream that sends no request', async () => {
      const server = await startServer(new MemorySource(makeTxs(1)), { readTimeoutMs: 200 })
      const clientNode = await startClientNode(server)
      const stream = await clientNode.dialProtocol(server.peerId, PROTOCOL)
      const closed = new Promise<void>((resolve) => { stream.addEventListener('close', () => { resolve() }, { once: true }) })

      const started = Date.now()
      await closed

      expect(stream.status).to.equal('reset')
      expect(Date.now() - started).to.be.below(1500)
    })
  })

  describe('hostile peers', () => {
    /** Registers a handler on a second node that reads one request and passes it to `reply`. */
    async function startHostile (reply: (request: RepairRequest, stream: Stream, lp: ReturnType<typeof lpStream>) => Promise<void>): Promise<PohLibp2p> {
      const node = await startNode()
      await node.handle(PROTOCOL, async (stream) => {
        const lp = lpStream(stream)
        try {
          const request = RepairRequest.decode(await lp.read({ signal: AbortSignal.timeout(5000) }))
          await reply(request, stream, lp)
        } catch (err) {
          stream.abort(err as Error)
        }
      })
      return node
    }

    async function send (lp: ReturnType<typeof lpStream>, stream: Stream, response: Partial<RepairResponse>): Promise<void> {
      await lp.write(RepairResponse.encode({ status: RepairStatus.OK, ...response }))
      await stream.close()
    }

    function badPeerLog (): { calls: Array<{ peer: string, reason: string }>, onBadPeer: (peer: PeerId, reason: string) => void } {
      const calls: Array<{ peer: string, reason: string }> = []
      return { calls, onBadPeer: (peer, reason) => { calls.push({ peer: peer.toString(), reason }) } }
    }

    it('client drops a response with a wrong request id', async () => {
      const txs = makeTxs(1)
      const hostile = await startHostile(async (_request, stream, lp) => {
        await send(lp, stream, { requestId: randomRequestId(), items: [txs[0]!.item] })
      })
      const good = await startServer(new MemorySource(txs))
      const metrics = recordingMetrics()
      const bad = badPeerLog()
      const client = createClient(await startClientNode(hostile, good), { metrics, onBadPeer: bad.onBadPeer })

      const { items, missing } = await client.fetchByIds([txs[0]!.item.txId], [hostile.peerId, good.peerId])

      expect(hexes(items)).to.deep.equal(hexes([txs[0]!.item]))
      expect(missing).to.have.length(0)
      expect(metrics.client).to.deep.equal({ unsolicited: 1, ok: 1 })
      expect(bad.calls.map((call) => call.peer)).to.deep.equal([hostile.peerId.toString()])
    })

    it('client keeps nothing from an unsolicited response', async () => {
      const txs = makeTxs(1)
      const hostile = await startHostile(async (_request, stream, lp) => {
        await send(lp, stream, { requestId: randomRequestId(), items: [txs[0]!.item] })
      })
      const metrics = recordingMetrics()
      const client = createClient(await startClientNode(hostile), { metrics })

      const { items, missing } = await client.fetchByIds([txs[0]!.item.txId], [hostile.peerId])

      expect(items).to.have.length(0)
      expect(missing).to.have.length(1)
      expect(metrics.client).to.deep.equal({ unsolicited: 1 })
    })

    it('client drops an item whose payload does not hash to tx_id', async () => {
      const txs = makeTxs(1)
      const forged: RepairItem = { ...txs[0]!.item, payload: encoder.encode('forged payload') }
      const hostile = await startHostile(async (request, stream, lp) => {
        await send(lp, stream, { requestId: request.requestId, items: [forged] })
      })
      const good = await startServer(new MemorySource(txs))
      const metrics = recordingMetrics()
      const bad = badPeerLog()
      const client = createClient(await startClientNode(hostile, good), { metrics, onBadPeer: bad.onBadPeer })

      const { items } = await client.fetchByIds([txs[0]!.item.txId], [hostile.peerId, good.peerId])

      expect(items).to.have.length(1)
      expect(bytesEqual(items[0]!.payload, txs[0]!.item.payload)).to.equal(true)
      expect(metrics.client).to.deep.equal({ ok: 2, invalid_item: 1 })
      expect(bad.calls.map((call) => call.peer)).to.deep.equal([hostile.peerId.toString()])
    })

    it('client drops items that were not requested', async () => {
      const txs = makeTxs(2)
      const hostile = await startHostile(async (request, stream, lp) => {
        await send(lp, stream, { requestId: request.requestId, items: [txs[1]!.item] })
      })
      const good = await startServer(new MemorySource(txs.slice(0, 1)))
      const metrics = recordingMetrics()
      const bad = badPeerLog()
      const client = createClient(await startClientNode(hostile, good), { metrics, onBadPeer: bad.onBadPeer })

      const { items, missing } = await client.fetchByIds([txs[0]!.item.txId], [hostile.peerId, good.peerId])

      expect(hexes(items)).to.deep.equal(hexes([txs[0]!.item]))
      expect(missing).to.have.length(0)
      expect(metrics.client).to.deep.equal({ ok: 2, unrequested_item: 1 })
      expect(bad.calls).to.have.length(1)
    })

    it('client times out once on a silent peer', async () => {
      const txs = makeTxs(1)
      const hostile = await startHostile(async (_request, stream) => {
        await new Promise<void>((resolve) => { stream.addEventListener('close', () => { resolve() }, { once: true }) })
      })
      const good = await startServer(new MemorySource(txs))
      const clientNode = await startClientNode(hostile, good)
      const metrics = recordingMetrics()
      const firstByteMs = 300
      const client = createClient(clientNode, { metrics, timeouts: { dialMs: 2000, firstByteMs, responseMs: 5000 } })

      const started = Date.now()
      const { items } = await client.fetchByIds([txs[0]!.item.txId], [hostile.peerId, good.peerId])
      const elapsed = Date.now() - started

      expect(items).to.have.length(1)
      expect(elapsed).to.be.at.least(firstByteMs)
      expect(elapsed).to.be.below(firstByteMs + 700)
      expect(metrics.client).to.deep.equal({ timeout: 1, ok: 1 })
      expect(client.outstandingRequests).to.equal(0)
    })

    it('client moves on after a frame over maxResponseBytes', async () => {
      const txs = makeTxs(1)
      const hostile = await startHostile(async (_request, stream, lp) => {
        await lp.write(new Uint8Array(100_000))
        await stream.close()
      })
      const good = await startServer(new MemorySource(txs))
      const metrics = recordingMetrics()
      const client = createClient(await startClientNode(hostile, good), { metrics, maxResponseBytes: 64 * 1024 })

      const { items } = await client.fetchByIds([txs[0]!.item.txId], [hostile.peerId, good.peerId])

      expect(items).to.have.length(1)
      expect(metrics.client).to.deep.equal({ error: 1, ok: 1 })
    })

    it('client retries a RATE_LIMITED peer', async () => {
      const txs = makeTxs(1)
      let answers = 0
      const hostile = await startHostile(async (request, stream, lp) => {
        answers++
        const status = answers <= 2 ? RepairStatus.RATE_LIMITED : RepairStatus.OK
        await send(lp, stream, { requestId: request.requestId, status, items: status === RepairStatus.OK ? [txs[0]!.item] : [] })
      })
      const metrics = recordingMetrics()
      const client = createClient(await startClientNode(hostile), { metrics, retries: 3 })

      const { items } = await client.fetchByIds([txs[0]!.item.txId], [hostile.peerId])

      expect(items).to.have.length(1)
      expect(answers).to.equal(3)
      expect(metrics.client).to.deep.equal({ rate_limited: 2, ok: 1 })
    })

    it('client gives up on a peer after its retries', async () => {
      const txs = makeTxs(1)
      let answers = 0
      const hostile = await startHostile(async (request, stream, lp) => {
        answers++
        await send(lp, stream, { requestId: request.requestId, status: RepairStatus.RATE_LIMITED })
      })
      const good = await startServer(new MemorySource(txs))
      const metrics = recordingMetrics()
      const client = createClient(await startClientNode(hostile, good), { metrics, retries: 2 })

      const { items } = await client.fetchByIds([txs[0]!.item.txId], [hostile.peerId, good.peerId])

      expect(items).to.have.length(1)
      expect(answers).to.equal(3)
      expect(metrics.client).to.deep.equal({ rate_limited: 3, ok: 1 })
    })

    it('fetchRange drops items outside the range', async () => {
      const txs = makeTxs(6)
      const hostile = await startHostile(async (request, stream, lp) => {
        await send(lp, stream, { requestId: request.requestId, items: [txs[5]!.item] })
      })
      const good = await startServer(new MemorySource(txs))
      const metrics = recordingMetrics()
      const bad = badPeerLog()
      const client = createClient(await startClientNode(hostile, good), { metrics, onBadPeer: bad.onBadPeer })

      const items: RepairItem[] = []
      for await (const item of client.fetchRange({ fromMs: T0, toMs: T0 + 2000 }, [hostile.peerId, good.peerId])) {
        items.push(item)
      }

      expect(hexes(items)).to.deep.equal(hexes(txs.slice(0, 3).map((tx) => tx.item)))
      expect(metrics.client).to.deep.equal({ ok: 2, unrequested_item: 1 })
      expect(bad.calls).to.have.length(1)
    })

    it('fetchRange finishes with the next peer after a mid-range failure', async () => {
      const txs = makeTxs(25)
      const failing = new MemorySource(txs)
      failing.beforeCall = async () => {
        if (failing.calls > 1) {
          failing.failure = new Error('store closed')
        }
      }
      const first = await startServer(failing)
      const second = await startServer(new MemorySource(txs))
      const client = createClient(await startClientNode(first, second))

      const items: RepairItem[] = []
      for await (const item of client.fetchRange({ fromMs: T0, toMs: T0 + 60_000 }, [first.peerId, second.peerId], { pageLimit: 10 })) {
        items.push(item)
      }

      expect(hexes(items)).to.have.members(hexes(txs.map((tx) => tx.item)))
      expect(items).to.have.length(25)
    })

    it('fetchRange moves to the next peer after a bad item', async () => {
      const txs = makeTxs(6)
      const forged: RepairItem = { ...txs[1]!.item, payload: encoder.encode('forged payload') }
      const hostile = await startHostile(async (request, stream, lp) => {
        await send(lp, stream, { requestId: request.requestId, items: [txs[0]!.item, forged], nextCursor: new Uint8Array([1]) })
      })
      const good = await startServer(new MemorySource(txs))
      const bad = badPeerLog()
      const client = createClient(await startClientNode(hostile, good), { onBadPeer: bad.onBadPeer })

      const items: RepairItem[] = []
      for await (const item of client.fetchRange({ fromMs: T0, toMs: T0 + 60_000 }, [hostile.peerId, good.peerId], { pageLimit: 4 })) {
        items.push(item)
      }

      expect(hexes(items)).to.deep.equal(hexes(txs.map((tx) => tx.item)))
      expect(bad.calls.map((call) => call.peer)).to.deep.equal([hostile.peerId.toString()])
    })
  })
})
