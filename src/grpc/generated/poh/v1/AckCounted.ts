// Original file: src/core/proto/poh_service.proto


/**
 * The node counted a valid ACK of a listed (or, with an open set, any) holder.
 */
export interface AckCounted {
  'holderId'?: (Buffer | Uint8Array | string);
  /**
   * Distinct holders counted so far.
   */
  'count'?: (number);
}

/**
 * The node counted a valid ACK of a listed (or, with an open set, any) holder.
 */
export interface AckCounted__Output {
  'holderId': (Buffer);
  /**
   * Distinct holders counted so far.
   */
  'count': (number);
}
