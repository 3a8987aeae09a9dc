// Original file: src/core/proto/poh.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Published on /poh/<network_id>/request/1/proto by the requester.
 */
export interface PohRequest {
  'version'?: (number);
  'txId'?: (Buffer | Uint8Array | string);
  'payload'?: (Buffer | Uint8Array | string);
  'timestampMs'?: (number | string | Long);
  'ttlSeconds'?: (number);
}

/**
 * Published on /poh/<network_id>/request/1/proto by the requester.
 */
export interface PohRequest__Output {
  'version': (number);
  'txId': (Buffer);
  'payload': (Buffer);
  'timestampMs': (number);
  'ttlSeconds': (number);
}
