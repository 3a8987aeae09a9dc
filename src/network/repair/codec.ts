/**
 * Framing and request rules of the repair protocol. A client opens one stream
 * per request, writes one length-prefixed RepairRequest and half-closes; the
 * server writes one length-prefixed RepairResponse and closes.
 */

import { InvalidDataLengthError, InvalidDataLengthLengthError, InvalidMessageLengthError, lpStream } from '@libp2p/utils'
import { RepairItem, RepairRequest, RepairResponse, RepairStatus } from '../../core/proto/poh.js'
import { HASH_LENGTH } from '../../core/types.js'
import type { Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

export { RepairRequest, RepairResponse, RepairStatus }

/** Length of request_id: 16 random bytes chosen by the client. */
export const REQUEST_ID_LENGTH = 16

/** Maximum number of transaction ids one RepairRequest may carry on the wire. */
export const MAX_IDS_PER_REQUEST = 64

/** Maximum `limit` of a range request. */
export const MAX_RANGE_LIMIT = 1000

/** Maximum length of a range cursor, in bytes. */
export const MAX_CURSOR_BYTES = 64

/**
 * Maximum length of a request frame. The largest valid request (16-byte id and
 * 64 ids of 32 bytes, 2,194 bytes encoded) fits with room to spare, so a
 * request with a few ids too many still decodes and gets INVALID_REQUEST.
 */
export const MAX_REQUEST_BYTES = 8192

/**
 * Bytes of a response kept free for its own fields: request_id (18 encoded),
 * status (2) and next_cursor (up to 66).
 */
export const RESPONSE_ENVELOPE_BYTES = 128

/**
 * Bytes reserved per item for what its own encoding leaves out: the field
 * tag (1) and length prefix (up to 5) that embed it in the response.
 */
export const ITEM_FRAMING_BYTES = 6

/** Largest varint length prefix of a frame, in bytes. */
const LENGTH_PREFIX_BYTES = 10

/** A request whose fields passed validation, in one of its two forms. */
export type ValidRepairRequest =
  | { kind: 'ids', requestId: Uint8Array, txIds: Uint8Array[] }
  | { kind: 'range', requestId: Uint8Array, fromMs: number, toMs: number, limit: number, cursor?: Uint8Array }

/** Result of request validation: the request, or the reason it is invalid. */
export type RequestCheck =
  | { valid: true, request: ValidRepairRequest }
  | { valid: false, reason: string }

/**
 * Checks a decoded request: a 16-byte request_id and exactly one of tx_ids
 * (1 to `maxIds` ids of 32 bytes) and range (from_ms ≤ to_ms, limit 1 to
 * 1000, cursor of at most 64 bytes).
 */
export function checkRequest (request: RepairRequest, maxIds: number): RequestCheck {
  if (request.requestId.length !== REQUEST_ID_LENGTH) {
    return { valid: false, reason: `request_id is ${request.requestId.length} bytes, expected ${REQUEST_ID_LENGTH}` }
  }
  const hasIds = request.txIds.length > 0
  const hasRange = request.range !== undefined
  if (hasIds === hasRange) {
    return { valid: false, reason: hasIds ? 'request sets both tx_ids and range' : 'request sets neither tx_ids nor range' }
  }
  if (request.range !== undefined) {
    return checkRange(request.requestId, request.range)
  }
  if (request.txIds.length > maxIds) {
    return { valid: false, reason: `request carries ${request.txIds.length} tx_ids, over the maximum of ${maxIds}` }
  }
  const badId = request.txIds.findIndex((txId) => txId.length !== HASH_LENGTH)
  if (badId !== -1) {
    return { valid: false, reason: `tx_ids[${badId}] is ${request.txIds[badId]?.length} bytes, expected ${HASH_LENGTH}` }
  }
  return { valid: true, request: { kind: 'ids', requestId: request.requestId, txIds: request.txIds } }
}

function checkRange (requestId: Uint8Array, range: NonNullable<RepairRequest['range']>): RequestCheck {
  const max = BigInt(Number.MAX_SAFE_INTEGER)
  if (range.fromMs > max || range.toMs > max) {
    return { valid: false, reason: `range ${range.fromMs}..${range.toMs} is past the largest supported time ${max}` }
  }
  if (range.fromMs > range.toMs) {
    return { valid: false, reason: `range from_ms ${range.fromMs} is after to_ms ${range.toMs}` }
  }
  if (range.limit < 1 || range.limit > MAX_RANGE_LIMIT) {
    return { valid: false, reason: `range limit ${range.limit} is outside 1..${MAX_RANGE_LIMIT}` }
  }
  if (range.cursor.length > MAX_CURSOR_BYTES) {
    return { valid: false, reason: `range cursor is ${range.cursor.length} bytes, over the maximum of ${MAX_CURSOR_BYTES}` }
  }
  return {
    valid: true,
    request: {
      kind: 'range',
      requestId,
      fromMs: Number(range.fromMs),
      toMs: Number(range.toMs),
      limit: range.limit,
      cursor: range.cursor.length > 0 ? range.cursor : undefined
    }
  }
}

/**
 * Returns the bytes one item costs against a source's budget: its whole
 * encoding, payload and every ACK included.
 */
export function itemBudgetBytes (item: RepairItem): number {
  return RepairItem.encode(item).length
}

/** Returns the budget a source gets for up to `maxItems` items in a response of at most `maxResponseBytes`. */
export function sourceBudgetBytes (maxResponseBytes: number, maxItems: number): number {
  return Math.max(0, maxResponseBytes - RESPONSE_ENVELOPE_BYTES - maxItems * ITEM_FRAMING_BYTES)
}

/**
 * Wraps a stream for length-prefixed frames of at most `maxDataLength` bytes,
 * read through a buffer of `maxBufferSize` bytes.
 * Call it before the first await on a new stream, because a reader attached
 * after the remote has half-closed never receives the end of the stream.
 */
export function frameStream (stream: Stream, maxDataLength: number, maxBufferSize = maxDataLength + LENGTH_PREFIX_BYTES): ReturnType<typeof lpStream> {
  // The read buffer must hold a whole frame; the default of 4 MiB is smaller
  // than the default max_response_bytes of 8 MiB. Data past the buffer
  // aborts the stream before the length prefix is checked.
  return lpStream(stream, { maxDataLength, maxBufferSize })
}

/**
 * Releases a stream whose exchange is complete and whose write side is closed.
 * A stream stays open, and counts against the per-connection stream limit,
 * until the remote closes its write side too, so a remote that has not done
 * so within `graceMs` gets the stream aborted.
 */
export function releaseStream (stream: Stream, graceMs: number): void {
  if (stream.status !== 'open') {
    return
  }
  const timer = setTimeout(() => {
    stream.abort(new Error(`remote did not close its side of the repair stream within ${graceMs} ms`))
  }, graceMs)
  timer.unref()
  stream.addEventListener('close', () => { clearTimeout(timer) }, { once: true })
}

/** True for the lpStream errors about a bad length prefix, raised before the frame body is read. */
export function isFrameLengthError (err: unknown): boolean {
  return err instanceof InvalidDataLengthError || err instanceof InvalidDataLengthLengthError || err instanceof InvalidMessageLengthError
}

/** A request frame read and decoded, or the reason it cannot be used. */
export type FrameRead<T> = { valid: true, message: T } | { valid: false, reason: string }

/**
 * Reads one request frame within `timeoutMs` and decodes it. A frame with a
 * bad length prefix, over the limit or not valid protobuf gives the reason.
 * Throws when no whole frame arrives in time or the stream fails.
 */
export async function readRequestFrame<T> (lp: ReturnType<typeof lpStream>, decode: (frame: Uint8ArrayList) => T, timeoutMs: number): Promise<FrameRead<T>> {
  let frame
  try {
    frame = await lp.read({ signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    if (!isFrameLengthError(err)) {
      throw err
    }
    return { valid: false, reason: (err as Error).message }
  }

  try {
    return { valid: true, message: decode(frame) }
  } catch (err) {
    return { valid: false, reason: `request is not valid protobuf: ${(err as Error).message}` }
  }
}
