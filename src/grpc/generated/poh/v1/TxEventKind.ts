// Original file: src/core/proto/poh_service.proto

/**
 * Kinds of TransactionEvent, for filtering a watch.
 */
export const TxEventKind = {
  TX_EVENT_KIND_UNSPECIFIED: 'TX_EVENT_KIND_UNSPECIFIED',
  TX_EVENT_KIND_REQUEST: 'TX_EVENT_KIND_REQUEST',
  TX_EVENT_KIND_ACK: 'TX_EVENT_KIND_ACK',
  TX_EVENT_KIND_HELD: 'TX_EVENT_KIND_HELD',
  TX_EVENT_KIND_EXPIRED: 'TX_EVENT_KIND_EXPIRED',
} as const;

/**
 * Kinds of TransactionEvent, for filtering a watch.
 */
export type TxEventKind =
  | 'TX_EVENT_KIND_UNSPECIFIED'
  | 0
  | 'TX_EVENT_KIND_REQUEST'
  | 1
  | 'TX_EVENT_KIND_ACK'
  | 2
  | 'TX_EVENT_KIND_HELD'
  | 3
  | 'TX_EVENT_KIND_EXPIRED'
  | 4

/**
 * Kinds of TransactionEvent, for filtering a watch.
 */
export type TxEventKind__Output = typeof TxEventKind[keyof typeof TxEventKind]
