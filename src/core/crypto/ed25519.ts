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
import { SIG_ALG_LENGTHS, SigAlg } from '../types.js'
import type { KeyPair } from '../types.js'
import type { CryptoBackend, SignatureScheme } from './scheme.js'

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

const SMALL_ORDER_ENCODINGS: ReadonlySet<string> = (() => {
  const generator = Point.fromHex(ORDER_8_POINT_HEX)
  const encodings = new Set<string>()
  let point = Point.ZERO
  for (let i = 0; i < 8; i++) {
    encodings.add(point.toHex())
    point = point.add(generator)
  }
  return encodings
})()

// DER prefixes of the RFC 8410 PKCS#8 and SPKI structures. The raw 32-byte seed or key follows each.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Maximum number of secret keys whose expanded form stays cached. */
const SECRET_CACHE_SIZE = 16
/** Maximum number of decoded public keys kept, one per holder whose ACKs the node verifies often. */
const PUBLIC_CACHE_SIZE = 1024

/**
 * Least-recently-used map with a fixed maximum size, for expanded keys that
 * are costly to rebuild on every signature.
 */
export class KeyCache<V> {
  private readonly entries = new Map<string, V>()

  constructor (readonly maxSize: number) {}

  get (key: string): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }

  set (key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.maxSize) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) {
        this.entries.delete(oldest)
      }
    }
  }

  /** Returns the cached value for `key`, creating and storing it first when absent. */
  getOrCreate (key: string, create: () => V): V {
    let value = this.get(key)
    if (value === undefined) {
      value = create()
      this.set(key, value)
    }
    return value
  }

  get size (): number {
    return this.entries.size
  }
}

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

/**
 * Applies rules 1 to 4 of the verification rule. Returns S and the decoded
 * public key, or undefined when the input must be rejected.
 */
function precheck (signature: Uint8Array, publicKey: Uint8Array, publicKeys: KeyCache<EdPoint>): { s: bigint, point: EdPoint } | undefined {
  if (!(signature instanceof Uint8Array) || !(publicKey instanceof Uint8Array)) {
    return undefined
  }
  if (signature.length !== SIGNATURE_LENGTH || publicKey.length !== PUBLIC_KEY_LENGTH) {
    return undefined
  }

  const s = bytesToNumberLE(signature.subarray(32))
  if (s >= GROUP_ORDER) {
    return undefined
  }

  const point = decodePublicKey(publicKey, publicKeys)
  if (point === undefined) {
    return undefined
  }

  if (SMALL_ORDER_ENCODINGS.has(toHex(signature.subarray(0, 32)))) {
    return undefined
  }
  return { s, point }
}

function decodePublicKey (publicKey: Uint8Array, cache: KeyCache<EdPoint>): EdPoint | undefined {
  const cacheKey = toHex(publicKey)
  const cached = cache.get(cacheKey)
  if (cached !== undefined) {
    return cached
  }
  let point: EdPoint
  try {
    // zip215 = false rejects y >= p and a set sign bit with x = 0.
    point = Point.fromBytes(publicKey, false)
  } catch {
    return undefined
  }
  if (point.isSmallOrder()) {
    return undefined
  }
  cache.set(cacheKey, point)
  return point
}

/** Secret values RFC 8032 section 5.1.5 derives from a seed, plus the public key. */
interface ExpandedSecret {
  scalar: bigint
  prefix: Uint8Array
  publicKey: Uint8Array
}

abstract class BaseEd25519 implements SignatureScheme {
  readonly alg = SigAlg.ED25519
  abstract readonly backend: CryptoBackend
  readonly publicKeyLength = PUBLIC_KEY_LENGTH
  readonly signatureLength = SIGNATURE_LENGTH
  readonly seedLength = SEED_LENGTH

  private readonly publicPoints = new KeyCache<EdPoint>(PUBLIC_CACHE_SIZE)

  generateKeyPair (seed?: Uint8Array): KeyPair {
    const secretKey = seed === undefined ? new Uint8Array(randomBytes(SEED_LENGTH)) : Uint8Array.from(seed)
    return { alg: this.alg, publicKey: this.publicKeyFromSecret(secretKey), secretKey }
  }

  verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    try {
      const checked = precheck(signature, publicKey, this.publicPoints)
      return checked !== undefined && this.verifyEquation(signature, message, publicKey, checked)
    } catch {
      return false
    }
  }

  abstract publicKeyFromSecret (secretKey: Uint8Array): Uint8Array
  abstract sign (message: Uint8Array, secretKey: Uint8Array): Uint8Array

  /** Checks rule 5 for input that passed rules 1 to 4. */
  protected abstract verifyEquation (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, checked: { s: bigint, point: EdPoint }): boolean
}

class NobleEd25519 extends BaseEd25519 {
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

  protected verifyEquation (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, checked: { s: bigint, point: EdPoint }): boolean {
    const encodedR = signature.subarray(0, 32)
    const k = hashToScalar(encodedR, publicKey, message)
    const expectedR = Point.BASE.multiply(checked.s, false).subtract(checked.point.multiply(k, false))
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

class NodeEd25519 extends BaseEd25519 {
  readonly backend: CryptoBackend = 'node'

  private readonly privateKeys = new KeyCache<KeyObject>(SECRET_CACHE_SIZE)
  private readonly publicKeys = new KeyCache<KeyObject>(PUBLIC_CACHE_SIZE)

  publicKeyFromSecret (secretKey: Uint8Array): Uint8Array {
    const spki = createPublicKey(this.privateKey(secretKey)).export({ format: 'der', type: 'spki' })
    return Uint8Array.from(spki.subarray(SPKI_PREFIX.length))
  }

  sign (message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    return Uint8Array.from(nodeSign(null, message, this.privateKey(secretKey)))
  }

  protected verifyEquation (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const key = this.publicKeys.getOrCreate(toHex(publicKey), () =>
      createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }))
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
