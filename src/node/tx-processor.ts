import { decodeAck, decodeAckBatch, decodeRequest, encodeAck, encodeAckBatch } from '../core/codec.js'
import { GossipErrorCode, GossipValidationError, ignore } from '../core/errors.js'
import { buildPohAck } from '../core/builders.js'
import { bytesEqual, computeTxId, toHex } from '../core/hash.js'
import { assertSignatureValid, checkAckWindow, requestExpiresAt, validateRequest } from '../core/validate.js'
import { TxState } from '../core/types.js'
import type { AckVerifier, RequestLimits } from '../core/validate.js'
import type { HolderSigner } from '../core/builders.js'
import type { PendingAcks } from '../core/pending-acks.js'
import type { PohAck, PohRequest } from '../core/proto/poh.js'
import type { AckOutcome, QuorumTracker } from '../core/quorum.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohStore, StoredTx } from '../storage/store.js'
import type { NodeMetrics } from './metrics.js'
import type { PeerId } from '@libp2p/interface'
import type { RepairItem } from '../core/proto/poh.js'
import { itemAcks, requestFromItem } from './repair-items.js'
import type { TxAssignment } from './failover.js'
import type { AckBatchVerifier, BatchVerdicts } from './ack-batch-verifier.js'

/** The times of a transaction that history records and events carry. */
type TxTimes = Pick<StoredTx, 'receivedAtMs' | 'expiresAtMs' | 'requestTimestampMs'>

/** Builds the record to store for a request: with its payload, or only its timing when `keep` is false. */
function storedTxFromRequest (request: PohRequest, now: number, keep: boolean): StoredTx {
  return {
    txId: request.txId,
    payload: keep ? request.payload : new Uint8Array(0),
    ...(keep ? {} : { payloadOmitted: true }),
    receivedAtMs: now,
    expiresAtMs: requestExpiresAt(request),
    ttlSeconds: request.ttlSeconds,
    requestTimestampMs: Number(request.timestampMs)
  }
}

/** Events the processor reports to the node. */
export interface ProcessorEvents {
  /** `payloadOmitted` is true when only the record was stored, because other holders store the payload. */
  request(detail: { txId: Uint8Array, payloadBytes: number, local: boolean, payloadOmitted: boolean }): void
  ack(detail: { txId: Uint8Array, holderId: Uint8Array, count: number }): void
  held(detail: { txId: Uint8Array, count: number, heldAtMs: number, requestTimestampMs: number }): void
  /** An ACK named a transaction whose request this node lacks; `from` forwarded the ACK. */
  missing?(detail: { txId: Uint8Array, from?: PeerId }): void
}

export interface TxProcessorInit {
  networkId: string
  store: PohStore
  quorum: QuorumTracker
  pending: PendingAcks
  verifier: AckVerifier
  limits: RequestLimits
  clock: Clock
  metrics: NodeMetrics
  logger: Logger
  events: ProcessorEvents
  /** Present when this node is a holder: signs and queues its own ACKs. */
  holder?: {
    signer: HolderSigner
    includePublicKey: boolean
    enqueue: (ack: PohAck) => void
    /** False when ack_policy leaves out the holder's own algorithm: its ACKs go out but do not count here. */
    countOwn: boolean
  }
  /** Storage cap: payload bytes stored now, and the most this node stores (0 for no limit). */
  capacity?: { storedBytes: () => number, maxStoredBytes: number }
  /** Holder assignment (replication_factor); without it this node stores every payload. */
  assignment?: TxAssignment
  /** Verifies the signatures of large ACK batches on worker threads. Without it, each ACK verifies inline. */
  batchVerifier?: AckBatchVerifier
}

/**
 * Applies inbound requests and ACK batches to storage and quorum state.
 * Handlers throw GossipValidationError; the gossip layer turns that into the
 * verdict, so a return means accept.
 */
export class TxProcessor {
  private readonly init: TxProcessorInit
  /** Transactions whose request is being stored right now. */
  private readonly storing = new Map<string, Promise<void>>()

