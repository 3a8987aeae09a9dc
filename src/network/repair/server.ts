import { toHex } from '../../core/hash.js'
import { repairProtocol } from '../topics.js'
import {
  MAX_REQUEST_BYTES,
  REQUEST_ID_LENGTH,
  RepairRequest,
  RepairResponse,
  RepairStatus,
  checkRequest,
  frameStream,
  readRequestFrame,
  releaseStream,
  sourceBudgetBytes
} from './codec.js'
import { PeerRateLimiter } from './rate-limiter.js'
import { RepairInvalidQueryError, RepairSourceUnavailableError } from './types.js'
import type { ValidRepairRequest } from './codec.js'
import type { RepairMetrics, RepairServerResult, RepairSource } from './types.js'
import type { RepairItem } from '../../core/proto/poh.js'
import type { Clock } from '../../core/types.js'
import type { Logger } from '../../log/logger.js'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'

export interface RepairServerLimits {
  /** Maximum number of tx_ids in one request; at most 64. */
  maxIdsPerRequest: number
  /** Tokens each peer's bucket gains per second; a request costs one token per id, or its range limit. */
  ratePerSecond: number
  /**
   * Capacity of each peer's bucket.
   * @default ratePerSecond
   */
  burst?: number
  /** Maximum number of requests served at once, across all peers. */
  maxConcurrentStreams: number
  /** Maximum length of one response frame, in bytes. */
  maxResponseBytes: number
  /** Time allowed for the request frame to arrive, in milliseconds. */
  readTimeoutMs: number
  /**
   * Time allowed to write the response and close, in milliseconds.
   * @default 10000
   */
  writeTimeoutMs?: number
  /**
   * Maximum number of peers whose rate-limit buckets are kept.
   * @default 4096
   */
  maxTrackedPeers?: number
}

export interface RepairServerInit {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle'>
  networkId: string
  source: RepairSource
  limits: RepairServerLimits
  clock: Clock
  logger: Logger
  metrics?: RepairMetrics
}

/** Default for RepairServerLimits.writeTimeoutMs: the client's default whole-response timeout. */
export const DEFAULT_WRITE_TIMEOUT_MS = 10_000

/**
 * Serves repair requests. Each inbound stream carries one request and gets
 * one response, whose status gives the client the reason when nothing or only
 * part comes back. An over-limit request gets RATE_LIMITED rather than a silent drop.
 */
export class RepairServer {
  private readonly init: RepairServerInit
  private readonly protocol: string
  private readonly limiter: PeerRateLimiter
  private readonly capacity: number
  /** Requests past admission whose response is not yet written. */
  private serving = 0
  private stopping = false

  constructor (init: RepairServerInit) {
    const { limits } = init
    this.init = init
    this.protocol = repairProtocol(init.networkId)
    this.capacity = limits.burst ?? limits.ratePerSecond
    if (this.capacity < limits.maxIdsPerRequest) {
      // A request of maxIdsPerRequest ids would never fit in the bucket.
      throw new RangeError(`repair burst ${this.capacity} is below max_ids_per_request ${limits.maxIdsPerRequest}; raise rate_limit_per_second or lower max_ids_per_request`)
    }
    this.limiter = new PeerRateLimiter({
      ratePerSecond: limits.ratePerSecond,
      capacity: this.capacity,
      clock: init.clock,
      maxPeers: limits.maxTrackedPeers
    })
  }

  async start (): Promise<void> {
    this.stopping = false
    await this.init.libp2p.handle(this.protocol, async (stream, connection) => { await this.handleStream(stream, connection) }, {
      // libp2p resets streams over this per-connection limit without a
      // response, so it sits above the global cap, which responds with RATE_LIMITED.
      maxInboundStreams: this.init.limits.maxConcurrentStreams * 2
    })
    this.init.logger.info({ protocol: this.protocol }, 'repair server started')
  }

  /** Stops accepting streams. Requests already read get RESOURCE_UNAVAILABLE unless their lookup has begun. */
  async stop (): Promise<void> {
    this.stopping = true
    await this.init.libp2p.unhandle(this.protocol)
    this.init.logger.info({ protocol: this.protocol, serving: this.serving }, 'repair server stopped')
  }

