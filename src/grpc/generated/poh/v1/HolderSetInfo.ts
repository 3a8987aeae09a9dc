// Original file: src/core/proto/poh_service.proto


/**
 * The holder set whose ACKs count toward min_poh_required.
 */
export interface HolderSetInfo {
  /**
   * True when the ACK of any key counts (holders = "open").
   */
  'open'?: (boolean);
  /**
   * Number of listed holders; 0 for an open set.
   */
  'size'?: (number);
  /**
   * SHA-256 that identifies the holder set, as in certificates.
   */
  'hash'?: (Buffer | Uint8Array | string);
}

/**
 * The holder set whose ACKs count toward min_poh_required.
 */
export interface HolderSetInfo__Output {
  /**
   * True when the ACK of any key counts (holders = "open").
   */
  'open': (boolean);
  /**
   * Number of listed holders; 0 for an open set.
   */
  'size': (number);
  /**
   * SHA-256 that identifies the holder set, as in certificates.
   */
  'hash': (Buffer);
}
