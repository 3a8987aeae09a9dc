import { createHash } from 'node:crypto'
import { noise } from '@chainsafe/libp2p-noise'
import { quic } from '@chainsafe/libp2p-quic'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { gossipsub, StrictNoSign } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { GOSSIP_FRAME_MAX_BYTES } from '../config/schema.js'
import { ackTopic, requestTopic } from './topics.js'
import type { GossipSub, GossipsubMessage } from '@libp2p/gossipsub'
import type { Identify } from '@libp2p/identify'
import type { Address, Libp2p, Metrics, PrivateKey } from '@libp2p/interface'
import type { Ping } from '@libp2p/ping'

/**
 * The gossipsub methods this project calls beyond the exported interface.
 * Both exist on the class that `gossipsub()` returns (@libp2p/gossipsub 17).
 */
export interface PohGossipSub extends GossipSub {
  reportMessageValidationResult(msgId: string, propagationSource: string, acceptance: 'accept' | 'ignore' | 'reject'): void
  getScore(peerId: string): number
}

export type PohServices = {
  pubsub: PohGossipSub
  identify: Identify
  ping: Ping
}

export type PohLibp2p = Libp2p<PohServices>

export type { GossipsubMessage }

export interface CreateLibp2pInit {
  privateKey: PrivateKey
  networkId: string
  listen: string[]
  /** Multiaddrs ending in /p2p/<peer id>, dialed once at start-up. */
  bootstrapPeers: string[]
  /** Prefer QUIC over TCP when a peer offers both. */
  preferQuic?: boolean
  /** libp2p's own metrics implementation, such as `libp2pMetrics(registry)` from src/metrics. */
  metrics?: (components: any) => Metrics
}

/** Score thresholds; the node hangs up on peers below graylistThreshold. */
export const SCORE_THRESHOLDS = {
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 20
}

/**
 * Score parameters for one topic. Gossipsub charges invalid-message
 * penalties only on topics listed in scoreParams, so each PoH topic gets an
 * entry. Mesh-delivery penalties stay off: their defaults punish honest peers
 * on quiet topics.
 */
function topicScore () {
  return {
    topicWeight: 1,
    timeInMeshWeight: 0,
    timeInMeshQuantum: 1000,
    timeInMeshCap: 0,
    firstMessageDeliveriesWeight: 0,
    firstMessageDeliveriesDecay: 0.5,
    firstMessageDeliveriesCap: 0,
    meshMessageDeliveriesWeight: 0,
    meshMessageDeliveriesDecay: 0.5,
    meshMessageDeliveriesCap: 0,
    meshMessageDeliveriesThreshold: 0,
    meshMessageDeliveriesWindow: 10,
    meshMessageDeliveriesActivation: 5000,
    meshFailurePenaltyWeight: 0,
    meshFailurePenaltyDecay: 0.5,
    // Three rejected messages in quick succession (3² × -10 = -90) take a
    // peer below the graylist threshold of -80.
    invalidMessageDeliveriesWeight: -10,
    invalidMessageDeliveriesDecay: 0.9
  }
}

/** Content-derived message id: SHA-256 of the data, so equal payloads are one message. */
function messageId (msg: { data?: Uint8Array }): Uint8Array {
  return createHash('sha256').update(msg.data ?? new Uint8Array()).digest()
}

/** Compares multiaddrs so that QUIC addresses are dialed before TCP ones. */
function quicFirst (a: Address, b: Address): -1 | 0 | 1 {
  const aQuic = a.multiaddr.toString().includes('/quic-v1') ? 0 : 1
  const bQuic = b.multiaddr.toString().includes('/quic-v1') ? 0 : 1
  return Math.sign(aQuic - bQuic) as -1 | 0 | 1
}

/** Assembles the libp2p node: TCP and QUIC, noise, yamux, identify, ping and gossipsub. */
export async function createPohLibp2p (init: CreateLibp2pInit): Promise<PohLibp2p> {
  const topics = { [requestTopic(init.networkId)]: topicScore(), [ackTopic(init.networkId)]: topicScore() }
  const peerDiscovery = init.bootstrapPeers.length > 0
    ? [bootstrap({ list: init.bootstrapPeers, timeout: 100, tagValue: 50 })]
    : []

  const node = await createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: init.listen },
    transports: [tcp(), quic()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    connectionManager: init.preferQuic === true ? { addressSorter: quicFirst } : {},
    metrics: init.metrics,
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        msgIdFn: messageId,
        asyncValidation: true,
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        // One RPC frame can carry several messages (an IWANT reply, say), so
        // the frame limit stays at the 4 MiB that max_payload_bytes is sized
        // against. Validation enforces the per-payload limit.
        maxInboundDataLength: GOSSIP_FRAME_MAX_BYTES,
        scoreParams: {
          topics,
          // Every peer of a local testnet shares 127.0.0.1; without this the
          // IP colocation penalty would push a large one below the graylist.
          IPColocationFactorWhitelist: new Set(['127.0.0.1', '::1'])
        },
        scoreThresholds: SCORE_THRESHOLDS
      }) as unknown as (components: any) => PohGossipSub
    }
  })
  return node as unknown as PohLibp2p
}
