import { setTimeout as sleep } from 'node:timers/promises'
import { toHex } from '../../core/hash.js'
import { RepairStatus } from './codec.js'
import { exchange } from './exchange.js'
import type { ExchangeInit, ExchangeOutcome } from './exchange.js'
import type { RepairClientResult, RepairMetrics } from './types.js'
import type { RepairItem, RepairRequest, RepairResponse } from '../../core/proto/poh.js'
import type { Logger } from '../../log/logger.js'
import type { PeerId } from '@libp2p/interface'

export const DEFAULT_RETRIES = 3
export const DEFAULT_BACKOFF_MS = 100

/** Whether to keep asking a peer, after its response items were checked. */
export type PeerVerdict = 'served' | 'give up'

export interface RepairRequesterInit {
  exchange: ExchangeInit
  retries?: number
  backoffMs?: number
  verifyItem: (item: RepairItem, peer: PeerId) => boolean
  onBadPeer?: (peer: PeerId, reason: string) => void
  logger: Logger
  metrics?: RepairMetrics
}

/**
 * The per-request steps RepairClient builds on: sending with retries on
 * RATE_LIMITED, verifying items, reporting faulty peers and counting outcomes.
 */
export class RepairRequester {
  private readonly init: RepairRequesterInit

  constructor (init: RepairRequesterInit) {
    this.init = init
  }

  /**
   * Sends one request, retrying with backoff while the peer responds
   * with RATE_LIMITED. Returns the OK response, or undefined when the peer should
   * not be asked again in this call.
   */
  async request (peer: PeerId, request: Omit<RepairRequest, 'requestId'>, signal?: AbortSignal): Promise<RepairResponse | undefined> {
    const retries = this.init.retries ?? DEFAULT_RETRIES
    for (let attempt = 0; ; attempt++) {
      const outcome = await exchange(this.init.exchange, peer, request, signal)
      if (outcome.kind === 'response' && outcome.response.status === RepairStatus.OK) {
        this.count('ok')
        return outcome.response
      }
      if (outcome.kind !== 'response' || outcome.response.status !== RepairStatus.RATE_LIMITED) {
        this.reportFailure(peer, outcome)
        return undefined
      }
      this.count('rate_limited')
      const context = { peer: peer.toString(), requestId: toHex(outcome.requestId), attempt: attempt + 1 }
      if (attempt >= retries) {
        this.init.logger.debug(context, 'repair peer still rate limiting after its retries; trying the next peer')
        return undefined
      }
      this.init.logger.debug(context, 'repair peer rate limiting; retrying after backoff')
      await sleep(this.backoff(attempt), undefined, { signal })
    }
  }

  /** Returns the delay before retry `attempt` (from 0): base × 2^attempt, with half of it random. */
  private backoff (attempt: number): number {
    const delay = (this.init.backoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** attempt
    return delay / 2 + Math.random() * delay / 2
  }

  private reportFailure (peer: PeerId, outcome: ExchangeOutcome): void {
    const context = { peer: peer.toString(), requestId: toHex(outcome.requestId) }
    switch (outcome.kind) {
      case 'timeout':
        this.count('timeout')
        this.init.logger.debug({ ...context, phase: outcome.phase }, 'repair request timed out')
        break
      case 'unsolicited':
        this.count('unsolicited')
        this.init.logger.debug({ ...context, echoedId: toHex(outcome.echoedId) }, 'repair response dropped: request id not outstanding')
        this.judge(peer, `answered with request id ${toHex(outcome.echoedId)}, which is not outstanding`)
        break
      case 'response':
        this.count('error')
        this.init.logger.debug({ ...context, status: outcome.response.status }, 'repair request not served')
        break
      case 'error':
        this.count('error')
        this.init.logger.debug({ ...context, err: outcome.error }, 'repair request failed')
        break
    }
  }

  /** Runs verifyItem; an item that fails it, or makes it throw, is counted as invalid. */
  verify (item: RepairItem, peer: PeerId): boolean {
    let valid = false
    try {
      valid = this.init.verifyItem(item, peer)
    } catch (err) {
      this.init.logger.warn({ peer: peer.toString(), txId: toHex(item.txId), err }, 'verifyItem threw; item treated as invalid')
    }
    if (!valid) {
      this.count('invalid_item')
    }
    return valid
  }

  /** Reports a protocol fault, if any, and returns whether to keep asking the peer. */
  judge (peer: PeerId, fault: string | undefined): PeerVerdict {
    if (fault === undefined) {
      return 'served'
    }
    this.init.logger.warn({ peer: peer.toString(), reason: fault }, 'repair peer broke the protocol')
    this.init.onBadPeer?.(peer, fault)
    return 'give up'
  }

  count (result: RepairClientResult): void {
    this.init.metrics?.clientResult(result)
  }
}
