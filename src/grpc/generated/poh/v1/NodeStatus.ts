// Original file: src/core/proto/poh_service.proto

import type { HolderSetInfo as _poh_v1_HolderSetInfo, HolderSetInfo__Output as _poh_v1_HolderSetInfo__Output } from '../../poh/v1/HolderSetInfo.js';
import type { SpotCheckInfo as _poh_v1_SpotCheckInfo, SpotCheckInfo__Output as _poh_v1_SpotCheckInfo__Output } from '../../poh/v1/SpotCheckInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeStatus {
  'networkId'?: (string);
  /**
   * libp2p peer id, in its usual base58 or CID text form.
   */
  'peerId'?: (string);
  /**
   * Unset when this node does not hold transactions.
   */
  'holderId'?: (Buffer | Uint8Array | string);
  /**
   * libp2p multiaddrs the node listens on.
   */
  'addresses'?: (string)[];
  /**
   * Number of connected peers.
   */
  'peers'?: (number);
  'holderSet'?: (_poh_v1_HolderSetInfo | null);
  'minPohRequired'?: (number);
  'transactionsStored'?: (number | string | Long);
  'storedBytes'?: (number | string | Long);
  /**
   * Transactions with fewer than min_poh_required counted ACKs.
   */
  'pendingTransactions'?: (number | string | Long);
  'uptimeSeconds'?: (number | string | Long);
  'spotChecks'?: (_poh_v1_SpotCheckInfo | null);
  '_holderId'?: "holderId";
}

export interface NodeStatus__Output {
  'networkId': (string);
  /**
   * libp2p peer id, in its usual base58 or CID text form.
   */
  'peerId': (string);
  /**
   * Unset when this node does not hold transactions.
   */
  'holderId'?: (Buffer);
  /**
   * libp2p multiaddrs the node listens on.
   */
  'addresses': (string)[];
  /**
   * Number of connected peers.
   */
  'peers': (number);
  'holderSet': (_poh_v1_HolderSetInfo__Output | null);
  'minPohRequired': (number);
  'transactionsStored': (number);
  'storedBytes': (number);
  /**
   * Transactions with fewer than min_poh_required counted ACKs.
   */
  'pendingTransactions': (number);
  'uptimeSeconds': (number);
  'spotChecks': (_poh_v1_SpotCheckInfo__Output | null);
  '_holderId'?: "holderId";
}
