/**
 * The methods of the PohNode gRPC service, as async functions from a decoded
 * request to the response message. They mirror the REST handlers in
 * src/api/routes.ts: the same checks, limits and node calls, with gRPC status
 * codes in place of HTTP ones. server.ts adds authentication, status mapping
 * and logging around them.
 */

import { status } from '@grpc/grpc-js'
import { DEFAULT_PAGE_LIMIT } from '../api/openapi.js'
import { computeTxId, fromHex, toHex } from '../core/hash.js'
import { MAX_HISTORY_PAGE } from '../storage/history-query.js'
import { GrpcStatusError, invalidArgument, payloadTooLarge, submitError } from './errors.js'
import { toAckMessage, toHistoryItemMessage, toPeerMessage, toStatusMessage, toTransactionMessage } from './messages.js'
import type { PohConfig } from '../config/index.js'
import type { HistoryItem } from '../node/queries.js'
import type { PohNode } from '../node/poh-node.js'
import type { Certificate } from './generated/poh/v1/Certificate.js'
import type { ListPeersResponse } from './generated/poh/v1/ListPeersResponse.js'
import type { NodeStatus } from './generated/poh/v1/NodeStatus.js'
import type { QueryRangeRequest__Output as QueryRangeRequest } from './generated/poh/v1/QueryRangeRequest.js'
import type { QueryRangeResponse } from './generated/poh/v1/QueryRangeResponse.js'
import type { SubmitTransactionRequest__Output as SubmitTransactionRequest } from './generated/poh/v1/SubmitTransactionRequest.js'
import type { SubmitTransactionResponse } from './generated/poh/v1/SubmitTransactionResponse.js'
import type { Transaction } from './generated/poh/v1/Transaction.js'

/** Length of a tx_id: SHA-256. */
const TX_ID_BYTES = 32

export interface HandlerDeps {
  node: PohNode
  config: PohConfig
}

/** Checks that a tx_id field has 32 bytes and returns it in hex; throws INVALID_ARGUMENT otherwise. */
export function parseTxIdField (txId: Buffer): string {
  if (txId.length !== TX_ID_BYTES) {
    throw invalidArgument(`tx_id of ${txId.length} bytes is invalid: expected ${TX_ID_BYTES} bytes, the SHA-256 of the payload`)
  }
  return toHex(txId)
}

function notFound (message: string): GrpcStatusError {
  return new GrpcStatusError(status.NOT_FOUND, message)
}

export async function getStatus ({ node }: HandlerDeps): Promise<NodeStatus> {
  return toStatusMessage(await node.view.status())
}

export function listPeers ({ node }: HandlerDeps): ListPeersResponse {
  return { peers: node.view.peers().map(toPeerMessage) }
}

/** Stores and publishes the payload; returns its tx_id as soon as the node has accepted it. */
export async function submitTransaction ({ node, config }: HandlerDeps, request: SubmitTransactionRequest): Promise<SubmitTransactionResponse> {
  const { payload, ttlSeconds } = request
  if (payload.length === 0) {
    throw invalidArgument('payload is empty; a transaction needs at least one byte')
  }
  if (payload.length > config.max_payload_bytes) {
    throw payloadTooLarge(config.max_payload_bytes, payload.length)
  }
  if (ttlSeconds !== undefined && (ttlSeconds < 1 || ttlSeconds > config.max_ttl_seconds)) {
    throw invalidArgument(`ttl_seconds ${ttlSeconds} is outside 1..${config.max_ttl_seconds} (max_ttl_seconds); send a TTL in that range, or leave it unset for the default of ${config.ttl_seconds}`)
  }
  let txId: string
  try {
    txId = await node.submit(payload, { ttlSeconds })
  } catch (err) {
    throw submitError(err, toHex(computeTxId(payload)), config.max_payload_bytes, payload.length) ?? err
  }
  return { txId: Buffer.from(fromHex(txId) ?? []) }
}

export async function getTransaction ({ node }: HandlerDeps, txIdField: Buffer): Promise<Transaction> {
  const txId = parseTxIdField(txIdField)
  const tx = await node.view.getTx(txId)
  if (tx === undefined) {
    throw notFound(`this node has no transaction ${txId}; check the tx_id, or retry once the request has reached this node`)
  }
  return toTransactionMessage(tx)
}

