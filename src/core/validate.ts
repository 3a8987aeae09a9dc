import { GossipErrorCode, ignore, reject } from './errors.js'
import { ackSignedBytes, bytesEqual, computeHolderId, computeStorageHash, computeTxId } from './hash.js'
import { holderKeyFromPublicKey } from './holder-set.js'
import { getScheme, joinHybridSignature } from './crypto/index.js'
import { policyCounts } from './ack-policy.js'
import { HASH_LENGTH, PROTOCOL_VERSION, SIG_ALG_LENGTHS, SigAlg, isHolderSigAlg } from './types.js'
import type { AckPolicy } from './ack-policy.js'
import type { HolderSet } from './holder-set.js'
import type { PohAck, PohRequest } from './proto/poh.js'
import type { HolderKey, HolderSigAlg } from './types.js'

/**
 * Everything one signature verification needs, as plain bytes, so a worker
 * thread can run it with `getScheme(alg).verify(signature, message, publicKey)`.
 */
export interface SignatureCheck {
  alg: SigAlg
  signature: Uint8Array
  message: Uint8Array
  publicKey: Uint8Array
}

/** Runs one signature check on the calling thread. */
export function runSignatureCheck (check: SignatureCheck): boolean {
  return getScheme(check.alg).verify(check.signature, check.message, check.publicKey)
}

/** Turns the outcome of an ACK's signature check into its verdict: REJECT when it failed. */
export function assertSignatureValid (valid: boolean): void {
  if (!valid) {
    throw reject(GossipErrorCode.BAD_SIGNATURE, 'ACK signature does not verify')
  }
}

export interface RequestLimits {
  maxPayloadBytes: number
  maxTtlSeconds: number
  maxClockSkewMs: number
}

/** Expiry of a request: its own timestamp plus its TTL, the same on every node. */
export function requestExpiresAt (request: PohRequest): number {
  return Number(request.timestampMs) + request.ttlSeconds * 1000
}

/**
 * Applies the request rows of the verdict table, cheapest first, and throws
 * a GossipValidationError carrying REJECT or IGNORE.
 */
export function validateRequest (request: PohRequest, limits: RequestLimits, nowMs: number, options: { fresh?: boolean } = {}): void {
  if (request.version !== PROTOCOL_VERSION) {
    throw reject(GossipErrorCode.WRONG_VERSION, `request version ${request.version} is not ${PROTOCOL_VERSION}`)
  }
  if (request.txId.length !== HASH_LENGTH) {
    throw reject(GossipErrorCode.BAD_LENGTH, `request tx_id is ${request.txId.length} bytes, expected ${HASH_LENGTH}`)
  }
  if (request.payload.length === 0) {
    throw reject(GossipErrorCode.BAD_LENGTH, 'request payload is empty')
  }
  if (request.payload.length > limits.maxPayloadBytes) {
    throw reject(GossipErrorCode.PAYLOAD_TOO_LARGE, `request payload is ${request.payload.length} bytes, over max_payload_bytes ${limits.maxPayloadBytes}`)
  }
  if (request.ttlSeconds === 0) {
    throw reject(GossipErrorCode.TTL_ZERO, 'request ttl_seconds is 0')
  }
  if (request.ttlSeconds > limits.maxTtlSeconds) {
    throw reject(GossipErrorCode.TTL_TOO_LONG, `request ttl_seconds ${request.ttlSeconds} is over max_ttl_seconds ${limits.maxTtlSeconds}`)
  }
  if (Number(request.timestampMs) > nowMs + limits.maxClockSkewMs) {
    throw ignore(GossipErrorCode.FUTURE_TIMESTAMP, `request timestamp ${request.timestampMs} is more than ${limits.maxClockSkewMs} ms ahead`)
  }
  // A gossiped request must be recent. An old timestamp would let anyone
  // replay a payload with a TTL that has almost passed and so shorten how
  // long the network keeps it. Repaired items are old by nature and skip this.
  if (options.fresh !== false && Number(request.timestampMs) < nowMs - limits.maxClockSkewMs) {
    throw ignore(GossipErrorCode.STALE_TIMESTAMP, `request timestamp ${request.timestampMs} is more than ${limits.maxClockSkewMs} ms old`)
  }
  if (requestExpiresAt(request) <= nowMs) {
    throw ignore(GossipErrorCode.TX_EXPIRED, 'request TTL has already passed')
  }
  if (!bytesEqual(computeTxId(request.payload), request.txId)) {
    throw reject(GossipErrorCode.TX_ID_MISMATCH, 'request tx_id is not SHA-256 of the payload')
  }
}

