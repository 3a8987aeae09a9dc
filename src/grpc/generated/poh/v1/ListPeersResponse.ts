// Original file: src/core/proto/poh_service.proto

import type { PeerInfo as _poh_v1_PeerInfo, PeerInfo__Output as _poh_v1_PeerInfo__Output } from '../../poh/v1/PeerInfo.js';

export interface ListPeersResponse {
  'peers'?: (_poh_v1_PeerInfo)[];
}

export interface ListPeersResponse__Output {
  'peers': (_poh_v1_PeerInfo__Output)[];
}
