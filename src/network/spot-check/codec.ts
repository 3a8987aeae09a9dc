/**
 * Framing and request rules of the spot-check protocol. Like repair, a
 * client opens one stream per request, writes one length-prefixed
 * SpotCheckRequest and half-closes; the server writes one length-prefixed
 * SpotCheckResponse and closes.
 */

import { DecodeError } from '../../core/errors.js'
import { SpotCheckRequest, SpotCheckResponse, SpotCheckStatus } from '../../core/proto/poh.js'
import { SPOT_CHECK_NONCE_LENGTH } from '../../core/spot-check.js'
import { HASH_LENGTH } from '../../core/types.js'
import { REQUEST_ID_LENGTH } from '../repair/codec.js'
import type { ExchangeCodec } from '../repair/exchange.js'

export { SpotCheckRequest, SpotCheckResponse, SpotCheckStatus }

/**
 * Maximum length of a request frame. A valid request encodes to 120 bytes,
 * so a request with fields a little too long still decodes and gets
 * SPOT_CHECK_INVALID_REQUEST.
 */
export const MAX_SPOT_CHECK_REQUEST_BYTES = 512

/**
 * Maximum length of a response frame. The largest valid response, an
 * ML-DSA-65 signature (3,309 bytes) with a proof, encodes to about 3,400
 * bytes. The rest is room for a longer signature of a future algorithm.
 */
export const MAX_SPOT_CHECK_RESPONSE_BYTES = 16_384

/** A request whose fields passed validation. */
export interface ValidSpotCheckRequest {
  requestId: Uint8Array
  txId: Uint8Array
  holderId: Uint8Array
  nonce: Uint8Array
}

/** Result of request validation: the request, or the reason it is invalid. */
export type SpotCheckRequestCheck =
  | { valid: true, request: ValidSpotCheckRequest }
  | { valid: false, reason: string }

/** Checks the field lengths of a decoded request: request_id 16 bytes, tx_id, holder_id and nonce 32 bytes each. */
export function checkSpotCheckRequest (request: SpotCheckRequest): SpotCheckRequestCheck {
  const lengths: Array<[string, Uint8Array, number]> = [
    ['request_id', request.requestId, REQUEST_ID_LENGTH],
    ['tx_id', request.txId, HASH_LENGTH],
    ['holder_id', request.holderId, HASH_LENGTH],
    ['nonce', request.nonce, SPOT_CHECK_NONCE_LENGTH]
  ]
  for (const [name, value, expected] of lengths) {
    if (value.length !== expected) {
      return { valid: false, reason: `${name} is ${value.length} bytes, expected ${expected}` }
    }
  }
  return { valid: true, request }
}

/**
 * Codec for the shared request-response exchange. A response that does not
 * decode raises DecodeError, so the client can tell a malformed response
 * from a stream failure.
 */
export const SPOT_CHECK_CODEC: ExchangeCodec<SpotCheckRequest, SpotCheckResponse> = {
  encodeRequest: (request) => SpotCheckRequest.encode(request),
  decodeResponse: (frame) => {
    try {
      return SpotCheckResponse.decode(frame)
    } catch (err) {
      throw new DecodeError(`spot-check response is not valid protobuf: ${(err as Error).message}`, { cause: err })
    }
  }
}
