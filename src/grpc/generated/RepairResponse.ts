// Original file: src/core/proto/poh.proto

import type { RepairStatus as _RepairStatus, RepairStatus__Output as _RepairStatus__Output } from './RepairStatus.js';
import type { RepairItem as _RepairItem, RepairItem__Output as _RepairItem__Output } from './RepairItem.js';

/**
 * The single answer to a RepairRequest; request_id echoes the request's.
 */
export interface RepairResponse {
  'requestId'?: (Buffer | Uint8Array | string);
  'status'?: (_RepairStatus);
  'items'?: (_RepairItem)[];
  /**
   * Set when a range has more items; empty when the range is exhausted.
   */
  'nextCursor'?: (Buffer | Uint8Array | string);
}

/**
 * The single answer to a RepairRequest; request_id echoes the request's.
 */
export interface RepairResponse__Output {
  'requestId': (Buffer);
  'status': (_RepairStatus__Output);
  'items': (_RepairItem__Output)[];
  /**
   * Set when a range has more items; empty when the range is exhausted.
   */
  'nextCursor': (Buffer);
}
