// Original file: src/core/proto/poh_service.proto

import type { TxState as _poh_v1_TxState, TxState__Output as _poh_v1_TxState__Output } from '../../poh/v1/TxState.js';
import type { Long } from '@grpc/proto-loader';

export interface Transaction {
  'txId'?: (Buffer | Uint8Array | string);
  'state'?: (_poh_v1_TxState);
  'ackCount'?: (number);
  /**
   * holder_ids whose ACKs the node counted.
   */
  'holders'?: (Buffer | Uint8Array | string)[];
  /**
   * Set once the node counted the quorum.
   */
  'heldAtMs'?: (number | string | Long);
  'expiresAtMs'?: (number | string | Long);
  /**
   * Payload size; unset when this node stores no payload for it.
   */
  'payloadBytes'?: (number);
  '_heldAtMs'?: "heldAtMs";
  '_expiresAtMs'?: "expiresAtMs";
  '_payloadBytes'?: "payloadBytes";
}

export interface Transaction__Output {
  'txId': (Buffer);
  'state': (_poh_v1_TxState__Output);
  'ackCount': (number);
  /**
   * holder_ids whose ACKs the node counted.
   */
  'holders': (Buffer)[];
  /**
   * Set once the node counted the quorum.
   */
  'heldAtMs'?: (number);
  'expiresAtMs'?: (number);
  /**
   * Payload size; unset when this node stores no payload for it.
   */
  'payloadBytes'?: (number);
  '_heldAtMs'?: "heldAtMs";
  '_expiresAtMs'?: "expiresAtMs";
  '_payloadBytes'?: "payloadBytes";
}
