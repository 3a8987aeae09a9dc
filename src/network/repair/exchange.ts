import { bytesEqual, toHex } from '../../core/hash.js'
import { REQUEST_ID_LENGTH, RepairRequest, RepairResponse, frameStream, releaseStream } from './codec.js'
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Client deadlines of one request, in milliseconds. */
export interface RepairTimeouts {
  /** Connecting to the peer and negotiating the protocol. */
  dialMs: number
  /** From the request being sent until the first response byte arrives. */
  firstByteMs: number
  /** From the stream opening until the whole response frame has arrived. */
  responseMs: number
}

/** Phase of an exchange whose deadline passed. */
export type TimeoutPhase = 'dial' | 'first byte' | 'response'

/**
 * Outcome of one request that the caller did not abort. `requestId` is the id
 * this node sent, and `echoedId` the other id that an unsolicited response carried.
 */
export type ExchangeOutcome<Response = RepairResponse> = { requestId: Uint8Array } & (
  | { kind: 'response', response: Response }
  | { kind: 'timeout', phase: TimeoutPhase }
  | { kind: 'unsolicited', echoedId: Uint8Array }
  | { kind: 'error', error: Error }
)

/**
 * Request ids this node has outstanding, by peer. A response counts only if
 * it echoes an id still outstanding for the peer that sent it.
 */
export class OutstandingRequests {
  private readonly byPeer = new Map<string, Set<string>>()

  add (peer: PeerId, requestId: Uint8Array): void {
    const key = peer.toString()
    const ids = this.byPeer.get(key) ?? new Set<string>()
    ids.add(toHex(requestId))
    this.byPeer.set(key, ids)
  }

  has (peer: PeerId, requestId: Uint8Array): boolean {
    return this.byPeer.get(peer.toString())?.has(toHex(requestId)) ?? false
  }

  delete (peer: PeerId, requestId: Uint8Array): void {
    const key = peer.toString()
    const ids = this.byPeer.get(key)
    ids?.delete(toHex(requestId))
    if (ids?.size === 0) {
      this.byPeer.delete(key)
    }
  }

  /** Number of outstanding requests across all peers. */
  get size (): number {
    let count = 0
    for (const ids of this.byPeer.values()) {
      count += ids.size
    }
    return count
  }
}

/** Protobuf codec of a request-response protocol whose messages carry a request_id. */
export interface ExchangeCodec<Request extends { requestId: Uint8Array }, Response extends { requestId: Uint8Array }> {
  encodeRequest: (request: Request) => Uint8Array
  decodeResponse: (frame: Uint8Array | Uint8ArrayList) => Response
}

/** The repair protocol's codec, which ExchangeInit uses by default. */
export const REPAIR_CODEC: ExchangeCodec<RepairRequest, RepairResponse> = {
  encodeRequest: (request) => RepairRequest.encode(request),
  decodeResponse: (frame) => RepairResponse.decode(frame)
}

export interface ExchangeInit<Request extends { requestId: Uint8Array } = RepairRequest, Response extends { requestId: Uint8Array } = RepairResponse> {
  libp2p: Pick<Libp2p, 'dialProtocol'>
  protocol: string
  timeouts: RepairTimeouts
  maxResponseBytes: number
  outstanding: OutstandingRequests
  /** @default REPAIR_CODEC */
  codec?: ExchangeCodec<Request, Response>
}

/** Deadlines of one exchange; the first-byte timer starts once the request is sent. */
class Deadlines {
  readonly dial: AbortSignal
  private response: AbortSignal | undefined
  private readonly firstByte = new AbortController()
  private firstByteTimer: NodeJS.Timeout | undefined

  constructor (private readonly timeouts: RepairTimeouts, private readonly caller?: AbortSignal) {
    this.dial = anySignal(AbortSignal.timeout(timeouts.dialMs), caller)
  }

  /** Starts the whole-response deadline, once the stream is open. */
  startResponse (): AbortSignal {
    this.response = anySignal(AbortSignal.timeout(this.timeouts.responseMs), this.caller)
    return this.response
  }

  /** Starts the first-byte timer, once the request is sent, and returns the signal for reading the response. */
  startRead (stream: Stream): AbortSignal {
    this.startFirstByteTimer(stream)
    return this.response === undefined ? this.firstByte.signal : AbortSignal.any([this.response, this.firstByte.signal])
  }

  private startFirstByteTimer (stream: Stream): void {
    this.firstByteTimer = setTimeout(() => { this.firstByte.abort() }, this.timeouts.firstByteMs)
    stream.addEventListener('message', () => { this.clear() }, { once: true })
  }

  clear (): void {
    clearTimeout(this.firstByteTimer)
  }

  /** The phase whose deadline passed, if one did. The first-byte timer wins over the response deadline. */
  expired (dialing: boolean): TimeoutPhase | undefined {
    if (dialing) {
      return this.dial.aborted ? 'dial' : undefined
    }
    if (this.firstByte.signal.aborted) {
      return 'first byte'
    }
    return this.response?.aborted === true ? 'response' : undefined
  }
}

/**
 * Sends one request with a fresh random request_id on a new stream and reads
 * the one response frame, for repair or any protocol of the same shape.
 * Every step has a deadline, and the stream is closed or aborted before this
 * returns. Rejects only when `signal` aborts.
 */
export async function exchange<Request extends { requestId: Uint8Array } = RepairRequest, Response extends { requestId: Uint8Array } = RepairResponse> (
  init: ExchangeInit<Request, Response>,
  peer: PeerId,
  request: Omit<Request, 'requestId'>,
  signal?: AbortSignal
): Promise<ExchangeOutcome<Response>> {
  const codec = init.codec ?? (REPAIR_CODEC as unknown as ExchangeCodec<Request, Response>)
  const requestId = crypto.getRandomValues(new Uint8Array(REQUEST_ID_LENGTH))
  const deadlines = new Deadlines(init.timeouts, signal)
  let stream: Stream | undefined
  let completed = false
  init.outstanding.add(peer, requestId)
  try {
    stream = await init.libp2p.dialProtocol(peer, init.protocol, { signal: deadlines.dial })
    // Attached before any await, so a response that arrives early is not missed.
    const lp = frameStream(stream, init.maxResponseBytes)
    const frame = codec.encodeRequest({ ...request, requestId: requestId as Uint8Array<ArrayBuffer> } as Request)

    const writeSignal = deadlines.startResponse()
    await lp.write(frame, { signal: writeSignal })
    await stream.close({ signal: writeSignal })
    const response = codec.decodeResponse(await lp.read({ signal: deadlines.startRead(stream) }))
    completed = true

    // A response that arrives after the caller gave up is dropped too:
    // the caller's signal has aborted and its id is no longer wanted.
    signal?.throwIfAborted()
    if (!bytesEqual(response.requestId, requestId) || !init.outstanding.has(peer, response.requestId)) {
      return { kind: 'unsolicited', requestId, echoedId: response.requestId }
    }
    return { kind: 'response', requestId, response }
  } catch (err) {
    stream?.abort(err as Error)
    signal?.throwIfAborted()
    const phase = deadlines.expired(stream === undefined)
    return phase !== undefined ? { kind: 'timeout', requestId, phase } : { kind: 'error', requestId, error: err as Error }
  } finally {
    deadlines.clear()
    init.outstanding.delete(peer, requestId)
    if (completed && stream !== undefined) {
      releaseStream(stream, init.timeouts.firstByteMs)
    }
  }
}

function anySignal (signal: AbortSignal, other?: AbortSignal): AbortSignal {
  return other === undefined ? signal : AbortSignal.any([signal, other])
}
