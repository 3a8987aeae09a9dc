import { fromHex, toHex } from '../core/hash.js'
import { decodeAck } from '../core/codec.js'
import { TxState } from '../core/types.js'
import { MAX_HISTORY_PAGE } from '../storage/history-query.js'
import { ackToJson, historyToJson, slotRange } from './queries.js'
import type { PohConfig } from '../config/index.js'
import type { HolderSet } from '../core/holder-set.js'
import type { HolderSpotChecks } from '../core/spot-check-tally.js'
import type { PohAck } from '../core/proto/poh.js'
import type { QuorumTracker } from '../core/quorum.js'
import type { Clock } from '../core/types.js'
import type { PohLibp2p } from '../network/libp2p.js'
import type { PohStore } from '../storage/store.js'
import type { Certificate, HistoryItem, NodeStatus, PeerInfo } from './queries.js'

/** A transaction's state as this node has recorded it. */
export interface TxStatus {
  txId: string
  state: TxState
  ackCount: number
  holders: string[]
  heldAtMs?: number
  expiresAtMs?: number
  payloadBytes?: number
}

export interface NodeViewInit {
  config: PohConfig
  store: () => PohStore | undefined
  libp2p: () => PohLibp2p | undefined
  quorum: QuorumTracker
  holderSet: HolderSet
  holderId: () => string | undefined
  clock: Clock
  startedAtMs: () => number
  /** Per-holder spot-check counts. */
  spotChecks: () => HolderSpotChecks[]
}

/** Parses a tx_id given in hex; throws RangeError naming the value otherwise. */
export function parseTxId (txIdHex: string): Uint8Array {
  const txId = fromHex(txIdHex)
  if (txId === undefined || txId.length !== 32) {
    throw new RangeError(`tx id "${txIdHex}" is not 64 hex characters`)
  }
  return txId
}

/**
 * How long store totals are reused. Counting stored transactions and bytes
 * reads every payload record, so status requests and metric scrapes reuse
 * one count, kept current by noteStored and dropped by noteDeleted, and
 * count again from the store at most this often.
 */
const STORE_TOTALS_TTL_MS = 60_000

/** Read-only queries over a running node, for the API, the CLI and library users. */
export class NodeView {
  private readonly init: NodeViewInit
  private totals?: { atMs: number, value: Promise<{ count: number, bytes: number }> }
  /** The recount under way, and the one queued behind it for calls made meanwhile. */
  private recountRunning?: Promise<void>
  private recountQueued?: Promise<void>
  /** Payload bytes stored, as last counted and adjusted since; read synchronously by the storage cap. */
  storedBytesEstimate = 0

  constructor (init: NodeViewInit) {
    this.init = init
  }

  private store (): PohStore {
    const store = this.init.store()
    if (store === undefined) {
      throw new Error('node is not started')
    }
    return store
  }

  private libp2p (): PohLibp2p {
    const libp2p = this.init.libp2p()
    if (libp2p === undefined) {
      throw new Error('node is not started')
    }
    return libp2p
  }

  async status (): Promise<NodeStatus> {
    const store = this.store()
    const libp2p = this.libp2p()
    const { config, holderSet, quorum } = this.init
    const totals = await this.storeTotals(store)
    return {
      network_id: config.network_id,
      peer_id: libp2p.peerId.toString(),
      holder_id: this.init.holderId() ?? null,
      addresses: libp2p.getMultiaddrs().map(a => a.toString()),
      peers: libp2p.getPeers().length,
      holder_set: { open: holderSet.open, size: holderSet.size, hash: toHex(holderSet.hash) },
      min_poh_required: config.min_poh_required,
      transactions_stored: totals.count,
      stored_bytes: totals.bytes,
      pending_transactions: quorum.pendingCount(),
      uptime_seconds: Math.floor((this.init.clock.now() - this.init.startedAtMs()) / 1000),
      spot_checks: { enabled: config.spot_check.enabled, holders: this.init.spotChecks() }
    }
  }

  /** Adds a newly stored payload to the cached totals. */
  noteStored (payloadBytes: number): void {
    this.storedBytesEstimate += payloadBytes
    const totals = this.totals
    if (totals !== undefined) {
      totals.value = totals.value.then(t => ({ count: t.count + 1, bytes: t.bytes + payloadBytes }))
    }
  }

  /** Drops the cached totals after payloads were deleted, so the next read counts again. */
  noteDeleted (): void {
    this.totals = undefined
  }

  /**
   * Counts the store again, refreshing storedBytesEstimate. A count reads
   * every stored payload, so calls made while one runs share a single
   * follow-up count instead of each starting its own.
   */
  async recount (): Promise<void> {
    if (this.recountQueued !== undefined) {
      return await this.recountQueued
    }
    const running = this.recountRunning
    if (running !== undefined) {
      this.recountQueued = running.catch(() => {}).then(async () => {
        this.recountQueued = undefined
        await this.recountNow()
      })
      return await this.recountQueued
    }
    await this.recountNow()
  }

