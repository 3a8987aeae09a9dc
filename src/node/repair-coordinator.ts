import { toHex, fromHex } from '../core/hash.js'
import type { RepairItem } from '../core/proto/poh.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohLibp2p } from '../network/libp2p.js'
import type { PeerId } from '@libp2p/interface'

/** The part of RepairClient the coordinator uses. */
export interface RepairFetcher {
  fetchByIds(txIds: Uint8Array[], peers: PeerId[]): Promise<{ items: RepairItem[], missing: Uint8Array[] }>
  fetchRange(range: { fromMs: number, toMs: number }, peers: PeerId[]): AsyncIterable<RepairItem>
}

export interface RepairCoordinatorInit {
  libp2p: PohLibp2p
  fetcher: RepairFetcher
  /** Stores a verified item; returns false when it was already stored. */
  store: (item: RepairItem) => Promise<boolean>
  /** True when the payload is stored already, so no repair is needed. */
  has: (txId: Uint8Array) => Promise<boolean>
  clock: Clock
  logger: Logger
  /** How long a missing transaction waits for its request before it is repaired. */
  delayMs: number
  /** Counts repairs by result: repaired, missing, failed. */
  onResult: (result: 'repaired' | 'missing' | 'failed', count: number) => void
  /**
   * Reads the catch-up range from every peer, once each, rather than from
   * the first that serves it whole. With replication_factor each peer stores
   * only its share of the payloads, so one peer's range is not the whole range.
   */
  catchUpFromEveryPeer?: boolean
}

/** Largest number of ids one repair round requests. The client splits them into requests of at most 64. */
const MAX_IDS_PER_ROUND = 256

/**
 * Decides when to repair and from whom. Missing transactions named by ACKs
 * wait `delayMs` for their request, then are fetched in one round, first from
 * the peers that forwarded their ACKs, then from every other connected peer.
 */
export class RepairCoordinator {
  private readonly init: RepairCoordinatorInit
  /** tx_id hex → peers that forwarded an ACK for it. */
  private readonly wanted = new Map<string, Set<string>>()
  private timer: NodeJS.Timeout | undefined
  /** Peers whose whole catch-up range was read, with catchUpFromEveryPeer. */
  private readonly caughtUpFrom = new Set<string>()
  private running: Promise<void> | undefined
  private stopped = false

  constructor (init: RepairCoordinatorInit) {
    this.init = init
  }

  /** Queues a transaction that an ACK named but whose request has not arrived. */
  requestMissing (txId: Uint8Array, from?: PeerId): void {
    if (this.stopped) {
      return
    }
    const key = toHex(txId)
    const sources = this.wanted.get(key) ?? new Set<string>()
    if (from !== undefined) {
      sources.add(from.toString())
    }
    this.wanted.set(key, sources)
    this.timer ??= setTimeout(() => { this.startRound() }, this.init.delayMs)
  }

  private startRound (): void {
    this.timer = undefined
    if (this.running !== undefined) {
      // A round is under way; the next one starts when it ends.
      this.timer = setTimeout(() => { this.startRound() }, this.init.delayMs)
      return
    }
    this.running = this.round().finally(() => { this.running = undefined })
  }

  private async round (): Promise<void> {
    const batch = [...this.wanted.entries()].slice(0, MAX_IDS_PER_ROUND)
    for (const [key] of batch) {
      this.wanted.delete(key)
    }
    if (this.wanted.size > 0) {
      this.timer ??= setTimeout(() => { this.startRound() }, this.init.delayMs)
    }
    const ids: Uint8Array[] = []
    const preferred = new Set<string>()
    for (const [key, sources] of batch) {
      const txId = fromHex(key) as Uint8Array
      if (await this.init.has(txId)) {
        continue
      }
      ids.push(txId)
      sources.forEach(peer => preferred.add(peer))
    }
    if (ids.length > 0) {
      await this.repairIds(ids, preferred)
    }
  }

