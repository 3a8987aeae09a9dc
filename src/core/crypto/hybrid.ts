/**
 * HYBRID_ED25519_ML_DSA_65: an Ed25519 and an ML-DSA-65 signature over the
 * same message, both required. The hybrid stays secure while either
 * algorithm is unbroken.
 *
 * Keys and signatures are the two parts concatenated, Ed25519 first:
 * public key 32 + 1952 bytes, seed 32 + 32 bytes, signature 64 + 3309 bytes.
 */
import { KeyError } from '../errors.js'
import { SIG_ALG_LENGTHS, SigAlg } from '../types.js'
import type { KeyPair } from '../types.js'
import type { SignatureScheme } from './scheme.js'

const ED_LENGTHS = SIG_ALG_LENGTHS[SigAlg.ED25519]
const HYBRID_LENGTHS = SIG_ALG_LENGTHS[SigAlg.HYBRID_ED25519_ML_DSA_65]
const ED_SEED_LENGTH = 32

function concat (first: Uint8Array, second: Uint8Array): Uint8Array {
  const out = new Uint8Array(first.length + second.length)
  out.set(first, 0)
  out.set(second, first.length)
  return out
}

/**
 * Splits a hybrid signature into its Ed25519 and ML-DSA-65 parts, which
 * travel in an ACK's signature and signature_pq fields.
 */
export function splitHybridSignature (signature: Uint8Array): { classical: Uint8Array, pq: Uint8Array } {
  return { classical: signature.subarray(0, ED_LENGTHS.signature), pq: signature.subarray(ED_LENGTHS.signature) }
}

/** Joins the two parts of a hybrid signature, Ed25519 first. */
export function joinHybridSignature (classical: Uint8Array, pq: Uint8Array): Uint8Array {
  return concat(classical, pq)
}

/** Builds the hybrid scheme from an Ed25519 and an ML-DSA-65 scheme of one backend. */
export function createHybridScheme (ed25519: SignatureScheme, mlDsa: SignatureScheme): SignatureScheme {
  const seedLength = ed25519.seedLength + mlDsa.seedLength

  const checkSeed = (seed: Uint8Array): void => {
    if (seed.length !== seedLength) {
      throw new KeyError(`${SigAlg.HYBRID_ED25519_ML_DSA_65} secret key must be ${seedLength} bytes, got ${seed.length}`)
    }
  }

  return {
    alg: SigAlg.HYBRID_ED25519_ML_DSA_65,
    backend: ed25519.backend,
    publicKeyLength: HYBRID_LENGTHS.publicKey,
    signatureLength: HYBRID_LENGTHS.signature,
    seedLength,

    generateKeyPair (seed?: Uint8Array): KeyPair {
      if (seed !== undefined) {
        checkSeed(seed)
      }
      const classical = ed25519.generateKeyPair(seed?.subarray(0, ED_SEED_LENGTH))
      const pq = mlDsa.generateKeyPair(seed?.subarray(ED_SEED_LENGTH))
      return {
        alg: SigAlg.HYBRID_ED25519_ML_DSA_65,
        publicKey: concat(classical.publicKey, pq.publicKey),
        secretKey: concat(classical.secretKey, pq.secretKey)
      }
    },

    publicKeyFromSecret (secretKey: Uint8Array): Uint8Array {
      checkSeed(secretKey)
      return concat(
        ed25519.publicKeyFromSecret(secretKey.subarray(0, ED_SEED_LENGTH)),
        mlDsa.publicKeyFromSecret(secretKey.subarray(ED_SEED_LENGTH))
      )
    },

    sign (message: Uint8Array, secretKey: Uint8Array): Uint8Array {
      checkSeed(secretKey)
      return concat(
        ed25519.sign(message, secretKey.subarray(0, ED_SEED_LENGTH)),
        mlDsa.sign(message, secretKey.subarray(ED_SEED_LENGTH))
      )
    },

    verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
      if (signature.length !== HYBRID_LENGTHS.signature || publicKey.length !== HYBRID_LENGTHS.publicKey) {
        return false
      }
      const { classical, pq } = splitHybridSignature(signature)
      // Ed25519 goes first because it verifies faster (about twice as fast
      // with node:crypto in docs/BENCHMARKS.md) and a failure there settles it.
      return ed25519.verify(classical, message, publicKey.subarray(0, ED_LENGTHS.publicKey)) &&
        mlDsa.verify(pq, message, publicKey.subarray(ED_LENGTHS.publicKey))
    }
  }
}
