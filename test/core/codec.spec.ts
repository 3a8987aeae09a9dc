import { expect } from 'chai'
import { buildPohAck, buildPohRequest, holderSignerFromKeyPair } from '../../src/core/builders.js'
import {
  ackStorageHash, decodeAck, decodeAckBatch, decodeRequest, encodeAck, encodeAckBatch, encodeRequest, MAX_ACKS_PER_BATCH
} from '../../src/core/codec.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { DecodeError, GossipAction, GossipErrorCode, GossipValidationError } from '../../src/core/errors.js'
import { toHex } from '../../src/core/hash.js'
import { SigAlg } from '../../src/core/types.js'
import { catchSync, expectVerdict } from '../helpers/fixtures.js'
import type { PohAck, PohRequest } from '../../src/core/codec.js'

function bytes (length: number, fill: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(length).fill(fill)
}

function hex (value: string): Uint8Array {
  return Uint8Array.from(Buffer.from(value, 'hex'))
}

function sampleRequest (): PohRequest {
  return {
    version: 1,
    txId: bytes(32, 0xa1),
    payload: bytes(300, 0x5c),
    timestampMs: 1_700_000_000_123n,
    ttlSeconds: 86_400
  }
}

function sampleAck (): PohAck {
  return {
    version: 1,
    txId: bytes(32, 0x11),
    storageHash: bytes(32, 0x22),
    timestampMs: 1_700_000_000_456n,
    holderId: bytes(32, 0x33),
    sigAlg: SigAlg.ED25519,
    signature: bytes(64, 0x44)
  }
}

function expectAckFields (actual: PohAck, expected: PohAck): void {
  expect(actual.version).to.equal(expected.version)
  expect(actual.txId).to.deep.equal(expected.txId)
  expect(actual.storageHash).to.deep.equal(expected.storageHash)
  expect(actual.timestampMs).to.equal(expected.timestampMs)
  expect(actual.holderId).to.deep.equal(expected.holderId)
  expect(actual.sigAlg).to.equal(expected.sigAlg)
  expect(actual.signature).to.deep.equal(expected.signature)
  expect(actual.signaturePq).to.deep.equal(expected.signaturePq)
  expect(actual.publicKey).to.deep.equal(expected.publicKey)
}

/** Malformed inputs that neither decoder may accept. */
const MALFORMED_CASES: Array<{ id: string, input: string }> = [
  // Field 1 as a varint whose continuation bit promises a byte that is missing.
  { id: 'truncated varint', input: '0880' },
  // Field 2 (bytes) declaring 5 bytes where only 1 follows.
  { id: 'length prefix beyond end', input: '120501' },
  // Field 6 is unknown to both messages, so the decoder must skip it by wire type 7, which does not exist.
  { id: 'wire type 7', input: '3701' },
  // Fixed bytes that end inside a varint.
  { id: 'random bytes', input: '9b3e71d405a2ff106ce8472dbe93015a' }
]

