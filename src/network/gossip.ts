import { GossipValidationError } from '../core/errors.js'
import { ackTopic, requestTopic } from './topics.js'
import { SCORE_THRESHOLDS } from './libp2p.js'
import type { GossipsubMessage, PohLibp2p } from './libp2p.js'
import type { Logger } from '../log/logger.js'
import type { PeerId } from '@libp2p/interface'

export type TopicKind = 'request' | 'ack'
export type Verdict = 'accept' | 'ignore' | 'reject'

/** Handles the data of one inbound message; throwing GossipValidationError sets the verdict. */
export type MessageHandler = (data: Uint8Array, from: PeerId) => Promise<void>

/** Counters the gossip layer reports to; label values come from fixed sets. */
export interface GossipMetrics {
  verdict(topic: TopicKind, verdict: Verdict, reason: string): void
  graylistDisconnect(): void
}

export interface PohGossipInit {
  libp2p: PohLibp2p
  networkId: string
  handlers: Record<TopicKind, MessageHandler>
  metrics: GossipMetrics
  logger: Logger
  /** How often peer scores are checked against the graylist threshold. */
  scoreCheckIntervalMs?: number
}

/** Reason label for a message whose handler failed with an unexpected error. */
const INTERNAL_ERROR = 'internal_error'

/**
 * Subscribes to the PoH topics, runs every inbound message through its
 * handler, and reports exactly one verdict per message to gossipsub, which
 * forwards the message only after an accept.
 */
export class PohGossip {
  private readonly init: PohGossipInit
  private readonly topics: Record<TopicKind, string>
  private readonly kindByTopic: Map<string, TopicKind>
  private scoreTimer: NodeJS.Timeout | undefined
  /** Handlers still running, so stop() can wait for them before storage closes. */
  private readonly inFlight = new Set<Promise<void>>()
  private readonly onMessage = (evt: CustomEvent<GossipsubMessage>): void => {
    const handling = this.handle(evt.detail).finally(() => { this.inFlight.delete(handling) })
    this.inFlight.add(handling)
  }

  constructor (init: PohGossipInit) {
    this.init = init
    this.topics = { request: requestTopic(init.networkId), ack: ackTopic(init.networkId) }
    this.kindByTopic = new Map([[this.topics.request, 'request'], [this.topics.ack, 'ack']])
  }

  start (): void {
    const pubsub = this.init.libp2p.services.pubsub
    pubsub.addEventListener('gossipsub:message', this.onMessage)
    pubsub.subscribe(this.topics.request)
    pubsub.subscribe(this.topics.ack)
    this.scoreTimer = setInterval(() => { this.disconnectGraylisted() }, this.init.scoreCheckIntervalMs ?? 2000)
    this.scoreTimer.unref()
  }

  /** Stops taking messages and waits for the handlers still running. */
  async stop (): Promise<void> {
    clearInterval(this.scoreTimer)
    const pubsub = this.init.libp2p.services.pubsub
    pubsub.removeEventListener('gossipsub:message', this.onMessage)
    await Promise.allSettled([...this.inFlight])
  }

  async publish (kind: TopicKind, data: Uint8Array): Promise<number> {
    const result = await this.init.libp2p.services.pubsub.publish(this.topics[kind], data)
    return result.recipients.length
  }

  /** Returns the peers subscribed to a topic, as gossipsub currently records them. */
  subscribers (kind: TopicKind): PeerId[] {
    return this.init.libp2p.services.pubsub.getSubscribers(this.topics[kind])
  }

  private async handle ({ msg, msgId, propagationSource }: GossipsubMessage): Promise<void> {
    const kind = this.kindByTopic.get(msg.topic)
    if (kind === undefined) {
      return
    }
    const { verdict, reason } = await this.judge(kind, msg.data, propagationSource)
    this.init.metrics.verdict(kind, verdict, reason)
    this.init.libp2p.services.pubsub.reportMessageValidationResult(msgId, propagationSource.toString(), verdict)
    // The invalid-message penalty decays every second, so a burst of rejects
    // is checked at once rather than only on the periodic score check.
    if (verdict === 'reject') {
      this.disconnectGraylisted()
    }
  }

  private async judge (kind: TopicKind, data: Uint8Array, from: PeerId): Promise<{ verdict: Verdict, reason: string }> {
    try {
      await this.init.handlers[kind](data, from)
      return { verdict: 'accept', reason: 'valid' }
    } catch (err) {
      if (err instanceof GossipValidationError) {
        this.init.logger.debug({ topic: kind, peer: from.toString(), verdict: err.action, reason: err.reason, err: err.message }, 'gossip message not accepted')
        return { verdict: err.action === 'REJECT' ? 'reject' : 'ignore', reason: err.reason }
      }
      this.init.logger.error({ topic: kind, peer: from.toString(), err }, 'gossip handler failed; message ignored')
      return { verdict: 'ignore', reason: INTERNAL_ERROR }
    }
  }

  /** Gossipsub never disconnects anyone, so peers below the graylist threshold are hung up here. */
  private disconnectGraylisted (): void {
    const { libp2p, metrics, logger } = this.init
    for (const peer of libp2p.getPeers()) {
      const score = libp2p.services.pubsub.getScore(peer.toString())
      if (score >= SCORE_THRESHOLDS.graylistThreshold) {
        continue
      }
      logger.warn({ peer: peer.toString(), score }, 'peer score below graylist threshold; disconnecting')
      metrics.graylistDisconnect()
      libp2p.hangUp(peer).catch(err => { logger.debug({ peer: peer.toString(), err }, 'hang-up failed') })
    }
  }
}
