/**
 * Spot checks: the pure parts. A challenger sends a random nonce naming a
 * transaction and a holder. The holder proves that it still stores the
 * payload with SHA-256("poh/spot-check/v1" ‖ nonce ‖ payload), and signs its
 * response with its holder key. docs/PROTOCOL.md section 16 gives the bytes.
 */

import { createHash } from 'node:crypto'
import { getScheme } from './crypto/index.js'
import { bytesEqual } from './hash.js'
import { SpotCheckStatus } from './proto/poh.js'
import { HASH_LENGTH } from './types.js'
import type { HolderKey, KeyPair } from './types.js'

export { SpotCheckStatus }

/** Length of the challenger's nonce. */
export const SPOT_CHECK_NONCE_LENGTH = 32

/** Domain tag of the proof hash, so a proof is never a hash used elsewhere in the protocol. */
export const SPOT_CHECK_PROOF_TAG = 'poh/spot-check/v1'

/** Domain tag at the start of the bytes a spot-check signature covers. */
export const SPOT_CHECK_SIGNED_TAG = 'POH-SPOT-V1'

const encoder = new TextEncoder()
const PROOF_TAG_BYTES = encoder.encode(SPOT_CHECK_PROOF_TAG)
const SIGNED_TAG_BYTES = encoder.encode(SPOT_CHECK_SIGNED_TAG)

