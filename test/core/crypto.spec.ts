import { randomBytes } from 'node:crypto'
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { expect } from 'chai'
import { availableBackends, getScheme, nodeSupports } from '../../src/core/crypto/index.js'
import type { CryptoBackend, SignatureScheme } from '../../src/core/crypto/index.js'
import { KeyCache, ORDER_8_POINT_HEX } from '../../src/core/crypto/ed25519.js'
import { PublicKeyCache } from '../../src/core/crypto/key-cache.js'
import { KeyError } from '../../src/core/errors.js'
import { toHex } from '../../src/core/hash.js'
import { SigAlg } from '../../src/core/types.js'

const { Point } = ed
type EdPoint = InstanceType<typeof Point>
const GROUP_ORDER = Point.CURVE().n

function hex (value: string): Uint8Array {
  return Uint8Array.from(Buffer.from(value, 'hex'))
}

function flipBit (bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes)
  const position = index % copy.length
  copy[position] = (copy[position] ?? 0) ^ 0x01
  return copy
}

function bytesToNumberLE (bytes: Uint8Array): bigint {
  return BigInt('0x' + (Buffer.from(bytes).reverse().toString('hex') || '0'))
}

function numberTo32BytesLE (value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse())
}

function challenge (encodedR: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint {
  return bytesToNumberLE(sha512(Buffer.concat([encodedR, publicKey, message]))) % GROUP_ORDER
}

function randomScalar (): bigint {
  return bytesToNumberLE(randomBytes(32)) % (GROUP_ORDER - 1n) + 1n
}

function encodeSignature (point: EdPoint, s: bigint): Uint8Array {
  return Uint8Array.from(Buffer.concat([point.toBytes(), numberTo32BytesLE(s)]))
}

// RFC 8032 section 7.1: secret seed, public key, message, signature.
const RFC8032_VECTORS = [
  {
    name: 'vector 1',
    secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
  },
  {
    name: 'vector 2',
    secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'
  },
  {
    name: 'vector 3',
    secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'
  },
  {
    name: 'vector sha(abc)',
    secretKey: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    publicKey: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    message: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    signature: 'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704'
  }
]

// Seed 0x2a repeated, from the Wycheproof ML-DSA-65 keygen-from-seed vectors.
const ML_DSA_SEED = new Uint8Array(32).fill(0x2a)
const ML_DSA_PUBLIC_KEY_PREFIX = 'f5408337d0fee65c28851226a5fa81b5'

const ALGS = [SigAlg.ED25519, SigAlg.ML_DSA_65] as const
const message = new TextEncoder().encode('POH-ACK-V1 test message')

describe('crypto getScheme', () => {
  it('getScheme defaults to node backend', () => {
    for (const alg of ALGS) {
      const expected: CryptoBackend = nodeSupports(alg) ? 'node' : 'noble'
      expect(getScheme(alg).backend, alg).to.equal(expected)
    }
  })

  it('getScheme returns shared instances', () => {
    expect(getScheme(SigAlg.ED25519, 'noble')).to.equal(getScheme(SigAlg.ED25519, 'noble'))
    expect(getScheme(SigAlg.ML_DSA_65, 'noble')).to.not.equal(getScheme(SigAlg.ED25519, 'noble'))
  })

  it('getScheme rejects unspecified algorithm', () => {
    expect(() => getScheme(SigAlg.SIG_ALG_UNSPECIFIED)).to.throw(Error, /unsupported signature algorithm SIG_ALG_UNSPECIFIED/)
  })


  it('getScheme rejects unknown backend', () => {
    expect(() => getScheme(SigAlg.ED25519, 'wasm' as CryptoBackend)).to.throw(Error, /unknown crypto backend wasm/)
  })

  it('nodeSupports ed25519 on this runtime', () => {
    expect(nodeSupports(SigAlg.ED25519)).to.equal(true)
    expect(nodeSupports(SigAlg.HYBRID_ED25519_ML_DSA_65)).to.equal(nodeSupports(SigAlg.ML_DSA_65))
  })

  it('scheme lengths match the algorithm', () => {
    expect(getScheme(SigAlg.ED25519, 'noble')).to.include({ publicKeyLength: 32, signatureLength: 64, seedLength: 32 })
    expect(getScheme(SigAlg.ML_DSA_65, 'noble')).to.include({ publicKeyLength: 1952, signatureLength: 3309, seedLength: 32 })
    expect(getScheme(SigAlg.HYBRID_ED25519_ML_DSA_65, 'noble')).to.include({ publicKeyLength: 1984, signatureLength: 3373, seedLength: 64 })
  })
})

for (const alg of ALGS) {
  for (const backend of availableBackends(alg)) {
    describe(`crypto ${alg} ${backend}`, () => {
      let scheme: SignatureScheme

      before(() => {
        scheme = getScheme(alg, backend)
      })

      if (alg === SigAlg.ED25519) {
        for (const vector of RFC8032_VECTORS) {
          it(`ed25519 rfc8032 ${vector.name}`, () => {
            const secretKey = hex(vector.secretKey)
            const vectorMessage = hex(vector.message)
            expect(toHex(scheme.publicKeyFromSecret(secretKey))).to.equal(vector.publicKey)
            expect(toHex(scheme.sign(vectorMessage, secretKey))).to.equal(vector.signature)
            expect(scheme.verify(hex(vector.signature), vectorMessage, hex(vector.publicKey))).to.equal(true)
          })
        }
      }

      it('sign verify round trip', () => {
        const { publicKey, secretKey, alg: keyAlg } = scheme.generateKeyPair()
        expect(keyAlg).to.equal(alg)
        expect(publicKey.length).to.equal(scheme.publicKeyLength)
        expect(secretKey.length).to.equal(scheme.seedLength)

        const signature = scheme.sign(message, secretKey)
        expect(signature.length).to.equal(scheme.signatureLength)
        expect(scheme.verify(signature, message, publicKey)).to.equal(true)
      })

      it('repeated signing keeps seed intact', () => {
        const { publicKey, secretKey } = scheme.generateKeyPair()
        const seedCopy = Uint8Array.from(secretKey)
        for (let i = 0; i < 3; i++) {
          expect(scheme.verify(scheme.sign(message, secretKey), message, publicKey), `round ${i}`).to.equal(true)
        }
        expect(secretKey).to.deep.equal(seedCopy)
        expect(scheme.publicKeyFromSecret(secretKey)).to.deep.equal(publicKey)
      })

      it('generateKeyPair from seed is deterministic', () => {
        const seed = new Uint8Array(32).fill(7)
        const first = scheme.generateKeyPair(seed)
        const second = scheme.generateKeyPair(seed)
        expect(first.publicKey).to.deep.equal(second.publicKey)
        expect(first.secretKey).to.deep.equal(seed)
        expect(first.secretKey).to.not.equal(seed)
      })

      describe('one signed message', () => {
        let publicKey: Uint8Array
        let signature: Uint8Array

        before(() => {
          const keyPair = scheme.generateKeyPair()
          publicKey = keyPair.publicKey
          signature = scheme.sign(message, keyPair.secretKey)
        })

        it('verify rejects short signature', () => {
          expect(scheme.verify(signature.subarray(0, signature.length - 1), message, publicKey)).to.equal(false)
        })

        it('verify rejects long signature', () => {
          const longer = Uint8Array.from([...signature, 0])
          expect(scheme.verify(longer, message, publicKey)).to.equal(false)
        })

        it('verify rejects short public key', () => {
          expect(scheme.verify(signature, message, publicKey.subarray(1))).to.equal(false)
        })

        it('verify rejects long public key', () => {
          expect(scheme.verify(signature, message, Uint8Array.from([...publicKey, 0]))).to.equal(false)
        })

        it('verify rejects flipped signature bit', () => {
          for (const index of [0, 31, 32, signature.length - 1]) {
            expect(scheme.verify(flipBit(signature, index), message, publicKey), `byte ${index}`).to.equal(false)
          }
        })

        it('verify rejects flipped message bit', () => {
          expect(scheme.verify(signature, flipBit(message, 0), publicKey)).to.equal(false)
          expect(scheme.verify(signature, flipBit(message, message.length - 1), publicKey)).to.equal(false)
        })

        it('verify rejects flipped key bit', () => {
          for (const index of [0, 5, publicKey.length - 1]) {
            expect(scheme.verify(signature, message, flipBit(publicKey, index)), `byte ${index}`).to.equal(false)
          }
        })

        it('verify rejects all-zero key', () => {
          expect(scheme.verify(signature, message, new Uint8Array(scheme.publicKeyLength))).to.equal(false)
        })

        it('verify rejects all-zero signature', () => {
          expect(scheme.verify(new Uint8Array(scheme.signatureLength), message, publicKey)).to.equal(false)
        })
      })

      it('verify never throws on random bytes', () => {
        const lengths = [0, 1, 31, 32, 33, 63, 64, 65, 128, 1951, 1952, 1953, 3308, 3309, 3310]
        for (const signatureLength of lengths) {
          for (const keyLength of lengths) {
            const verdict = scheme.verify(randomBytes(signatureLength), randomBytes(signatureLength % 7), randomBytes(keyLength))
            expect(verdict, `signature ${signatureLength} bytes, key ${keyLength} bytes`).to.equal(false)
          }
        }
      })

      it('verify never throws on non-byte input', () => {
        const { publicKey, secretKey } = scheme.generateKeyPair()
        const signature = scheme.sign(message, secretKey)
        const garbage = [undefined, null, 'abc', 42, {}, [1, 2, 3]] as unknown as Uint8Array[]
        for (const value of garbage) {
          expect(scheme.verify(value, message, publicKey), `signature ${String(value)}`).to.equal(false)
          expect(scheme.verify(signature, message, value), `public key ${String(value)}`).to.equal(false)
          expect(scheme.verify(signature, value, publicKey), `message ${String(value)}`).to.equal(false)
        }
      })

      it('sign rejects bad seed length', () => {
        for (const length of [0, 31, 33, 64]) {
          const seed = new Uint8Array(length)
          expect(() => scheme.sign(message, seed), `sign, ${length} bytes`).to.throw(KeyError, /expected a 32-byte seed/)
          expect(() => scheme.publicKeyFromSecret(seed), `publicKeyFromSecret, ${length} bytes`).to.throw(KeyError)
          expect(() => scheme.generateKeyPair(seed), `generateKeyPair, ${length} bytes`).to.throw(KeyError)
        }
      })
    })
  }
}

describe('crypto backend interop', () => {
  for (const alg of ALGS) {
    if (!nodeSupports(alg)) {
      it(`${alg} interop`, function () {
        this.skip()
      })
      continue
    }

    it(`${alg} same public key in both backends`, () => {
      const seed = randomBytes(32)
      const noble = getScheme(alg, 'noble').publicKeyFromSecret(seed)
      const node = getScheme(alg, 'node').publicKeyFromSecret(seed)
      expect(toHex(node)).to.equal(toHex(noble))
    })

    it(`${alg} noble signature verifies in node`, () => {
      const { publicKey, secretKey } = getScheme(alg, 'noble').generateKeyPair()
      const signature = getScheme(alg, 'noble').sign(message, secretKey)
      expect(getScheme(alg, 'node').verify(signature, message, publicKey)).to.equal(true)
    })

    it(`${alg} node signature verifies in noble`, () => {
      const { publicKey, secretKey } = getScheme(alg, 'node').generateKeyPair()
      const signature = getScheme(alg, 'node').sign(message, secretKey)
      expect(getScheme(alg, 'noble').verify(signature, message, publicKey)).to.equal(true)
    })
  }

  it('ed25519 signatures identical across backends', () => {
    if (!nodeSupports(SigAlg.ED25519)) {
      return
    }
    const seed = randomBytes(32)
    const noble = getScheme(SigAlg.ED25519, 'noble').sign(message, seed)
    const node = getScheme(SigAlg.ED25519, 'node').sign(message, seed)
    expect(toHex(node)).to.equal(toHex(noble))
  })

  it('ml-dsa-65 keygen from fixed seed', () => {
    const publicKeys = availableBackends(SigAlg.ML_DSA_65).map((backend) => toHex(getScheme(SigAlg.ML_DSA_65, backend).publicKeyFromSecret(ML_DSA_SEED)))
    for (const publicKey of publicKeys) {
      expect(publicKey.length).to.equal(1952 * 2)
      expect(publicKey.startsWith(ML_DSA_PUBLIC_KEY_PREFIX)).to.equal(true)
      expect(publicKey).to.equal(publicKeys[0])
    }
  })
})

describe('crypto ml-dsa-65 context', () => {
  for (const backend of availableBackends(SigAlg.ML_DSA_65)) {
    it(`${backend} context binds signature`, () => {
      const scheme = getScheme(SigAlg.ML_DSA_65, backend)
      const { publicKey, secretKey } = scheme.generateKeyPair()
      const context = new TextEncoder().encode('poh/ack')
      const signature = scheme.signWithContext(message, secretKey, context)
      expect(scheme.verifyWithContext(signature, message, publicKey, context)).to.equal(true)
      expect(scheme.verify(signature, message, publicKey)).to.equal(false)
      expect(scheme.verifyWithContext(signature, message, publicKey, new TextEncoder().encode('poh/acK'))).to.equal(false)
    })

    it(`${backend} context over 255 bytes`, () => {
      const scheme = getScheme(SigAlg.ML_DSA_65, backend)
      const { publicKey, secretKey } = scheme.generateKeyPair()
      const signature = scheme.sign(message, secretKey)
      expect(() => scheme.signWithContext(message, secretKey, new Uint8Array(256))).to.throw(RangeError, /at most 255/)
      expect(scheme.verifyWithContext(signature, message, publicKey, new Uint8Array(256))).to.equal(false)
    })

    it(`${backend} signing is hedged`, () => {
      const scheme = getScheme(SigAlg.ML_DSA_65, backend)
      const { secretKey } = scheme.generateKeyPair()
      expect(toHex(scheme.sign(message, secretKey))).to.not.equal(toHex(scheme.sign(message, secretKey)))
    })
  }

  it('noble zero randomness is deterministic', () => {
    const scheme = getScheme(SigAlg.ML_DSA_65, 'noble')
    const zeros = new Uint8Array(32)
    const first = scheme.signWithContext(message, ML_DSA_SEED, new Uint8Array(0), zeros)
    const second = scheme.signWithContext(message, ML_DSA_SEED, new Uint8Array(0), zeros)
    expect(toHex(first)).to.equal(toHex(second))
  })

  it('node rejects caller randomness', function () {
    if (!nodeSupports(SigAlg.ML_DSA_65)) {
      this.skip()
    }
    const scheme = getScheme(SigAlg.ML_DSA_65, 'node')
    expect(() => scheme.signWithContext(message, ML_DSA_SEED, new Uint8Array(0), new Uint8Array(32))).to.throw(Error, /randomness/)
  })
})

/**
 * Signatures crafted with torsion components or small-order points. noble's
 * own verify (even with zip215: false) accepts several of them while
 * node:crypto rejects them, so these pin the rule both backends share.
 */
describe('crypto ed25519 verdict agreement', () => {
  const order8 = Point.fromHex(ORDER_8_POINT_HEX)
  const backends = availableBackends(SigAlg.ED25519)

  function verdicts (signature: Uint8Array, signedMessage: Uint8Array, publicKey: Uint8Array): boolean[] {
    return backends.map((backend) => getScheme(SigAlg.ED25519, backend).verify(signature, signedMessage, publicKey))
  }

  it('order-8 constant has order 8', () => {
    let point = order8
    let order = 1
    while (!point.is0()) {
      point = point.add(order8)
      order++
    }
    expect(order).to.equal(8)
  })

  it('ed25519 torsion in key', () => {
    const secret = randomScalar()
    const publicKey = Point.BASE.multiply(secret).add(order8).toBytes()
    let rejected = 0
    for (let i = 0; i < 24; i++) {
      const signedMessage = new TextEncoder().encode(`torsion key ${i}`)
      const r = randomScalar()
      const encodedR = Point.BASE.multiply(r).toBytes()
      const k = challenge(encodedR, publicKey, signedMessage)
      const signature = encodeSignature(Point.BASE.multiply(r), (r + k * secret) % GROUP_ORDER)

      // The cofactorless equation holds only when [k] clears the order-8 component.
      const expected = k % 8n === 0n
      expect(verdicts(signature, signedMessage, publicKey), `message ${i}`).to.deep.equal(backends.map(() => expected))
      if (!expected) {
        expect(ed.verify(signature, signedMessage, publicKey, { zip215: false }), `noble cofactored, message ${i}`).to.equal(true)
        rejected++
      }
    }
    expect(rejected).to.be.greaterThan(0)
  })

  it('ed25519 torsion in R', () => {
    const secret = randomScalar()
    const publicKey = Point.BASE.multiply(secret).toBytes()
    const r = randomScalar()
    const pointR = Point.BASE.multiply(r).add(order8)
    const k = challenge(pointR.toBytes(), publicKey, message)
    const signature = encodeSignature(pointR, (r + k * secret) % GROUP_ORDER)

    expect(ed.verify(signature, message, publicKey, { zip215: false })).to.equal(true)
    expect(verdicts(signature, message, publicKey)).to.deep.equal(backends.map(() => false))
  })

  it('ed25519 identity R', () => {
    const secret = randomScalar()
    const publicKey = Point.BASE.multiply(secret).toBytes()
    const k = challenge(Point.ZERO.toBytes(), publicKey, message)
    const signature = encodeSignature(Point.ZERO, (k * secret) % GROUP_ORDER)

    expect(ed.verify(signature, message, publicKey, { zip215: false })).to.equal(true)
    expect(verdicts(signature, message, publicKey)).to.deep.equal(backends.map(() => false))
  })

  it('ed25519 small-order key', () => {
    // With A of order 8, R = [r]B + T and S = r satisfy the equation whenever T = -[k]A.
    const publicKey = order8.toBytes()
    const torsionPoints: EdPoint[] = []
    for (let point = Point.ZERO, i = 0; i < 8; i++, point = point.add(order8)) {
      torsionPoints.push(point)
    }

    let forged = 0
    for (let i = 0; i < 64 && forged < 3; i++) {
      const signedMessage = new TextEncoder().encode(`small key ${i}`)
      const r = randomScalar()
      for (const torsion of torsionPoints) {
        const pointR = Point.BASE.multiply(r).add(torsion)
        const k = challenge(pointR.toBytes(), publicKey, signedMessage)
        if (!torsion.add(order8.multiply(k, false)).is0()) {
          continue
        }
        const signature = encodeSignature(pointR, r)
        expect(ed.verify(signature, signedMessage, publicKey), 'noble zip215').to.equal(true)
        expect(verdicts(signature, signedMessage, publicKey), `message ${i}`).to.deep.equal(backends.map(() => false))
        forged++
      }
    }
    expect(forged).to.be.greaterThan(0)
  })

  it('ed25519 S plus L rejected', () => {
    const scheme = getScheme(SigAlg.ED25519, 'noble')
    const { publicKey, secretKey } = scheme.generateKeyPair()
    const signature = scheme.sign(message, secretKey)
    const s = bytesToNumberLE(signature.subarray(32))
    const malleated = Uint8Array.from([...signature.subarray(0, 32), ...numberTo32BytesLE(s + GROUP_ORDER)])
    expect(verdicts(malleated, message, publicKey)).to.deep.equal(backends.map(() => false))
  })

  it('ed25519 non-canonical key rejected', () => {
    // y = p + 3 reduces to a point of large order, so only strict decoding distinguishes it.
    const fieldPrime = Point.CURVE().p
    const publicKey = numberTo32BytesLE(fieldPrime + 3n)
    expect(() => Point.fromBytes(publicKey, true)).to.not.throw()
    const signature = encodeSignature(Point.BASE, 1n)
    expect(verdicts(signature, message, publicKey)).to.deep.equal(backends.map(() => false))
  })
})

describe('crypto KeyCache', () => {
  it('KeyCache evicts least recently used', () => {
    const cache = new KeyCache<number>(2)
    cache.set('a', 1)
    cache.set('b', 2)
    expect(cache.get('a')).to.equal(1)
    cache.set('c', 3)
    expect(cache.get('b')).to.equal(undefined)
    expect(cache.get('a')).to.equal(1)
    expect(cache.get('c')).to.equal(3)
    expect(cache.size).to.equal(2)
  })

  it('PublicKeyCache tells apart keys with equal first bytes', () => {
    const cache = new PublicKeyCache<string>(4)
    const first = new Uint8Array(64).fill(7)
    const second = Uint8Array.from(first)
    second[63] = 8
    expect(cache.getOrPrepare(first, () => 'first')).to.equal('first')
    expect(cache.getOrPrepare(second, () => 'second')).to.equal('second')
    expect(cache.getOrPrepare(first, () => 'first again')).to.equal('first again')
  })

  it('PublicKeyCache keeps no rejected key', () => {
    const cache = new PublicKeyCache<string>(4)
    expect(cache.getOrPrepare(new Uint8Array(32), () => undefined)).to.equal(undefined)
    expect(cache.size).to.equal(0)
  })

  for (const backend of availableBackends(SigAlg.ML_DSA_65)) {
    it(`ml-dsa-65 ${backend} key differing in last byte rejected`, () => {
      const scheme = getScheme(SigAlg.ML_DSA_65, backend)
      const keyPair = scheme.generateKeyPair(new Uint8Array(32).fill(5))
      const message = new Uint8Array([1, 2, 3])
      const signature = scheme.sign(message, keyPair.secretKey)
      const altered = flipBit(keyPair.publicKey, keyPair.publicKey.length - 1)
      expect(scheme.verify(signature, message, keyPair.publicKey)).to.equal(true)
      expect(scheme.verify(signature, message, altered)).to.equal(false)
      expect(scheme.verify(signature, message, keyPair.publicKey)).to.equal(true)
    })
  }
})
