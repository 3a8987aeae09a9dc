import { join, isAbsolute } from 'node:path'
import { TypedEventEmitter } from 'main-event'
import { Registry } from 'prom-client'
import { buildPohRequest, holderSignerFromKeyPair } from '../core/builders.js'
import { encodeAckBatch, encodeRequest } from '../core/codec.js'
import { toHex } from '../core/hash.js'
import { ConfigError, PohError } from '../core/errors.js'
import { policyCounts } from '../core/ack-policy.js'
import { HolderSet, sigAlgFromName } from '../core/holder-set.js'
import { PendingAcks } from '../core/pending-acks.js'
import { QuorumTracker } from '../core/quorum.js'
import { AckVerifier } from '../core/validate.js'
import { systemClock } from '../core/types.js'
import { childLogger } from '../log/logger.js'
import { AckBatcher } from '../network/ack-batcher.js'
import { EventLoopLoad } from './event-loop-load.js'
import { PohGossip } from '../network/gossip.js'
import { createPohLibp2p } from '../network/libp2p.js'
import { PohStore } from '../storage/store.js'
import { loadHolderKeyFile, loadOrCreatePeerKey } from './keys.js'
import { Maintenance } from './maintenance.js'
import { createFailover, fetchRequest } from './failover.js'
import type { Failover } from './failover.js'
import { createRepair } from './repair-wiring.js'
import type { RepairParts } from './repair-wiring.js'
import { SpotChecks } from './spot-check-wiring.js'
import { createNodeMetrics } from './metrics.js'
import { TxProcessor } from './tx-processor.js'
import { createBatchVerification, storeLookup } from './ack-batch-verifier.js'
import type { VerifyPool } from './verify-pool.js'
import { NodeView } from './node-view.js'
import { StartupRecovery, rebuildQuorum } from './startup-recovery.js'
import type { TxStatus } from './node-view.js'
import type { PohConfig } from '../config/index.js'
import type { HolderSigner } from '../core/builders.js'
import type { PohAck } from '../core/proto/poh.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { CreateLibp2pInit, PohLibp2p } from '../network/libp2p.js'
import type { NodeMetrics } from './metrics.js'

/**
 * A request was stored. `payloadOmitted` is true where replication_factor
 * assigned the transaction to other holders and only its record was stored.
 * A holder that steps in later emits the event again with it false.
 */
export interface RequestEvent { txId: string, payloadBytes: number, local: boolean, payloadOmitted: boolean }
export interface AckEvent { txId: string, holderId: string, count: number }
export interface HeldEvent { txId: string, count: number, heldAtMs: number, requestTimestampMs: number }

export interface ExpiredEvent { txId: string }

export interface PohNodeEvents {
  request: CustomEvent<RequestEvent>
  ack: CustomEvent<AckEvent>
  held: CustomEvent<HeldEvent>
  /** A transaction's TTL passed and garbage collection deleted its payload; history stays. */
  expired: CustomEvent<ExpiredEvent>
}

export interface PohNodeInit {
  config: PohConfig
  logger: Logger
  clock?: Clock
  /** Prometheus registry for the node's metrics; a private one by default. */
  registry?: Registry
  /** libp2p's own metrics, such as `libp2pMetrics(registry)` from src/metrics. */
  libp2pMetrics?: CreateLibp2pInit['metrics']
}

/**
 * Encoded size at which an ACK batch is published early. A quarter of the
 * 4 MiB gossip frame leaves room for other messages sharing the frame;
 * 64 ML-DSA-65 ACKs with public keys come to about 350 KB.
 */
const ACK_BATCH_MAX_BYTES = 1024 * 1024

/** ACKs waiting for their request: generous for bursts, small in memory. */
const PENDING_ACK_LIMITS = { maxAcks: 65536, maxAgeMs: 120_000 }

/**
 * One Proof-of-Holding node: storage, libp2p gossip and quorum counting
 * wired together, with typed events for applications.
 */
/**
 * Returns the listen addresses that libp2p could not open, each with the first
 * line of its error, as its error message lists them. Falls back to every
 * configured address when the message has no such list.
 */