  private async handleStream (stream: Stream, connection: Connection): Promise<void> {
    // Attached before any await, so a client that has already half-closed is still read.
    const lp = frameStream(stream, MAX_REQUEST_BYTES)
    const peer = connection.remotePeer
    let admitted = false
    try {
      const request = await this.readRequest(lp, peer)
      const rejection = isResponse(request) ? request : this.admit(request, peer)
      let answer: Reply
      if (rejection !== undefined) {
        answer = reply(rejection)
      } else {
        admitted = true
        this.serving++
        answer = await this.lookUp(request as ValidRepairRequest, peer)
      }

      const { response, frame } = answer
      const status = response.status
      const signal = AbortSignal.timeout(this.init.limits.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS)
      await lp.write(frame, { signal })
      await stream.close({ signal })
      releaseStream(stream, this.init.limits.readTimeoutMs)
      this.init.metrics?.serverResponse(SERVER_RESULT[status] ?? 'server_error')
      this.init.logger.debug({ peer: peer.toString(), requestId: toHex(response.requestId), status, bytes: frame.length }, 'repair response sent')
    } catch (err) {
      stream.abort(err as Error)
      this.init.logger.debug({ peer: peer.toString(), err }, 'repair stream aborted')
    } finally {
      if (admitted) {
        this.serving--
      }
    }
  }

  /**
   * Reads and validates the request frame. Returns the request, or a
   * RepairResponse with INVALID_REQUEST when the frame is oversized,
   * undecodable or invalid. Throws when no whole frame arrives in time.
   */
  private async readRequest (lp: ReturnType<typeof frameStream>, peer: PeerId): Promise<ValidRepairRequest | RepairResponse> {
    const read = await readRequestFrame(lp, (frame) => RepairRequest.decode(frame), this.init.limits.readTimeoutMs)
    if (!read.valid) {
      return this.invalid(peer, new Uint8Array(0), read.reason)
    }
    const request = read.message

    const check = checkRequest(request, this.init.limits.maxIdsPerRequest)
    if (!check.valid) {
      // An id of the wrong length is not echoed, so the response matches no request.
      const echo = request.requestId.length === REQUEST_ID_LENGTH ? request.requestId : new Uint8Array(0)
      return this.invalid(peer, echo, check.reason)
    }
    return check.request
  }

  private invalid (peer: PeerId, requestId: Uint8Array, reason: string): RepairResponse {
    this.init.logger.debug({ peer: peer.toString(), requestId: toHex(requestId), reason }, 'invalid repair request')
    return respond(requestId, RepairStatus.INVALID_REQUEST)
  }

  /** Returns the response for a request that is not served, or undefined to serve it. */
  private admit (request: ValidRepairRequest, peer: PeerId): RepairResponse | undefined {
    const requestId = toHex(request.requestId)
    if (this.stopping) {
      return respond(request.requestId, RepairStatus.RESOURCE_UNAVAILABLE)
    }
    if (this.serving >= this.init.limits.maxConcurrentStreams) {
      this.init.logger.debug({ peer: peer.toString(), requestId, serving: this.serving }, 'repair request over the concurrent stream limit')
      return respond(request.requestId, RepairStatus.RATE_LIMITED)
    }
    if (!this.limiter.tryTake(peer.toString(), this.cost(request))) {
      this.init.logger.debug({ peer: peer.toString(), requestId, cost: this.cost(request) }, 'repair request over the peer rate limit')
      return respond(request.requestId, RepairStatus.RATE_LIMITED)
    }
    return undefined
  }

  /**
   * Tokens a request costs: one per requested item. A range limit above the
   * bucket capacity is served as a page of `capacity` items, since a larger
   * one could never be paid for.
   */
  private cost (request: ValidRepairRequest): number {
    return request.kind === 'ids' ? request.txIds.length : this.rangeLimit(request)
  }

  private rangeLimit (request: ValidRepairRequest & { kind: 'range' }): number {
    return Math.min(request.limit, Math.floor(this.capacity))
  }

