// Original file: src/core/proto/poh.proto

import type { PohAck as _PohAck, PohAck__Output as _PohAck__Output } from './PohAck.js';

/**
 * Published on /poh/<network_id>/ack/1/proto: a holder's ACKs collected over
 * a short delay, each still validated on its own.
 */
export interface PohAckBatch {
  'acks'?: (_PohAck)[];
}

/**
 * Published on /poh/<network_id>/ack/1/proto: a holder's ACKs collected over
 * a short delay, each still validated on its own.
 */
export interface PohAckBatch__Output {
  'acks': (_PohAck__Output)[];
}
