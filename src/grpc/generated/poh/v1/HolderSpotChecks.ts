// Original file: src/core/proto/poh_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Spot-check counts of one holder.
 */
export interface HolderSpotChecks {
  'holderId'?: (Buffer | Uint8Array | string);
  'pass'?: (number | string | Long);
  /**
   * Signed NOT_HELD, wrong proof, bad signature or malformed answer.
   */
  'fail'?: (number | string | Long);
  /**
   * No peer that is the holder answered in time.
   */
  'unreachable'?: (number | string | Long);
  /**
   * Result of the latest check: pass, not_held, wrong_proof, bad_signature,
   * malformed or unreachable.
   */
  'lastResult'?: (string);
  /**
   * Time of the latest check, Unix ms.
   */
  'lastCheckedMs'?: (number | string | Long);
}

/**
 * Spot-check counts of one holder.
 */
export interface HolderSpotChecks__Output {
  'holderId': (Buffer);
  'pass': (number);
  /**
   * Signed NOT_HELD, wrong proof, bad signature or malformed answer.
   */
  'fail': (number);
  /**
   * No peer that is the holder answered in time.
   */
  'unreachable': (number);
  /**
   * Result of the latest check: pass, not_held, wrong_proof, bad_signature,
   * malformed or unreachable.
   */
  'lastResult': (string);
  /**
   * Time of the latest check, Unix ms.
   */
  'lastCheckedMs': (number);
}
