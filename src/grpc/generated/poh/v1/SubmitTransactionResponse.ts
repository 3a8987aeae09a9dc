// Original file: src/core/proto/poh_service.proto


export interface SubmitTransactionResponse {
  'txId'?: (Buffer | Uint8Array | string);
}

export interface SubmitTransactionResponse__Output {
  'txId': (Buffer);
}
