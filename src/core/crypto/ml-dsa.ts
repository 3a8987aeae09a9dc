/**
 * ML-DSA-65 (FIPS 204) behind the SignatureScheme interface, with a noble
 * backend and a node:crypto backend.
 *
 * The secret key is the 32-byte keygen seed ξ. Signing is hedged (fresh
 * randomness per signature, the FIPS 204 default), so two signatures of the
 * same message differ. Both backends sign the pure ML-DSA message form with
 * an empty context unless a context string is given.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js'
import { toHex } from '../hash.js'
import { SIG_ALG_LENGTHS, SigAlg } from '../types.js'
import type { KeyPair } from '../types.js'
import { assertSeed } from './ed25519.js'
import { KeyCache, PublicKeyCache } from './key-cache.js'
import type { CryptoBackend, SignatureScheme } from './scheme.js'

const SEED_LENGTH = 32
const PUBLIC_KEY_LENGTH = SIG_ALG_LENGTHS[SigAlg.ML_DSA_65].publicKey
const SIGNATURE_LENGTH = SIG_ALG_LENGTHS[SigAlg.ML_DSA_65].signature
const RANDOMNESS_LENGTH = 32

/** Maximum context string length, FIPS 204 section 5.2. */
export const MAX_CONTEXT_LENGTH = 255

/** Maximum number of expanded secret keys kept. */
const SECRET_CACHE_SIZE = 16
/** Maximum number of imported public keys kept. Each entry contains a 1952-byte key. */
const PUBLIC_CACHE_SIZE = 256

// DER prefixes for the id-ml-dsa-65 OID (2.16.840.1.101.3.4.3.18): a PKCS#8
// key holding only the seed ([0] IMPLICIT OCTET STRING), and an SPKI key.
// The raw seed or public key follows each prefix.
const PKCS8_SEED_PREFIX = Buffer.from('3034020100300b060960864801650304031204228020', 'hex')
const SPKI_PREFIX = Buffer.from('308207b2300b0609608648016503040312038207a100', 'hex')

/** ML-DSA-65 scheme with the FIPS 204 context string exposed. */
export interface MlDsa65Scheme extends SignatureScheme {
  /**
   * Signs `message` under `context` (at most 255 bytes). `randomness` is the
   * 32-byte FIPS 204 rnd, where all zeros gives the deterministic variant.
   * Only the noble backend accepts `randomness`, because node:crypto has no
   * option to set it, so the node backend throws an Error when it is given.
   * Throws KeyError on a bad seed and RangeError on a context that is too long.
   */
  signWithContext(message: Uint8Array, secretKey: Uint8Array, context: Uint8Array, randomness?: Uint8Array): Uint8Array

  /** Verifies a signature made under `context`. Returns false for any invalid input instead of throwing. */
  verifyWithContext(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array): boolean
}

const EMPTY_CONTEXT = new Uint8Array(0)

function assertContext (context: Uint8Array): void {
  if (context.length > MAX_CONTEXT_LENGTH) {
    throw new RangeError(`invalid ML-DSA context: ${context.length} bytes, at most ${MAX_CONTEXT_LENGTH} allowed`)
  }
}

function isValidVerifyInput (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array): boolean {
  return signature instanceof Uint8Array && message instanceof Uint8Array &&
    publicKey instanceof Uint8Array && context instanceof Uint8Array &&
    signature.length === SIGNATURE_LENGTH && publicKey.length === PUBLIC_KEY_LENGTH &&
    context.length <= MAX_CONTEXT_LENGTH
}

abstract class BaseMlDsa65 implements MlDsa65Scheme {
  readonly alg = SigAlg.ML_DSA_65
  abstract readonly backend: CryptoBackend
  readonly publicKeyLength = PUBLIC_KEY_LENGTH
  readonly signatureLength = SIGNATURE_LENGTH
  readonly seedLength = SEED_LENGTH

  generateKeyPair (seed?: Uint8Array): KeyPair {
    const secretKey = seed === undefined ? new Uint8Array(randomBytes(SEED_LENGTH)) : Uint8Array.from(seed)
    return { alg: this.alg, publicKey: this.publicKeyFromSecret(secretKey), secretKey }
  }

  sign (message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    return this.signWithContext(message, secretKey, EMPTY_CONTEXT)
  }

  verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    return this.verifyWithContext(signature, message, publicKey, EMPTY_CONTEXT)
  }

  abstract publicKeyFromSecret (secretKey: Uint8Array): Uint8Array
  abstract signWithContext (message: Uint8Array, secretKey: Uint8Array, context: Uint8Array, randomness?: Uint8Array): Uint8Array
  abstract verifyWithContext (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array): boolean
}