  /** Fetches the given transactions, trying `preferred` peers before the others. */
  async repairIds (txIds: Uint8Array[], preferred: Set<string> = new Set()): Promise<number> {
    const peers = this.orderPeers(preferred)
    if (peers.length === 0) {
      this.init.logger.warn({ count: txIds.length }, 'repair skipped: no connected peer')
      this.init.onResult('failed', txIds.length)
      return 0
    }
    try {
      const { items, missing } = await this.init.fetcher.fetchByIds(txIds, peers)
      const stored = await this.storeAll(items)
      if (missing.length > 0) {
        this.init.onResult('missing', missing.length)
        this.init.logger.info({ missing: missing.length, txIds: missing.slice(0, 4).map(toHex) }, 'repair found no peer with these transactions')
      }
      return stored
    } catch (err) {
      this.init.onResult('failed', txIds.length)
      this.init.logger.warn({ err, count: txIds.length }, 'repair by id failed')
      return 0
    }
  }

  /**
   * Fetches every transaction whose request time is in the range, for
   * start-up catch-up. Returns true when a peer served the whole range.
   * With catchUpFromEveryPeer it reads the range from each connected peer
   * not read yet, including peers that connect meanwhile, and returns false,
   * so the caller calls it again when another peer connects.
   */
  async catchUp (fromMs: number, toMs: number): Promise<boolean> {
    const peers = this.orderPeers(new Set())
    if (peers.length === 0) {
      this.init.logger.info({ fromMs, toMs }, 'catch-up waits for a connected peer')
      return false
    }
    if (this.init.catchUpFromEveryPeer === true) {
      await this.catchUpFromEachPeer(fromMs, toMs)
      return false
    }
    const { stored, complete } = await this.readRange(fromMs, toMs, peers)
    this.init.logger.info({ fromMs, toMs, stored, complete }, 'catch-up ended')
    return complete && !this.stopped
  }

  private async catchUpFromEachPeer (fromMs: number, toMs: number): Promise<void> {
    const attempted = new Set<string>()
    for (;;) {
      const peer = this.orderPeers(new Set()).find(candidate => !attempted.has(candidate.toString()) && !this.caughtUpFrom.has(candidate.toString()))
      if (peer === undefined || this.stopped) {
        return
      }
      attempted.add(peer.toString())
      const { stored, complete } = await this.readRange(fromMs, toMs, [peer])
      if (complete) {
        this.caughtUpFrom.add(peer.toString())
      }
      this.init.logger.info({ fromMs, toMs, stored, complete, peer: peer.toString() }, 'catch-up from one peer ended')
    }
  }

  private async readRange (fromMs: number, toMs: number, peers: PeerId[]): Promise<{ stored: number, complete: boolean }> {
    let stored = 0
    try {
      for await (const item of this.init.fetcher.fetchRange({ fromMs, toMs }, peers)) {
        if (this.stopped) {
          break
        }
        stored += await this.storeAll([item])
      }
      return { stored, complete: true }
    } catch (err) {
      this.init.logger.warn({ err, fromMs, toMs }, 'catch-up did not finish; it runs again on the next peer connection, and transactions named by ACKs are repaired by id')
      return { stored, complete: false }
    }
  }

  private async storeAll (items: RepairItem[]): Promise<number> {
    let stored = 0
    for (const item of items) {
      try {
        if (await this.init.store(item)) {
          stored++
        }
      } catch (err) {
        this.init.onResult('failed', 1)
        this.init.logger.debug({ err, txId: toHex(item.txId) }, 'repaired item not stored')
      }
    }
    this.init.onResult('repaired', stored)
    return stored
  }

  /** Connected peers, those in `preferred` first. */
  private orderPeers (preferred: Set<string>): PeerId[] {
    const connected = this.init.libp2p.getPeers()
    const first = connected.filter(peer => preferred.has(peer.toString()))
    const rest = connected.filter(peer => !preferred.has(peer.toString()))
    return [...first, ...rest]
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.wanted.clear()
    await this.running
  }
}
