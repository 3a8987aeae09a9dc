// Original file: src/core/proto/poh.proto

/**
 * Status of a RepairResponse.
 */
export const RepairStatus = {
  REPAIR_STATUS_UNSPECIFIED: 'REPAIR_STATUS_UNSPECIFIED',
  OK: 'OK',
  INVALID_REQUEST: 'INVALID_REQUEST',
  RESOURCE_UNAVAILABLE: 'RESOURCE_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVER_ERROR: 'SERVER_ERROR',
} as const;

/**
 * Status of a RepairResponse.
 */
export type RepairStatus =
  | 'REPAIR_STATUS_UNSPECIFIED'
  | 0
  | 'OK'
  | 1
  | 'INVALID_REQUEST'
  | 2
  | 'RESOURCE_UNAVAILABLE'
  | 3
  | 'RATE_LIMITED'
  | 4
  | 'SERVER_ERROR'
  | 5

/**
 * Status of a RepairResponse.
 */
export type RepairStatus__Output = typeof RepairStatus[keyof typeof RepairStatus]
