// Original file: src/core/proto/poh_service.proto

import type { PohAck as _PohAck, PohAck__Output as _PohAck__Output } from '../../PohAck.js';

/**
 * A transaction's quorum certificate: the ACKs that made it held, each
 * verifiable on its own with the bytes docs/PROTOCOL.md gives.
 */
export interface Certificate {
  'networkId'?: (string);
  'txId'?: (Buffer | Uint8Array | string);
  'holderSetHash'?: (Buffer | Uint8Array | string);
  'acks'?: (_PohAck)[];
}

/**
 * A transaction's quorum certificate: the ACKs that made it held, each
 * verifiable on its own with the bytes docs/PROTOCOL.md gives.
 */
export interface Certificate__Output {
  'networkId': (string);
  'txId': (Buffer);
  'holderSetHash': (Buffer);
  'acks': (_PohAck__Output)[];
}
