import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { buildPohRequest } from '../core/builders.js'
import { decodeAckBatch, encodeRequest } from '../core/codec.js'
import { GossipErrorCode, GossipValidationError, ignore } from '../core/errors.js'
import { toHex } from '../core/hash.js'
import { HolderSet } from '../core/holder-set.js'
import { QuorumTracker } from '../core/quorum.js'
import { AckVerifier } from '../core/validate.js'
import { systemClock } from '../core/types.js'
import { PohGossip } from '../network/gossip.js'
import { createPohLibp2p } from '../network/libp2p.js'
import type { HolderEntry } from '../core/holder-set.js'
import type { PohAck } from '../core/proto/poh.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohLibp2p } from '../network/libp2p.js'
import type { AckPolicy } from '../core/ack-policy.js'

export interface LightClientInit {
  networkId: string
  /** Node multiaddrs ending in /p2p/<peer id>. */
  peers: string[]
  holders: 'open' | HolderEntry[]
  minPohRequired: number
  maxClockSkewMs: number
  maxPayloadBytes: number
  logger: Logger
  clock?: Clock
  /** ACK policy deciding which algorithms count. Default `classical`, under which all do. */
  ackPolicy?: AckPolicy
}

export interface ClientAckEvent { txId: string, holderId: string, count: number }
export interface ClientHeldEvent { txId: string, count: number, heldAtMs: number, acks: PohAck[] }

export interface LightClientEvents {
  ack: CustomEvent<ClientAckEvent>
  held: CustomEvent<ClientHeldEvent>
}

interface Watched {
  payload: Uint8Array
  acks: PohAck[]
  expiresAtMs: number
}

/** Publish attempts while no outbound gossip stream is open yet, and the pause between them. */
const SUBMIT_ATTEMPTS = 40
const SUBMIT_RETRY_DELAY_MS = 50


/**
 * Joins the PoH topics without storing anything: submits transactions and
 * counts the ACKs for the ones it submitted, with the same checks a node runs.
 */
export class LightClient extends TypedEventEmitter<LightClientEvents> {
  private readonly init: LightClientInit
  private readonly clock: Clock
  private readonly quorum: QuorumTracker
  private readonly verifier: AckVerifier
  private readonly watched = new Map<string, Watched>()
  private node?: PohLibp2p
  private gossip?: PohGossip

  constructor (init: LightClientInit) {
    super()
    this.init = init
    this.clock = init.clock ?? systemClock
    this.quorum = new QuorumTracker(init.minPohRequired)
    this.verifier = new AckVerifier({
      networkId: init.networkId,
      holderSet: HolderSet.fromConfig(init.holders),
      maxClockSkewMs: init.maxClockSkewMs,
      policy: init.ackPolicy
    })
  }

  get libp2p (): PohLibp2p {
    if (this.node === undefined) {
      throw new Error('light client is not started')
    }
    return this.node
  }

  /** Starts libp2p with no listen address and dials every configured peer. */
  async start (options: { signal?: AbortSignal } = {}): Promise<void> {
    this.node = await createPohLibp2p({
      privateKey: await generateKeyPair('Ed25519'),
      networkId: this.init.networkId,
      listen: [],
      bootstrapPeers: []
    })
    this.gossip = new PohGossip({
      libp2p: this.node,
      networkId: this.init.networkId,
      handlers: {
        request: async () => { throw ignore(GossipErrorCode.DUPLICATE_REQUEST, 'light clients do not relay requests') },
        ack: async (data) => { this.onAckBatch(data) }
      },
      metrics: { verdict: () => {}, graylistDisconnect: () => {} },
      logger: this.init.logger
    })
    this.gossip.start()
    const dials = await Promise.allSettled(this.init.peers.map(async addr => this.node?.dial(multiaddr(addr), { signal: options.signal })))
    dials.forEach((result, i) => {
      if (result.status === 'rejected') {
        this.init.logger.warn({ peer: this.init.peers[i], reason: (result.reason as Error)?.message ?? String(result.reason) }, 'dial failed')
      }
    })
    if (dials.every(result => result.status === 'rejected') && this.init.peers.length > 0) {
      throw new Error(`could not connect to any peer of ${this.init.peers.join(', ')}; check that the nodes run and the addresses are right`)
    }
  }

