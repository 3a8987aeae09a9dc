// Original file: src/core/proto/poh_service.proto

import type { TxEventKind as _poh_v1_TxEventKind, TxEventKind__Output as _poh_v1_TxEventKind__Output } from '../../poh/v1/TxEventKind.js';

export interface WatchTransactionsRequest {
  /**
   * Only events of these transactions (32 bytes each, at most 1024); every
   * transaction when empty. For each listed transaction that is already held
   * or expired when the watch starts, the stream first sends that state as a
   * held or expired event.
   */
  'txIds'?: (Buffer | Uint8Array | string)[];
  /**
   * Only events of these kinds; every kind when empty.
   */
  'kinds'?: (_poh_v1_TxEventKind)[];
}

export interface WatchTransactionsRequest__Output {
  /**
   * Only events of these transactions (32 bytes each, at most 1024); every
   * transaction when empty. For each listed transaction that is already held
   * or expired when the watch starts, the stream first sends that state as a
   * held or expired event.
   */
  'txIds': (Buffer)[];
  /**
   * Only events of these kinds; every kind when empty.
   */
  'kinds': (_poh_v1_TxEventKind__Output)[];
}