  constructor (init: TxProcessorInit) {
    this.init = init
  }

  /** Handles PoH_REQUEST bytes from the request topic. */
  async onRequestMessage (data: Uint8Array): Promise<void> {
    const request = decodeRequest(data)
    await this.acceptRequest(request, false)
  }

  /** Validates and stores a request, signing this node's ACK when it is a holder. */
  async acceptRequest (request: PohRequest, local: boolean, options: { repaired?: boolean } = {}): Promise<void> {
    const { clock, logger } = this.init
    const now = clock.now()
    validateRequest(request, this.init.limits, now, { fresh: options.repaired !== true })

    const keep = this.init.assignment?.stores(request.txId) ?? true
    if (keep && this.overCapacity(request.payload.length)) {
      throw ignore(GossipErrorCode.STORE_FULL, `storing ${request.payload.length} more bytes would pass max_stored_bytes ${this.init.capacity?.maxStoredBytes ?? 0}`)
    }
    const key = toHex(request.txId)
    if (this.storing.has(key)) {
      throw ignore(GossipErrorCode.DUPLICATE_REQUEST, 'request for a transaction being stored')
    }
    // The map entry is set before the first await, so a second copy of the
    // request arriving meanwhile is seen as a duplicate above.
    const tx = storedTxFromRequest(request, now, keep)
    const storing = this.admitRequest(request, tx, now)
    this.storing.set(key, storing)
    try {
      await storing
    } finally {
      this.storing.delete(key)
    }
    this.init.metrics.requests.inc()
    logger.debug({ txId: key, bytes: request.payload.length, local }, 'request stored')
    this.init.events.request({ txId: request.txId, payloadBytes: request.payload.length, local, payloadOmitted: !keep })
    if (!keep) {
      this.init.assignment?.recorded(request, now)
    }
    await this.countPendingAcks(tx)
  }

  /**
   * Failover: stores the payload of a transaction recorded without it and
   * signs this holder's ACK. Returns false when there is nothing to do: the
   * record was collected, the payload is stored already, or it is being stored.
   */
  async stepIn (request: PohRequest): Promise<boolean> {
    const key = toHex(request.txId)
    const recorded = await this.init.store.getTx(request.txId)
    if (recorded?.payloadOmitted !== true || this.storing.has(key) || !bytesEqual(computeTxId(request.payload), request.txId)) {
      return false
    }
    if (this.overCapacity(request.payload.length)) {
      this.init.logger.warn({ txId: key, bytes: request.payload.length }, 'not stepping in: the payload would pass max_stored_bytes')
      return false
    }
    const tx: StoredTx = { ...recorded, payload: request.payload, payloadOmitted: false }
    const storing = this.storeRequest(request, tx, this.init.clock.now())
    this.storing.set(key, storing)
    try {
      await storing
    } finally {
      this.storing.delete(key)
    }
    this.init.events.request({ txId: request.txId, payloadBytes: request.payload.length, local: false, payloadOmitted: false })
    await this.checkCountedAcks(tx)
    return true
  }

  /** Checks the storage_hash of ACKs counted while the payload was unknown, now that it is stored. */
  private async checkCountedAcks (tx: StoredTx): Promise<void> {
    for (const stored of await this.init.store.getAcks(tx.txId)) {
      const ack = decodeAck(stored.ack)
      try {
        this.init.verifier.verifyStorageHash(ack, tx.payload)
      } catch (err) {
        if (!(err instanceof GossipValidationError)) {
          throw err
        }
        await this.recordFaultyHolder(ack)
      }
    }
  }

  /** Reports whether storing `bytes` more would pass max_stored_bytes. */
  private overCapacity (bytes: number): boolean {
    const capacity = this.init.capacity
    return capacity !== undefined && capacity.maxStoredBytes > 0 && capacity.storedBytes() + bytes > capacity.maxStoredBytes
  }

