// Original file: src/core/proto/poh_service.proto

import type { RequestSeen as _poh_v1_RequestSeen, RequestSeen__Output as _poh_v1_RequestSeen__Output } from '../../poh/v1/RequestSeen.js';
import type { AckCounted as _poh_v1_AckCounted, AckCounted__Output as _poh_v1_AckCounted__Output } from '../../poh/v1/AckCounted.js';
import type { Held as _poh_v1_Held, Held__Output as _poh_v1_Held__Output } from '../../poh/v1/Held.js';
import type { Expired as _poh_v1_Expired, Expired__Output as _poh_v1_Expired__Output } from '../../poh/v1/Expired.js';

export interface TransactionEvent {
  'txId'?: (Buffer | Uint8Array | string);
  'request'?: (_poh_v1_RequestSeen | null);
  'ack'?: (_poh_v1_AckCounted | null);
  'held'?: (_poh_v1_Held | null);
  'expired'?: (_poh_v1_Expired | null);
  'event'?: "request"|"ack"|"held"|"expired";
}

export interface TransactionEvent__Output {
  'txId': (Buffer);
  'request'?: (_poh_v1_RequestSeen__Output | null);
  'ack'?: (_poh_v1_AckCounted__Output | null);
  'held'?: (_poh_v1_Held__Output | null);
  'expired'?: (_poh_v1_Expired__Output | null);
  'event'?: "request"|"ack"|"held"|"expired";
}
