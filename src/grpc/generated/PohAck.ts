// Original file: src/core/proto/poh.proto

import type { SigAlg as _SigAlg, SigAlg__Output as _SigAlg__Output } from './SigAlg.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One holder's signed statement that it stores the payload of tx_id.
 */
export interface PohAck {
  'version'?: (number);
  'txId'?: (Buffer | Uint8Array | string);
  'storageHash'?: (Buffer | Uint8Array | string);
  'timestampMs'?: (number | string | Long);
  'holderId'?: (Buffer | Uint8Array | string);
  'sigAlg'?: (_SigAlg);
  'signature'?: (Buffer | Uint8Array | string);
  'signaturePq'?: (Buffer | Uint8Array | string);
  'publicKey'?: (Buffer | Uint8Array | string);
  '_signaturePq'?: "signaturePq";
  '_publicKey'?: "publicKey";
}

/**
 * One holder's signed statement that it stores the payload of tx_id.
 */
export interface PohAck__Output {
  'version': (number);
  'txId': (Buffer);
  'storageHash': (Buffer);
  'timestampMs': (number);
  'holderId': (Buffer);
  'sigAlg': (_SigAlg__Output);
  'signature': (Buffer);
  'signaturePq'?: (Buffer);
  'publicKey'?: (Buffer);
  '_signaturePq'?: "signaturePq";
  '_publicKey'?: "publicKey";
}
