/**
 * Typed client of the node's gRPC API. `createGrpcClient` returns a
 * promise-based wrapper around the client that @grpc/proto-loader builds from
 * poh_service.proto; `raw` exposes the generated callback API itself.
 */

import { Metadata, credentials, status } from '@grpc/grpc-js'
import { fromHex, toHex } from '../core/hash.js'
import { loadPohService } from './proto.js'
import type { CallOptions, ChannelOptions, ClientReadableStream, ServiceError } from '@grpc/grpc-js'
import type { Certificate__Output as Certificate } from './generated/poh/v1/Certificate.js'
import type { HistoryItem__Output as HistoryItem } from './generated/poh/v1/HistoryItem.js'
import type { ListPeersResponse__Output as ListPeersResponse } from './generated/poh/v1/ListPeersResponse.js'
import type { NodeStatus__Output as NodeStatus } from './generated/poh/v1/NodeStatus.js'
import type { PeerInfo__Output as PeerInfo } from './generated/poh/v1/PeerInfo.js'
import type { PohNodeClient } from './generated/poh/v1/PohNode.js'
import type { QueryRangeRequest } from './generated/poh/v1/QueryRangeRequest.js'
import type { QueryRangeResponse__Output as QueryRangeResponse } from './generated/poh/v1/QueryRangeResponse.js'
import type { SubmitTransactionResponse__Output as SubmitTransactionResponse } from './generated/poh/v1/SubmitTransactionResponse.js'
import type { Transaction__Output as Transaction } from './generated/poh/v1/Transaction.js'
import type { TransactionEvent__Output as TransactionEvent } from './generated/poh/v1/TransactionEvent.js'
import type { TxEventKind } from './generated/poh/v1/TxEventKind.js'

export interface GrpcClientInit {
  /** host:port of the node's gRPC API, such as 127.0.0.1:50051 or [::1]:50051. */
  address: string
  /** Sent as the metadata entry `authorization: Bearer <token>` when set. */
  token?: string
  /** Deadline of each unary call and QueryRange stream, in milliseconds; none when unset. */
  timeoutMs?: number
  /** grpc-js channel options, such as 'grpc.max_receive_message_length'. */
  channelOptions?: ChannelOptions
}

/** A failed gRPC call, with the status code and the node's message. */
export class GrpcCallError extends Error {
  readonly code: status
  readonly method: string
  readonly address: string
  /** The status message the node sent. */
  readonly details: string

  constructor (method: string, address: string, err: ServiceError) {
    super(describeFailure(method, address, err), { cause: err })
    this.name = 'GrpcCallError'
    this.code = err.code
    this.method = method
    this.address = address
    this.details = err.details
  }
}

const STATUS_NAMES = new Map<number, string>(Object.entries(status).filter(([, code]) => typeof code === 'number').map(([name, code]) => [code as number, name]))

function describeFailure (method: string, address: string, err: ServiceError): string {
  const name = STATUS_NAMES.get(err.code) ?? String(err.code)
  if (err.code === status.UNAVAILABLE) {
    return `cannot reach the node gRPC API at ${address}: ${err.details}`
  }
  if (err.code === status.DEADLINE_EXCEEDED) {
    return `the node gRPC API at ${address} did not answer ${method} in time`
  }
  return `the node gRPC API at ${address} returned ${name} for ${method}: ${err.details}`
}

function isServiceError (err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number' && 'metadata' in err
}

/** A tx_id as 64 hex characters or 32 bytes. */
export type TxIdInput = string | Uint8Array

/** Returns bytes as they are, or parses hex; throws RangeError naming the field otherwise. */
function bytesOf (field: string, value: string | Uint8Array): Uint8Array {
  if (typeof value !== 'string') {
    return value
  }
  const bytes = fromHex(value)
  if (bytes === undefined) {
    throw new RangeError(`${field} "${value}" is not hex`)
  }
  return bytes
}

function txIdBytes (txId: TxIdInput): Uint8Array {
  return bytesOf('tx id', txId)
}

/** The range of a QueryRange call: request times in Unix ms or slot numbers, both bounds included. */
export type RangeInput =
  | { kind: 'time', fromMs: number, toMs: number }
  | { kind: 'slots', fromSlot: number, toSlot: number }

export interface PageInput {
  /** next_cursor of the previous page, in hex or bytes; the first page when unset or empty. */
  cursor?: string | Uint8Array
  /** Items in the page, 1 to 1000; 100 when unset. */
  limit?: number
}