/**
 * Checks an ACK's signing time against its transaction: within the TTL, and
 * not made more than maxClockSkewMs before the request (ACK rows 12 and 13).
 */
export function checkAckWindow (ack: PohAck, tx: { expiresAtMs: number, requestTimestampMs: number }, nowMs: number, maxClockSkewMs: number): void {
  const signedAt = Number(ack.timestampMs)
  if (signedAt > tx.expiresAtMs || nowMs > tx.expiresAtMs) {
    throw ignore(GossipErrorCode.ACK_EXPIRED, 'ACK is outside the transaction TTL window')
  }
  if (signedAt < tx.requestTimestampMs - maxClockSkewMs) {
    throw ignore(GossipErrorCode.ACK_BEFORE_REQUEST, 'ACK is signed before its request was made')
  }
}

/** Checks fixed lengths and the algorithm of an ACK before anything costly. */
export function checkAckShape (ack: PohAck): void {
  if (ack.version !== PROTOCOL_VERSION) {
    throw reject(GossipErrorCode.WRONG_VERSION, `ACK version ${ack.version} is not ${PROTOCOL_VERSION}`)
  }
  for (const [name, field] of [['tx_id', ack.txId], ['storage_hash', ack.storageHash], ['holder_id', ack.holderId]] as const) {
    if (field.length !== HASH_LENGTH) {
      throw reject(GossipErrorCode.BAD_LENGTH, `ACK ${name} is ${field.length} bytes, expected ${HASH_LENGTH}`)
    }
  }
  if (!isHolderSigAlg(ack.sigAlg)) {
    throw reject(GossipErrorCode.UNSUPPORTED_ALGORITHM, `ACK sig_alg ${String(ack.sigAlg)} is not supported`)
  }
  checkSignatureLengths(ack, ack.sigAlg)
  const publicKeyLength = SIG_ALG_LENGTHS[ack.sigAlg].publicKey
  if (ack.publicKey !== undefined && ack.publicKey.length !== publicKeyLength) {
    throw reject(GossipErrorCode.BAD_LENGTH, `ACK public_key is ${ack.publicKey.length} bytes, expected ${publicKeyLength} for ${ack.sigAlg}`)
  }
}

/**
 * Checks signature and signature_pq. A hybrid ACK carries its Ed25519
 * signature in `signature` and its ML-DSA-65 signature in `signature_pq`,
 * and an ACK with either half missing is rejected here.
 */
function checkSignatureLengths (ack: PohAck, alg: HolderSigAlg): void {
  const hybrid = alg === SigAlg.HYBRID_ED25519_ML_DSA_65
  const expected = hybrid ? SIG_ALG_LENGTHS[SigAlg.ED25519].signature : SIG_ALG_LENGTHS[alg].signature
  if (ack.signature.length !== expected) {
    throw reject(GossipErrorCode.BAD_LENGTH, `ACK signature is ${ack.signature.length} bytes, expected ${expected} for ${alg}`)
  }
  if (!hybrid) {
    if (ack.signaturePq !== undefined) {
      throw reject(GossipErrorCode.BAD_LENGTH, `ACK carries signature_pq, which only ${SigAlg.HYBRID_ED25519_ML_DSA_65} ACKs use`)
    }
    return
  }
  const expectedPq = SIG_ALG_LENGTHS[SigAlg.ML_DSA_65].signature
  if (ack.signaturePq === undefined) {
    throw reject(GossipErrorCode.BAD_LENGTH, `${alg} ACK is missing signature_pq: a hybrid ACK needs both signatures`)
  }
  if (ack.signaturePq.length !== expectedPq) {
    throw reject(GossipErrorCode.BAD_LENGTH, `ACK signature_pq is ${ack.signaturePq.length} bytes, expected ${expectedPq} for ${alg}`)
  }
}

