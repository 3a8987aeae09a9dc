import type { KeyPair, SigAlg } from '../types.js'

/** Implementation behind a signature scheme. */
export type CryptoBackend = 'noble' | 'node'

/**
 * One signature algorithm behind a small synchronous interface.
 *
 * Secret keys are the 32-byte seed for every algorithm (RFC 8032 for
 * Ed25519, FIPS 204 ξ for ML-DSA-65), so key files stay small and any
 * backend can expand them.
 */
export interface SignatureScheme {
  readonly alg: SigAlg
  readonly backend: CryptoBackend
  readonly publicKeyLength: number
  readonly signatureLength: number
  readonly seedLength: number

  /** Generates a key pair, from `seed` when given (deterministic). */
  generateKeyPair(seed?: Uint8Array): KeyPair

  /** Derives the public key from a secret key seed. */
  publicKeyFromSecret(secretKey: Uint8Array): Uint8Array

  /** Signs `message`. Throws KeyError on a secret key of the wrong length. */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array

  /**
   * Verifies a signature. Returns false for any invalid input, including
   * wrong lengths and non-canonical encodings; never throws.
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
}
