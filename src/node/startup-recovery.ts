/**
 * Start-up recovery of a node: counting stored ACKs again, checking stored
 * payloads, and catching up with peers on what was published while it was
 * down.
 */
import { ackStorageHash } from '../core/codec.js'
import type { HolderSet } from '../core/holder-set.js'
import type { QuorumTracker } from '../core/quorum.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohStore } from '../storage/store.js'
import type { Maintenance } from './maintenance.js'
import type { RepairCoordinator } from './repair-coordinator.js'

/**
 * Catch-up starts this long before the last recorded activity, on top of
 * max_clock_skew_ms, so requests published shortly before a stop are covered.
 */
const CATCH_UP_MARGIN_MS = 60_000

/**
 * Counts stored ACKs again so quorum state survives a restart. The tx_id
 * and holder_id come from each record's key, and only storage_hash is read
 * from its value, because this runs over every stored ACK before the node
 * is ready.
 */
export async function rebuildQuorum (init: { store: PohStore, quorum: QuorumTracker, holderSet: HolderSet, clock: Clock, logger: Logger }): Promise<void> {
  const { store, quorum, holderSet, clock, logger } = init
  let acks = 0
  let undecodable = 0
  let dropped = 0
  const now = clock.now()
  for await (const batch of store.iterateAckBatches()) {
    for (const stored of batch) {
      // A holder removed from the set since the ACK was stored no longer counts.
      if (!holderSet.open && holderSet.get(stored.holderId) === undefined) {
        dropped++
        continue
      }
      try {
        quorum.add(stored.txId, stored.holderId, ackStorageHash(stored.ack), now)
        acks++
      } catch {
        undecodable++
      }
    }
  }
  if (acks > 0 || undecodable > 0 || dropped > 0) {
    logger.info({ acks, undecodable, notInHolderSet: dropped, txs: quorum.size }, 'quorum state rebuilt from stored ACKs')
  }
}

export interface StartupRecoveryInit {
  store: PohStore
  maintenance: Maintenance
  /** The repair coordinator, once the network runs. */
  coordinator: () => RepairCoordinator | undefined
  /** Number of connected peers. */
  peerCount: () => number
  clock: Clock
  logger: Logger
  maxTtlMs: number
  maxClockSkewMs: number
  /** Aborted when the node stops. */
  signal: AbortSignal
  /** Runs once, after the first catch-up pass with a peer connected. */
  afterCatchUp?: () => Promise<void>
}

/**
 * Recovery that runs while the node already serves gossip: the first
 * garbage collection, a check of every stored payload against its tx_id
 * (corrupt copies are deleted and repaired), and catch-up of what was
 * published while the node was down.
 */
export class StartupRecovery {
  private readonly init: StartupRecoveryInit
  private pending?: { corrupt: Uint8Array[], fromMs: number }
  private recovering = false
  private caughtUpOnce = false

  constructor (init: StartupRecoveryInit) {
    this.init = init
  }

  /** Runs the start-up tasks; a failure is logged, and the node keeps running. */
  async run (): Promise<void> {
    const { maintenance, store, clock, logger } = this.init
    maintenance.start()
    try {
      const verified = await maintenance.verifyPayloads()
      logger.info({ checked: verified.checked, corrupt: verified.corrupt.length }, 'stored payloads checked')
      // A new node has no last activity: it fetches what is still within the
      // longest TTL, the most any peer can still store.
      const since = store.lastActivityMs() ?? clock.now() - this.init.maxTtlMs
      this.pending = { corrupt: verified.corrupt, fromMs: Math.max(0, since - this.init.maxClockSkewMs - CATCH_UP_MARGIN_MS) }
      if (this.init.peerCount() > 0) {
        await this.fromPeers()
      }
    } catch (err) {
      if (!this.init.signal.aborted) {
        logger.error({ err }, 'start-up recovery failed; the node keeps running and repairs on demand')
      }
    }
  }

  /** Retries what is left of recovery when a peer connects. */
  peerConnected (): void {
    if (this.pending !== undefined) {
      void this.fromPeers().catch(err => { this.init.logger.error({ err }, 'recovery from peers failed; retrying on the next connection') })
    }
  }

  /**
   * Repairs corrupt payloads and catches up on what was published while the
   * node was down. Runs once a peer is connected, and again on the next
   * connection if it did not finish.
   */
  private async fromPeers (): Promise<void> {
    const pending = this.pending
    const coordinator = this.init.coordinator()
    if (pending === undefined || coordinator === undefined || this.recovering || this.init.signal.aborted) {
      return
    }
    this.recovering = true
    try {
      if (pending.corrupt.length > 0) {
        await coordinator.repairIds(pending.corrupt)
        pending.corrupt = []
      }
      const finished = await coordinator.catchUp(pending.fromMs, this.init.clock.now())
      if (finished) {
        this.pending = undefined
      }
      // With replication_factor, catch-up never reports itself finished, because
      // it reads each peer that connects. One pass with a peer is enough here.
      if (!this.caughtUpOnce && this.init.peerCount() > 0) {
        this.caughtUpOnce = true
        await this.init.afterCatchUp?.()
      }
    } finally {
      this.recovering = false
    }
  }
}
