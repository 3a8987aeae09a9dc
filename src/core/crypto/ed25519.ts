/**
 * Ed25519 (RFC 8032) behind the SignatureScheme interface, with a noble
 * backend and a node:crypto backend that reach the same verdict on every
 * input.
 *
 * Verification rule shared by both backends:
 * 1. The signature is 64 bytes and the public key 32 bytes.
 * 2. S < L.
 * 3. The public key A is a canonical encoding (y < p, and no sign bit when
 *    x = 0) of a point that is not of small order.
 * 4. R is not the encoding of a small-order point.
 * 5. encode([S]B - [k]A) equals R byte for byte. This is the cofactorless
 *    equation of RFC 8032 section 5.1.7, and it also rejects non-canonical R.
 *
 * noble's own verify, even with `zip215: false`, uses the cofactored
 * equation and accepts R or A with a torsion component. node:crypto
 * (OpenSSL 3.5.8 in Node 24.21) rejects those, and also small-order R and A,
 * as test/core/crypto.spec.ts shows. So the noble backend evaluates rule 5
 * with noble's point arithmetic, and the node backend checks rules 2 to 4
 * itself in case an older OpenSSL skips them.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { KeyError } from '../errors.js'
import { bytesEqual, toHex } from '../hash.js'
import { KeyCache, PublicKeyCache } from './key-cache.js'
import { SIG_ALG_LENGTHS, SigAlg } from '../types.js'
import type { KeyPair } from '../types.js'
import type { CryptoBackend, SignatureScheme } from './scheme.js'

export { KeyCache } from './key-cache.js'

// noble's synchronous API needs a SHA-512 implementation wired in once.
ed.hashes.sha512 = sha512

const { Point } = ed
type EdPoint = InstanceType<typeof Point>

const SEED_LENGTH = 32
const PUBLIC_KEY_LENGTH = SIG_ALG_LENGTHS[SigAlg.ED25519].publicKey
const SIGNATURE_LENGTH = SIG_ALG_LENGTHS[SigAlg.ED25519].signature

/** Order L of the prime-order subgroup. */
const GROUP_ORDER = Point.CURVE().n

/** Canonical encoding of a point of order 8. Its multiples are the eight small-order points. */
export const ORDER_8_POINT_HEX = 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'

/** The eight small-order points, canonically encoded, for rule 4. */
const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = (() => {
  const generator = Point.fromHex(ORDER_8_POINT_HEX)
  const encodings: Uint8Array[] = []
  let point = Point.ZERO
  for (let i = 0; i < 8; i++) {
    encodings.push(point.toBytes())
    point = point.add(generator)
  }
  return encodings
})()

/** L in 32 little-endian bytes, for rule 2 without a bigint per signature. */
const GROUP_ORDER_LE = numberTo32BytesLE(GROUP_ORDER)

// DER prefixes of the RFC 8410 PKCS#8 and SPKI structures. The raw 32-byte seed or key follows each.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Maximum number of secret keys whose expanded form stays cached. */
const SECRET_CACHE_SIZE = 16
/** Maximum number of decoded public keys kept, one per holder whose ACKs the node verifies often. */
const PUBLIC_CACHE_SIZE = 1024

/** Throws KeyError unless `secretKey` is a seed of `length` bytes. */
export function assertSeed (secretKey: Uint8Array, length: number, alg: string): void {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== length) {
    const got = secretKey instanceof Uint8Array ? `${secretKey.length} bytes` : typeof secretKey
    throw new KeyError(`invalid ${alg} secret key: expected a ${length}-byte seed, got ${got}`)
  }
}

function bytesToNumberLE (bytes: Uint8Array): bigint {
  return BigInt('0x' + (Buffer.from(bytes).reverse().toString('hex') || '0'))
}

function numberTo32BytesLE (value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse())
}

/** Hashes the parts with SHA-512 and reduces the digest modulo L, read little-endian. */
function hashToScalar (...parts: Uint8Array[]): bigint {
  const hash = sha512.create()
  for (const part of parts) {
    hash.update(part)
  }
  return bytesToNumberLE(hash.digest()) % GROUP_ORDER
}

/** Rule 2: S, read little-endian from the last 32 bytes of the signature, is below L. */
function isReducedScalar (signature: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const byte = signature[32 + i] ?? 0
    const bound = GROUP_ORDER_LE[i] ?? 0
    if (byte !== bound) {
      return byte < bound
    }
  }
  return false
}

/** Rule 4: the first 32 bytes of the signature encode a small-order point. */
function isSmallOrderR (signature: Uint8Array): boolean {
  return SMALL_ORDER_ENCODINGS.some((encoding) => {
    for (let i = 0; i < 32; i++) {
      if (encoding[i] !== signature[i]) {
        return false
      }
    }
    return true
  })
}

/** Applies rules 1, 2 and 4, which need no key. */
function precheck (signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || !(publicKey instanceof Uint8Array)) {
    return false
  }
  if (signature.length !== SIGNATURE_LENGTH || publicKey.length !== PUBLIC_KEY_LENGTH) {
    return false
  }
  return isReducedScalar(signature) && !isSmallOrderR(signature)
}

/** Applies rule 3: decodes the public key, or returns undefined when it must be rejected. */
function decodePublicKey (publicKey: Uint8Array): EdPoint | undefined {
  let point: EdPoint
  try {
    // zip215 = false rejects y >= p and a set sign bit with x = 0.
    point = Point.fromBytes(publicKey, false)
  } catch {
    return undefined
  }
  return point.isSmallOrder() ? undefined : point
}

