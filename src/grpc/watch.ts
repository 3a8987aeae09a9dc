/**
 * WatchTransactions: one set of listeners on the node fans its events out to
 * every open watch stream, filtered by each stream's tx ids and kinds.
 */

import { Metadata, status } from '@grpc/grpc-js'
import { fromHex, toHex } from '../core/hash.js'
import { TxState } from '../core/types.js'
import { ExpiryTracker } from './expiry.js'
import { GrpcStatusError, invalidArgument } from './errors.js'
import type { ServerWritableStream } from '@grpc/grpc-js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { AckEvent, HeldEvent, PohNode, RequestEvent } from '../node/poh-node.js'
import type { TransactionEvent } from './generated/poh/v1/TransactionEvent.js'
import type { TxEventKind__Output as TxEventKindName } from './generated/poh/v1/TxEventKind.js'
import type { WatchTransactionsRequest__Output as WatchRequest } from './generated/poh/v1/WatchTransactionsRequest.js'

/** Maximum number of tx ids in one WatchTransactionsRequest. */
export const MAX_WATCH_TX_IDS = 1024

/**
 * Events buffered for a client that reads too slowly. Past this the stream
 * ends with RESOURCE_EXHAUSTED, so a stalled client cannot grow the node's
 * memory without bound. grpc-js 1.14 completes a write only once HTTP/2 flow
 * control has taken it, so a stalled client shows as writableLength.
 * NOTE: no test drives a client this slow.
 */
export const MAX_BUFFERED_EVENTS = 10_000

/** Maximum number of transactions tracked at once for expired events. */
export const MAX_TRACKED_EXPIRIES = 100_000

export type EventKind = 'request' | 'ack' | 'held' | 'expired'

const KINDS_BY_NAME: Partial<Record<TxEventKindName, EventKind>> = {
  TX_EVENT_KIND_REQUEST: 'request',
  TX_EVENT_KIND_ACK: 'ack',
  TX_EVENT_KIND_HELD: 'held',
  TX_EVENT_KIND_EXPIRED: 'expired'
}

/** Filter of one watch stream; an undefined set means every transaction or every kind. */
export interface WatchFilter {
  txIds?: Set<string>
  kinds?: Set<EventKind>
}

/** Checks a WatchTransactionsRequest and returns its filter; throws INVALID_ARGUMENT naming the bad value. */
export function parseWatchRequest (request: WatchRequest): WatchFilter {
  if (request.txIds.length > MAX_WATCH_TX_IDS) {
    throw invalidArgument(`tx_ids has ${request.txIds.length} entries; watch at most ${MAX_WATCH_TX_IDS} transactions per stream, or leave tx_ids empty to watch all`)
  }
  const txIds = new Set<string>()
  request.txIds.forEach((txId, index) => {
    if (txId.length !== 32) {
      throw invalidArgument(`tx_ids[${index}] of ${txId.length} bytes is invalid: expected 32 bytes, the SHA-256 of the payload`)
    }
    txIds.add(toHex(txId))
  })
  const kinds = new Set<EventKind>()
  for (const name of request.kinds) {
    const kind = KINDS_BY_NAME[name]
    if (kind === undefined) {
      throw invalidArgument(`kinds contains ${String(name)}; use TX_EVENT_KIND_REQUEST, _ACK, _HELD or _EXPIRED, or leave kinds empty for every kind`)
    }
    kinds.add(kind)
  }
  return { txIds: txIds.size === 0 ? undefined : txIds, kinds: kinds.size === 0 ? undefined : kinds }
}

function txIdBuffer (txIdHex: string): Buffer {
  return Buffer.from(fromHex(txIdHex) ?? [])
}

/** One open WatchTransactions stream. */
class WatchStream {
  readonly filter: WatchFilter
  private readonly call: ServerWritableStream<WatchRequest, TransactionEvent>
  /** Listed transactions whose held or expired event was sent, so a state sent at the start is not repeated. */
  private readonly sentFinal = new Set<string>()
  private closed = false

  constructor (call: ServerWritableStream<WatchRequest, TransactionEvent>, filter: WatchFilter) {
    this.call = call
    this.filter = filter
  }

  wants (kind: EventKind, txIdHex: string): boolean {
    return !this.closed && (this.filter.kinds?.has(kind) ?? true) && (this.filter.txIds?.has(txIdHex) ?? true)
  }

  send (kind: EventKind, txIdHex: string, event: Omit<TransactionEvent, 'txId'>): void {
    if (!this.wants(kind, txIdHex)) {
      return
    }
    if ((kind === 'held' || kind === 'expired') && this.filter.txIds !== undefined) {
      const key = `${kind}:${txIdHex}`
      if (this.sentFinal.has(key)) {
        return
      }
      this.sentFinal.add(key)
    }
    if (this.call.writableLength >= MAX_BUFFERED_EVENTS) {
      this.fail(new GrpcStatusError(status.RESOURCE_EXHAUSTED, `the client read too slowly: ${MAX_BUFFERED_EVENTS} events were waiting to be sent; read the stream faster, or filter it by tx_ids or kinds`))
      return
    }
    this.call.write({ txId: txIdBuffer(txIdHex), ...event })
  }

