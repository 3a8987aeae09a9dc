/**
 * One raw gossipsub process of the gossip-ceiling benchmark
 * (bench-gossip.ts forks it over IPC). It builds libp2p with the node's
 * own factory, so transports, muxer, encryption and gossipsub settings are
 * the node's, and it publishes and receives 1 KiB-style messages on the
 * request topic with no storage, signing or checks. Each message carries its
 * publish time, so the receiver computes the publish-to-delivery latency.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createPohLibp2p } from '../../src/network/libp2p.js'
import { requestTopic } from '../../src/network/topics.js'
import { sendPaced, wallClockMs } from './bench-load.js'
import type { PohLibp2p } from '../../src/network/libp2p.js'

/** Commands from the parent process. */
export type WorkerCommand =
  | { cmd: 'start', networkId: string }
  | { cmd: 'connect', peers: string[], expectedSubscribers: number }
  | { cmd: 'publish', ratePerSecond: number, durationMs: number, payloadBytes: number }
  | { cmd: 'collect' }
  | { cmd: 'stop' }

/** Replies to the parent process; every command gets exactly one. */
export type WorkerReply =
  | { type: 'started', address: string }
  | { type: 'connected' }
  | { type: 'published', sent: number, seconds: number }
  | { type: 'collected', samples: DeliverySample[] }
  | { type: 'stopped' }
  | { type: 'error', message: string }

/** One message delivered to this worker: when it was published, and its latency, in milliseconds. */
export interface DeliverySample {
  sentAt: number
  latencyMs: number
}

/** Bytes at the start of each message: publish time (float64) and a sequence number (float64). */
const HEADER_BYTES = 16

let node: PohLibp2p | undefined
let topic = ''
let samples: DeliverySample[] = []
let sequence = 0

function send (reply: WorkerReply): void {
  process.send?.(reply)
}

async function start (networkId: string): Promise<WorkerReply> {
  topic = requestTopic(networkId)
  node = await createPohLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    networkId,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrapPeers: []
  })
  const pubsub = node.services.pubsub
  // asyncValidation is on, as in the node: a message is forwarded only once
  // it is reported. Here it is accepted at once, with no checks.
  pubsub.addEventListener('gossipsub:message', (evt) => {
    const { msg, msgId, propagationSource } = evt.detail
    pubsub.reportMessageValidationResult(msgId, propagationSource.toString(), 'accept')
    if (msg.topic === topic && msg.data.length >= HEADER_BYTES) {
      const view = new DataView(msg.data.buffer, msg.data.byteOffset, HEADER_BYTES)
      const sentAt = view.getFloat64(0)
      samples.push({ sentAt, latencyMs: wallClockMs() - sentAt })
    }
  })
  pubsub.subscribe(topic)
  return { type: 'started', address: node.getMultiaddrs()[0]?.toString() ?? '' }
}

async function connect (peers: string[], expectedSubscribers: number): Promise<WorkerReply> {
  const libp2p = node as PohLibp2p
  await Promise.all(peers.map(async (peer) => await libp2p.dial(multiaddr(peer), { signal: AbortSignal.timeout(10_000) })))
  const deadline = performance.now() + 20_000
  while (libp2p.services.pubsub.getSubscribers(topic).length < expectedSubscribers) {
    if (performance.now() > deadline) {
      throw new Error(`only ${libp2p.services.pubsub.getSubscribers(topic).length} of ${expectedSubscribers} peers subscribed to ${topic} after 20 s`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { type: 'connected' }
}

/**
 * Publishes at a fixed rate for `durationMs`. The schedule does not wait
 * for earlier publishes, so a slow node cannot lower the offered load. The
 * reply contains the number published and the seconds taken.
 */
async function publish (ratePerSecond: number, durationMs: number, payloadBytes: number): Promise<WorkerReply> {
  const pubsub = (node as PohLibp2p).services.pubsub
  const template = randomBytes(Math.max(payloadBytes, HEADER_BYTES))
  const publishes: Array<Promise<unknown>> = []
  const { sent, seconds } = await sendPaced(ratePerSecond, durationMs, () => {
    const data = new Uint8Array(template)
    const view = new DataView(data.buffer, 0, HEADER_BYTES)
    view.setFloat64(0, wallClockMs())
    view.setFloat64(8, sequence++)
    publishes.push(pubsub.publish(topic, data))
  })
  await Promise.all(publishes)
  return { type: 'published', sent, seconds }
}

async function handle (command: WorkerCommand): Promise<WorkerReply> {
  switch (command.cmd) {
    case 'start':
      return await start(command.networkId)
    case 'connect':
      return await connect(command.peers, command.expectedSubscribers)
    case 'publish':
      return await publish(command.ratePerSecond, command.durationMs, command.payloadBytes)
    case 'collect': {
      const collected = samples
      samples = []
      return { type: 'collected', samples: collected }
    }
    case 'stop':
      await node?.stop()
      return { type: 'stopped' }
  }
}

process.on('message', (command: WorkerCommand) => {
  handle(command).then(send, (err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) })
  }).finally((): void => {
    if (command.cmd === 'stop') {
      process.disconnect()
    }
  })
})
// The parent going away ends this worker too.
process.on('disconnect', () => {
  void Promise.resolve(node?.stop()).finally(() => process.exit(0))
})
