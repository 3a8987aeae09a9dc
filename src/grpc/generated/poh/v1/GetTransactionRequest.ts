// Original file: src/core/proto/poh_service.proto


export interface GetTransactionRequest {
  /**
   * 32 bytes; any other length fails with INVALID_ARGUMENT.
   */
  'txId'?: (Buffer | Uint8Array | string);
}

export interface GetTransactionRequest__Output {
  /**
   * 32 bytes; any other length fails with INVALID_ARGUMENT.
   */
  'txId': (Buffer);
}
