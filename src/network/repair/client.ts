import { bytesEqual, toHex } from '../../core/hash.js'
import { HASH_LENGTH } from '../../core/types.js'
import { repairProtocol } from '../topics.js'
import { MAX_IDS_PER_REQUEST, MAX_RANGE_LIMIT } from './codec.js'
import { OutstandingRequests } from './exchange.js'
import { RepairRequester } from './requester.js'
import { RepairIncompleteError } from './types.js'
import type { RepairTimeouts } from './exchange.js'
import type { PeerVerdict } from './requester.js'
import type { RepairMetrics, RepairTimeRange } from './types.js'
import type { RepairItem, RepairRequest } from '../../core/proto/poh.js'
import type { Logger } from '../../log/logger.js'
import type { Libp2p, PeerId } from '@libp2p/interface'

export interface RepairClientInit {
  libp2p: Pick<Libp2p, 'dialProtocol'>
  networkId: string
  timeouts: RepairTimeouts
  /**
   * Extra attempts at a peer that responds with RATE_LIMITED, before moving on.
   * @default 3
   */
  retries?: number
  /**
   * Base of the exponential backoff between those attempts, in milliseconds.
   * @default 100
   */
  backoffMs?: number
  /** Maximum length of a response frame, in bytes; a longer frame fails the request. */
  maxResponseBytes: number
  /**
   * Maximum number of ids in one request.
   * @default 64
   */
  maxIdsPerRequest?: number
  /** Returns true when the item is genuine: its payload hashes to tx_id and its holder ACK verifies. */
  verifyItem: (item: RepairItem, peer: PeerId) => boolean
  /** Called when a peer breaks the protocol; the client asks it nothing more in the same call. */
  onBadPeer?: (peer: PeerId, reason: string) => void
  logger: Logger
  metrics?: RepairMetrics
}

export interface FetchOptions {
  /** Aborts the call; a response that arrives later is dropped. */
  signal?: AbortSignal
}

export interface FetchRangeOptions extends FetchOptions {
  /**
   * Items asked for per page, 1 to 1000.
   * @default 100
   */
  pageLimit?: number
  /**
   * Maximum number of pages fetched in the call, across all peers.
   * @default Infinity
   */
  maxPages?: number
}

/**
 * The verified items of one page and the cursor of the next, empty at the
 * end of the range. `failed` marks a peer that is not asked for more pages.
 */
interface Page { items: RepairItem[], nextCursor: Uint8Array, failed: boolean }

export const DEFAULT_PAGE_LIMIT = 100

/** Pages without new items that a peer may serve beyond the pages earlier peers served. */
const STALE_PAGE_MARGIN = 64

/**
 * Fetches transactions from peers over the repair protocol and returns only
 * items that pass `verifyItem`. A response counts only if it echoes the
 * request id outstanding for that peer, and only for the items requested.
 */
export class RepairClient {
  private readonly init: RepairClientInit
  private readonly outstanding = new OutstandingRequests()
  private readonly requester: RepairRequester

  constructor (init: RepairClientInit) {
    const maxIds = init.maxIdsPerRequest ?? MAX_IDS_PER_REQUEST
    if (!Number.isInteger(maxIds) || maxIds < 1 || maxIds > MAX_IDS_PER_REQUEST) {
      throw new RangeError(`maxIdsPerRequest must be a whole number from 1 to ${MAX_IDS_PER_REQUEST}, got ${maxIds}`)
    }
    this.init = init
    this.requester = new RepairRequester({
      exchange: {
        libp2p: init.libp2p,
        protocol: repairProtocol(init.networkId),
        timeouts: init.timeouts,
        maxResponseBytes: init.maxResponseBytes,
        outstanding: this.outstanding
      },
      retries: init.retries,
      backoffMs: init.backoffMs,
      verifyItem: init.verifyItem,
      onBadPeer: init.onBadPeer,
      logger: init.logger,
      metrics: init.metrics
    })
  }

  /** Number of requests in flight, across all peers. */
  get outstandingRequests (): number {
    return this.outstanding.size
  }

  /**
   * Fetches the given transactions, trying `peers` in order. Ids a peer does
   * not return go to the next peer. A peer that times out, fails or breaks the
   * protocol is not asked again in this call.
   */
  async fetchByIds (txIds: Uint8Array[], peers: PeerId[], options: FetchOptions = {}): Promise<{ items: RepairItem[], missing: Uint8Array[] }> {
    const pending = new Map<string, Uint8Array>()
    for (const txId of txIds) {
      if (txId.length !== HASH_LENGTH) {
        throw new RangeError(`tx_id is ${txId.length} bytes, expected ${HASH_LENGTH}`)
      }
      pending.set(toHex(txId), txId)
    }

    const items: RepairItem[] = []
    for (const peer of uniquePeers(peers)) {
      if (pending.size === 0) {
        break
      }
      await this.fetchIdsFrom(peer, pending, items, options.signal)
    }
    return { items, missing: [...pending.values()] }
  }

  /**
   * Asks one peer for the pending ids, in batches. A batch is asked again
   * while the peer keeps returning some of it, because a server leaves out
   * items that do not fit in one response.
   */
  private async fetchIdsFrom (peer: PeerId, pending: Map<string, Uint8Array>, items: RepairItem[], signal?: AbortSignal): Promise<void> {
    const maxIds = this.init.maxIdsPerRequest ?? MAX_IDS_PER_REQUEST
    const keys = [...pending.keys()]
    for (let start = 0; start < keys.length; start += maxIds) {
      const batch = new Set(keys.slice(start, start + maxIds))
      while (batch.size > 0) {
        const txIds = [...batch].map((key) => pending.get(key) as Uint8Array<ArrayBuffer>)
        const response = await this.requester.request(peer, { txIds }, signal)
        if (response === undefined) {
          return
        }
        const before = batch.size
        if (this.acceptIdItems(peer, response.items, batch, pending, items) === 'give up') {
          return
        }
        if (batch.size === before) {
          break
        }
      }
    }
  }

