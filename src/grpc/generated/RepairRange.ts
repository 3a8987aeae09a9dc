// Original file: src/core/proto/poh.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Time range of a repair request, over request timestamps (Unix ms).
 */
export interface RepairRange {
  'fromMs'?: (number | string | Long);
  'toMs'?: (number | string | Long);
  'limit'?: (number);
  /**
   * Opaque position returned as next_cursor by the previous page; empty for the first page.
   */
  'cursor'?: (Buffer | Uint8Array | string);
}

/**
 * Time range of a repair request, over request timestamps (Unix ms).
 */
export interface RepairRange__Output {
  'fromMs': (number);
  'toMs': (number);
  'limit': (number);
  /**
   * Opaque position returned as next_cursor by the previous page; empty for the first page.
   */
  'cursor': (Buffer);
}
