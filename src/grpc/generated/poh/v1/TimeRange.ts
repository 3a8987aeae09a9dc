// Original file: src/core/proto/poh_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Request times in Unix ms, both bounds included.
 */
export interface TimeRange {
  'fromMs'?: (number | string | Long);
  'toMs'?: (number | string | Long);
}

/**
 * Request times in Unix ms, both bounds included.
 */
export interface TimeRange__Output {
  'fromMs': (number);
  'toMs': (number);
}
