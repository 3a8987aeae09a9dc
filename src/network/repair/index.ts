/**
 * The repair protocol: a request-response protocol on /poh/<network_id>/repair/1
 * that fetches stored transactions from peers by id or by time range.
 */

export { RepairClient, DEFAULT_PAGE_LIMIT } from './client.js'
export { DEFAULT_BACKOFF_MS, DEFAULT_RETRIES } from './requester.js'
export type { FetchOptions, FetchRangeOptions, RepairClientInit } from './client.js'
export { RepairServer, DEFAULT_WRITE_TIMEOUT_MS } from './server.js'
export type { RepairServerInit, RepairServerLimits } from './server.js'
export { PeerRateLimiter, DEFAULT_MAX_TRACKED_PEERS } from './rate-limiter.js'
export type { PeerRateLimiterInit } from './rate-limiter.js'
export type { RepairTimeouts } from './exchange.js'
export {
  ITEM_FRAMING_BYTES,
  MAX_CURSOR_BYTES,
  MAX_IDS_PER_REQUEST,
  MAX_RANGE_LIMIT,
  MAX_REQUEST_BYTES,
  REQUEST_ID_LENGTH,
  checkRequest,
  itemBudgetBytes
} from './codec.js'
export type { RequestCheck, ValidRepairRequest } from './codec.js'
export {
  REPAIR_CLIENT_RESULTS,
  REPAIR_SERVER_RESULTS,
  RepairIncompleteError,
  RepairSourceUnavailableError
} from './types.js'
export type { RepairClientResult, RepairMetrics, RepairServerResult, RepairSource, RepairTimeRange } from './types.js'
