import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { Metadata, status } from '@grpc/grpc-js'
import { expect } from 'chai'
import { ConfigError } from '../../src/core/errors.js'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { TxState } from '../../src/core/types.js'
import { AckVerifier } from '../../src/core/validate.js'
import { checkGrpcConfig } from '../../src/grpc/auth.js'
import { GrpcCallError, createGrpcClient } from '../../src/grpc/client.js'
import { fromAckMessage, fromCertificateMessage, fromHistoryItemMessage, fromStatusMessage, fromTransactionMessage } from '../../src/grpc/messages.js'
import { protoDirectory } from '../../src/grpc/proto.js'
import { REQUEST_OVERHEAD_BYTES, startGrpcServer } from '../../src/grpc/server.js'
import { createLogger } from '../../src/log/logger.js'
import { startCluster, until } from '../helpers/network.js'
import type { PohGrpcClient, TransactionWatch } from '../../src/grpc/client.js'
import type { GrpcServer } from '../../src/grpc/server.js'
import type { QueryRangeResponse__Output as QueryRangeResponse } from '../../src/grpc/generated/poh/v1/QueryRangeResponse.js'
import type { TransactionEvent__Output as TransactionEvent } from '../../src/grpc/generated/poh/v1/TransactionEvent.js'
import type { PohConfig } from '../../src/config/index.js'
import type { PohNode } from '../../src/node/poh-node.js'
import type { TestCluster } from '../helpers/network.js'

const execFileAsync = promisify(execFile)

const MAX_PAYLOAD_BYTES = 1024
const TOKEN = 'grpc-spec-token-8e41d7'

function grpcConfig (node: PohNode, grpc: Partial<PohConfig['grpc']>): PohConfig {
  return { ...node.config, grpc: { enabled: true, listen: '127.0.0.1:0', ...grpc } }
}

/** Creates a logger that keeps every line, to check what the server logs. */
function captureLogs (): { lines: string[], logger: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', format: 'json', destination: { write: (line: string) => { lines.push(line) } } })
  return { lines, logger }
}

/** Runs a call that must fail and returns its GrpcCallError. */
async function callError (call: () => Promise<unknown>): Promise<GrpcCallError> {
  try {
    await call()
  } catch (err) {
    expect(err).to.be.instanceOf(GrpcCallError)
    return err as GrpcCallError
  }
  throw new Error('the call succeeded, but it was expected to fail')
}

/** Unique payloads, so no test submits a transaction another test stored. */
let payloadCounter = 0
function uniquePayload (label: string): Uint8Array {
  payloadCounter++
  return new TextEncoder().encode(`grpc-spec ${label} ${payloadCounter} ${Date.now()}`)
}