describe('codec', () => {
  describe('round trips', () => {
    it('PohRequest keeps every field', () => {
      const request = sampleRequest()
      const decoded = decodeRequest(encodeRequest(request))

      expect(decoded.version).to.equal(request.version)
      expect(decoded.txId).to.deep.equal(request.txId)
      expect(decoded.payload).to.deep.equal(request.payload)
      expect(decoded.timestampMs).to.equal(request.timestampMs)
      expect(decoded.ttlSeconds).to.equal(request.ttlSeconds)
    })

    it('PohRequest keeps max u64 timestamp and max u32 ttl', () => {
      const request = { ...sampleRequest(), timestampMs: 0xffff_ffff_ffff_ffffn, ttlSeconds: 0xffff_ffff }
      const decoded = decodeRequest(encodeRequest(request))

      expect(decoded.timestampMs).to.equal(request.timestampMs)
      expect(decoded.ttlSeconds).to.equal(request.ttlSeconds)
    })

    it('PohAck without optional fields', () => {
      const ack = sampleAck()
      const decoded = decodeAck(encodeAck(ack))

      expectAckFields(decoded, ack)
      expect(decoded.signaturePq).to.equal(undefined)
      expect(decoded.publicKey).to.equal(undefined)
    })

    it('PohAck with signature_pq and public_key', () => {
      const ack: PohAck = {
        ...sampleAck(),
        sigAlg: SigAlg.HYBRID_ED25519_ML_DSA_65,
        signaturePq: bytes(3309, 0x55),
        publicKey: bytes(32, 0x66)
      }
      const decoded = decodeAck(encodeAck(ack))

      expectAckFields(decoded, ack)
    })

    it('PohAck keeps ML_DSA_65 sig_alg', () => {
      const ack: PohAck = { ...sampleAck(), sigAlg: SigAlg.ML_DSA_65, signature: bytes(3309, 0x77) }

      expectAckFields(decodeAck(encodeAck(ack)), ack)
    })

    it('PohAckBatch keeps ACKs in order', () => {
      const first = sampleAck()
      const second: PohAck = { ...sampleAck(), holderId: bytes(32, 0x99), publicKey: bytes(32, 0x88) }
      const decoded = decodeAckBatch(encodeAckBatch([first, second]))

      expect(decoded.acks).to.have.length(2)
      expectAckFields(decoded.acks[0] as PohAck, first)
      expectAckFields(decoded.acks[1] as PohAck, second)
    })

    it('PohAckBatch at MAX_ACKS_PER_BATCH decodes', () => {
      const acks = Array.from({ length: MAX_ACKS_PER_BATCH }, () => sampleAck())

      expect(decodeAckBatch(encodeAckBatch(acks)).acks).to.have.length(MAX_ACKS_PER_BATCH)
    })
  })

  describe('wire format', () => {
    it('PohRequest encodes to pinned bytes', () => {
      const request: PohRequest = {
        version: 1,
        txId: Uint8Array.of(0xaa, 0xbb),
        payload: Uint8Array.of(0x61, 0x62, 0x63),
        timestampMs: 1_700_000_000_000n,
        ttlSeconds: 3600
      }
      // 08 01: version = 1
      // 12 02 aabb: tx_id, 2 bytes
      // 1a 03 616263: payload "abc"
      // 20 80d095ffbc31: timestamp_ms 1700000000000 as a varint
      // 28 901c: ttl_seconds 3600 as a varint
      const expected = '08011202aabb1a036162632080d095ffbc3128901c'

      expect(Buffer.from(encodeRequest(request)).toString('hex')).to.equal(expected)
      expect(decodeRequest(hex(expected)).timestampMs).to.equal(1_700_000_000_000n)
    })

    it('PohRequest skips unknown fields', () => {
      // version = 1, then field 15 as a varint, which a newer sender might add.
      const decoded = decodeRequest(hex('0801780a'))

      expect(decoded.version).to.equal(1)
    })
  })

  describe('decodeRequest errors', () => {
    for (const { id, input } of MALFORMED_CASES) {
      it(`decodeRequest rejects ${id}`, () => {
        const err = catchSync(() => decodeRequest(hex(input)))

        expectVerdict(err, GossipAction.REJECT, GossipErrorCode.UNDECODABLE)
      })
    }
  })

  describe('decodeAckBatch errors', () => {
    for (const { id, input } of MALFORMED_CASES) {
      it(`decodeAckBatch rejects ${id}`, () => {
        const err = catchSync(() => decodeAckBatch(hex(input)))

        expectVerdict(err, GossipAction.REJECT, GossipErrorCode.UNDECODABLE)
      })
    }

    it('decodeAckBatch rejects truncated inner ACK', () => {
      const encoded = encodeAckBatch([sampleAck()])
      const truncated = encoded.subarray(0, encoded.length - 10)

      expectVerdict(catchSync(() => decodeAckBatch(truncated)), GossipAction.REJECT, GossipErrorCode.UNDECODABLE)
    })

    it('decodeAckBatch rejects empty batch', () => {
      const encoded = encodeAckBatch([])

      expect(encoded).to.have.length(0)
      expectVerdict(catchSync(() => decodeAckBatch(encoded)), GossipAction.REJECT, GossipErrorCode.EMPTY_BATCH)
    })

    it('decodeAckBatch rejects batch over MAX_ACKS_PER_BATCH', () => {
      const acks = Array.from({ length: MAX_ACKS_PER_BATCH + 1 }, () => sampleAck())
      const err = catchSync(() => decodeAckBatch(encodeAckBatch(acks)))

      expect(err).to.be.instanceOf(GossipValidationError)
      const verdict = err as GossipValidationError
      expect(verdict.action).to.equal(GossipAction.REJECT)
      expect(verdict.reason).to.equal(GossipErrorCode.BATCH_TOO_LARGE)
    })
  })
})

describe('ackStorageHash', () => {
  const request = buildPohRequest(new TextEncoder().encode('storage hash only'), { ttlSeconds: 60, timestampMs: 1_700_000_000_000 })

  for (const alg of [SigAlg.ED25519, SigAlg.ML_DSA_65, SigAlg.HYBRID_ED25519_ML_DSA_65]) {
    it(`matches full decode for ${alg}`, () => {
      const signer = holderSignerFromKeyPair(getScheme(alg).generateKeyPair())
      const encoded = encodeAck(buildPohAck(request, signer, { networkId: 'poh-test', timestampMs: 2 ** 50, includePublicKey: true }))

      expect(toHex(ackStorageHash(encoded))).to.equal(toHex(decodeAck(encoded).storageHash))
    })
  }

  it('rejects truncated bytes', () => {
    const signer = holderSignerFromKeyPair(getScheme(SigAlg.ED25519).generateKeyPair())
    const encoded = encodeAck(buildPohAck(request, signer, { networkId: 'poh-test', timestampMs: 1 }))

    expect(() => ackStorageHash(encoded.subarray(0, 40))).to.throw(DecodeError, /runs past the end|ends inside a varint/)
  })

  it('rejects an ACK without storage_hash', () => {
    expect(() => ackStorageHash(Uint8Array.of(0x08, 0x01))).to.throw(DecodeError, /has no storage_hash/)
  })

  it('rejects an unused wire type', () => {
    expect(() => ackStorageHash(Uint8Array.of(0x0d, 0, 0, 0, 0))).to.throw(DecodeError, /wire type 5/)
  })
})