/** Secret values RFC 8032 section 5.1.5 derives from a seed, plus the public key. */
interface ExpandedSecret {
  scalar: bigint
  prefix: Uint8Array
  publicKey: Uint8Array
}

/**
 * Shared verify logic. `K` is what a backend prepares from a public key that
 * passed rule 3: a decoded point for noble, a KeyObject for node:crypto.
 */
abstract class BaseEd25519<K> implements SignatureScheme {
  readonly alg = SigAlg.ED25519
  abstract readonly backend: CryptoBackend
  readonly publicKeyLength = PUBLIC_KEY_LENGTH
  readonly signatureLength = SIGNATURE_LENGTH
  readonly seedLength = SEED_LENGTH

  private readonly publicKeys = new PublicKeyCache<K>(PUBLIC_CACHE_SIZE)

  generateKeyPair (seed?: Uint8Array): KeyPair {
    const secretKey = seed === undefined ? new Uint8Array(randomBytes(SEED_LENGTH)) : Uint8Array.from(seed)
    return { alg: this.alg, publicKey: this.publicKeyFromSecret(secretKey), secretKey }
  }

  verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    try {
      if (!precheck(signature, publicKey)) {
        return false
      }
      const key = this.publicKeys.getOrPrepare(publicKey, () => {
        const point = decodePublicKey(publicKey)
        return point === undefined ? undefined : this.prepareKey(publicKey, point)
      })
      return key !== undefined && this.verifyEquation(signature, message, publicKey, key)
    } catch {
      return false
    }
  }

  abstract publicKeyFromSecret (secretKey: Uint8Array): Uint8Array
  abstract sign (message: Uint8Array, secretKey: Uint8Array): Uint8Array

  /** Prepares a public key that passed rule 3 for verifyEquation. */
  protected abstract prepareKey (publicKey: Uint8Array, point: EdPoint): K

  /** Checks rule 5 for input that passed rules 1 to 4. */
  protected abstract verifyEquation (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, key: K): boolean
}

class NobleEd25519 extends BaseEd25519<EdPoint> {
  readonly backend: CryptoBackend = 'noble'

  private readonly secrets = new KeyCache<ExpandedSecret>(SECRET_CACHE_SIZE)

  publicKeyFromSecret (secretKey: Uint8Array): Uint8Array {
    return Uint8Array.from(this.expand(secretKey).publicKey)
  }

  /** Signs per RFC 8032 section 5.1.6, reusing the cached expanded seed. */
  sign (message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    const { scalar, prefix, publicKey } = this.expand(secretKey)
    const r = hashToScalar(prefix, message)
    const encodedR = Point.BASE.multiply(r).toBytes()
    const k = hashToScalar(encodedR, publicKey, message)
    const s = (r + k * scalar) % GROUP_ORDER

    const signature = new Uint8Array(SIGNATURE_LENGTH)
    signature.set(encodedR, 0)
    signature.set(numberTo32BytesLE(s), 32)
    return signature
  }

  protected prepareKey (_publicKey: Uint8Array, point: EdPoint): EdPoint {
    return point
  }

  protected verifyEquation (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, point: EdPoint): boolean {
    const encodedR = signature.subarray(0, 32)
    const s = bytesToNumberLE(signature.subarray(32))
    const k = hashToScalar(encodedR, publicKey, message)
    const expectedR = Point.BASE.multiply(s, false).subtract(point.multiply(k, false))
    return bytesEqual(expectedR.toBytes(), encodedR)
  }

  private expand (secretKey: Uint8Array): ExpandedSecret {
    assertSeed(secretKey, SEED_LENGTH, 'Ed25519')
    return this.secrets.getOrCreate(toHex(secretKey), () => {
      const extended = ed.utils.getExtendedPublicKey(secretKey)
      return { scalar: extended.scalar, prefix: Uint8Array.from(extended.prefix), publicKey: Uint8Array.from(extended.pointBytes) }
    })
  }
}

class NodeEd25519 extends BaseEd25519<KeyObject> {
  readonly backend: CryptoBackend = 'node'

  private readonly privateKeys = new KeyCache<KeyObject>(SECRET_CACHE_SIZE)

  publicKeyFromSecret (secretKey: Uint8Array): Uint8Array {
    const spki = createPublicKey(this.privateKey(secretKey)).export({ format: 'der', type: 'spki' })
    return Uint8Array.from(spki.subarray(SPKI_PREFIX.length))
  }

  sign (message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    return Uint8Array.from(nodeSign(null, message, this.privateKey(secretKey)))
  }

  protected prepareKey (publicKey: Uint8Array): KeyObject {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
  }

  protected verifyEquation (signature: Uint8Array, message: Uint8Array, _publicKey: Uint8Array, key: KeyObject): boolean {
    return nodeVerify(null, message, key, signature)
  }

  private privateKey (secretKey: Uint8Array): KeyObject {
    assertSeed(secretKey, SEED_LENGTH, 'Ed25519')
    return this.privateKeys.getOrCreate(toHex(secretKey), () =>
      createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: 'der', type: 'pkcs8' }))
  }
}

/** Reports whether node:crypto can import and use an Ed25519 key on this runtime. */
export function nodeSupportsEd25519 (): boolean {
  try {
    const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, Buffer.alloc(SEED_LENGTH)]), format: 'der', type: 'pkcs8' })
    return key.asymmetricKeyType === 'ed25519'
  } catch {
    return false
  }
}

export function createNobleEd25519 (): SignatureScheme {
  return new NobleEd25519()
}

export function createNodeEd25519 (): SignatureScheme {
  return new NodeEd25519()
}
