// Original file: src/core/proto/poh_service.proto

import type { HolderSpotChecks as _poh_v1_HolderSpotChecks, HolderSpotChecks__Output as _poh_v1_HolderSpotChecks__Output } from '../../poh/v1/HolderSpotChecks.js';

/**
 * Spot checks this node ran against other holders.
 */
export interface SpotCheckInfo {
  /**
   * False when spot_check.enabled is false; counts can still be present from
   * checks run through the library.
   */
  'enabled'?: (boolean);
  /**
   * One entry per checked holder, ordered by holder_id.
   */
  'holders'?: (_poh_v1_HolderSpotChecks)[];
}

/**
 * Spot checks this node ran against other holders.
 */
export interface SpotCheckInfo__Output {
  /**
   * False when spot_check.enabled is false; counts can still be present from
   * checks run through the library.
   */
  'enabled': (boolean);
  /**
   * One entry per checked holder, ordered by holder_id.
   */
  'holders': (_poh_v1_HolderSpotChecks__Output)[];
}