function failedListenAddresses (err: Error, listen: string[]): string {
  const failed: string[] = []
  for (const match of err.message.matchAll(/^\s*(\/\S+): (?:Error: )?(.+)$/gm)) {
    failed.push(`${match[1] ?? ''} (${match[2] ?? ''})`)
  }
  return failed.length > 0 ? failed.join(', ') : listen.join(', ')
}

export class PohNode extends TypedEventEmitter<PohNodeEvents> {
  readonly config: PohConfig
  readonly metrics: NodeMetrics
  readonly registry: Registry
  private readonly logger: Logger
  /** Parent of every component logger, so each record carries one component. */
  private readonly rootLogger: Logger
  private readonly clock: Clock
  private readonly libp2pMetrics?: CreateLibp2pInit['metrics']
  private readonly quorum: QuorumTracker
  private readonly pending = new PendingAcks(PENDING_ACK_LIMITS)
  private readonly holderSet: HolderSet
  private store?: PohStore
  private libp2pNode?: PohLibp2p
  private gossip?: PohGossip
  private batcher?: AckBatcher
  private readonly eventLoopLoad = new EventLoopLoad()
  private processor?: TxProcessor
  private failover?: Failover
  private signer?: HolderSigner
  private verifier?: AckVerifier
  private verifyPool?: VerifyPool
  private repair?: RepairParts
  private spotChecks?: SpotChecks
  private maintenance?: Maintenance
  private startupTasks?: Promise<void>
  private startupRecovery?: StartupRecovery
  /** Recovery still to do once a peer is connected. */
  /** Aborted by stop(), so start-up tasks that wait end at once. */
  private stopping = new AbortController()
  private started = false
  private startedAtMs = 0
  private readonly nodeView: NodeView

  constructor (init: PohNodeInit) {
    super()
    this.config = init.config
    this.rootLogger = init.logger
    this.logger = childLogger(init.logger, 'node')
    this.clock = init.clock ?? systemClock
    this.registry = init.registry ?? new Registry()
    this.libp2pMetrics = init.libp2pMetrics
    this.metrics = createNodeMetrics(this.registry)
    this.quorum = new QuorumTracker(init.config.min_poh_required)
    this.holderSet = HolderSet.fromConfig(init.config.holders)
    this.nodeView = new NodeView({
      config: this.config,
      store: () => this.store,
      libp2p: () => this.libp2pNode,
      quorum: this.quorum,
      holderSet: this.holderSet,
      holderId: () => this.holderId,
      clock: this.clock,
      startedAtMs: () => this.startedAtMs,
      spotChecks: () => this.spotChecks?.holders() ?? []
    })
  }

  get libp2p (): PohLibp2p {
    if (this.libp2pNode === undefined) {
      throw new Error('node is not started')
    }
    return this.libp2pNode
  }

  /** The holder_id of this node in hex, when it is a holder. */
  get holderId (): string | undefined {
    return this.signer === undefined ? undefined : toHex(this.signer.holderId)
  }

  private resolvePath (path: string): string {
    return isAbsolute(path) ? path : join(this.config.data_dir, path)
  }