/** One page of a QueryRange stream. */
export interface RangePage {
  items: HistoryItem[]
  /** Cursor of the next page; undefined on the last page. */
  nextCursor?: Buffer
}

export interface WatchOptions {
  /** Only events of these transactions; every transaction when empty or unset. */
  txIds?: TxIdInput[]
  /** Only events of these kinds; every kind when empty or unset. */
  kinds?: TxEventKind[]
}

/**
 * An open WatchTransactions stream. Iterate it with `for await`; `cancel()`
 * ends the iteration without an error.
 */
export class TransactionWatch implements AsyncIterable<TransactionEvent> {
  /** Resolves once the node has registered the stream, so events from then on reach it. */
  readonly ready: Promise<void>
  private readonly call: ClientReadableStream<TransactionEvent>
  private readonly address: string
  private cancelled = false
  /** Error that ended the stream; undefined while it is open. */
  private ended: Error | undefined

  constructor (call: ClientReadableStream<TransactionEvent>, address: string) {
    this.call = call
    this.address = address
    this.ready = new Promise<void>((resolve, reject) => {
      call.once('metadata', () => { resolve() })
      call.once('error', (err: ServiceError) => { reject(new GrpcCallError('WatchTransactions', address, err)) })
    })
    // Marks the promise handled; a caller that awaits it still gets the rejection.
    this.ready.catch(() => {})
    call.once('error', (err: ServiceError) => { this.ended ??= new GrpcCallError('WatchTransactions', address, err) })
    call.once('end', () => { this.ended ??= new Error(`the WatchTransactions stream from ${address} ended`) })
  }

  async * [Symbol.asyncIterator] (): AsyncIterator<TransactionEvent> {
    try {
      for await (const event of this.call) {
        yield event as TransactionEvent
      }
    } catch (err) {
      if (this.cancelled && isServiceError(err) && err.code === status.CANCELLED) {
        return
      }
      throw isServiceError(err) ? new GrpcCallError('WatchTransactions', this.address, err) : err
    }
  }

  /**
   * Resolves with the first event that passes `match`, leaving the stream
   * open. Events that arrive between two calls wait in the stream, paused,
   * for the next call. Use either this or `for await`, not both.
   */
  async next (match: (event: TransactionEvent) => boolean = () => true): Promise<TransactionEvent> {
    return await new Promise<TransactionEvent>((resolve, reject) => {
      if (this.ended !== undefined) {
        reject(this.ended)
        return
      }
      const cleanup = (): void => {
        this.call.pause()
        this.call.off('data', onData)
        this.call.off('error', onError)
        this.call.off('end', onEnd)
      }
      const onData = (event: TransactionEvent): void => {
        if (match(event)) {
          cleanup()
          resolve(event)
        }
      }
      const onError = (err: ServiceError): void => {
        cleanup()
        reject(new GrpcCallError('WatchTransactions', this.address, err))
      }
      const onEnd = (): void => {
        cleanup()
        reject(new Error(`the WatchTransactions stream from ${this.address} ended before a matching event`))
      }
      this.call.on('data', onData)
      this.call.once('error', onError)
      this.call.once('end', onEnd)
      this.call.resume()
    })
  }

  /** Cancels the stream; the node stops sending. */
  cancel (): void {
    this.cancelled = true
    this.call.cancel()
  }
}

/**
 * Promise-based client of the PohNode gRPC service. Methods that look up one
 * transaction resolve with undefined on NOT_FOUND; every other failure
 * rejects with GrpcCallError.
 */
export class PohGrpcClient {
  readonly address: string
  /** The generated callback client, for calls this wrapper does not cover. */
  readonly raw: PohNodeClient
  private readonly token?: string
  private readonly timeoutMs?: number

  constructor (init: GrpcClientInit) {
    const Client = loadPohService().poh.v1.PohNode
    this.address = init.address
    this.token = init.token
    this.timeoutMs = init.timeoutMs
    this.raw = new Client(init.address, credentials.createInsecure(), init.channelOptions)
  }

  /** Metadata of every call: the bearer token when one is set. */
  metadata (): Metadata {
    const metadata = new Metadata()
    if (this.token !== undefined) {
      metadata.set('authorization', `Bearer ${this.token}`)
    }
    return metadata
  }

  private callOptions (): CallOptions {
    return this.timeoutMs === undefined ? {} : { deadline: Date.now() + this.timeoutMs }
  }

