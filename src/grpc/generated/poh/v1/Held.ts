// Original file: src/core/proto/poh_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The transaction reached min_poh_required.
 */
export interface Held {
  'count'?: (number);
  'heldAtMs'?: (number | string | Long);
  /**
   * Unset in the event a watch sends for a transaction that was already held
   * when the watch started.
   */
  'requestTimestampMs'?: (number | string | Long);
  '_requestTimestampMs'?: "requestTimestampMs";
}

/**
 * The transaction reached min_poh_required.
 */
export interface Held__Output {
  'count': (number);
  'heldAtMs': (number);
  /**
   * Unset in the event a watch sends for a transaction that was already held
   * when the watch started.
   */
  'requestTimestampMs'?: (number);
  '_requestTimestampMs'?: "requestTimestampMs";
}