  async start (): Promise<void> {
    if (this.started) {
      return
    }
    const { config } = this
    this.stopping = new AbortController()
    if (config.holder.enabled) {
      const keyFile = this.resolvePath(config.holder.key_file)
      const keyPair = await loadHolderKeyFile(keyFile)
      if (keyPair.alg !== sigAlgFromName(config.holder.algorithm)) {
        throw new ConfigError(`holder.algorithm is ${config.holder.algorithm}, but the holder key file ${keyFile} has a key of algorithm ${keyPair.alg}; set holder.algorithm = "${keyPair.alg}" or point holder.key_file at a ${config.holder.algorithm} key`)
      }
      this.signer = holderSignerFromKeyPair(keyPair)
      if (!this.holderSet.open && this.holderSet.get(this.signer.holderId) === undefined) {
        // Other nodes would ignore its ACKs, and this node must not count them either.
        this.logger.warn({ holderId: toHex(this.signer.holderId) }, 'this node\'s holder key is not in holders; it stores transactions but signs no ACKs')
        this.signer = undefined
      }
    }
    const peerKey = await loadOrCreatePeerKey(this.resolvePath(config.peer_key_file))
    this.store = await PohStore.open({
      path: join(config.data_dir, 'db'),
      clock: this.clock,
      logger: childLogger(this.rootLogger, 'storage'),
      historyRetentionMs: config.history_retention_seconds * 1000
    })
    try {
      await rebuildQuorum({ store: this.store, quorum: this.quorum, holderSet: this.holderSet, clock: this.clock, logger: this.logger })
      if (config.max_stored_bytes > 0) {
        // The storage cap needs the stored total before the first request.
        await this.nodeView.recount()
      }
      await this.startNetwork(peerKey)
    } catch (err) {
      await this.stopParts()
      throw err
    }
    this.started = true
    this.startedAtMs = this.clock.now()
    this.startupRecovery = new StartupRecovery({
      store: this.store,
      maintenance: this.maintenance as Maintenance,
      coordinator: () => this.repair?.coordinator,
      peerCount: () => this.libp2p.getPeers().length,
      clock: this.clock,
      logger: this.logger,
      maxTtlMs: config.max_ttl_seconds * 1000,
      maxClockSkewMs: config.max_clock_skew_ms,
      signal: this.stopping.signal,
      afterCatchUp: async () => { await this.rearmStandby() }
    })
    this.startupTasks = this.startupRecovery.run()
    this.logger.info({
      peerId: this.libp2p.peerId.toString(),
      holderId: this.holderId,
      addresses: this.libp2p.getMultiaddrs().map(a => a.toString()),
      holderSet: this.holderSet.open ? 'open' : this.holderSet.size,
      minPohRequired: config.min_poh_required,
      lastActivityMs: this.store.lastActivityMs()
    }, 'node started')
  }

  private async startNetwork (peerKey: Parameters<typeof createPohLibp2p>[0]['privateKey']): Promise<void> {
    const { config } = this
    const store = this.store as PohStore
    this.verifier = new AckVerifier({ networkId: config.network_id, holderSet: this.holderSet, maxClockSkewMs: config.max_clock_skew_ms, policy: config.ack_policy })
    try {
      this.libp2pNode = await createPohLibp2p({
        privateKey: peerKey,
        networkId: config.network_id,
        listen: config.listen,
        bootstrapPeers: config.broadcast_peers,
        metrics: this.libp2pMetrics
      })
    } catch (err) {
      if ((err as Error).name === 'UnsupportedListenAddressesError' || /listen/i.test((err as Error).message)) {
        throw new PohError('ERR_LISTEN', `cannot listen on ${failedListenAddresses(err as Error, config.listen)}: another process may use the port; choose free ports in listen`, { cause: err })
      }
      throw err
    }
    const gossipLogger = childLogger(this.rootLogger, 'gossip')
    this.eventLoopLoad.start()
    this.batcher = new AckBatcher({
      maxSize: config.ack_batch_max_size,
      maxDelayMs: config.ack_batch_max_delay_ms,
      busyDelayMs: config.ack_batch_busy_delay_ms,
      busyShare: () => this.eventLoopLoad.busyShare,
      maxBytes: ACK_BATCH_MAX_BYTES,
      publish: async (acks) => { await this.gossip?.publish('ack', encodeAckBatch(acks)) },
      onError: (err, count) => { gossipLogger.warn({ err, count }, 'ACK batch publish failed; the ACKs stay stored and reach peers in repair responses') }
    })
    this.processor = this.createProcessor(store, this.batcher)
    const processor = this.processor
    this.gossip = new PohGossip({
      libp2p: this.libp2pNode,
      networkId: config.network_id,
      handlers: {
        request: async (data) => { await processor.onRequestMessage(data) },
        ack: async (data, from) => { await processor.onAckBatchMessage(data, from) }
      },
      metrics: this.metrics.gossip,
      logger: gossipLogger
    })
    this.libp2pNode.addEventListener('peer:connect', (evt) => {
      gossipLogger.info({ peer: evt.detail.toString() }, 'peer connected')
      this.startupRecovery?.peerConnected()
    })
    this.libp2pNode.addEventListener('peer:disconnect', (evt) => { gossipLogger.info({ peer: evt.detail.toString() }, 'peer disconnected') })
    this.gossip.start()
    this.repair = createRepair({
      libp2p: this.libp2pNode,
      config,
      store: () => this.store,
      processor,
      verifier: this.verifier,
      ownHolderId: this.signer?.holderId,
      clock: this.clock,
      logger: this.rootLogger,
      metrics: this.metrics
    })
    await this.repair.server.start()
    this.spotChecks = new SpotChecks({
      libp2p: this.libp2pNode,
      config,
      store: () => this.store,
      holderSet: this.holderSet,
      signer: this.signer,
      clock: this.clock,
      logger: this.rootLogger,
      metrics: this.metrics
    })
    await this.spotChecks.start()
    this.maintenance = new Maintenance({
      store,
      quorum: this.quorum,
      pending: this.pending,
      clock: this.clock,
      logger: childLogger(this.rootLogger, 'maintenance'),
      metrics: this.metrics,
      intervalMs: config.gc_interval_seconds * 1000,
      onExpired: (txIds) => {
        if (config.max_stored_bytes > 0) {
          // The cap counts bytes freed only after a recount. A recount reads
          // every stored payload, so calls during a sweep share one.
          void this.nodeView.recount().catch(err => { this.logger.debug({ err }, 'recount after garbage collection failed') })
        } else {
          // Without a cap only the status totals need counting, on their next read.
          this.nodeView.noteDeleted()
        }
        for (const txId of txIds) {
          this.safeDispatch('expired', { txId: toHex(txId) })
        }
      },
    })
  }