  private async recountNow (): Promise<void> {
    const store = this.init.store()
    if (store === undefined) {
      return
    }
    this.totals = undefined
    const count = this.storeTotals(store).then(() => {})
    this.recountRunning = count
    try {
      await count
    } finally {
      if (this.recountRunning === count) {
        this.recountRunning = undefined
      }
    }
  }

  private async storeTotals (store: PohStore): Promise<{ count: number, bytes: number }> {
    const now = this.init.clock.now()
    if (this.totals === undefined || now - this.totals.atMs > STORE_TOTALS_TTL_MS) {
      const value = store.storedTotals().then((totals) => {
        this.storedBytesEstimate = totals.bytes
        return totals
      })
      this.totals = { atMs: now, value }
      value.catch(() => { this.totals = undefined })
    }
    return await this.totals.value
  }

  peers (): PeerInfo[] {
    const libp2p = this.libp2p()
    return libp2p.getPeers().map(peer => ({
      peer_id: peer.toString(),
      addresses: libp2p.getConnections(peer).map(c => c.remoteAddr.toString()),
      score: libp2p.services.pubsub.getScore(peer.toString())
    }))
  }

  /** Returns the stored ACKs of a transaction that this node counted. */
  async getAcks (txIdHex: string): Promise<PohAck[]> {
    const stored = await this.store().getAcks(parseTxId(txIdHex))
    return stored.map(record => decodeAck(record.ack))
  }

  /** Returns this node's record of a transaction, or undefined when it has none. */
  async getTx (txIdHex: string): Promise<TxStatus | undefined> {
    const store = this.store()
    const txId = parseTxId(txIdHex)
    const { quorum } = this.init
    const [tx, history] = await Promise.all([store.getTx(txId), store.getHistory(txId)])
    if (tx === undefined && history === undefined) {
      return undefined
    }
    // The stored quorum time survives restarts; the tracker's is reset by the rebuild.
    const heldAt = (history !== undefined && history.quorumAtMs > 0 ? history.quorumAtMs : undefined) ?? quorum.heldAt(txId)
    return {
      txId: txIdHex.toLowerCase(),
      state: history?.state ?? (heldAt === undefined ? TxState.PENDING : TxState.HELD),
      ackCount: Math.max(quorum.count(txId), history?.ackCount ?? 0),
      holders: quorum.holders(txId),
      heldAtMs: heldAt,
      expiresAtMs: tx?.expiresAtMs ?? history?.expiresAtMs,
      // Absent where this node keeps only the record (replication_factor).
      payloadBytes: tx?.payloadOmitted === true ? undefined : tx?.payload.length
    }
  }

  /**
   * Returns the quorum certificate of a held transaction, or undefined when
   * it is not held or its ACKs were collected with its payload.
   */
  async certificate (txIdHex: string): Promise<Certificate | undefined> {
    const status = await this.getTx(txIdHex)
    if (status?.state !== TxState.HELD) {
      return undefined
    }
    const acks = await this.getAcks(txIdHex)
    const counted = new Set(status.holders)
    return {
      network_id: this.init.config.network_id,
      tx_id: status.txId,
      holder_set_hash: toHex(this.init.holderSet.hash),
      acks: acks.filter(ack => counted.size === 0 || counted.has(toHex(ack.holderId))).map(ackToJson)
    }
  }

  /** Pages through transactions by request time; see HistoryQuery for the bounds. */
  async queryTime (fromMs: number, toMs: number, options: { limit?: number, cursor?: string } = {}): Promise<{ items: HistoryItem[], next_cursor: string | null }> {
    const cursor = options.cursor === undefined || options.cursor === '' ? undefined : fromHex(options.cursor)
    if (options.cursor !== undefined && options.cursor !== '' && (cursor === undefined || cursor.length !== 40)) {
      throw new RangeError(`cursor "${options.cursor}" is not a cursor this node returned`)
    }
    const page = await this.store().historyByRange({ fromMs, toMs, limit: options.limit ?? MAX_HISTORY_PAGE, cursor })
    return {
      items: page.records.map(record => historyToJson(record, this.init.config.slot_duration_ms)),
      next_cursor: page.nextCursor === undefined ? null : toHex(page.nextCursor)
    }
  }

  /** Pages through transactions by slot: floor(request time / slot_duration_ms). */
  async querySlots (fromSlot: number, toSlot: number, options: { limit?: number, cursor?: string } = {}): Promise<{ items: HistoryItem[], next_cursor: string | null }> {
    const { fromMs, toMs } = slotRange(fromSlot, toSlot, this.init.config.slot_duration_ms)
    return await this.queryTime(fromMs, toMs, options)
  }
}