  /** Keeps the verified items that were asked for; the rest are dropped and counted. */
  private acceptIdItems (peer: PeerId, received: RepairItem[], batch: Set<string>, pending: Map<string, Uint8Array>, items: RepairItem[]): PeerVerdict {
    let fault: string | undefined
    for (const item of received) {
      const key = toHex(item.txId)
      if (!batch.has(key)) {
        // Covers an item sent twice: the first copy already left the batch.
        this.requester.count('unrequested_item')
        fault ??= `sent tx ${key}, which was not requested`
        continue
      }
      if (!this.requester.verify(item, peer)) {
        fault ??= `sent tx ${key} with a payload or holder ACK that does not verify`
        continue
      }
      batch.delete(key)
      pending.delete(key)
      items.push(item)
    }
    return this.requester.judge(peer, fault)
  }

  /**
   * Pages through a time range with one peer at a time, yielding each
   * verified item once. When a peer fails, the next peer starts the range
   * again, since cursors are private to the server that issued them.
   * Throws RepairIncompleteError after the items when no peer reached the
   * end of the range; stops quietly after `maxPages` pages.
   */
  async * fetchRange (range: RepairTimeRange, peers: PeerId[], options: FetchRangeOptions = {}): AsyncGenerator<RepairItem, void, undefined> {
    if (!Number.isSafeInteger(range.fromMs) || !Number.isSafeInteger(range.toMs) || range.fromMs < 0 || range.fromMs > range.toMs) {
      throw new RangeError(`range ${range.fromMs}..${range.toMs} is invalid; expected whole milliseconds with 0 ≤ fromMs ≤ toMs`)
    }
    const pageLimit = options.pageLimit ?? DEFAULT_PAGE_LIMIT
    if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > MAX_RANGE_LIMIT) {
      throw new RangeError(`pageLimit must be a whole number from 1 to ${MAX_RANGE_LIMIT}, got ${pageLimit}`)
    }
    const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY
    const seen = new Set<string>()
    let pages = 0

    for (const peer of uniquePeers(peers)) {
      let cursor: Uint8Array | undefined
      // A new peer walks the range from its start, so it may first repeat
      // what earlier peers served, and a stretch of expired entries gives
      // empty pages. Pages without new items are allowed up to what earlier
      // peers took plus a margin, which still ends an endless cursor chain.
      const staleLimit = pages + STALE_PAGE_MARGIN
      let stale = 0
      while (pages < maxPages) {
        const page = await this.requestPage(peer, range, pageLimit, cursor, options.signal)
        if (!page.failed || page.items.length > 0) {
          pages++
        }
        const fresh = page.items.filter((item) => !seen.has(toHex(item.txId)))
        for (const item of fresh) {
          seen.add(toHex(item.txId))
          yield item
        }
        if (page.failed) {
          break
        }
        if (page.nextCursor.length === 0) {
          return
        }
        stale = fresh.length === 0 ? stale + 1 : 0
        if (stale > staleLimit || (cursor !== undefined && bytesEqual(cursor, page.nextCursor))) {
          this.init.logger.debug({ peer: peer.toString(), pages }, 'repair range makes no progress with this peer; trying the next peer')
          break
        }
        cursor = page.nextCursor
      }
      if (pages >= maxPages) {
        this.init.logger.info({ ...range, pages }, 'repair range stopped at maxPages')
        return
      }
    }
    throw new RepairIncompleteError(`no peer served the range ${range.fromMs}..${range.toMs} to its end; ${seen.size} items fetched from ${peers.length} peers`)
  }

  /** Fetches and verifies one page; a page from a failed request is empty and marked failed. */
  private async requestPage (peer: PeerId, range: RepairTimeRange, limit: number, cursor: Uint8Array | undefined, signal?: AbortSignal): Promise<Page> {
    const request: Omit<RepairRequest, 'requestId'> = {
      txIds: [],
      range: { fromMs: BigInt(range.fromMs), toMs: BigInt(range.toMs), limit, cursor: (cursor ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer> }
    }
    const response = await this.requester.request(peer, request, signal)
    if (response === undefined) {
      return { items: [], nextCursor: new Uint8Array(0), failed: true }
    }

    let fault: string | undefined
    const items: RepairItem[] = []
    for (const [index, item] of response.items.entries()) {
      const requestMs = Number(item.requestTimestampMs)
      if (index >= limit) {
        this.requester.count('unrequested_item')
        fault ??= `sent ${response.items.length} items for a page of ${limit}`
      } else if (requestMs < range.fromMs || requestMs > range.toMs) {
        this.requester.count('unrequested_item')
        fault ??= `sent tx ${toHex(item.txId)} with request time ${requestMs}, outside the range`
      } else if (this.requester.verify(item, peer)) {
        items.push(item)
      } else {
        fault ??= `sent tx ${toHex(item.txId)} with a payload or holder ACK that does not verify`
      }
    }
    // The verified items of a faulty page are still kept.
    const failed = this.requester.judge(peer, fault) === 'give up'
    return { items, nextCursor: response.nextCursor, failed }
  }
}

/** Drops repeated peers, keeping the first position of each. */
function uniquePeers (peers: PeerId[]): PeerId[] {
  const seen = new Set<string>()
  return peers.filter((peer) => {
    const key = peer.toString()
    if (seen.has(key)) {
      return false
    }
    seen.add(key)
    return true
  })
}
