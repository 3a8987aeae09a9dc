import { bytesEqual, toHex } from '../../core/hash.js'
import { signSpotCheck, spotCheckProof } from '../../core/spot-check.js'
import { REQUEST_ID_LENGTH, frameStream, readRequestFrame, releaseStream } from '../repair/codec.js'
import { PeerRateLimiter } from '../repair/rate-limiter.js'
import { DEFAULT_WRITE_TIMEOUT_MS } from '../repair/server.js'
import { spotCheckProtocol } from '../topics.js'
import {
  MAX_SPOT_CHECK_REQUEST_BYTES,
  SpotCheckRequest,
  SpotCheckResponse,
  SpotCheckStatus,
  checkSpotCheckRequest
} from './codec.js'
import type { ValidSpotCheckRequest } from './codec.js'
import type { HolderSigner } from '../../core/builders.js'
import type { Clock } from '../../core/types.js'
import type { Logger } from '../../log/logger.js'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'

/**
 * Label of each response a server sends, one per SpotCheckStatus it uses,
 * and `aborted` for a stream aborted without a response.
 */
export const SPOT_CHECK_SERVER_RESULTS = ['ok', 'not_held', 'not_holder', 'invalid_request', 'rate_limited', 'unavailable', 'aborted'] as const
export type SpotCheckServerResult = typeof SPOT_CHECK_SERVER_RESULTS[number]

/**
 * Reads the payload this holder stores for a transaction, or undefined when
 * it stores none. Throws when the store cannot be read.
 */
export type SpotCheckPayloadSource = (txId: Uint8Array) => Promise<Uint8Array | undefined>

export interface SpotCheckServerLimits {
  /** Tokens each peer's bucket gains per second. Every challenge naming this holder costs one token, and one without a token gets RATE_LIMITED. */
  ratePerSecond: number
  /**
   * Capacity of each peer's bucket.
   * @default ratePerSecond
   */
  burst?: number
  /** Time allowed for the request frame to arrive, in milliseconds. */
  readTimeoutMs: number
  /**
   * Time allowed to write the response and close, in milliseconds.
   * @default 10000
   */
  writeTimeoutMs?: number
  /**
   * Inbound spot-check streams per connection; libp2p resets streams above it.
   * @default 4
   */
  maxInboundStreams?: number
}

export interface SpotCheckServerInit {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle'>
  networkId: string
  signer: HolderSigner
  payload: SpotCheckPayloadSource
  limits: SpotCheckServerLimits
  clock: Clock
  logger: Logger
  /** Counts one response sent, by status, or one stream aborted. */
  onResponse?: (result: SpotCheckServerResult) => void
}

const DEFAULT_MAX_INBOUND_STREAMS = 4

/**
 * Read buffer of a request stream. A frame over the request limit that
 * arrives within this many bytes gets INVALID_REQUEST; more data than this
 * before the length prefix is read aborts the stream.
 */
const READ_BUFFER_BYTES = 65_536

/**
 * Serves spot checks for this node's holder key. Each inbound stream
 * carries one challenge and gets one response. Proofs and NOT_HELD are
 * signed with the holder key, so they are rate limited per peer. A request
 * naming another holder gets an unsigned NOT_HOLDER at no cost.
 */
export class SpotCheckServer {
  private readonly init: SpotCheckServerInit
  private readonly protocol: string
  private readonly limiter: PeerRateLimiter
  private stopping = false

  constructor (init: SpotCheckServerInit) {
    this.init = init
    this.protocol = spotCheckProtocol(init.networkId)
    this.limiter = new PeerRateLimiter({
      ratePerSecond: init.limits.ratePerSecond,
      capacity: init.limits.burst ?? init.limits.ratePerSecond,
      clock: init.clock
    })
  }

  async start (): Promise<void> {
    this.stopping = false
    await this.init.libp2p.handle(this.protocol, async (stream, connection) => { await this.handleStream(stream, connection) }, {
      maxInboundStreams: this.init.limits.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS
    })
    this.init.logger.info({ protocol: this.protocol }, 'spot-check server started')
  }

  async stop (): Promise<void> {
    this.stopping = true
    await this.init.libp2p.unhandle(this.protocol)
    this.init.logger.info({ protocol: this.protocol }, 'spot-check server stopped')
  }