  /**
   * Gives a restarted standby holder back its step-in deadlines, which live
   * in memory: every record kept without its payload is watched again.
   */
  private async rearmStandby (): Promise<void> {
    const { failover, store } = this
    if (failover === undefined || store === undefined) {
      return
    }
    let watched = 0
    for await (const txId of store.iterateTxIds()) {
      const tx = await store.getTx(txId)
      if (tx?.payloadOmitted === true && tx.expiresAtMs > this.clock.now()) {
        failover.rearm(txId, tx.receivedAtMs)
        watched++
      }
    }
    this.logger.info({ records: watched, watching: failover.watching }, 'standby deadlines restored from stored records')
  }

  /** Builds the processor that applies gossip and repair to storage and quorum state. */
  private createProcessor (store: PohStore, batcher: AckBatcher): TxProcessor {
    const { config } = this
    const verifier = this.verifier as AckVerifier
    const verification = createBatchVerification(config.verify_pool, {
      verifier,
      quorum: this.quorum,
      lookup: storeLookup(() => this.store),
      pendingHas: (txId, holderId) => this.pending.has(txId, holderId),
      maxClockSkewMs: config.max_clock_skew_ms,
      logger: childLogger(this.rootLogger, 'verify-pool')
    })
    this.verifyPool = verification?.pool
    return new TxProcessor({
      networkId: config.network_id,
      store,
      quorum: this.quorum,
      pending: this.pending,
      verifier,
      limits: { maxPayloadBytes: config.max_payload_bytes, maxTtlSeconds: config.max_ttl_seconds, maxClockSkewMs: config.max_clock_skew_ms },
      capacity: { storedBytes: () => this.nodeView.storedBytesEstimate, maxStoredBytes: config.max_stored_bytes },
      batchVerifier: verification?.batchVerifier,
      clock: this.clock,
      metrics: this.metrics,
      logger: childLogger(this.rootLogger, 'processor'),
      events: {
        request: (d) => {
          if (!d.payloadOmitted) {
            this.nodeView.noteStored(d.payloadBytes)
          }
          this.safeDispatch('request', { txId: toHex(d.txId), payloadBytes: d.payloadBytes, local: d.local, payloadOmitted: d.payloadOmitted }) },
        ack: (d) => {
          this.failover?.acked(d.txId)
          this.safeDispatch('ack', { txId: toHex(d.txId), holderId: toHex(d.holderId), count: d.count }) },
        held: (d) => { this.safeDispatch('held', { txId: toHex(d.txId), count: d.count, heldAtMs: d.heldAtMs, requestTimestampMs: d.requestTimestampMs }) },
        missing: (d) => { this.repair?.coordinator.requestMissing(d.txId, d.from) }
      },
      holder: this.signer === undefined
        ? undefined
        : {
            signer: this.signer,
            includePublicKey: this.holderSet.open,
            enqueue: (ack) => { batcher.add(ack) },
            countOwn: policyCounts(config.ack_policy, this.signer.keyPair.alg)
          },
      assignment: this.failover = createFailover({
        config,
        holderSet: this.holderSet,
        selfId: this.signer?.holderId,
        hasAck: (txId, holderId) => this.quorum.has(txId, holderId),
        stepIn: async (request) => await (this.processor as TxProcessor).stepIn(request),
        fetch: async (txId) => await fetchRequest(this.repair?.client, this.libp2p.getPeers(), txId),
        clock: this.clock,
        logger: childLogger(this.rootLogger, 'failover'),
        metrics: this.metrics
      })
    })
  }

