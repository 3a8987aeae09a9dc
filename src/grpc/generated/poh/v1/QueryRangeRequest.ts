// Original file: src/core/proto/poh_service.proto

import type { TimeRange as _poh_v1_TimeRange, TimeRange__Output as _poh_v1_TimeRange__Output } from '../../poh/v1/TimeRange.js';
import type { SlotRange as _poh_v1_SlotRange, SlotRange__Output as _poh_v1_SlotRange__Output } from '../../poh/v1/SlotRange.js';

export interface QueryRangeRequest {
  'time'?: (_poh_v1_TimeRange | null);
  'slots'?: (_poh_v1_SlotRange | null);
  /**
   * Items in this page, 1 to 1000; 100 when unset or 0.
   */
  'limit'?: (number);
  /**
   * next_cursor of the previous page, unchanged; empty for the first page.
   */
  'cursor'?: (Buffer | Uint8Array | string);
  /**
   * Exactly one is set.
   */
  'range'?: "time"|"slots";
}

export interface QueryRangeRequest__Output {
  'time'?: (_poh_v1_TimeRange__Output | null);
  'slots'?: (_poh_v1_SlotRange__Output | null);
  /**
   * Items in this page, 1 to 1000; 100 when unset or 0.
   */
  'limit': (number);
  /**
   * next_cursor of the previous page, unchanged; empty for the first page.
   */
  'cursor': (Buffer);
  /**
   * Exactly one is set.
   */
  'range'?: "time"|"slots";
}
