// Original file: src/core/proto/poh_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Slots, both bounds included. A transaction is in slot
 * floor(request_timestamp_ms / slot_duration_ms).
 */
export interface SlotRange {
  'fromSlot'?: (number | string | Long);
  'toSlot'?: (number | string | Long);
}

/**
 * Slots, both bounds included. A transaction is in slot
 * floor(request_timestamp_ms / slot_duration_ms).
 */
export interface SlotRange__Output {
  'fromSlot': (number);
  'toSlot': (number);
}