  private async unary<Response> (method: string, start: (metadata: Metadata, options: CallOptions, callback: (err: ServiceError | null, response?: Response) => void) => void): Promise<Response> {
    return await new Promise<Response>((resolve, reject) => {
      start(this.metadata(), this.callOptions(), (err, response) => {
        if (err !== null) {
          reject(new GrpcCallError(method, this.address, err))
        } else if (response === undefined) {
          reject(new Error(`the node gRPC API at ${this.address} sent no response to ${method}`))
        } else {
          resolve(response)
        }
      })
    })
  }

  private async orUndefined<T> (call: Promise<T>): Promise<T | undefined> {
    try {
      return await call
    } catch (err) {
      if (err instanceof GrpcCallError && err.code === status.NOT_FOUND) {
        return undefined
      }
      throw err
    }
  }

  async status (): Promise<NodeStatus> {
    return await this.unary<NodeStatus>('GetStatus', (metadata, options, callback) => this.raw.getStatus({}, metadata, options, callback))
  }

  async peers (): Promise<PeerInfo[]> {
    const response = await this.unary<ListPeersResponse>('ListPeers', (metadata, options, callback) => this.raw.listPeers({}, metadata, options, callback))
    return response.peers
  }

  /** Submits a payload; resolves with its tx_id in hex once the node has stored and published it. */
  async submit (payload: Uint8Array, options: { ttlSeconds?: number } = {}): Promise<string> {
    const response = await this.unary<SubmitTransactionResponse>('SubmitTransaction', (metadata, callOptions, callback) =>
      this.raw.submitTransaction({ payload, ttlSeconds: options.ttlSeconds }, metadata, callOptions, callback))
    return toHex(response.txId)
  }

  async getTransaction (txId: TxIdInput): Promise<Transaction | undefined> {
    const request = { txId: txIdBytes(txId) }
    return await this.orUndefined(this.unary<Transaction>('GetTransaction', (metadata, options, callback) => this.raw.getTransaction(request, metadata, options, callback)))
  }

  async getCertificate (txId: TxIdInput): Promise<Certificate | undefined> {
    const request = { txId: txIdBytes(txId) }
    return await this.orUndefined(this.unary<Certificate>('GetCertificate', (metadata, options, callback) => this.raw.getCertificate(request, metadata, options, callback)))
  }

  /** Opens a QueryRange stream; each message is one item, and the last one the page end. */
  queryRangeStream (range: RangeInput, page: PageInput = {}): ClientReadableStream<QueryRangeResponse> {
    const request: QueryRangeRequest = {
      limit: page.limit,
      cursor: page.cursor === undefined ? undefined : bytesOf('cursor', page.cursor)
    }
    if (range.kind === 'time') {
      request.time = { fromMs: range.fromMs, toMs: range.toMs }
    } else {
      request.slots = { fromSlot: range.fromSlot, toSlot: range.toSlot }
    }
    return this.raw.queryRange(request, this.metadata(), this.callOptions())
  }

  /** Reads one page of a QueryRange stream. */
  async queryRange (range: RangeInput, page: PageInput = {}): Promise<RangePage> {
    const items: HistoryItem[] = []
    try {
      for await (const message of this.queryRangeStream(range, page)) {
        const response = message as QueryRangeResponse
        if (response.item != null) {
          items.push(response.item)
        } else if (response.pageEnd != null) {
          const next = response.pageEnd.nextCursor
          return { items, nextCursor: next.length === 0 ? undefined : next }
        }
      }
    } catch (err) {
      throw isServiceError(err) ? new GrpcCallError('QueryRange', this.address, err) : err
    }
    throw new Error(`the QueryRange stream from ${this.address} ended without a page_end message after ${items.length} items`)
  }

  /** Opens a WatchTransactions stream; await `ready` before acting on events you must not miss. */
  watch (options: WatchOptions = {}): TransactionWatch {
    const request = { txIds: (options.txIds ?? []).map(txIdBytes), kinds: options.kinds ?? [] }
    return new TransactionWatch(this.raw.watchTransactions(request, this.metadata()), this.address)
  }

  /** Closes the channel; calls still open are cancelled. */
  close (): void {
    this.raw.close()
  }
}

/** Creates a client of the node's gRPC API at `address` (host:port). */
export function createGrpcClient (init: GrpcClientInit): PohGrpcClient {
  return new PohGrpcClient(init)
}
