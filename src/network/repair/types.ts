import { PohError } from '../../core/errors.js'
import type { RepairItem } from '../../core/proto/poh.js'

/** A time range over request timestamps, in Unix milliseconds, both ends included. */
export interface RepairTimeRange {
  fromMs: number
  toMs: number
}

/** The stored transactions a repair server serves. The node implements it over its store. */
export interface RepairSource {
  /**
   * Items for the ids this node has, skipping the rest. The sum of
   * `itemBudgetBytes` (each item's encoded size) over the items stays within
   * `maxBytes`; an item that does not fit is left out.
   */
  itemsById(txIds: Uint8Array[], maxBytes: number): Promise<RepairItem[]>
  /**
   * Items whose request timestamp is in [fromMs, toMs], in a stable order,
   * after `cursor`, at most `limit`, within `maxBytes` as for itemsById.
   * `nextCursor` is set when more items follow in the range. A page stops
   * before the first item that does not fit, so the cursor skips nothing.
   */
  itemsByRange(range: RepairTimeRange & { limit: number, cursor?: Uint8Array }, maxBytes: number): Promise<{ items: RepairItem[], nextCursor?: Uint8Array }>
}

/**
 * Raised by a RepairSource that cannot read its store, for example after the
 * store has closed. The server then responds with RESOURCE_UNAVAILABLE
 * rather than SERVER_ERROR.
 */
export class RepairSourceUnavailableError extends PohError {
  constructor (message: string, options?: ErrorOptions) {
    super('ERR_REPAIR_SOURCE_UNAVAILABLE', message, options)
    this.name = 'RepairSourceUnavailableError'
  }
}

/**
 * Raised by a RepairSource for a request it cannot read, such as a cursor it
 * did not issue. The server responds with INVALID_REQUEST.
 */
export class RepairInvalidQueryError extends PohError {
  constructor (message: string, options?: ErrorOptions) {
    super('ERR_REPAIR_INVALID_QUERY', message, options)
    this.name = 'RepairInvalidQueryError'
  }
}

/** Raised by RepairClient.fetchRange when no peer served the range to its end. */
export class RepairIncompleteError extends PohError {
  constructor (message: string, options?: ErrorOptions) {
    super('ERR_REPAIR_INCOMPLETE', message, options)
    this.name = 'RepairIncompleteError'
  }
}

/**
 * Outcome labels on the client side. A request ends in one of ok,
 * rate_limited, timeout, unsolicited or error; each dropped item of a
 * solicited response adds invalid_item or unrequested_item.
 */
export const REPAIR_CLIENT_RESULTS = ['ok', 'rate_limited', 'timeout', 'unsolicited', 'invalid_item', 'unrequested_item', 'error'] as const
export type RepairClientResult = typeof REPAIR_CLIENT_RESULTS[number]

/** Status labels of the responses a server sends, one per RepairStatus it uses. */
export const REPAIR_SERVER_RESULTS = ['ok', 'invalid_request', 'resource_unavailable', 'rate_limited', 'server_error'] as const
export type RepairServerResult = typeof REPAIR_SERVER_RESULTS[number]

/** Counters the repair client and server report to; every label comes from a fixed set. */
export interface RepairMetrics {
  /** Counts one client request outcome or one dropped response item. */
  clientResult(result: RepairClientResult): void
  /** Counts one response the server sent, by status. */
  serverResponse(result: RepairServerResult): void
}