  /** Waits until at least `count` peers subscribe to the request topic. */
  async waitForSubscribers (count: number, options: { signal?: AbortSignal } = {}): Promise<void> {
    const gossip = this.gossip
    const pubsub = this.node?.services.pubsub
    if (gossip === undefined || pubsub === undefined) {
      throw new Error('light client is not started')
    }
    if (gossip.subscribers('request').length >= count) {
      return
    }
    await new Promise<void>((resolve, reject) => {
      const done = (err?: unknown): void => {
        pubsub.removeEventListener('subscription-change', check)
        options.signal?.removeEventListener('abort', aborted)
        err === undefined ? resolve() : reject(err)
      }
      const check = (): void => {
        if (gossip.subscribers('request').length >= count) {
          done()
        }
      }
      const aborted = (): void => { done(options.signal?.reason) }
      pubsub.addEventListener('subscription-change', check)
      options.signal?.addEventListener('abort', aborted, { once: true })
    })
  }

  /**
   * Publishes a new transaction and watches its ACKs; returns its tx_id in hex.
   * Gossipsub learns a peer's subscriptions before its own outbound stream to
   * that peer is open, and a publish then reaches no peer. The request is then
   * built again with a new timestamp, so it gets a new message id, and resent.
   */
  async submit (payload: Uint8Array, options: { ttlSeconds: number, signal?: AbortSignal }): Promise<string> {
    const gossip = this.gossip
    if (gossip === undefined) {
      throw new Error('light client is not started')
    }
    if (payload.length > this.init.maxPayloadBytes) {
      throw new RangeError(`payload is ${payload.length} bytes, over max_payload_bytes ${this.init.maxPayloadBytes}`)
    }
    for (let attempt = 1; ; attempt++) {
      const request = buildPohRequest(payload, { ttlSeconds: options.ttlSeconds, timestampMs: this.clock.now() })
      const txId = toHex(request.txId)
      this.watched.set(txId, { payload, acks: this.watched.get(txId)?.acks ?? [], expiresAtMs: Number(request.timestampMs) + options.ttlSeconds * 1000 })
      if (await gossip.publish('request', encodeRequest(request)) > 0) {
        return txId
      }
      if (attempt === SUBMIT_ATTEMPTS) {
        throw new Error('no connected node subscribes to the request topic; check network_id and that the nodes run')
      }
      options.signal?.throwIfAborted()
      await new Promise(resolve => setTimeout(resolve, SUBMIT_RETRY_DELAY_MS))
    }
  }

  /** Number of distinct valid holders counted for a submitted transaction. */
  count (txIdHex: string): number {
    return this.watched.get(txIdHex)?.acks.length ?? 0
  }

  private onAckBatch (data: Uint8Array): void {
    const batch = decodeAckBatch(data)
    let counted = 0
    for (const ack of batch.acks) {
      const watched = this.watched.get(toHex(ack.txId))
      if (watched === undefined) {
        continue
      }
      try {
        this.countAck(ack, watched)
        counted++
      } catch (err) {
        if (!(err instanceof GossipValidationError) || err.action === 'REJECT') {
          throw err
        }
      }
    }
    if (counted === 0) {
      throw ignore(GossipErrorCode.DUPLICATE_ACK, 'no new ACK for a watched transaction')
    }
  }

  private countAck (ack: PohAck, watched: Watched): void {
    const now = this.clock.now()
    this.verifier.verify(ack, now, watched.payload)
    const outcome = this.quorum.add(ack.txId, ack.holderId, ack.storageHash, now)
    if (outcome.kind !== 'counted') {
      throw ignore(GossipErrorCode.DUPLICATE_ACK, 'ACK already counted')
    }
    watched.acks.push(ack)
    const txId = toHex(ack.txId)
    this.safeDispatchEvent('ack', { detail: { txId, holderId: toHex(ack.holderId), count: outcome.count } })
    if (outcome.becameHeld) {
      this.safeDispatchEvent('held', { detail: { txId, count: outcome.count, heldAtMs: now, acks: [...watched.acks] } })
    }
  }

  async stop (): Promise<void> {
    await this.gossip?.stop()
    await this.node?.stop()
  }
}
