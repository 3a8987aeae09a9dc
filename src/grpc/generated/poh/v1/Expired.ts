// Original file: src/core/proto/poh_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Garbage collection deleted the transaction's payload and ACKs because its
 * TTL ran out. The event comes about a second after the collection run, which
 * comes up to gc_interval_seconds after expires_at_ms. It is sent for the
 * transactions the node saw while a watch for expired events was open, and
 * for the transactions a watch lists.
 */
export interface Expired {
  'expiresAtMs'?: (number | string | Long);
}

/**
 * Garbage collection deleted the transaction's payload and ACKs because its
 * TTL ran out. The event comes about a second after the collection run, which
 * comes up to gc_interval_seconds after expires_at_ms. It is sent for the
 * transactions the node saw while a watch for expired events was open, and
 * for the transactions a watch lists.
 */
export interface Expired__Output {
  'expiresAtMs': (number);
}