class NobleMlDsa65 extends BaseMlDsa65 {
  readonly backend: CryptoBackend = 'noble'

  /** Expanded keys by seed hex: keygen expands the seed into a 4032-byte secret key. */
  private readonly keys = new KeyCache<{ publicKey: Uint8Array, secretKey: Uint8Array }>(SECRET_CACHE_SIZE)

  publicKeyFromSecret (secretKey: Uint8Array): Uint8Array {
    return Uint8Array.from(this.expand(secretKey).publicKey)
  }

  signWithContext (message: Uint8Array, secretKey: Uint8Array, context: Uint8Array, randomness?: Uint8Array): Uint8Array {
    const expanded = this.expand(secretKey)
    assertContext(context)
    if (randomness !== undefined && randomness.length !== RANDOMNESS_LENGTH) {
      throw new RangeError(`invalid ML-DSA randomness: expected ${RANDOMNESS_LENGTH} bytes, got ${randomness.length}`)
    }
    return ml_dsa65.sign(message, expanded.secretKey, { context, extraEntropy: randomness })
  }

  verifyWithContext (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array): boolean {
    try {
      if (!isValidVerifyInput(signature, message, publicKey, context)) {
        return false
      }
      return ml_dsa65.verify(signature, message, publicKey, { context })
    } catch {
      return false
    }
  }

  private expand (secretKey: Uint8Array): { publicKey: Uint8Array, secretKey: Uint8Array } {
    assertSeed(secretKey, SEED_LENGTH, 'ML-DSA-65')
    // keygen gets a copy, so nothing it does to the buffer reaches the caller's seed.
    return this.keys.getOrCreate(toHex(secretKey), () => ml_dsa65.keygen(Uint8Array.from(secretKey)))
  }
}

class NodeMlDsa65 extends BaseMlDsa65 {
  readonly backend: CryptoBackend = 'node'

  private readonly privateKeys = new KeyCache<KeyObject>(SECRET_CACHE_SIZE)
  private readonly publicKeys = new PublicKeyCache<KeyObject>(PUBLIC_CACHE_SIZE)

  publicKeyFromSecret (secretKey: Uint8Array): Uint8Array {
    const spki = createPublicKey(this.privateKey(secretKey)).export({ format: 'der', type: 'spki' })
    return Uint8Array.from(spki.subarray(SPKI_PREFIX.length))
  }

  signWithContext (message: Uint8Array, secretKey: Uint8Array, context: Uint8Array, randomness?: Uint8Array): Uint8Array {
    const key = this.privateKey(secretKey)
    assertContext(context)
    if (randomness !== undefined) {
      throw new Error('the node ML-DSA-65 backend cannot take caller-supplied signing randomness; use the noble backend')
    }
    return Uint8Array.from(nodeSign(null, message, { key, context }))
  }

  verifyWithContext (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, context: Uint8Array): boolean {
    try {
      if (!isValidVerifyInput(signature, message, publicKey, context)) {
        return false
      }
      const key = this.publicKey(publicKey)
      // An empty context is the default, and the key alone skips building an options object.
      return nodeVerify(null, message, context.length === 0 ? key : { key, context }, signature)
    } catch {
      return false
    }
  }

  private privateKey (secretKey: Uint8Array): KeyObject {
    assertSeed(secretKey, SEED_LENGTH, 'ML-DSA-65')
    return this.privateKeys.getOrCreate(toHex(secretKey), () => importSeed(secretKey))
  }

  /** Imports a public key once; createPublicKey throws on a key that is not a valid encoding. */
  private publicKey (publicKey: Uint8Array): KeyObject {
    return this.publicKeys.getOrPrepare(publicKey, () =>
      createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }))
  }
}

function importSeed (seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_SEED_PREFIX, seed]), format: 'der', type: 'pkcs8' })
}

let nodeSupport: boolean | undefined

/**
 * Reports whether node:crypto can import an ML-DSA-65 seed and sign with it.
 * ML-DSA needs a recent Node built with OpenSSL 3.5 or later, so this probes
 * the runtime once instead of trusting a version number.
 */
export function nodeSupportsMlDsa65 (): boolean {
  if (nodeSupport === undefined) {
    try {
      const key = importSeed(new Uint8Array(SEED_LENGTH))
      nodeSupport = key.asymmetricKeyType === 'ml-dsa-65' &&
        nodeSign(null, EMPTY_CONTEXT, key).length === SIGNATURE_LENGTH
    } catch {
      nodeSupport = false
    }
  }
  return nodeSupport
}

export function createNobleMlDsa65 (): MlDsa65Scheme {
  return new NobleMlDsa65()
}

export function createNodeMlDsa65 (): MlDsa65Scheme {
  return new NodeMlDsa65()
}