  /** Checks the request against what is stored, then stores it. */
  private async admitRequest (request: PohRequest, tx: StoredTx, now: number): Promise<void> {
    const { store } = this.init
    if (await store.hasTx(request.txId)) {
      throw ignore(GossipErrorCode.DUPLICATE_REQUEST, 'request for a transaction already stored')
    }
    const history = await store.getHistory(request.txId)
    // A request made after the previous holding period ended starts a new
    // one; an older one is a replay of what was collected.
    if (history?.state === TxState.EXPIRED && Number(request.timestampMs) <= history.expiresAtMs) {
      throw ignore(GossipErrorCode.TX_EXPIRED, 'request for a transaction already expired and collected')
    }
    await this.storeRequest(request, tx, now)
  }

  private async storeRequest (request: PohRequest, tx: StoredTx, now: number): Promise<void> {
    const { store, quorum, holder } = this.init
    const signed = holder === undefined || tx.payloadOmitted === true
      ? undefined
      : buildPohAck(request, holder.signer, { networkId: this.init.networkId, timestampMs: now, includePublicKey: holder.includePublicKey })
    const ownAck = holder?.countOwn === true ? signed : undefined
    const count = ownAck === undefined ? quorum.count(request.txId) : quorum.count(request.txId) + (quorum.has(request.txId, ownAck.holderId) ? 0 : 1)
    // A holder that steps in may find the transaction held already; its quorum time stays.
    const heldAtMs = quorum.heldAt(request.txId) ?? (count >= quorum.threshold ? now : 0)
    await store.putTx(tx, {
      txId: request.txId,
      firstSeenMs: tx.receivedAtMs,
      quorumAtMs: heldAtMs,
      ackCount: count,
      state: heldAtMs > 0 ? TxState.HELD : TxState.PENDING,
      expiresAtMs: tx.expiresAtMs
    }, ownAck === undefined ? undefined : { txId: request.txId, holderId: ownAck.holderId, ack: encodeAck(ownAck) })

    if (signed !== undefined && holder !== undefined) {
      this.init.metrics.acksIssued.inc()
      holder.enqueue(signed)
    }
    if (ownAck !== undefined) {
      this.announce(ownAck, quorum.add(request.txId, ownAck.holderId, ownAck.storageHash, now), tx, now)
    }
  }

  /** Handles PohAckBatch bytes from the ACK topic: one verdict for the whole batch. */
  async onAckBatchMessage (data: Uint8Array, from?: PeerId): Promise<void> {
    const batch = decodeAckBatch(data)
    const verdicts = await this.init.batchVerifier?.verifyAhead(batch.acks, this.init.clock.now())
    let accepted = 0
    let firstIgnore: GossipValidationError | undefined
    for (const ack of batch.acks) {
      try {
        await this.acceptAck(ack, from, verdicts)
        accepted++
        this.init.metrics.ackVerdicts.inc({ result: 'counted' })
      } catch (err) {
        if (!(err instanceof GossipValidationError)) {
          throw err
        }
        this.init.metrics.ackVerdicts.inc({ result: err.reason })
        // One ACK that earns REJECT makes the whole message invalid.
        if (err.action === 'REJECT') {
          throw err
        }
        firstIgnore ??= err
      }
    }
    if (accepted === 0 && firstIgnore !== undefined) {
      throw firstIgnore
    }
  }

