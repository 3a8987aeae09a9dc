import { SigAlg } from './proto/poh.js'

export { SigAlg }

/** Wire version of every message this implementation sends and accepts. */
export const PROTOCOL_VERSION = 1

/** SHA-256 output length: tx_id, holder_id and storage_hash. */
export const HASH_LENGTH = 32

/** Domain tag at the start of the bytes an ACK signature covers. */
export const ACK_DOMAIN_TAG = 'POH-ACK-V1'

/** Domain tag mixed into storage_hash so it differs from any other SHA-256 use. */
export const STORAGE_DOMAIN_TAG = 'poh/storage/v1'

/**
 * Network ids appear in topic names, protocol ids and signed bytes, where a
 * 0x00 or a slash would make the encoding ambiguous, so they are restricted.
 */
export const NETWORK_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/

/** Signature algorithms that a holder key can use. */
export type HolderSigAlg = SigAlg.ED25519 | SigAlg.ML_DSA_65 | SigAlg.HYBRID_ED25519_ML_DSA_65

/**
 * Byte lengths fixed by each signature algorithm (RFC 8032, FIPS 204). A
 * hybrid public key is the Ed25519 key followed by the ML-DSA-65 key, and a
 * hybrid signature is the two signatures in the same order.
 */
export const SIG_ALG_LENGTHS: Readonly<Record<HolderSigAlg, { publicKey: number, signature: number }>> = {
  [SigAlg.ED25519]: { publicKey: 32, signature: 64 },
  [SigAlg.ML_DSA_65]: { publicKey: 1952, signature: 3309 },
  [SigAlg.HYBRID_ED25519_ML_DSA_65]: { publicKey: 32 + 1952, signature: 64 + 3309 }
}

/** Wire names of the holder signature algorithms. */
export const HOLDER_SIG_ALGS: readonly HolderSigAlg[] = [SigAlg.ED25519, SigAlg.ML_DSA_65, SigAlg.HYBRID_ED25519_ML_DSA_65]

/** Reports whether `alg` is an algorithm a holder key can use. */
export function isHolderSigAlg (alg: unknown): alg is HolderSigAlg {
  return (HOLDER_SIG_ALGS as readonly unknown[]).includes(alg)
}

/**
 * One-byte algorithm tags used in the holder key record, so the same public
 * key bytes under two algorithms give two holder ids.
 */
export const SIG_ALG_TAG: Readonly<Record<SigAlg, number>> = {
  [SigAlg.SIG_ALG_UNSPECIFIED]: 0,
  [SigAlg.ED25519]: 1,
  [SigAlg.ML_DSA_65]: 2,
  [SigAlg.HYBRID_ED25519_ML_DSA_65]: 3
}

/** A signing key pair of one algorithm. */
export interface KeyPair {
  alg: SigAlg
  publicKey: Uint8Array
  secretKey: Uint8Array
}

/** A holder's public identity: its algorithm, public key and derived holder_id. */
export interface HolderKey {
  alg: SigAlg
  publicKey: Uint8Array
  holderId: Uint8Array
}

/** Lifecycle state of a transaction on one node. */
export enum TxState {
  PENDING = 'PENDING',
  HELD = 'HELD',
  EXPIRED = 'EXPIRED'
}

/** Time source. Injected wherever time matters so tests can move it. */
export interface Clock {
  /** Current Unix time in milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
