import { expect } from 'chai'
import {
  ackSignedBytes, bytesEqual, computeHolderId, computeStorageHash, computeTxId, fromHex, toHex
} from '../../src/core/hash.js'
import { SigAlg } from '../../src/core/types.js'

// Every expected digest below was computed outside this project with
// Python's hashlib or coreutils sha256sum, never with the code under test.

const encoder = new TextEncoder()

function hex (value: string): Uint8Array {
  return Uint8Array.from(Buffer.from(value, 'hex'))
}

/** RFC 8032 section 7.1, TEST 1: Ed25519 public key. */
const RFC8032_TEST1_PUBLIC_KEY = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')

describe('hash', () => {
  describe('computeTxId', () => {
    it('tx_id of "abc"', () => {
      expect(toHex(computeTxId(encoder.encode('abc'))))
        .to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    })

    it('tx_id of empty payload', () => {
      expect(toHex(computeTxId(new Uint8Array(0))))
        .to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    })
  })

  describe('computeHolderId', () => {
    it('holder_id of RFC 8032 TEST 1 key', () => {
      // sha256(0x01 ‖ public key)
      expect(toHex(computeHolderId(SigAlg.ED25519, RFC8032_TEST1_PUBLIC_KEY)))
        .to.equal('bcd1d56b5845f21e54ce5b764fc1d5520cc2c462e08fade2668dae9353621237')
    })

    it('holder_id depends on algorithm tag', () => {
      // sha256(0x02 ‖ the same key bytes)
      expect(toHex(computeHolderId(SigAlg.ML_DSA_65, RFC8032_TEST1_PUBLIC_KEY)))
        .to.equal('f601e67c7116593a9a0adbbcd9947a66214521d393e7e4d04eab0df58747217c')
    })
  })

  describe('computeStorageHash', () => {
    it('storage_hash of fixed holder and payload', () => {
      // sha256(b"poh/storage/v1" ‖ 32×0x33 ‖ b"abc")
      const holderId = new Uint8Array(32).fill(0x33)

      expect(toHex(computeStorageHash(holderId, encoder.encode('abc'))))
        .to.equal('99e137a5309ee489b8facb93406329d1064d657541f879b58b3c478934520523')
    })

    it('storage_hash of RFC 8032 holder', () => {
      // sha256(b"poh/storage/v1" ‖ holder_id of RFC 8032 TEST 1 ‖ b"abc")
      const holderId = hex('bcd1d56b5845f21e54ce5b764fc1d5520cc2c462e08fade2668dae9353621237')

      expect(toHex(computeStorageHash(holderId, encoder.encode('abc'))))
        .to.equal('c642df329b75197d2d61579136b6039eeccb7cc6ea64f4001e6ca5cd650ef06e')
    })

    it('storage_hash differs from tx_id', () => {
      const payload = encoder.encode('abc')

      expect(bytesEqual(computeStorageHash(new Uint8Array(32), payload), computeTxId(payload))).to.equal(false)
    })
  })

  describe('ackSignedBytes', () => {
    const txId = new Uint8Array(32).fill(0x11)
    const storageHash = new Uint8Array(32).fill(0x22)
    const timestampMs = 1_700_000_000_000n

    it('ackSignedBytes matches pinned bytes', () => {
      const expected =
        '504f482d41434b2d5631' + // "POH-ACK-V1"
        '00' +
        '706f682d6c6f63616c' + // "poh-local"
        '00' +
        '11'.repeat(32) + // tx_id
        '22'.repeat(32) + // storage_hash
        '0000018bcfe56800' // 1700000000000 as u64 big-endian

      const signed = ackSignedBytes('poh-local', txId, storageHash, timestampMs)

      expect(toHex(signed)).to.equal(expected)
    })

    it('ackSignedBytes length is 93 for poh-local', () => {
      // 10 tag + 1 + 9 network id + 1 + 32 + 32 + 8
      expect(ackSignedBytes('poh-local', txId, storageHash, timestampMs)).to.have.length(93)
    })

    it('ackSignedBytes encodes max u64 timestamp', () => {
      const signed = ackSignedBytes('poh-local', txId, storageHash, 0xffff_ffff_ffff_ffffn)

      expect(toHex(signed.subarray(signed.length - 8))).to.equal('ffffffffffffffff')
    })

    it('ackSignedBytes throws on 31-byte tx_id', () => {
      expect(() => ackSignedBytes('poh-local', new Uint8Array(31), storageHash, timestampMs)).to.throw(RangeError)
    })

    it('ackSignedBytes throws on 33-byte storage_hash', () => {
      expect(() => ackSignedBytes('poh-local', txId, new Uint8Array(33), timestampMs)).to.throw(RangeError)
    })

    it('ackSignedBytes differs by network id', () => {
      const local = ackSignedBytes('poh-local', txId, storageHash, timestampMs)
      const other = ackSignedBytes('poh-main', txId, storageHash, timestampMs)

      expect(bytesEqual(local, other)).to.equal(false)
    })
  })

  describe('hex', () => {
    it('fromHex rejects odd length', () => {
      expect(fromHex('abc')).to.equal(undefined)
    })

    it('fromHex rejects non-hex characters', () => {
      expect(fromHex('0g')).to.equal(undefined)
      expect(fromHex('zz11')).to.equal(undefined)
      expect(fromHex('12 4')).to.equal(undefined)
    })

    it('fromHex accepts upper case', () => {
      expect(fromHex('ABff')).to.deep.equal(Uint8Array.of(0xab, 0xff))
    })

    it('fromHex of empty string', () => {
      expect(fromHex('')).to.deep.equal(new Uint8Array(0))
    })

    it('toHex and fromHex round trip', () => {
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)

      expect(fromHex(toHex(bytes))).to.deep.equal(bytes)
    })

    it('toHex of subarray covers only its bytes', () => {
      const bytes = Uint8Array.of(0x00, 0x01, 0x02, 0x03)

      expect(toHex(bytes.subarray(1, 3))).to.equal('0102')
    })
  })

  describe('bytesEqual', () => {
    it('bytesEqual compares length and content', () => {
      expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).to.equal(true)
      expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).to.equal(false)
      expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).to.equal(false)
    })
  })
})
