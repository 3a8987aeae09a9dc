import { DecodeError } from '../../core/errors.js'
import { SPOT_CHECK_NONCE_LENGTH } from '../../core/spot-check.js'
import { isFrameLengthError } from '../repair/codec.js'
import { OutstandingRequests, exchange } from '../repair/exchange.js'
import { spotCheckProtocol } from '../topics.js'
import { MAX_SPOT_CHECK_RESPONSE_BYTES, SPOT_CHECK_CODEC } from './codec.js'
import type { SpotCheckRequest, SpotCheckResponse } from './codec.js'
import type { ExchangeInit, RepairTimeouts } from '../repair/exchange.js'
import type { Libp2p, PeerId } from '@libp2p/interface'

export interface SpotCheckClientInit {
  libp2p: Pick<Libp2p, 'dialProtocol'>
  networkId: string
  timeouts: RepairTimeouts
}

/**
 * Outcome of one challenge sent to one peer:
 * - response: a response that echoes the request id, with the nonce that was sent;
 * - malformed: a response that does not decode, is over the frame limit or echoes another request id;
 * - unsupported: the peer does not serve spot checks, so it is no holder;
 * - timeout, error: no response, from a deadline or a stream failure.
 */
export type ChallengeOutcome =
  | { kind: 'response', nonce: Uint8Array, response: SpotCheckResponse }
  | { kind: 'malformed', reason: string }
  | { kind: 'unsupported' }
  | { kind: 'timeout', phase: string }
  | { kind: 'error', error: Error }

/**
 * Sends spot-check challenges over the shared request-response exchange:
 * one stream per challenge, a fresh request id and a fresh random nonce.
 */
export class SpotCheckClient {
  private readonly exchange: ExchangeInit<SpotCheckRequest, SpotCheckResponse>

  constructor (init: SpotCheckClientInit) {
    this.exchange = {
      libp2p: init.libp2p,
      protocol: spotCheckProtocol(init.networkId),
      timeouts: init.timeouts,
      maxResponseBytes: MAX_SPOT_CHECK_RESPONSE_BYTES,
      outstanding: new OutstandingRequests(),
      codec: SPOT_CHECK_CODEC
    }
  }

  /** Asks `peer` to prove that `holderId` stores the payload of `txId`. Rejects only when `signal` aborts. */
  async challenge (peer: PeerId, txId: Uint8Array, holderId: Uint8Array, signal?: AbortSignal): Promise<ChallengeOutcome> {
    const nonce = crypto.getRandomValues(new Uint8Array(SPOT_CHECK_NONCE_LENGTH))
    const request = { txId: txId as Uint8Array<ArrayBuffer>, holderId: holderId as Uint8Array<ArrayBuffer>, nonce }
    const outcome = await exchange(this.exchange, peer, request, signal)
    switch (outcome.kind) {
      case 'response':
        return { kind: 'response', nonce, response: outcome.response }
      case 'unsolicited':
        return { kind: 'malformed', reason: 'response echoes another request_id' }
      case 'timeout':
        return { kind: 'timeout', phase: outcome.phase }
      default:
        return classifyError(outcome.error)
    }
  }
}

function classifyError (error: Error): ChallengeOutcome {
  if (error instanceof DecodeError || isFrameLengthError(error)) {
    return { kind: 'malformed', reason: error.message }
  }
  if (error.name === 'UnsupportedProtocolError') {
    return { kind: 'unsupported' }
  }
  return { kind: 'error', error }
}
