// Original file: src/core/proto/poh_service.proto


export interface SubmitTransactionRequest {
  /**
   * 1 to max_payload_bytes bytes; a larger payload fails with
   * RESOURCE_EXHAUSTED.
   */
  'payload'?: (Buffer | Uint8Array | string);
  /**
   * 1 to max_ttl_seconds; the node's ttl_seconds when unset.
   */
  'ttlSeconds'?: (number);
  '_ttlSeconds'?: "ttlSeconds";
}

export interface SubmitTransactionRequest__Output {
  /**
   * 1 to max_payload_bytes bytes; a larger payload fails with
   * RESOURCE_EXHAUSTED.
   */
  'payload': (Buffer);
  /**
   * 1 to max_ttl_seconds; the node's ttl_seconds when unset.
   */
  'ttlSeconds'?: (number);
  '_ttlSeconds'?: "ttlSeconds";
}
