// Original file: src/core/proto/poh.proto

import type { RepairRange as _RepairRange, RepairRange__Output as _RepairRange__Output } from './RepairRange.js';

/**
 * Sent once per stream on /poh/<network_id>/repair/1. Exactly one of tx_ids
 * (1 to 64 ids) and range is set.
 */
export interface RepairRequest {
  'requestId'?: (Buffer | Uint8Array | string);
  'txIds'?: (Buffer | Uint8Array | string)[];
  'range'?: (_RepairRange | null);
  '_range'?: "range";
}

/**
 * Sent once per stream on /poh/<network_id>/repair/1. Exactly one of tx_ids
 * (1 to 64 ids) and range is set.
 */
export interface RepairRequest__Output {
  'requestId': (Buffer);
  'txIds': (Buffer)[];
  'range'?: (_RepairRange__Output | null);
  '_range'?: "range";
}
