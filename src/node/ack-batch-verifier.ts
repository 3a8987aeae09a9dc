/**
 * Verifies the signatures of a PohAckBatch ahead of the in-order pass of
 * TxProcessor, on a VerifyPool when the batch is large enough to pay for
 * the hand-off. The in-order pass then takes each verdict at the point where
 * it would have verified the signature itself, so every ACK gets the same
 * verdict as with inline verification.
 */
import { bytesEqual, toHex } from '../core/hash.js'
import type { PohAck } from '../core/proto/poh.js'
import type { QuorumTracker } from '../core/quorum.js'
import type { HolderKey } from '../core/types.js'
import type { AckVerifier, SignatureCheck } from '../core/validate.js'
import { defaultVerifyWorkers, VerifyPool } from './verify-pool.js'
import type { PohConfig } from '../config/index.js'
import type { Logger } from '../log/logger.js'

export interface AckBatchVerifierInit {
  verifier: AckVerifier
  quorum: QuorumTracker
  pool: VerifyPool
  /** Minimum number of signature checks for a batch to use the pool. */
  minBatch: number
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
    const candidates = this.candidates(acks, nowMs)
    if (candidates.length < this.init.minBatch) {
      return undefined
    }
    const valid = await this.init.pool.verify(candidates.map((candidate) => candidate.check))
    const verdicts = new Map<PohAck, Verdict>()
    candidates.forEach((candidate, i) => {
      verdicts.set(candidate.ack, { check: candidate.check, valid: valid[i] === true })
    })
    return new BatchVerdicts(verdicts)
  }

  /** ACKs whose signature the in-order pass will probably check, with their checks. */
  private candidates (acks: readonly PohAck[], nowMs: number): Array<{ ack: PohAck, check: SignatureCheck }> {
    const { verifier, quorum } = this.init
    const seen = new Set<string>()
    const candidates: Array<{ ack: PohAck, check: SignatureCheck }> = []
    for (const ack of acks) {
      let holder: HolderKey
      try {
        holder = verifier.precheck(ack, nowMs)
      } catch {
        // The in-order pass gives this ACK its verdict before any signature check.
        continue
      }
      const storageHash = toHex(ack.storageHash)
      const key = `${toHex(ack.txId)}/${toHex(ack.holderId)}/${storageHash}`
      if (seen.has(key) || quorum.storageHashOf(ack.txId, ack.holderId) === storageHash) {
        continue
      }
      seen.add(key)
      candidates.push({ ack, check: verifier.signatureCheck(ack, holder) })
    }
    return candidates
  }
}

/**
 * Starts the verification pool that `verify_pool` configures, or returns
 * undefined when it has no workers (0, or unset on a single-core machine).
 */
export function createBatchVerification (
  config: PohConfig['verify_pool'],
  parts: { verifier: AckVerifier, quorum: QuorumTracker, logger: Logger }
): { pool: VerifyPool, batchVerifier: AckBatchVerifier } | undefined {
  const workers = config.workers ?? defaultVerifyWorkers()
  if (workers === 0) {
    return undefined
  }
  const pool = new VerifyPool({ size: workers, logger: parts.logger })
  parts.logger.info({ workers, minBatch: config.min_batch }, 'verification pool started')
  return { pool, batchVerifier: new AckBatchVerifier({ verifier: parts.verifier, quorum: parts.quorum, pool, minBatch: config.min_batch }) }
}
