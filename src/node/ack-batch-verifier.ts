/**
 * Verifies the signatures of a PohAckBatch ahead of the in-order pass of
 * TxProcessor, on a VerifyPool when the batch is large enough to pay for
 * the hand-off. The in-order pass then takes each verdict at the point where
 * it would have verified the signature itself, so every ACK gets the same
 * verdict as with inline verification.
 */
import { bytesEqual, toHex } from '../core/hash.js'
import { TxState } from '../core/types.js'
import { checkAckWindow } from '../core/validate.js'
import type { PohAck } from '../core/proto/poh.js'
import type { QuorumTracker } from '../core/quorum.js'
import type { HolderKey } from '../core/types.js'
import type { AckVerifier, SignatureCheck } from '../core/validate.js'
import type { PohStore } from '../storage/store.js'
import { defaultVerifyWorkers, VerifyPool } from './verify-pool.js'
import type { PohConfig } from '../config/index.js'
import type { Logger } from '../log/logger.js'

/** Transaction state that the in-order pass reads before it checks an ACK's signature. */
export type TxLookup = (txId: Uint8Array) => Promise<{ expiresAtMs: number, requestTimestampMs: number } | 'expired' | undefined>

export interface AckBatchVerifierInit {
  verifier: AckVerifier
  quorum: QuorumTracker
  pool: VerifyPool
  /** Minimum number of signature checks for a batch to use the pool. */
  minBatch: number
  /** The stored transaction's times, 'expired' once it was collected, or undefined when it is unknown. */
  lookup: TxLookup
  /** Whether an ACK of this holder for this transaction already waits for its request. */
  pendingHas: (txId: Uint8Array, holderId: Uint8Array) => boolean
  maxClockSkewMs: number
}

/**
 * Signature checks sent to the pool at a time. The in-order pass stops at
 * the first invalid signature, so checks after a window with one are not
 * run: a batch of forged ACKs costs at most one window.
 */
const VERIFY_WINDOW = 64

/**
 * Looks transactions up in the store the way the in-order pass does.
 * NOTE: getTx reads the whole record, payload included, so a pooled batch
 * reads each of its transactions once more than inline verification does.
 */
export function storeLookup (store: () => PohStore | undefined): TxLookup {
  return async (txId) => {
    const current = store()
    if (current === undefined) {
      return undefined
    }
    const tx = await current.getTx(txId)
    if (tx !== undefined) {
      return tx
    }
    const history = await current.getHistory(txId)
    return history?.state === TxState.EXPIRED ? 'expired' : undefined
  }
}

interface Verdict {
  check: SignatureCheck
  valid: boolean
}

/** Signature verdicts of one batch, by ACK. */
export class BatchVerdicts {
  private readonly verdicts: Map<PohAck, Verdict>

  constructor (verdicts: Map<PohAck, Verdict>) {
    this.verdicts = verdicts
  }

  /**
   * Returns whether the signature of `ack` by `holder` verified, or undefined
   * when it was not verified ahead for that key and must be checked inline.
   */
  take (ack: PohAck, holder: HolderKey): boolean | undefined {
    const verdict = this.verdicts.get(ack)
    if (verdict === undefined || verdict.check.alg !== holder.alg) {
      return undefined
    }
    const sameKey = verdict.check.publicKey === holder.publicKey || bytesEqual(verdict.check.publicKey, holder.publicKey)
    return sameKey ? verdict.valid : undefined
  }
}

export class AckBatchVerifier {
  private readonly init: AckBatchVerifierInit

  constructor (init: AckBatchVerifierInit) {
    this.init = init
  }

  /**
   * Runs the cheap checks on every ACK (shape, clock skew, holder set,
   * duplicates of counted ACKs and within the batch), then verifies the
   * remaining signatures in parallel. Returns undefined when fewer than
   * minBatch remain, so the caller verifies inline as it goes.
   */
  async verifyAhead (acks: readonly PohAck[], nowMs: number): Promise<BatchVerdicts | undefined> {
    const candidates = await this.candidates(acks, nowMs)
    if (candidates.length < this.init.minBatch) {
      return undefined
    }
    const verdicts = new Map<PohAck, Verdict>()
    for (let start = 0; start < candidates.length; start += VERIFY_WINDOW) {
      const window = candidates.slice(start, start + VERIFY_WINDOW)
      const valid = await this.init.pool.verify(window.map((candidate) => candidate.check))
      window.forEach((candidate, i) => {
        verdicts.set(candidate.ack, { check: candidate.check, valid: valid[i] === true })
      })
      if (valid.some((result) => !result)) {
        break
      }
    }
    return new BatchVerdicts(verdicts)
  }

  /**
   * ACKs whose signature the in-order pass will check, with their checks:
   * every check that comes before the signature there runs here first, so
   * an ACK that gets IGNORE without a signature check costs none here.
   */
  private async candidates (acks: readonly PohAck[], nowMs: number): Promise<Array<{ ack: PohAck, check: SignatureCheck }>> {
    const { verifier, quorum } = this.init
    const seen = new Set<string>()
    const lookups = new Map<string, ReturnType<TxLookup>>()
    const candidates: Array<{ ack: PohAck, check: SignatureCheck }> = []
    for (const ack of acks) {
      let holder: HolderKey
      try {
        holder = verifier.precheck(ack, nowMs)
      } catch {
        // The in-order pass gives this ACK its verdict before any signature check.
        continue
      }
      const txHex = toHex(ack.txId)
      const storageHash = toHex(ack.storageHash)
      const key = `${txHex}/${toHex(ack.holderId)}/${storageHash}`
      if (seen.has(key) || quorum.storageHashOf(ack.txId, ack.holderId) === storageHash) {
        continue
      }
      seen.add(key)
      let lookup = lookups.get(txHex)
      if (lookup === undefined) {
        lookup = this.init.lookup(ack.txId)
        lookups.set(txHex, lookup)
      }
      if (this.passesStateChecks(ack, await lookup, nowMs)) {
        candidates.push({ ack, check: verifier.signatureCheck(ack, holder) })
      }
    }
    return candidates
  }

  /** Runs the ACK rows that come before the signature check and depend on stored state. */
  private passesStateChecks (ack: PohAck, tx: Awaited<ReturnType<TxLookup>>, nowMs: number): boolean {
    if (tx === 'expired') {
      return false
    }
    if (tx === undefined) {
      return !this.init.pendingHas(ack.txId, ack.holderId)
    }
    try {
      checkAckWindow(ack, tx, nowMs, this.init.maxClockSkewMs)
      return true
    } catch {
      return false
    }
  }
}

/**
 * Starts the verification pool that `verify_pool` configures, or returns
 * undefined when it has no workers (0, or unset on a single-core machine).
 */
export function createBatchVerification (
  config: PohConfig['verify_pool'],
  parts: Omit<AckBatchVerifierInit, 'pool' | 'minBatch'> & { logger: Logger }
): { pool: VerifyPool, batchVerifier: AckBatchVerifier } | undefined {
  const workers = config.workers ?? defaultVerifyWorkers()
  if (workers === 0) {
    return undefined
  }
  const pool = new VerifyPool({ size: workers, logger: parts.logger })
  parts.logger.info({ workers, minBatch: config.min_batch }, 'verification pool created; its workers start with the first pooled batch')
  const { logger, ...checks } = parts
  return { pool, batchVerifier: new AckBatchVerifier({ ...checks, pool, minBatch: config.min_batch }) }
}