  /** Runs the ACK rows of the verdict table, cheap checks before the signature. */
  private async acceptAck (ack: PohAck, from?: PeerId, verdicts?: BatchVerdicts): Promise<void> {
    const { verifier, quorum, store, clock, pending } = this.init
    const now = clock.now()
    const holder = verifier.precheck(ack, now)
    const counted = quorum.storageHashOf(ack.txId, ack.holderId)
    // The same storage_hash again is a duplicate. A different one goes on to
    // the signature check, because a signed contradiction is evidence.
    if (counted !== undefined && counted === toHex(ack.storageHash)) {
      throw ignore(GossipErrorCode.DUPLICATE_ACK, 'ACK already counted for this transaction and holder')
    }

    const key = toHex(ack.txId)
    await this.storing.get(key)?.catch(() => {})
    const tx = await store.getTx(ack.txId)
    if (tx === undefined) {
      const history = await store.getHistory(ack.txId)
      if (history?.state === TxState.EXPIRED) {
        throw ignore(GossipErrorCode.TX_EXPIRED, 'ACK for a transaction already expired and collected')
      }
      if (pending.has(ack.txId, ack.holderId)) {
        throw ignore(GossipErrorCode.DUPLICATE_ACK, 'ACK from this holder already waits for its request')
      }
      this.verifyTimed(ack, holder, verdicts)
      if (!pending.add(ack, now)) {
        this.init.metrics.pendingAckOverflow.inc({ cause: 'full' })
        // The ACK is lost, but the transaction it names can still be repaired.
        this.init.events.missing?.({ txId: ack.txId, from })
        return
      }
      // The request may have been stored while this ACK was checked; its
      // pending ACKs were then taken before this one was added.
      const stored = await store.getTx(ack.txId)
      if (stored !== undefined && !this.storing.has(key)) {
        await this.countPendingAcks(stored)
        return
      }
      this.init.events.missing?.({ txId: ack.txId, from })
      return
    }
    this.checkAckWindow(ack, tx, now)
    this.verifyTimed(ack, holder, verdicts)
    try {
      this.checkStorageHash(ack, tx)
    } catch (err) {
      await this.recordFaultyHolder(ack)
      throw err
    }
    await this.persistAndCount(ack, tx, now)
  }

  /**
   * A validly signed ACK whose storage_hash is wrong proves its holder faulty
   * for this transaction: neither it nor an ACK of that holder already
   * counted counts any more, and both are kept as evidence.
   */
  private async recordFaultyHolder (ack: PohAck): Promise<void> {
    const { quorum, store, metrics, logger } = this.init
    const earlier = await store.getAcks(ack.txId)
    const counted = earlier.filter(stored => bytesEqual(stored.holderId, ack.holderId)).map(stored => decodeAck(stored.ack))
      .filter(stored => !bytesEqual(stored.signature, ack.signature))
    const count = quorum.revoke(ack.txId, ack.holderId)
    metrics.faultyHolderAcks.inc()
    await store.putEvidence(ack.txId, ack.holderId, encodeAckBatch([...counted, ack]))
    logger.warn({ txId: toHex(ack.txId), holderId: toHex(ack.holderId), count }, 'holder signed a wrong storage_hash; it no longer counts for this transaction and the ACKs are kept as evidence')
  }

  /**
   * An ACK counts only if it was signed within the transaction's TTL window:
   * not after expiry, and not before the request existed (allowing for skew).
   */
  private checkAckWindow (ack: PohAck, tx: TxTimes, now: number): void {
    checkAckWindow(ack, tx, now, this.init.limits.maxClockSkewMs)
  }

  /**
   * Checks storage_hash against the stored payload or, on a standby holder,
   * against its standby copy. Without either the check cannot run, and the
   * ACK counts on its signature alone.
   */
  private checkStorageHash (ack: PohAck, tx: StoredTx): void {
    const payload = tx.payloadOmitted === true ? this.init.assignment?.standbyPayload?.(tx.txId) : tx.payload
    if (payload !== undefined) {
      this.init.verifier.verifyStorageHash(ack, payload)
    }
  }

  /** Verifies the signature inline, unless the batch's signatures were verified ahead. */
  private verifyTimed (ack: PohAck, holder: ReturnType<AckVerifier['precheck']>, verdicts?: BatchVerdicts): void {
    const valid = verdicts?.take(ack, holder)
    if (valid !== undefined) {
      assertSignatureValid(valid)
      return
    }
    const stop = this.init.metrics.verifySeconds.startTimer()
    try {
      this.init.verifier.verifySignature(ack, holder)
    } finally {
      stop()
    }
  }