/** Computes the proof of holding for one challenge: SHA-256("poh/spot-check/v1" ‖ nonce ‖ payload). */
export function spotCheckProof (nonce: Uint8Array, payload: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(PROOF_TAG_BYTES).update(nonce).update(payload).digest()
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

/** The fields a spot-check signature binds. */
export interface SpotCheckStatement {
  networkId: string
  txId: Uint8Array
  holderId: Uint8Array
  nonce: Uint8Array
  status: SpotCheckStatus
  /** Empty unless status is SPOT_CHECK_OK. */
  proof: Uint8Array
}

/**
 * Builds the bytes a spot-check signature covers:
 * "POH-SPOT-V1" ‖ 0x00 ‖ network_id ‖ 0x00 ‖ tx_id ‖ holder_id ‖ nonce ‖ status (u8) ‖ proof.
 * The proof is 32 bytes with SPOT_CHECK_OK and empty otherwise, so the layout is unambiguous.
 */
export function spotCheckSignedBytes (statement: SpotCheckStatement): Uint8Array {
  const { txId, holderId, nonce, status, proof } = statement
  if (txId.length !== HASH_LENGTH || holderId.length !== HASH_LENGTH || nonce.length !== SPOT_CHECK_NONCE_LENGTH) {
    throw new RangeError(`tx_id, holder_id and nonce must be 32 bytes, got ${txId.length}, ${holderId.length} and ${nonce.length}`)
  }
  const expectedProof = status === SpotCheckStatus.SPOT_CHECK_OK ? HASH_LENGTH : 0
  if (proof.length !== expectedProof) {
    throw new RangeError(`proof must be ${expectedProof} bytes with status ${status}, got ${proof.length}`)
  }
  const network = encoder.encode(statement.networkId)
  const parts = [SIGNED_TAG_BYTES, Uint8Array.of(0), network, Uint8Array.of(0), txId, holderId, nonce, Uint8Array.of(statusByte(status)), proof]
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Signs a statement with the holder key, through the scheme of the key's algorithm. */
export function signSpotCheck (statement: SpotCheckStatement, keyPair: KeyPair): Uint8Array {
  return getScheme(keyPair.alg).sign(spotCheckSignedBytes(statement), keyPair.secretKey)
}

/**
 * Verdict on one response, from the challenger's side:
 * - pass: a valid signature over the right proof;
 * - not_held, wrong_proof: the holder signed that it lacks the payload, or signed a wrong proof;
 * - bad_signature: the signature does not verify with the holder's key;
 * - not_holder: the peer responds that it is not the holder (unsigned, so it proves nothing);
 * - rate_limited, unavailable: the peer did not do the work;
 * - malformed: the response breaks the protocol (bad status, wrong field lengths).
 */
export type SpotCheckVerdict = 'pass' | 'not_held' | 'wrong_proof' | 'bad_signature' | 'not_holder' | 'rate_limited' | 'unavailable' | 'malformed'

/** Inputs the challenger has when it judges a response. */
export interface SpotCheckChallenge {
  networkId: string
  txId: Uint8Array
  holder: HolderKey
  nonce: Uint8Array
  /** The payload as this node stores it, to compute the expected proof. */
  payload: Uint8Array
}

/** The fields of a SpotCheckResponse that the verdict depends on. */
export interface SpotCheckAnswer {
  status: SpotCheckStatus
  proof: Uint8Array
  signature: Uint8Array
}

/**
 * Judges one response. The signature is checked before the proof, so a
 * verdict of not_held or wrong_proof always means the holder key signed it.
 */
export function judgeSpotCheck (challenge: SpotCheckChallenge, answer: SpotCheckAnswer): SpotCheckVerdict {
  switch (answer.status) {
    case SpotCheckStatus.SPOT_CHECK_NOT_HOLDER:
      return 'not_holder'
    case SpotCheckStatus.SPOT_CHECK_RATE_LIMITED:
      return 'rate_limited'
    case SpotCheckStatus.SPOT_CHECK_UNAVAILABLE:
      return 'unavailable'
    case SpotCheckStatus.SPOT_CHECK_OK:
    case SpotCheckStatus.SPOT_CHECK_NOT_HELD:
      break
    default:
      // INVALID_REQUEST to a request this node built, or an unknown status.
      return 'malformed'
  }

  const proofLength = answer.status === SpotCheckStatus.SPOT_CHECK_OK ? HASH_LENGTH : 0
  if (answer.proof.length !== proofLength) {
    return 'malformed'
  }
  const signed = spotCheckSignedBytes({
    networkId: challenge.networkId,
    txId: challenge.txId,
    holderId: challenge.holder.holderId,
    nonce: challenge.nonce,
    status: answer.status,
    proof: answer.proof
  })
  if (!verifyWith(challenge.holder, answer.signature, signed)) {
    return 'bad_signature'
  }
  if (answer.status === SpotCheckStatus.SPOT_CHECK_NOT_HELD) {
    return 'not_held'
  }
  return bytesEqual(answer.proof, spotCheckProof(challenge.nonce, challenge.payload)) ? 'pass' : 'wrong_proof'
}

function verifyWith (holder: HolderKey, signature: Uint8Array, message: Uint8Array): boolean {
  try {
    return getScheme(holder.alg).verify(signature, message, holder.publicKey)
  } catch {
    // getScheme throws for an algorithm without a scheme: nothing can verify it.
    return false
  }
}

function statusByte (status: SpotCheckStatus): number {
  const value = SPOT_CHECK_STATUS_VALUES[status]
  if (value === undefined) {
    throw new RangeError(`unknown spot-check status ${String(status)}`)
  }
  return value
}

/**
 * Wire values of SpotCheckStatus. protons represents enum values by name,
 * and the signed bytes carry the number.
 */
const SPOT_CHECK_STATUS_VALUES: Readonly<Record<SpotCheckStatus, number>> = {
  [SpotCheckStatus.SPOT_CHECK_STATUS_UNSPECIFIED]: 0,
  [SpotCheckStatus.SPOT_CHECK_OK]: 1,
  [SpotCheckStatus.SPOT_CHECK_NOT_HELD]: 2,
  [SpotCheckStatus.SPOT_CHECK_NOT_HOLDER]: 3,
  [SpotCheckStatus.SPOT_CHECK_INVALID_REQUEST]: 4,
  [SpotCheckStatus.SPOT_CHECK_RATE_LIMITED]: 5,
  [SpotCheckStatus.SPOT_CHECK_UNAVAILABLE]: 6
}