  /** Ends the stream with an error status. */
  fail (error: GrpcStatusError): void {
    if (this.closed) {
      return
    }
    this.closed = true
    this.call.emit('error', { code: error.code, details: error.message })
  }

  markClosed (): void {
    this.closed = true
  }
}

export interface WatchHubInit {
  node: PohNode
  clock: Clock
  logger: Logger
  /** Interval between expiry checks, in milliseconds. */
  expiryCheckIntervalMs: number
}

/**
 * The listeners on the node and the set of open watch streams. The expiry
 * tracker runs only while a stream wants expired events.
 */
export class WatchHub {
  private readonly init: WatchHubInit
  private readonly streams = new Set<WatchStream>()
  private readonly expiry: ExpiryTracker
  private readonly listeners: {
    request: (evt: CustomEvent<RequestEvent>) => void
    ack: (evt: CustomEvent<AckEvent>) => void
    held: (evt: CustomEvent<HeldEvent>) => void
  }

  constructor (init: WatchHubInit) {
    this.init = init
    this.expiry = new ExpiryTracker({
      node: init.node,
      clock: init.clock,
      intervalMs: init.expiryCheckIntervalMs,
      maxTracked: MAX_TRACKED_EXPIRIES,
      logger: init.logger,
      onExpired: (txId, expiresAtMs) => { this.broadcast('expired', txId, { expired: { expiresAtMs } }) }
    })
    this.listeners = {
      request: (evt) => { this.onRequest(evt.detail) },
      ack: (evt) => { this.broadcast('ack', evt.detail.txId, { ack: { holderId: txIdBuffer(evt.detail.holderId), count: evt.detail.count } }) },
      held: (evt) => {
        const { txId, count, heldAtMs, requestTimestampMs } = evt.detail
        this.broadcast('held', txId, { held: { count, heldAtMs, requestTimestampMs } })
      }
    }
  }

  get size (): number {
    return this.streams.size
  }

  start (): void {
    this.init.node.addEventListener('request', this.listeners.request)
    this.init.node.addEventListener('ack', this.listeners.ack)
    this.init.node.addEventListener('held', this.listeners.held)
  }

  /** Removes the listeners and ends every open stream with UNAVAILABLE. */
  stop (): void {
    this.init.node.removeEventListener('request', this.listeners.request)
    this.init.node.removeEventListener('ack', this.listeners.ack)
    this.init.node.removeEventListener('held', this.listeners.held)
    for (const stream of this.streams) {
      stream.fail(new GrpcStatusError(status.UNAVAILABLE, 'the node is stopping; reconnect once it runs again'))
    }
    this.streams.clear()
    this.expiry.stop()
  }

  /**
   * Opens a watch on `call`: registers it, sends the response headers, then
   * sends the held or expired state of listed transactions that already
   * reached it. Resolves once the stream is registered; the stream stays
   * open until the client cancels it or the hub stops.
   */
  async open (call: ServerWritableStream<WatchRequest, TransactionEvent>, filter: WatchFilter): Promise<void> {
    const stream = new WatchStream(call, filter)
    this.streams.add(stream)
    const close = (): void => {
      stream.markClosed()
      this.streams.delete(stream)
      this.updateExpiry()
    }
    call.once('cancelled', close)
    call.once('close', close)
    call.once('error', close)
    this.updateExpiry()
    // Headers tell the client that events from here on reach it.
    call.sendMetadata(new Metadata())

    for (const txIdHex of filter.txIds ?? []) {
      if (!this.streams.has(stream)) {
        return
      }
      const tx = await this.init.node.view.getTx(txIdHex)
      if (tx?.state === TxState.HELD) {
        stream.send('held', txIdHex, { held: { count: tx.ackCount, heldAtMs: tx.heldAtMs ?? 0 } })
      } else if (tx?.state === TxState.EXPIRED) {
        stream.send('expired', txIdHex, { expired: { expiresAtMs: tx.expiresAtMs ?? 0 } })
      }
      if (tx !== undefined && tx.state !== TxState.EXPIRED && tx.expiresAtMs !== undefined && this.expiry.running && stream.wants('expired', txIdHex)) {
        this.expiry.track(txIdHex, tx.expiresAtMs)
      }
    }
  }

  /** Runs the expiry tracker while at least one stream wants expired events. */
  private updateExpiry (): void {
    const needed = [...this.streams].some(stream => stream.filter.kinds?.has('expired') ?? true)
    if (needed) {
      this.expiry.start()
    } else if (this.expiry.running) {
      this.expiry.stop()
    }
  }

  private onRequest (event: RequestEvent): void {
    this.broadcast('request', event.txId, { request: { payloadBytes: event.payloadBytes, local: event.local } })
    if (this.expiry.running && [...this.streams].some(stream => stream.wants('expired', event.txId))) {
      this.expiry.trackFromNode(event.txId).catch((err: unknown) => {
        this.init.logger.debug({ err, txId: event.txId }, 'expiry lookup failed; watches get no expired event for this transaction')
      })
    }
  }

  private broadcast (kind: EventKind, txIdHex: string, event: Omit<TransactionEvent, 'txId'>): void {
    for (const stream of this.streams) {
      stream.send(kind, txIdHex, event)
    }
  }
}