/**
 * Returns the certificate with the ACKs in their wire form, so clients can
 * verify each signature. NodeView selects the counted ACKs; the stored ACKs
 * of those holders are sent.
 */
export async function getCertificate ({ node }: HandlerDeps, txIdField: Buffer): Promise<Certificate> {
  const txId = parseTxIdField(txIdField)
  const certificate = await node.view.certificate(txId)
  if (certificate === undefined) {
    throw notFound(`this node has no certificate for transaction ${txId}: it is unknown here, not held yet, or its ACKs were deleted after it expired. GetTransaction returns its state`)
  }
  const counted = new Set(certificate.acks.map(ack => ack.holder_id))
  const acks = (await node.getAcks(txId)).filter(ack => counted.has(toHex(ack.holderId)))
  return {
    networkId: certificate.network_id,
    txId: txIdField,
    holderSetHash: Buffer.from(fromHex(certificate.holder_set_hash) ?? []),
    acks: acks.map(toAckMessage)
  }
}

function checkBound (field: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw invalidArgument(`${field} ${value} is above ${Number.MAX_SAFE_INTEGER}; send a smaller value`)
  }
}

function checkRangeOrder (kind: 'time' | 'slots', from: number, to: number): void {
  if (from > to) {
    throw invalidArgument(`invalid ${kind} range: from (${from}) is after to (${to}); set from to at most to`)
  }
}

function pageLimit (limit: number): number {
  if (limit === 0) {
    return DEFAULT_PAGE_LIMIT
  }
  if (limit > MAX_HISTORY_PAGE) {
    throw invalidArgument(`limit ${limit} is above the page maximum of ${MAX_HISTORY_PAGE}; send 1 to ${MAX_HISTORY_PAGE}, and follow next_cursor for more`)
  }
  return limit
}

/**
 * Runs one page of a range query. The node throws RangeError for a cursor
 * it did not return; that becomes INVALID_ARGUMENT.
 */
export async function queryPage ({ node, config }: HandlerDeps, request: QueryRangeRequest): Promise<{ items: HistoryItem[], nextCursor: Buffer }> {
  const limit = pageLimit(request.limit)
  const cursor = request.cursor.length === 0 ? undefined : toHex(request.cursor)
  let query: () => Promise<{ items: HistoryItem[], next_cursor: string | null }>
  if (request.range === 'time' && request.time != null) {
    const { fromMs, toMs } = request.time
    checkBound('time.from_ms', fromMs)
    checkBound('time.to_ms', toMs)
    checkRangeOrder('time', fromMs, toMs)
    query = async () => await node.view.queryTime(fromMs, toMs, { limit, cursor })
  } else if (request.range === 'slots' && request.slots != null) {
    const { fromSlot, toSlot } = request.slots
    checkRangeOrder('slots', fromSlot, toSlot)
    const maxSlot = Math.floor((Number.MAX_SAFE_INTEGER + 1) / config.slot_duration_ms) - 1
    if (toSlot > maxSlot) {
      throw invalidArgument(`slots.to_slot ${toSlot} is invalid: with slot_duration_ms ${config.slot_duration_ms} the last slot is ${maxSlot}; set to_slot to at most ${maxSlot}`)
    }
    query = async () => await node.view.querySlots(fromSlot, toSlot, { limit, cursor })
  } else {
    throw invalidArgument('missing range: set time (from_ms, to_ms) or slots (from_slot, to_slot)')
  }

  try {
    const page = await query()
    return { items: page.items, nextCursor: Buffer.from(page.next_cursor === null ? [] : fromHex(page.next_cursor) ?? []) }
  } catch (err) {
    if (err instanceof RangeError) {
      throw invalidArgument(`${err.message}. Pass next_cursor of the previous page unchanged, or leave cursor empty for the first page.`)
    }
    throw err
  }
}

/** Builds the messages of one QueryRange stream: one per item, then the page end. */
export function pageMessages (page: { items: HistoryItem[], nextCursor: Buffer }): QueryRangeResponse[] {
  return [
    ...page.items.map((item): QueryRangeResponse => ({ item: toHistoryItemMessage(item) })),
    { pageEnd: { nextCursor: page.nextCursor, count: page.items.length } }
  ]
}
