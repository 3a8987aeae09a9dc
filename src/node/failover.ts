import { holderRole } from '../core/assignment.js'
import { toHex } from '../core/hash.js'
import { requestFromItem } from './repair-items.js'
import type { PohRequest } from '../core/proto/poh.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohConfig } from '../config/index.js'
import type { HolderSet } from '../core/holder-set.js'
import type { RepairClient } from '../network/repair/client.js'
import type { NodeMetrics } from './metrics.js'
import type { PeerId } from '@libp2p/interface'

/** Holder assignment as TxProcessor uses it. */
export interface TxAssignment {
  /** True when this node stores the payload of the transaction and, as a holder, ACKs it. */
  stores(txId: Uint8Array): boolean
  /** Called after a request was recorded without its payload, at `receivedAtMs`. */
  recorded(request: PohRequest, receivedAtMs: number): void
  /** The payload this node keeps in memory as a standby copy, if any, so ACKs can be checked against it. */
  standbyPayload?(txId: Uint8Array): Uint8Array | undefined
}

/** Outcome of one standby deadline, for the failover metric. */
export type FailoverResult = 'not_needed' | 'stepped_in' | 'fetched_and_stepped_in' | 'no_payload' | 'failed'

export interface FailoverInit {
  /** holder_ids of the closed holder set. */
  holderIds: Uint8Array[]
  /** This node's holder_id, or undefined when it signs no ACKs (an observer). */
  self?: Uint8Array
  replicationFactor: number
  failoverAfterMs: number
  /** True when the holder's ACK for the transaction is counted on this node. */
  hasAck: (txId: Uint8Array, holderId: Uint8Array) => boolean
  /** Stores the payload and signs this node's ACK; false when nothing was done. */
  stepIn: (request: PohRequest) => Promise<boolean>
  /** Fetches the request from peers by repair when no standby copy is kept. */
  fetch: (txId: Uint8Array) => Promise<PohRequest | undefined>
  clock: Clock
  logger: Logger
  onResult?: (result: FailoverResult) => void
  limits?: Partial<StandbyLimits>
}

export interface StandbyLimits {
  /** Transactions waiting for their step-in deadline. Past it, new ones are not watched. */
  maxEntries: number
  /** Payload bytes kept in memory as standby copies. Past it, a step-in fetches by repair. */
  maxBytes: number
}

/**
 * An entry lives at most (N − R) failover periods and usually ends when the
 * assigned holders ACK. With N − R = 2 and the 5 s default, 65,536 entries
 * cover at least 6,500 requests per second even when no assigned holder
 * ACKs. 64 MiB keeps 256 payloads of the default max_payload_bytes.
 */
export const DEFAULT_STANDBY_LIMITS: Readonly<StandbyLimits> = { maxEntries: 65_536, maxBytes: 64 * 1024 * 1024 }

interface StandbyEntry {
  txId: Uint8Array
  /** The request with its payload, while the byte budget allows one. */
  request?: PohRequest
  deadlineMs: number
  above: Uint8Array[]
  timer?: NodeJS.Timeout
  /** Repair fetches that found no peer with the payload so far. */
  failedFetches?: number
}

/** Repair fetches a step-in makes, one failover_after_ms apart, before it gives up. */
const STEP_IN_FETCH_ATTEMPTS = 3

/**
 * Rendezvous assignment with staggered failover (PROTOCOL.md section 9.1).
 * Assigned holders store at once. A standby holder keeps the request in a
 * bounded memory buffer until its own deadline. It then drops the request
 * when R holders ranked above it have ACKed. Otherwise it steps in: it
 * stores the payload, fetched by repair if no copy was kept, and signs its ACK.
 */
export class Failover implements TxAssignment {
  private readonly init: FailoverInit
  private readonly limits: StandbyLimits
  private readonly entries = new Map<string, StandbyEntry>()
  private standbyBytes = 0
  private stopped = false
  private readonly running = new Set<Promise<void>>()

  constructor (init: FailoverInit) {
    this.init = init
    this.limits = { ...DEFAULT_STANDBY_LIMITS, ...init.limits }
  }

  /** Number of transactions waiting for their step-in deadline. */
  get watching (): number {
    return this.entries.size
  }

  stores (txId: Uint8Array): boolean {
    const { self, holderIds, replicationFactor, failoverAfterMs } = this.init
    return self !== undefined && holderRole(txId, holderIds, self, replicationFactor, failoverAfterMs)?.kind === 'assigned'
  }

  recorded (request: PohRequest, receivedAtMs: number): void {
    this.watch(request.txId, receivedAtMs, request)
  }

  /**
   * Watches again a transaction recorded without its payload before a
   * restart, which lost the deadlines and standby copies. The deadline comes
   * from the stored receive time, and a step-in fetches the payload by repair.
   */
  rearm (txId: Uint8Array, receivedAtMs: number): void {
    this.watch(txId, receivedAtMs)
  }

  private watch (txId: Uint8Array, receivedAtMs: number, request?: PohRequest): void {
    const { self, holderIds, replicationFactor, failoverAfterMs } = this.init
    if (self === undefined || this.stopped) {
      return
    }
    const role = holderRole(txId, holderIds, self, replicationFactor, failoverAfterMs)
    const key = toHex(txId)
    if (role?.kind !== 'standby' || this.entries.has(key)) {
      return
    }
    if (this.entries.size >= this.limits.maxEntries) {
      this.init.logger.debug({ txId: key }, 'standby buffer full; this holder will not step in for the transaction')
      this.init.onResult?.('failed')
      return
    }
    const entry: StandbyEntry = { txId, deadlineMs: receivedAtMs + role.stepInAfterMs, above: role.above }
    if (request === undefined && this.covered(entry)) {
      // Re-armed after a restart, and already held by the holders ranked above.
      return
    }
    if (request !== undefined && this.standbyBytes + request.payload.length <= this.limits.maxBytes) {
      entry.request = request
      this.standbyBytes += request.payload.length
    }
    this.entries.set(key, entry)
    this.schedule(key, entry)
  }