  private async handleStream (stream: Stream, connection: Connection): Promise<void> {
    // Attached before any await, so a client that has already half-closed is still read.
    const lp = frameStream(stream, MAX_SPOT_CHECK_REQUEST_BYTES, READ_BUFFER_BYTES)
    const peer = connection.remotePeer
    try {
      const request = await this.readRequest(lp, peer)
      const response = 'status' in request ? request : await this.answer(request, peer)
      const frame = SpotCheckResponse.encode(response)
      const signal = AbortSignal.timeout(this.init.limits.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS)
      await lp.write(frame, { signal })
      await stream.close({ signal })
      releaseStream(stream, this.init.limits.readTimeoutMs)
      this.init.onResponse?.(SERVER_RESULT[response.status] ?? 'invalid_request')
      this.init.logger.debug({ peer: peer.toString(), requestId: toHex(response.requestId), status: response.status }, 'spot-check response sent')
    } catch (err) {
      // No whole frame in time, a read buffer overflow or a failed write.
      stream.abort(err as Error)
      this.init.onResponse?.('aborted')
      this.init.logger.debug({ peer: peer.toString(), err }, 'spot-check stream aborted')
    }
  }

  /**
   * Reads and validates the request frame. Returns the request, or an
   * INVALID_REQUEST response when the frame is oversized, undecodable or has
   * a field of the wrong length. Throws when no whole frame arrives in time.
   */
  private async readRequest (lp: ReturnType<typeof frameStream>, peer: PeerId): Promise<ValidSpotCheckRequest | SpotCheckResponse> {
    const read = await readRequestFrame(lp, (frame) => SpotCheckRequest.decode(frame), this.init.limits.readTimeoutMs)
    if (!read.valid) {
      return this.invalid(peer, new Uint8Array(0), read.reason)
    }
    const request = read.message
    const check = checkSpotCheckRequest(request)
    if (!check.valid) {
      return this.invalid(peer, request.requestId.length === REQUEST_ID_LENGTH ? request.requestId : new Uint8Array(0), check.reason)
    }
    return check.request
  }

  private invalid (peer: PeerId, requestId: Uint8Array, reason: string): SpotCheckResponse {
    this.init.logger.debug({ peer: peer.toString(), requestId: toHex(requestId), reason }, 'invalid spot-check request')
    return respond(requestId, SpotCheckStatus.SPOT_CHECK_INVALID_REQUEST)
  }

  /** Decides the response to a valid request, in the order docs/PROTOCOL.md section 16 gives. */
  private async answer (request: ValidSpotCheckRequest, peer: PeerId): Promise<SpotCheckResponse> {
    const { signer } = this.init
    if (!bytesEqual(request.holderId, signer.holderId)) {
      return respond(request.requestId, SpotCheckStatus.SPOT_CHECK_NOT_HOLDER)
    }
    if (this.stopping) {
      return respond(request.requestId, SpotCheckStatus.SPOT_CHECK_UNAVAILABLE)
    }
    if (!this.limiter.tryTake(peer.toString(), 1)) {
      this.init.logger.debug({ peer: peer.toString(), requestId: toHex(request.requestId) }, 'spot-check request over the peer rate limit')
      return respond(request.requestId, SpotCheckStatus.SPOT_CHECK_RATE_LIMITED)
    }

    let payload: Uint8Array | undefined
    try {
      payload = await this.init.payload(request.txId)
    } catch (err) {
      this.init.logger.debug({ peer: peer.toString(), requestId: toHex(request.requestId), err }, 'spot-check payload read failed')
      return respond(request.requestId, SpotCheckStatus.SPOT_CHECK_UNAVAILABLE)
    }
    const status = payload === undefined ? SpotCheckStatus.SPOT_CHECK_NOT_HELD : SpotCheckStatus.SPOT_CHECK_OK
    const proof = payload === undefined ? new Uint8Array(0) : spotCheckProof(request.nonce, payload)
    const signature = signSpotCheck({ networkId: this.init.networkId, txId: request.txId, holderId: signer.holderId, nonce: request.nonce, status, proof }, signer.keyPair)
    return respond(request.requestId, status, proof, signature)
  }
}

const SERVER_RESULT: Partial<Record<SpotCheckStatus, SpotCheckServerResult>> = {
  [SpotCheckStatus.SPOT_CHECK_OK]: 'ok',
  [SpotCheckStatus.SPOT_CHECK_NOT_HELD]: 'not_held',
  [SpotCheckStatus.SPOT_CHECK_NOT_HOLDER]: 'not_holder',
  [SpotCheckStatus.SPOT_CHECK_INVALID_REQUEST]: 'invalid_request',
  [SpotCheckStatus.SPOT_CHECK_RATE_LIMITED]: 'rate_limited',
  [SpotCheckStatus.SPOT_CHECK_UNAVAILABLE]: 'unavailable'
}

function respond (requestId: Uint8Array, status: SpotCheckStatus, proof: Uint8Array = new Uint8Array(0), signature: Uint8Array = new Uint8Array(0)): SpotCheckResponse {
  return {
    requestId: requestId as Uint8Array<ArrayBuffer>,
    status,
    proof: proof as Uint8Array<ArrayBuffer>,
    signature: signature as Uint8Array<ArrayBuffer>
  }
}