export interface AckVerifierInit {
  networkId: string
  holderSet: HolderSet
  maxClockSkewMs: number
  /** ACK policy deciding which algorithms count. Default `classical`, under which all do. */
  policy?: AckPolicy
}

/**
 * Verifies single ACKs for the network layer: shape, clock skew, holder
 * membership and signature, in that order. State checks (duplicates, TTL)
 * belong to the caller, which tracks what was already counted.
 */
export class AckVerifier {
  private readonly init: AckVerifierInit

  constructor (init: AckVerifierInit) {
    this.init = init
  }

  /** Runs the checks that need no signature verification and returns the signer. */
  precheck (ack: PohAck, nowMs: number): HolderKey {
    checkAckShape(ack)
    if (Number(ack.timestampMs) > nowMs + this.init.maxClockSkewMs) {
      throw ignore(GossipErrorCode.FUTURE_TIMESTAMP, `ACK timestamp ${ack.timestampMs} is more than ${this.init.maxClockSkewMs} ms ahead`)
    }
    const holder = this.resolveHolder(ack)
    const policy = this.init.policy ?? 'classical'
    if (!policyCounts(policy, holder.alg)) {
      throw ignore(GossipErrorCode.ALGORITHM_NOT_ALLOWED, `${holder.alg} ACKs do not count under ack_policy ${policy}`)
    }
    return holder
  }

  /**
   * Builds the signature check of an ACK whose signer `precheck` returned:
   * the signature over the domain-separated ACK bytes. This is the one place
   * that decides what an ACK's signature covers, and verification pools run
   * the result as is. A hybrid ACK's two halves are joined into one hybrid signature.
   */
  signatureCheck (ack: PohAck, holder: HolderKey): SignatureCheck {
    const message = ackSignedBytes(this.init.networkId, ack.txId, ack.storageHash, ack.timestampMs, holder.alg)
    const signature = holder.alg === SigAlg.HYBRID_ED25519_ML_DSA_65 && ack.signaturePq !== undefined
      ? joinHybridSignature(ack.signature, ack.signaturePq)
      : ack.signature
    return { alg: holder.alg, signature, message, publicKey: holder.publicKey }
  }

  /** Verifies the signature over the domain-separated ACK bytes, both halves of a hybrid ACK. */
  verifySignature (ack: PohAck, holder: HolderKey): void {
    assertSignatureValid(runSignatureCheck(this.signatureCheck(ack, holder)))
  }

  /** Checks storage_hash against a payload this node has. */
  verifyStorageHash (ack: PohAck, payload: Uint8Array): void {
    if (!bytesEqual(computeStorageHash(ack.holderId, payload), ack.storageHash)) {
      throw reject(GossipErrorCode.BAD_STORAGE_HASH, 'ACK storage_hash does not match the payload')
    }
  }

  /** All checks for one ACK; `payload` is given when this node has it. */
  verify (ack: PohAck, nowMs: number, payload?: Uint8Array): HolderKey {
    const holder = this.precheck(ack, nowMs)
    this.verifySignature(ack, holder)
    if (payload !== undefined) {
      this.verifyStorageHash(ack, payload)
    }
    return holder
  }

  private resolveHolder (ack: PohAck): HolderKey {
    const { holderSet } = this.init
    if (!holderSet.open) {
      const holder = holderSet.get(ack.holderId)
      if (holder === undefined) {
        throw ignore(GossipErrorCode.UNKNOWN_HOLDER, 'ACK holder_id is not in this node\'s holder set')
      }
      if (holder.alg !== ack.sigAlg) {
        throw reject(GossipErrorCode.HOLDER_ID_MISMATCH, `ACK sig_alg ${ack.sigAlg} differs from the listed holder's ${holder.alg}`)
      }
      return holder
    }
    if (ack.publicKey === undefined) {
      throw reject(GossipErrorCode.HOLDER_ID_MISMATCH, 'ACK in an open holder set carries no public_key')
    }
    if (!bytesEqual(computeHolderId(ack.sigAlg, ack.publicKey), ack.holderId)) {
      throw reject(GossipErrorCode.HOLDER_ID_MISMATCH, 'ACK holder_id is not the hash of its public_key')
    }
    return holderKeyFromPublicKey(ack.sigAlg, ack.publicKey)
  }
}
