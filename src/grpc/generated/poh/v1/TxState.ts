// Original file: src/core/proto/poh_service.proto

/**
 * State of a transaction on the node.
 */
export const TxState = {
  TX_STATE_UNSPECIFIED: 'TX_STATE_UNSPECIFIED',
  /**
   * Stored or seen, with fewer than min_poh_required counted ACKs.
   */
  TX_STATE_PENDING: 'TX_STATE_PENDING',
  /**
   * min_poh_required distinct holders acknowledged it.
   */
  TX_STATE_HELD: 'TX_STATE_HELD',
  /**
   * Its TTL ran out and garbage collection deleted the payload; the history
   * record stays for history_retention_seconds.
   */
  TX_STATE_EXPIRED: 'TX_STATE_EXPIRED',
} as const;

/**
 * State of a transaction on the node.
 */
export type TxState =
  | 'TX_STATE_UNSPECIFIED'
  | 0
  /**
   * Stored or seen, with fewer than min_poh_required counted ACKs.
   */
  | 'TX_STATE_PENDING'
  | 1
  /**
   * min_poh_required distinct holders acknowledged it.
   */
  | 'TX_STATE_HELD'
  | 2
  /**
   * Its TTL ran out and garbage collection deleted the payload; the history
   * record stays for history_retention_seconds.
   */
  | 'TX_STATE_EXPIRED'
  | 3

/**
 * State of a transaction on the node.
 */
export type TxState__Output = typeof TxState[keyof typeof TxState]
