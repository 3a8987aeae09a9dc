// Original file: src/core/proto/poh_service.proto

import type { TxState as _poh_v1_TxState, TxState__Output as _poh_v1_TxState__Output } from '../../poh/v1/TxState.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One transaction in a range query.
 */
export interface HistoryItem {
  'txId'?: (Buffer | Uint8Array | string);
  'state'?: (_poh_v1_TxState);
  'requestTimestampMs'?: (number | string | Long);
  'slot'?: (number | string | Long);
  /**
   * When this node first stored or saw the request.
   */
  'firstSeenMs'?: (number | string | Long);
  'heldAtMs'?: (number | string | Long);
  'ackCount'?: (number);
  'expiresAtMs'?: (number | string | Long);
  '_heldAtMs'?: "heldAtMs";
}

/**
 * One transaction in a range query.
 */
export interface HistoryItem__Output {
  'txId': (Buffer);
  'state': (_poh_v1_TxState__Output);
  'requestTimestampMs': (number);
  'slot': (number);
  /**
   * When this node first stored or saw the request.
   */
  'firstSeenMs': (number);
  'heldAtMs'?: (number);
  'ackCount': (number);
  'expiresAtMs': (number);
  '_heldAtMs'?: "heldAtMs";
}
