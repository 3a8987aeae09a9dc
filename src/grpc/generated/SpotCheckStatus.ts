// Original file: src/core/proto/poh.proto

/**
 * Status of a SpotCheckResponse. Values carry a SPOT_CHECK_ prefix because
 * proto3 enum values share one namespace with RepairStatus.
 */
export const SpotCheckStatus = {
  SPOT_CHECK_STATUS_UNSPECIFIED: 'SPOT_CHECK_STATUS_UNSPECIFIED',
  /**
   * The responder is the named holder and stores the payload: proof is set.
   */
  SPOT_CHECK_OK: 'SPOT_CHECK_OK',
  /**
   * The responder is the named holder and does not store the payload.
   */
  SPOT_CHECK_NOT_HELD: 'SPOT_CHECK_NOT_HELD',
  /**
   * The responder is not the named holder. Not signed.
   */
  SPOT_CHECK_NOT_HOLDER: 'SPOT_CHECK_NOT_HOLDER',
  SPOT_CHECK_INVALID_REQUEST: 'SPOT_CHECK_INVALID_REQUEST',
  SPOT_CHECK_RATE_LIMITED: 'SPOT_CHECK_RATE_LIMITED',
  /**
   * The responder is stopping, or its store cannot be read.
   */
  SPOT_CHECK_UNAVAILABLE: 'SPOT_CHECK_UNAVAILABLE',
} as const;

/**
 * Status of a SpotCheckResponse. Values carry a SPOT_CHECK_ prefix because
 * proto3 enum values share one namespace with RepairStatus.
 */
export type SpotCheckStatus =
  | 'SPOT_CHECK_STATUS_UNSPECIFIED'
  | 0
  /**
   * The responder is the named holder and stores the payload: proof is set.
   */
  | 'SPOT_CHECK_OK'
  | 1
  /**
   * The responder is the named holder and does not store the payload.
   */
  | 'SPOT_CHECK_NOT_HELD'
  | 2
  /**
   * The responder is not the named holder. Not signed.
   */
  | 'SPOT_CHECK_NOT_HOLDER'
  | 3
  | 'SPOT_CHECK_INVALID_REQUEST'
  | 4
  | 'SPOT_CHECK_RATE_LIMITED'
  | 5
  /**
   * The responder is stopping, or its store cannot be read.
   */
  | 'SPOT_CHECK_UNAVAILABLE'
  | 6

/**
 * Status of a SpotCheckResponse. Values carry a SPOT_CHECK_ prefix because
 * proto3 enum values share one namespace with RepairStatus.
 */
export type SpotCheckStatus__Output = typeof SpotCheckStatus[keyof typeof SpotCheckStatus]