  /** Dispatches an event; a throwing listener is logged, never propagated into gossip handling. */
  private safeDispatch<K extends keyof PohNodeEvents> (type: K, detail: PohNodeEvents[K]['detail']): void {
    try {
      this.safeDispatchEvent(type, { detail } as any)
    } catch (err) {
      this.logger.error({ err, event: type }, 'event listener failed')
    }
  }

  /** Runs garbage collection now, for tests and operators; resolves when it ends. */
  async collectGarbage (): Promise<void> {
    await this.maintenance?.sweepNow()
  }

  /** Resolves when start-up recovery (payload check and catch-up) has finished. */
  async recovered (): Promise<void> {
    await this.startupTasks
  }

  /**
   * Stores and publishes a new transaction from this node. Returns its tx_id
   * in hex; the held event reports when quorum is reached.
   */
  async submit (payload: Uint8Array, options: { ttlSeconds?: number } = {}): Promise<string> {
    if (this.processor === undefined || this.gossip === undefined) {
      throw new Error('node is not started')
    }
    const request = buildPohRequest(payload, {
      ttlSeconds: options.ttlSeconds ?? this.config.ttl_seconds,
      timestampMs: this.clock.now()
    })
    await this.processor.acceptRequest(request, true)
    await this.gossip.publish('request', encodeRequest(request))
    return toHex(request.txId)
  }

  /** Spot checks of other holders: run one now with `checker.checkRandom()`, or read the counts. */
  get spotCheck (): SpotChecks {
    if (this.spotChecks === undefined) {
      throw new Error('node is not started')
    }
    return this.spotChecks
  }

  /** Read-only queries: status, peers, transactions, certificates and ranges. */
  get view (): NodeView {
    return this.nodeView
  }

  /** Returns this node's record of a transaction, or undefined when it has none. */
  async getTx (txIdHex: string): Promise<TxStatus | undefined> {
    return await this.nodeView.getTx(txIdHex)
  }

  /** Returns the stored ACKs of a transaction that this node counted. */
  async getAcks (txIdHex: string): Promise<PohAck[]> {
    return await this.nodeView.getAcks(txIdHex)
  }

  async stop (): Promise<void> {
    if (!this.started) {
      return
    }
    this.started = false
    await this.stopParts()
    this.logger.info('node stopped')
  }

  /**
   * Stops in dependency order: inbound gossip and repair first, waiting for
   * handlers under way, then outgoing ACKs, libp2p, and the store last, so
   * nothing writes to a closed store.
   */
  private async stopParts (): Promise<void> {
    this.stopping.abort()
    await this.gossip?.stop()
    await this.failover?.stop()
    await this.verifyPool?.close()
    await this.maintenance?.stop()
    await this.repair?.coordinator.stop()
    await this.repair?.server.stop()
    await this.spotChecks?.stop()
    await this.batcher?.drain()
    this.eventLoopLoad.stop()
    await this.libp2pNode?.stop()
    await this.startupTasks
    const store = this.store
    this.store = undefined
    await store?.close()
  }
}
export type { TxStatus } from './node-view.js'
