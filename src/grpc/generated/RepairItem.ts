// Original file: src/core/proto/poh.proto

import type { PohAck as _PohAck, PohAck__Output as _PohAck__Output } from './PohAck.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One stored transaction with a holder's ACK that vouches for the payload.
 */
export interface RepairItem {
  'txId'?: (Buffer | Uint8Array | string);
  'payload'?: (Buffer | Uint8Array | string);
  /**
   * Always request_timestamp_ms + ttl_seconds * 1000.
   */
  'expiresAtMs'?: (number | string | Long);
  'holderAck'?: (_PohAck | null);
  /**
   * Further ACKs the responder counted, so the repaired node can count quorum
   * for a transaction whose gossip it missed. Each is verified on its own.
   */
  'acks'?: (_PohAck)[];
  'requestTimestampMs'?: (number | string | Long);
  'ttlSeconds'?: (number);
}

/**
 * One stored transaction with a holder's ACK that vouches for the payload.
 */
export interface RepairItem__Output {
  'txId': (Buffer);
  'payload': (Buffer);
  /**
   * Always request_timestamp_ms + ttl_seconds * 1000.
   */
  'expiresAtMs': (number);
  'holderAck': (_PohAck__Output | null);
  /**
   * Further ACKs the responder counted, so the repaired node can count quorum
   * for a transaction whose gossip it missed. Each is verified on its own.
   */
  'acks': (_PohAck__Output)[];
  'requestTimestampMs': (number);
  'ttlSeconds': (number);
}