  standbyPayload (txId: Uint8Array): Uint8Array | undefined {
    return this.entries.get(toHex(txId))?.request?.payload
  }

  /**
   * Called for every counted ACK. Drops the standby copy as soon as R holders
   * ranked above this one have ACKed, instead of at the deadline.
   */
  acked (txId: Uint8Array): void {
    const key = toHex(txId)
    const entry = this.entries.get(key)
    if (entry !== undefined && this.covered(entry)) {
      this.drop(key, entry)
      this.init.onResult?.('not_needed')
    }
  }

  /** Clears every timer and standby copy, and waits for step-ins under way. */
  async stop (): Promise<void> {
    this.stopped = true
    for (const [key, entry] of this.entries) {
      this.drop(key, entry)
    }
    await Promise.allSettled([...this.running])
  }

  private covered (entry: StandbyEntry): boolean {
    const acked = entry.above.filter(holderId => this.init.hasAck(entry.txId, holderId)).length
    return acked >= this.init.replicationFactor
  }

  /** Waits until the deadline by the injected clock; a timer that fires early waits again. */
  private schedule (key: string, entry: StandbyEntry): void {
    const delay = Math.max(0, entry.deadlineMs - this.init.clock.now())
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      if (this.entries.get(key) !== entry) {
        return
      }
      if (this.init.clock.now() < entry.deadlineMs) {
        this.schedule(key, entry)
        return
      }
      const task = this.onDeadline(key, entry).finally(() => { this.running.delete(task) })
      this.running.add(task)
    }, delay)
    entry.timer.unref()
  }

  private drop (key: string, entry: StandbyEntry): void {
    clearTimeout(entry.timer)
    if (entry.request !== undefined) {
      this.standbyBytes -= entry.request.payload.length
    }
    this.entries.delete(key)
  }

  private async onDeadline (key: string, entry: StandbyEntry): Promise<void> {
    const { logger } = this.init
    const request = entry.request
    this.drop(key, entry)
    if (this.covered(entry)) {
      this.init.onResult?.('not_needed')
      return
    }
    try {
      const source = request ?? await this.init.fetch(entry.txId)
      if (source === undefined || this.stopped) {
        const failedFetches = (entry.failedFetches ?? 0) + 1
        if (!this.stopped && failedFetches < STEP_IN_FETCH_ATTEMPTS && !this.entries.has(key)) {
          // Peers may still be storing the payload; try again one period later.
          const retry: StandbyEntry = { ...entry, timer: undefined, failedFetches, deadlineMs: this.init.clock.now() + this.init.failoverAfterMs }
          this.entries.set(key, retry)
          this.schedule(key, retry)
          return
        }
        logger.warn({ txId: key, attempts: failedFetches }, 'this holder should step in, but no peer served the payload')
        this.init.onResult?.('no_payload')
        return
      }
      if (await this.init.stepIn(source)) {
        logger.info({ txId: key, fetched: request === undefined }, 'assigned holders did not ACK in time; this holder stepped in')
        this.init.onResult?.(request === undefined ? 'fetched_and_stepped_in' : 'stepped_in')
      }
    } catch (err) {
      if (!this.stopped) {
        logger.warn({ err, txId: key }, 'stepping in failed')
        this.init.onResult?.('failed')
      }
    }
  }
}

/**
 * Fetches a transaction's request from peers by repair, for a holder that
 * must step in without a standby copy. The repair client has checked the
 * item (payload hash, expiry, vouching ACK) before it is returned.
 */
export async function fetchRequest (client: Pick<RepairClient, 'fetchByIds'> | undefined, peers: PeerId[], txId: Uint8Array): Promise<PohRequest | undefined> {
  if (client === undefined || peers.length === 0) {
    return undefined
  }
  const { items } = await client.fetchByIds([txId], peers)
  const item = items[0]
  return item === undefined ? undefined : requestFromItem(item)
}

export interface FailoverWiring extends Pick<FailoverInit, 'hasAck' | 'stepIn' | 'fetch' | 'clock' | 'logger'> {
  config: Pick<PohConfig, 'replication_factor' | 'failover_after_ms'>
  holderSet: HolderSet
  /** This node's holder_id, or undefined when it signs no ACKs. */
  selfId?: Uint8Array
  metrics: Pick<NodeMetrics, 'failovers'>
}

/**
 * Builds the node's holder assignment, or returns undefined when
 * replication_factor is unset and every holder stores every payload. Config
 * validation rejects replication_factor with an open holder set.
 */
export function createFailover (wiring: FailoverWiring): Failover | undefined {
  const factor = wiring.config.replication_factor
  if (factor == null || wiring.holderSet.open) {
    return undefined
  }
  return new Failover({
    holderIds: wiring.holderSet.list().map(holder => holder.holderId),
    self: wiring.selfId,
    replicationFactor: factor,
    failoverAfterMs: wiring.config.failover_after_ms,
    hasAck: wiring.hasAck,
    stepIn: wiring.stepIn,
    fetch: wiring.fetch,
    clock: wiring.clock,
    logger: wiring.logger,
    onResult: (result) => { wiring.metrics.failovers.inc({ result }) }
  })
}
