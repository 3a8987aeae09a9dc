/**
 * BLS12-381 and Ristretto255 key pairs for keystores, on @noble/curves.
 * Nothing in the node signs with these keys; ACKs use Ed25519 or ML-DSA-65.
 */
import { randomBytes } from 'node:crypto'
import { bls12_381, bls12_381_Fr } from '@noble/curves/bls12-381.js'
import { ristretto255 } from '@noble/curves/ed25519.js'
import { getMinHashLength, mapHashToField } from '@noble/curves/abstract/modular.js'
import { bytesToNumberBE, bytesToNumberLE } from '@noble/curves/utils.js'
import { KeyError } from '../core/errors.js'

export type CurveAlgorithm = 'BLS12_381' | 'RISTRETTO255'

export interface CurveKeyPair {
  algorithm: CurveAlgorithm
  /** BLS12-381: big-endian scalar. Ristretto255: little-endian scalar (RFC 9496). */
  secretKey: Uint8Array
  /** BLS12-381: compressed G1 point (min-pk). Ristretto255: encoded group element. */
  publicKey: Uint8Array
}

/** Secret key length in bytes; both curves use 32-byte scalars. */
export const CURVE_SECRET_KEY_LENGTH = 32

/** Public key length in bytes for each curve. */
export const CURVE_PUBLIC_KEY_LENGTHS: Readonly<Record<CurveAlgorithm, number>> = {
  BLS12_381: 48,
  RISTRETTO255: 32
}

const ristrettoScalars = ristretto255.Point.Fn

/** Generates a random key pair. The secret scalar, in [1, order - 1], is reduced from 48 random bytes, so its bias is negligible. */
export function generateCurveKeyPair (algorithm: CurveAlgorithm): CurveKeyPair {
  if (algorithm === 'BLS12_381') {
    // keygen reduces 48 random bytes to a scalar, as in the IETF BLS KeyGen draft.
    const { secretKey } = bls12_381.longSignatures.keygen()
    return { algorithm, secretKey, publicKey: curvePublicKeyFromSecret(algorithm, secretKey) }
  }
  const seed = randomBytes(getMinHashLength(ristrettoScalars.ORDER))
  const secretKey = mapHashToField(seed, ristrettoScalars.ORDER, true)
  return { algorithm, secretKey, publicKey: curvePublicKeyFromSecret(algorithm, secretKey) }
}

/**
 * Derives the serialised public key from a secret scalar.
 * Throws KeyError when the secret is not 32 bytes or not a scalar in [1, order - 1].
 */
export function curvePublicKeyFromSecret (algorithm: CurveAlgorithm, secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== CURVE_SECRET_KEY_LENGTH) {
    throw new KeyError(`${algorithm} secret key must be ${CURVE_SECRET_KEY_LENGTH} bytes, got ${secretKey.length}`)
  }
  // Checked here because bls12_381_Fr.fromBytes reduces modulo the order instead of rejecting.
  const scalar = algorithm === 'BLS12_381' ? bytesToNumberBE(secretKey) : bytesToNumberLE(secretKey)
  const order = algorithm === 'BLS12_381' ? bls12_381_Fr.ORDER : ristrettoScalars.ORDER
  if (scalar === 0n || scalar >= order) {
    throw new KeyError(`${algorithm} secret key is not a scalar in [1, order - 1]`)
  }
  if (algorithm === 'BLS12_381') {
    return bls12_381.longSignatures.getPublicKey(secretKey).toBytes(true)
  }
  return ristretto255.Point.BASE.multiply(scalar).toBytes()
}