  /**
   * Asks the source for the items and encodes a response of at most
   * maxResponseBytes. A source that counts only payload and ACK bytes leaves
   * out the other fields and the field framing, so an overshoot is retried once
   * with the overshoot taken off the budget. A response still too large
   * becomes SERVER_ERROR, because trimming items could skip past a range cursor.
   */
  private async lookUp (request: ValidRepairRequest, peer: PeerId): Promise<Reply> {
    const { maxResponseBytes } = this.init.limits
    const maxItems = request.kind === 'ids' ? request.txIds.length : this.rangeLimit(request)
    let budget = sourceBudgetBytes(maxResponseBytes, maxItems)
    const context = { peer: peer.toString(), requestId: toHex(request.requestId), maxResponseBytes }

    for (let attempt = 1; attempt <= 2; attempt++) {
      const response = await this.querySource(request, budget, peer)
      const frame = RepairResponse.encode(response)
      if (frame.length <= maxResponseBytes) {
        return { response, frame }
      }
      budget -= frame.length - maxResponseBytes
      if (budget < 1) {
        break
      }
      this.init.logger.debug({ ...context, bytes: frame.length, budget, attempt }, 'repair response over max_response_bytes; asking the source for less')
    }

    this.init.logger.warn(context, 'repair response over max_response_bytes even with a smaller budget; the source exceeds its byte budget')
    return reply(respond(request.requestId, RepairStatus.SERVER_ERROR))
  }

  /** Returns the OK response with the source's items, or the error response when the source fails. */
  private async querySource (request: ValidRepairRequest, budget: number, peer: PeerId): Promise<RepairResponse> {
    if (budget < 1) {
      // Not even one byte of item fits, and sources reject a budget below 1.
      return respond(request.requestId, RepairStatus.OK)
    }
    try {
      if (request.kind === 'ids') {
        const items = await this.init.source.itemsById(request.txIds, budget)
        return respond(request.requestId, RepairStatus.OK, items)
      }
      const range = { fromMs: request.fromMs, toMs: request.toMs, limit: this.rangeLimit(request), cursor: request.cursor }
      const page = await this.init.source.itemsByRange(range, budget)
      return respond(request.requestId, RepairStatus.OK, page.items, page.nextCursor)
    } catch (err) {
      return this.sourceFailed(err, request, peer)
    }
  }

  private sourceFailed (err: unknown, request: ValidRepairRequest, peer: PeerId): RepairResponse {
    const context = { peer: peer.toString(), requestId: toHex(request.requestId), err }
    if (err instanceof RepairSourceUnavailableError) {
      this.init.logger.debug(context, 'repair source unavailable')
      return respond(request.requestId, RepairStatus.RESOURCE_UNAVAILABLE)
    }
    if (err instanceof RepairInvalidQueryError) {
      this.init.logger.debug(context, 'repair request names a query the source cannot read')
      return respond(request.requestId, RepairStatus.INVALID_REQUEST)
    }
    this.init.logger.warn(context, 'repair source failed')
    return respond(request.requestId, RepairStatus.SERVER_ERROR)
  }

}

const SERVER_RESULT: Partial<Record<RepairStatus, RepairServerResult>> = {
  [RepairStatus.OK]: 'ok',
  [RepairStatus.INVALID_REQUEST]: 'invalid_request',
  [RepairStatus.RESOURCE_UNAVAILABLE]: 'resource_unavailable',
  [RepairStatus.RATE_LIMITED]: 'rate_limited',
  [RepairStatus.SERVER_ERROR]: 'server_error'
}

/** A response with its encoded frame, so that a large response is encoded once. */
interface Reply {
  response: RepairResponse
  frame: Uint8Array
}

function reply (response: RepairResponse): Reply {
  return { response, frame: RepairResponse.encode(response) }
}

function respond (requestId: Uint8Array, status: RepairStatus, items: RepairItem[] = [], nextCursor?: Uint8Array): RepairResponse {
  return {
    requestId: requestId as Uint8Array<ArrayBuffer>,
    status,
    items,
    nextCursor: (nextCursor ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>
  }
}

function isResponse (value: ValidRepairRequest | RepairResponse): value is RepairResponse {
  return 'status' in value
}