describe('gRPC API', function () {
  let cluster: TestCluster
  let node: PohNode
  let server: GrpcServer
  let client: PohGrpcClient
  const logs = captureLogs()
  /** Hex of every payload submitted, to check that none reaches the log. */
  const payloadHexes: string[] = []
  const watches: TransactionWatch[] = []
  let heldTxId: string

  const submit = async (payload: Uint8Array, ttlSeconds?: number): Promise<string> => {
    payloadHexes.push(toHex(payload))
    return await client.submit(payload, { ttlSeconds })
  }

  const openWatch = async (options: Parameters<PohGrpcClient['watch']>[0] = {}, on: PohGrpcClient = client): Promise<TransactionWatch> => {
    const watch = on.watch(options)
    watches.push(watch)
    await watch.ready
    return watch
  }

  before(async function () {
    cluster = await startCluster({ size: 2, minPohRequired: 1, adjust: (config) => { config.max_payload_bytes = MAX_PAYLOAD_BYTES } })
    node = cluster.nodes[0] as PohNode
    server = await startGrpcServer({ node, config: grpcConfig(node, {}), logger: logs.logger, expiryCheckIntervalMs: 50 })
    client = createGrpcClient({ address: server.address, timeoutMs: 10_000 })
  })

  afterEach(function () {
    for (const watch of watches.splice(0)) {
      watch.cancel()
    }
  })

  after(async function () {
    client?.close()
    await server?.close()
    await cluster?.stop()
  })

  describe('status and peers', function () {
    it('GetStatus returns the node status', async function () {
      const [message, expected] = await Promise.all([client.status(), node.view.status()])
      const actual = fromStatusMessage(message)

      expect({ ...actual, uptime_seconds: 0 }).to.deep.equal({ ...expected, uptime_seconds: 0 })
      expect(actual.holder_id).to.equal(node.holderId)
      expect(message.holderSet?.hash).to.have.length(32)
    })

    it('ListPeers lists the other node', async function () {
      const peers = await client.peers()

      expect(peers.map(peer => peer.peerId)).to.deep.equal([cluster.nodes[1]?.libp2p.peerId.toString()])
      expect(peers[0]?.addresses.length).to.be.greaterThan(0)
    })
  })

  describe('submission and watch', function () {
    it('submitted transaction reaches held on the watch stream', async function () {
      const watch = await openWatch()
      const payload = uniquePayload('held')
      const txId = toHex(computeTxId(payload))
      const events: TransactionEvent[] = []
      const held = watch.next((event) => {
        events.push(event)
        return event.held != null && toHex(event.txId) === txId
      })

      heldTxId = await submit(payload)
      const event = await held

      expect(heldTxId).to.equal(txId)
      // A holder counts its own ACK, and here reaches the quorum of 1, before it reports the request.
      const request = await watch.next(e => e.request != null && toHex(e.txId) === txId)
      expect(request.request).to.deep.include({ payloadBytes: payload.length, local: true })
      const ownAck = events.find(e => e.ack != null && toHex(e.txId) === txId)
      expect(ownAck?.ack?.count).to.equal(1)
      expect(toHex(ownAck?.ack?.holderId ?? new Uint8Array())).to.equal(node.holderId)
      expect(event.held?.count).to.equal(1)
      expect(event.held?.heldAtMs).to.be.greaterThan(0)
      expect(event.held?.requestTimestampMs).to.be.a('number')
    })

    it('GetTransaction returns the held state', async function () {
      const message = await client.getTransaction(heldTxId)

      expect(message).to.not.equal(undefined)
      const tx = fromTransactionMessage(message!)
      expect(tx.tx_id).to.equal(heldTxId)
      expect(tx.state).to.equal(TxState.HELD)
      // The other holder's ACK may be counted after the quorum of 1.
      expect(tx.ack_count).to.be.within(1, 2)
      expect(tx.holders).to.include(node.holderId)
      expect(tx.holders).to.have.length(tx.ack_count)
      expect(tx.payload_bytes).to.be.a('number')
      expect(tx.expires_at_ms).to.be.greaterThan(Date.now())
    })

    it('GetCertificate returns verifiable ACKs', async function () {
      // Held needs one ACK; waiting for both keeps the two certificates compared below the same.
      await until(async () => (await node.getTx(heldTxId))?.ackCount === 2, 'both holders to ACK')
      const message = await client.getCertificate(heldTxId)

      expect(message).to.not.equal(undefined)
      const holderSet = HolderSet.fromConfig(node.config.holders)
      const verifier = new AckVerifier({ networkId: node.config.network_id, holderSet, maxClockSkewMs: node.config.max_clock_skew_ms })
      expect(message!.networkId).to.equal(node.config.network_id)
      expect(toHex(message!.holderSetHash)).to.equal(toHex(holderSet.hash))
      expect(message!.acks.length).to.equal(2)
      for (const ack of message!.acks) {
        verifier.verify(fromAckMessage(ack), Date.now())
      }
      expect(fromCertificateMessage(message!)).to.deep.equal(await node.view.certificate(heldTxId))
    })

    it('watch of a held tx_id sends its state first', async function () {
      const watch = await openWatch({ txIds: [heldTxId] })

      const event = await watch.next()

      expect(toHex(event.txId)).to.equal(heldTxId)
      expect(event.event).to.equal('held')
      expect(event.held?.count).to.equal((await node.view.getTx(heldTxId))?.ackCount)
      expect(event.held?.requestTimestampMs).to.equal(undefined)
    })

    it('watch filters by kind and tx_id', async function () {
      const payload = uniquePayload('filtered')
      const other = uniquePayload('other')
      const watch = await openWatch({ txIds: [computeTxId(payload)], kinds: ['TX_EVENT_KIND_HELD'] })
      const first = watch.next()

      await submit(other)
      const txId = await submit(payload)
      const event = await first

      expect(toHex(event.txId)).to.equal(txId)
      expect(event.event).to.equal('held')
    })

    it('expired event follows garbage collection', async function () {
      this.timeout(20_000)
      const payload = uniquePayload('expiring')
      const txId = toHex(computeTxId(payload))
      const watch = await openWatch({ txIds: [txId], kinds: ['TX_EVENT_KIND_EXPIRED'] })
      const expired = watch.next()

      await submit(payload, 1)
      const tx = await node.view.getTx(txId)
      await until(() => Date.now() > (tx?.expiresAtMs ?? 0), 'the TTL to run out')
      await node.collectGarbage()
      const event = await expired

      expect(toHex(event.txId)).to.equal(txId)
      expect(event.event).to.equal('expired')
      expect(event.expired?.expiresAtMs).to.equal(tx?.expiresAtMs)
      expect((await node.view.getTx(txId))?.state).to.equal(TxState.EXPIRED)
    })

    it('watch of an expired tx_id sends its state first', async function () {
      const [expiredItem] = (await node.view.queryTime(0, Date.now() + 60_000, { limit: 1000 })).items.filter(item => item.state === TxState.EXPIRED)
      expect(expiredItem, 'an expired transaction from the previous test').to.not.equal(undefined)
      const watch = await openWatch({ txIds: [expiredItem!.tx_id] })

      const event = await watch.next()

      expect(event.event).to.equal('expired')
      expect(event.expired?.expiresAtMs).to.equal(expiredItem!.expires_at_ms)
    })

    it('unfiltered watch gets expired events too', async function () {
      this.timeout(20_000)
      const watch = await openWatch()
      const payload = uniquePayload('expiring-unfiltered')
      const txId = toHex(computeTxId(payload))
      const expired = watch.next(event => event.expired != null && toHex(event.txId) === txId)

      await submit(payload, 1)
      const tx = await node.view.getTx(txId)
      await until(() => Date.now() > (tx?.expiresAtMs ?? 0), 'the TTL to run out')
      await node.collectGarbage()

      expect((await expired).expired?.expiresAtMs).to.equal(tx?.expiresAtMs)
    })

    it('watch rejects a malformed tx_id', async function () {
      const watch = client.watch({ txIds: [new Uint8Array(31)] })
      watches.push(watch)

      const error = await callError(async () => await watch.ready)

      expect(error.code).to.equal(status.INVALID_ARGUMENT)
      expect(error.details).to.include('tx_ids[0] of 31 bytes')
    })

    it('payload of max_payload_bytes is accepted', async function () {
      const payload = new Uint8Array(MAX_PAYLOAD_BYTES).fill(7)
      payload.set(uniquePayload('max'))

      expect(await submit(payload)).to.equal(toHex(computeTxId(payload)))
    })

    it('duplicate payload is ALREADY_EXISTS', async function () {
      const payload = uniquePayload('duplicate')
      await submit(payload)

      const error = await callError(async () => await submit(payload))

      expect(error.code).to.equal(status.ALREADY_EXISTS)
      expect(error.details).to.include('already stored')
    })

    it('TTL above max_ttl_seconds is INVALID_ARGUMENT', async function () {
      const error = await callError(async () => await submit(uniquePayload('ttl'), node.config.max_ttl_seconds + 1))

      expect(error.code).to.equal(status.INVALID_ARGUMENT)
      expect(error.details).to.include(`max_ttl_seconds`)
    })

    it('empty payload is INVALID_ARGUMENT', async function () {
      const error = await callError(async () => await submit(new Uint8Array()))

      expect(error.code).to.equal(status.INVALID_ARGUMENT)
      expect(error.details).to.include('payload is empty')
    })
  })

  describe('payload limit', function () {
    it('payload one byte over the limit is RESOURCE_EXHAUSTED', async function () {
      const error = await callError(async () => await submit(new Uint8Array(MAX_PAYLOAD_BYTES + 1).fill(1)))

      expect(error.code).to.equal(status.RESOURCE_EXHAUSTED)
      expect(error.details).to.include(`max_payload_bytes (${MAX_PAYLOAD_BYTES} bytes)`)
    })

    it('message over the receive limit is RESOURCE_EXHAUSTED', async function () {
      const error = await callError(async () => await submit(new Uint8Array(MAX_PAYLOAD_BYTES + REQUEST_OVERHEAD_BYTES + 1).fill(2)))

      expect(error.code).to.equal(status.RESOURCE_EXHAUSTED)
    })
  })

  describe('lookups', function () {
    for (const length of [0, 31, 33]) {
      it(`GetTransaction with a ${length}-byte id is INVALID_ARGUMENT`, async function () {
        const error = await callError(async () => await client.getTransaction(new Uint8Array(length)))

        expect(error.code).to.equal(status.INVALID_ARGUMENT)
        expect(error.details).to.include(`tx_id of ${length} bytes is invalid`)
      })

      it(`GetCertificate with a ${length}-byte id is INVALID_ARGUMENT`, async function () {
        const error = await callError(async () => await client.getCertificate(new Uint8Array(length)))

        expect(error.code).to.equal(status.INVALID_ARGUMENT)
      })
    }

    it('unknown tx is NOT_FOUND', async function () {
      const unknown = 'ab'.repeat(32)
      const error = await new Promise<{ code: number, details: string }>((resolve) => {
        client.raw.getTransaction({ txId: Buffer.from(unknown, 'hex') }, client.metadata(), (err) => { resolve(err as { code: number, details: string }) })
      })

      expect(error.code).to.equal(status.NOT_FOUND)
      expect(error.details).to.include(unknown)
      expect(await client.getTransaction(unknown)).to.equal(undefined)
      expect(await client.getCertificate(unknown)).to.equal(undefined)
    })
  })

  describe('QueryRange', function () {
    const submitted: string[] = []
    let fromMs: number
    let toMs: number

    before(async function () {
      fromMs = Date.now()
      for (let i = 0; i < 5; i++) {
        submitted.push(await submit(uniquePayload(`range ${i}`)))
      }
      toMs = Date.now()
      await until(async () => (await node.view.queryTime(fromMs, toMs)).items.length >= submitted.length, 'the range items to be stored')
    })

    it('time range pages with a cursor', async function () {
      const seen: string[] = []
      let cursor: Buffer | undefined
      let pages = 0
      do {
        const page = await client.queryRange({ kind: 'time', fromMs, toMs }, { limit: 2, cursor })
        expect(page.items.length).to.be.at.most(2)
        seen.push(...page.items.map(item => toHex(item.txId)))
        cursor = page.nextCursor
        pages++
      } while (cursor !== undefined && pages < 10)

      expect(pages).to.be.at.least(3)
      expect(cursor).to.equal(undefined)
      expect(seen).to.have.members(submitted)
      expect(new Set(seen).size).to.equal(seen.length)
    })

    it('stream ends with a page end after the items', async function () {
      const messages: QueryRangeResponse[] = []
      for await (const message of client.queryRangeStream({ kind: 'time', fromMs, toMs }, { limit: 2 })) {
        messages.push(message as QueryRangeResponse)
      }

      expect(messages.map(m => m.result)).to.deep.equal(['item', 'item', 'pageEnd'])
      expect(messages[2]?.pageEnd?.count).to.equal(2)
      expect(messages[2]?.pageEnd?.nextCursor).to.have.length(40)
    })

    it('items match the node view', async function () {
      const page = await client.queryRange({ kind: 'time', fromMs, toMs }, { limit: 10 })

      expect(page.items.map(fromHistoryItemMessage)).to.deep.equal((await node.view.queryTime(fromMs, toMs, { limit: 10 })).items)
    })

    it('slot range pages with a cursor', async function () {
      const slotMs = node.config.slot_duration_ms
      const range = { kind: 'slots' as const, fromSlot: Math.floor(fromMs / slotMs), toSlot: Math.floor(toMs / slotMs) }
      const first = await client.queryRange(range, { limit: 3 })
      const second = await client.queryRange(range, { limit: 1000, cursor: first.nextCursor })

      expect(first.items).to.have.length(3)
      expect(first.nextCursor).to.not.equal(undefined)
      expect([...first.items, ...second.items].map(item => toHex(item.txId))).to.include.members(submitted)
    })

    const badRequests: Array<{ id: string, request: () => Promise<unknown>, includes: string }> = [
      { id: 'limit above 1000', request: async () => await client.queryRange({ kind: 'time', fromMs: 0, toMs: 1 }, { limit: 1001 }), includes: 'limit 1001' },
      { id: 'from after to', request: async () => await client.queryRange({ kind: 'time', fromMs: 10, toMs: 5 }), includes: 'from (10) is after to (5)' },
      { id: 'slots from after to', request: async () => await client.queryRange({ kind: 'slots', fromSlot: 9, toSlot: 3 }), includes: 'from (9) is after to (3)' },
      { id: 'a foreign cursor', request: async () => await client.queryRange({ kind: 'time', fromMs: 0, toMs: 1 }, { cursor: new Uint8Array(7) }), includes: 'next_cursor of the previous page' },
      { id: 'no range', request: async () => await new Promise((resolve, reject) => { client.raw.queryRange({ limit: 1 }, client.metadata()).on('error', reject).on('end', resolve).resume() }), includes: 'missing range' }
    ]
    for (const bad of badRequests) {
      it(`${bad.id} is INVALID_ARGUMENT`, async function () {
        let error: { code?: number, details?: string } | undefined
        try {
          await bad.request()
        } catch (err) {
          error = err as { code?: number, details?: string }
        }

        expect(error?.code).to.equal(status.INVALID_ARGUMENT)
        expect(error?.details).to.include(bad.includes)
      })
    }
  })

  describe('authentication', function () {
    let secured: GrpcServer
    let anonymous: PohGrpcClient
    const authLogs = captureLogs()

    before(async function () {
      secured = await startGrpcServer({ node, config: grpcConfig(node, { token: TOKEN }), logger: authLogs.logger })
      anonymous = createGrpcClient({ address: secured.address, timeoutMs: 10_000 })
    })

    after(async function () {
      anonymous?.close()
      await secured?.close()
    })

    it('missing token is UNAUTHENTICATED', async function () {
      const error = await callError(async () => await anonymous.status())

      expect(error.code).to.equal(status.UNAUTHENTICATED)
      expect(error.details).to.include('authorization: Bearer')
    })

    for (const [id, value] of [['wrong token', `Bearer ${TOKEN}x`], ['Basic scheme', `Basic ${TOKEN}`], ['empty bearer', 'Bearer ']]) {
      it(`${id as string} is UNAUTHENTICATED`, async function () {
        const metadata = new Metadata()
        metadata.set('authorization', value as string)
        const error = await new Promise<{ code: number }>((resolve) => {
          anonymous.raw.getStatus({}, metadata, (err) => { resolve(err as { code: number }) })
        })

        expect(error.code).to.equal(status.UNAUTHENTICATED)
      })
    }

    it('token is required on every method', async function () {
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['ListPeers', async () => await anonymous.peers()],
        ['SubmitTransaction', async () => await anonymous.submit(uniquePayload('unauthenticated'))],
        ['GetTransaction', async () => await anonymous.getTransaction(heldTxId)],
        ['GetCertificate', async () => await anonymous.getCertificate(heldTxId)],
        ['QueryRange', async () => await anonymous.queryRange({ kind: 'time', fromMs: 0, toMs: 1 })],
        ['WatchTransactions', async () => { const watch = anonymous.watch(); watches.push(watch); await watch.ready }]
      ]
      for (const [method, call] of calls) {
        const error = await callError(call)

        expect(error.code, method).to.equal(status.UNAUTHENTICATED)
      }
    })

    it('right token is accepted', async function () {
      const authorized = createGrpcClient({ address: secured.address, token: TOKEN, timeoutMs: 10_000 })
      try {
        expect((await authorized.status()).networkId).to.equal(node.config.network_id)
        const watch = await openWatch({}, authorized)
        watch.cancel()
      } finally {
        authorized.close()
      }
    })

    it('log names no token', async function () {
      const text = authLogs.lines.join('\n')

      expect(text).to.include('gRPC call rejected')
      expect(text).to.include('"code":"UNAUTHENTICATED"')
      expect(text).to.not.include(TOKEN)
    })
  })

  describe('listen address check', function () {
    it('non-loopback without token is rejected', async function () {
      const config = grpcConfig(node, { listen: '192.0.2.1:50051' })

      expect(() => checkGrpcConfig(config.grpc)).to.throw(ConfigError, /grpc\.listen 192\.0\.2\.1:50051 .*grpc\.token is unset/)
      let error: unknown
      try {
        const started = await startGrpcServer({ node, config, logger: logs.logger })
        await started.close()
      } catch (err) {
        error = err
      }
      expect(error).to.be.instanceOf(ConfigError)
    })

    it('non-loopback with token passes the check', function () {
      expect(checkGrpcConfig({ enabled: true, listen: '[2001:db8::1]:50051', token: TOKEN })).to.deep.equal({ host: '2001:db8::1', port: 50051 })
    })

    it('malformed listen address is rejected', function () {
      expect(() => checkGrpcConfig({ enabled: true, listen: 'localhost' })).to.throw(ConfigError, /grpc\.listen "localhost"/)
    })

    it('IPv6 loopback binds', async function () {
      const started = await startGrpcServer({ node, config: grpcConfig(node, { listen: '[::1]:0' }), logger: logs.logger })
      const ipv6 = createGrpcClient({ address: started.address, timeoutMs: 10_000 })
      try {
        expect(started.address).to.match(/^\[::1\]:\d+$/)
        expect((await ipv6.status()).networkId).to.equal(node.config.network_id)
      } finally {
        ipv6.close()
        await started.close()
      }
    })
  })

  describe('shutdown', function () {
    it('close ends open watch streams with UNAVAILABLE', async function () {
      const started = await startGrpcServer({ node, config: grpcConfig(node, {}), logger: logs.logger })
      const watcher = createGrpcClient({ address: started.address, timeoutMs: 10_000 })
      try {
        const watch = watcher.watch()
        await watch.ready
        const ended = callError(async () => await watch.next())
        const closeStarted = Date.now()

        await started.close()
        const error = await ended

        expect(error.code).to.equal(status.UNAVAILABLE)
        expect(error.details).to.include('stopping')
        expect(Date.now() - closeStarted).to.be.below(4_000)
      } finally {
        watcher.close()
      }
    })
  })

  describe('logging', function () {
    it('log names no payload', async function () {
      const text = logs.lines.join('\n')

      expect(text).to.include('"component":"grpc"')
      for (const hex of payloadHexes.filter(hex => hex !== '')) {
        expect(text).to.not.include(hex)
      }
    })

    it('calls are counted by method and code', async function () {
      const metric = await node.registry.getSingleMetric('poh_grpc_requests_total')?.get()
      const count = (method: string, code: string): number => metric?.values.find(v => v.labels.method === method && v.labels.code === code)?.value ?? 0

      expect(count('SubmitTransaction', 'OK')).to.be.greaterThan(0)
      expect(count('GetTransaction', 'INVALID_ARGUMENT')).to.be.greaterThan(0)
      expect(count('GetStatus', 'UNAUTHENTICATED')).to.be.greaterThan(0)
    })
  })

  describe('definitions', function () {
    it('proto directory is found from src', async function () {
      const dir = protoDirectory()

      expect(relative(process.cwd(), dir)).to.equal(join('src', 'core', 'proto'))
      expect(existsSync(join(dir, 'poh_service.proto'))).to.equal(true)
    })

    it('generated types match the .proto files', async function () {
      const out = await mkdtemp(join(tmpdir(), 'poh-grpc-gen-'))
      try {
        const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
        const args = (manifest.scripts['grpc:gen'] ?? '').split(' ').slice(1).map(arg => arg === 'src/grpc/generated' ? out : arg)
        await execFileAsync(process.execPath, ['node_modules/@grpc/proto-loader/build/bin/proto-loader-gen-types.js', ...args])
        const generated = await listFiles(out)

        expect(generated).to.deep.equal(await listFiles('src/grpc/generated'))
        for (const file of generated) {
          expect(await readFile(join(out, file), 'utf8'), `${file} is out of date; run npm run grpc:gen`).to.equal(await readFile(join('src/grpc/generated', file), 'utf8'))
        }
      } finally {
        await rm(out, { recursive: true, force: true })
      }
    })
  })
})

/** Lists the files under `dir`, relative to it, sorted. */
async function listFiles (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter(entry => entry.isFile()).map(entry => relative(dir, join(entry.parentPath, entry.name))).sort()
}
