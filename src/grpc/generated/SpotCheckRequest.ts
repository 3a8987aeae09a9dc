// Original file: src/core/proto/poh.proto


/**
 * Sent once per stream on /poh/<network_id>/spot-check/1: asks the peer to
 * prove that holder_id still stores the payload of tx_id.
 */
export interface SpotCheckRequest {
  'requestId'?: (Buffer | Uint8Array | string);
  'txId'?: (Buffer | Uint8Array | string);
  'holderId'?: (Buffer | Uint8Array | string);
  /**
   * 32 random bytes chosen by the challenger for this request only.
   */
  'nonce'?: (Buffer | Uint8Array | string);
}

/**
 * Sent once per stream on /poh/<network_id>/spot-check/1: asks the peer to
 * prove that holder_id still stores the payload of tx_id.
 */
export interface SpotCheckRequest__Output {
  'requestId': (Buffer);
  'txId': (Buffer);
  'holderId': (Buffer);
  /**
   * 32 random bytes chosen by the challenger for this request only.
   */
  'nonce': (Buffer);
}