  /** Counts a verified ACK, stores it, and only then announces it, so every event is durable. */
  private async persistAndCount (ack: PohAck, tx: TxTimes, now: number): Promise<void> {
    const outcome = this.init.quorum.add(ack.txId, ack.holderId, ack.storageHash, now)
    if (outcome.kind === 'duplicate') {
      throw ignore(GossipErrorCode.DUPLICATE_ACK, 'ACK already counted for this transaction and holder')
    }
    if (outcome.kind === 'conflict') {
      throw ignore(GossipErrorCode.CONFLICTING_ACK, 'holder signed two storage hashes for one transaction')
    }
    const heldAt = this.init.quorum.heldAt(ack.txId)
    const stored = await this.init.store.putAck({ txId: ack.txId, holderId: ack.holderId, ack: encodeAck(ack) }, {
      txId: ack.txId,
      firstSeenMs: tx.receivedAtMs,
      quorumAtMs: heldAt ?? 0,
      ackCount: outcome.count,
      state: heldAt === undefined ? TxState.PENDING : TxState.HELD,
      expiresAtMs: tx.expiresAtMs
    })
    if (!stored) {
      // Garbage collection deleted the tx while this ACK waited to be written.
      this.init.quorum.forget(ack.txId)
      throw ignore(GossipErrorCode.TX_EXPIRED, 'ACK for a transaction collected while the ACK was being stored')
    }
    this.announce(ack, outcome, tx, now)
  }

  /**
   * Stores a repaired transaction that RepairClient already checked, then
   * counts the ACKs it carries. Returns false when it was stored already.
   */
  async acceptRepairedItem (item: RepairItem): Promise<boolean> {
    let stored = true
    try {
      await this.acceptRequest(requestFromItem(item), false, { repaired: true })
    } catch (err) {
      if (!(err instanceof GossipValidationError) || err.reason !== GossipErrorCode.DUPLICATE_REQUEST) {
        throw err
      }
      // The payload survived, but ACKs gossiped while this node was away may not have.
      stored = false
    }
    for (const ack of itemAcks(item)) {
      try {
        await this.acceptAck(ack)
        this.init.metrics.ackVerdicts.inc({ result: 'counted_repaired' })
      } catch (err) {
        const reason = err instanceof GossipValidationError ? err.reason : 'internal_error'
        this.init.metrics.ackVerdicts.inc({ result: reason })
      }
    }
    return stored
  }

  /** Emits the ack event, and the held event when this ACK reached quorum. */
  private announce (ack: PohAck, outcome: AckOutcome, tx: TxTimes, now: number): void {
    if (outcome.kind !== 'counted') {
      return
    }
    this.init.events.ack({ txId: ack.txId, holderId: ack.holderId, count: outcome.count })
    if (outcome.becameHeld) {
      this.init.metrics.held.inc()
      this.init.logger.info({ txId: toHex(ack.txId), count: outcome.count }, 'transaction held')
      this.init.events.held({ txId: ack.txId, count: outcome.count, heldAtMs: now, requestTimestampMs: tx.requestTimestampMs })
    }
  }

  /** Counts ACKs that arrived before their request, now that the payload is known. */
  private async countPendingAcks (tx: StoredTx): Promise<void> {
    const acks = this.init.pending.take(tx.txId)
    for (const ack of acks) {
      try {
        this.checkAckWindow(ack, tx, this.init.clock.now())
        this.checkStorageHash(ack, tx)
        await this.persistAndCount(ack, tx, this.init.clock.now())
        this.init.metrics.ackVerdicts.inc({ result: 'counted_pending' })
      } catch (err) {
        const reason = err instanceof GossipValidationError ? err.reason : 'internal_error'
        this.init.metrics.ackVerdicts.inc({ result: reason })
        this.init.logger.debug({ txId: toHex(ack.txId), holderId: toHex(ack.holderId), reason }, 'pending ACK not counted')
      }
    }
  }
}
