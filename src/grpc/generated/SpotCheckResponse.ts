// Original file: src/core/proto/poh.proto

import type { SpotCheckStatus as _SpotCheckStatus, SpotCheckStatus__Output as _SpotCheckStatus__Output } from './SpotCheckStatus.js';

/**
 * The single answer to a SpotCheckRequest; request_id echoes the request's.
 * OK and NOT_HELD carry a signature by the holder key over the spot-check
 * signed bytes, so they prove which holder answered.
 */
export interface SpotCheckResponse {
  'requestId'?: (Buffer | Uint8Array | string);
  'status'?: (_SpotCheckStatus);
  /**
   * SHA-256("poh/spot-check/v1" || nonce || payload); empty unless OK.
   */
  'proof'?: (Buffer | Uint8Array | string);
  'signature'?: (Buffer | Uint8Array | string);
}

/**
 * The single answer to a SpotCheckRequest; request_id echoes the request's.
 * OK and NOT_HELD carry a signature by the holder key over the spot-check
 * signed bytes, so they prove which holder answered.
 */
export interface SpotCheckResponse__Output {
  'requestId': (Buffer);
  'status': (_SpotCheckStatus__Output);
  /**
   * SHA-256("poh/spot-check/v1" || nonce || payload); empty unless OK.
   */
  'proof': (Buffer);
  'signature': (Buffer);
}
