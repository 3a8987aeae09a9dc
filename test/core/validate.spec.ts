import { expect } from 'chai'
import { buildPohAck, buildPohRequest } from '../../src/core/builders.js'
import { GossipAction, GossipErrorCode } from '../../src/core/errors.js'
import { computeStorageHash, computeTxId } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { SigAlg } from '../../src/core/types.js'
import { AckVerifier, checkAckShape, requestExpiresAt, validateRequest } from '../../src/core/validate.js'
import {
  catchSync, closedSetOf, expectVerdict, flipByte, HOLDER_SEEDS, holderFromSeed, OUTSIDER_SEED, signAckWithStorageHash, T0
} from '../helpers/fixtures.js'
import type { HolderSigner } from '../../src/core/builders.js'
import type { PohAck, PohRequest } from '../../src/core/proto/poh.js'
import type { RequestLimits } from '../../src/core/validate.js'

const NETWORK_ID = 'poh-test'
const encoder = new TextEncoder()

const LIMITS: RequestLimits = { maxPayloadBytes: 64, maxTtlSeconds: 3600, maxClockSkewMs: 5000 }

/** Builds a valid request timestamped T0 with a 60 s TTL. */
function validRequest (text = 'payload'): PohRequest {
  return buildPohRequest(encoder.encode(text), { ttlSeconds: 60, timestampMs: T0 })
}

function withPayload (payload: Uint8Array): PohRequest {
  return { ...validRequest(), payload: payload as Uint8Array<ArrayBuffer>, txId: computeTxId(payload) as Uint8Array<ArrayBuffer> }
}

interface RequestCase {
  id: string
  request: () => PohRequest
  action: GossipAction
  reason: GossipErrorCode
}

const REQUEST_CASES: RequestCase[] = [
  { id: 'wrong version', request: () => ({ ...validRequest(), version: 2 }), action: GossipAction.REJECT, reason: GossipErrorCode.WRONG_VERSION },
  { id: '31-byte tx_id', request: () => ({ ...validRequest(), txId: validRequest().txId.slice(0, 31) }), action: GossipAction.REJECT, reason: GossipErrorCode.BAD_LENGTH },
  { id: 'empty payload', request: () => withPayload(new Uint8Array(0)), action: GossipAction.REJECT, reason: GossipErrorCode.BAD_LENGTH },
  { id: 'payload over limit', request: () => withPayload(new Uint8Array(LIMITS.maxPayloadBytes + 1).fill(7)), action: GossipAction.REJECT, reason: GossipErrorCode.PAYLOAD_TOO_LARGE },
  { id: 'ttl 0', request: () => ({ ...validRequest(), ttlSeconds: 0 }), action: GossipAction.REJECT, reason: GossipErrorCode.TTL_ZERO },
  { id: 'ttl over max', request: () => ({ ...validRequest(), ttlSeconds: LIMITS.maxTtlSeconds + 1 }), action: GossipAction.REJECT, reason: GossipErrorCode.TTL_TOO_LONG },
  { id: 'timestamp beyond skew', request: () => ({ ...validRequest(), timestampMs: BigInt(T0 + LIMITS.maxClockSkewMs + 1) }), action: GossipAction.IGNORE, reason: GossipErrorCode.FUTURE_TIMESTAMP },
  { id: 'stale request', request: () => ({ ...validRequest(), timestampMs: BigInt(T0 - 61_000) }), action: GossipAction.IGNORE, reason: GossipErrorCode.STALE_TIMESTAMP },
  { id: 'expired request', request: () => ({ ...validRequest(), timestampMs: BigInt(T0 - 4000), ttlSeconds: 1 }), action: GossipAction.IGNORE, reason: GossipErrorCode.TX_EXPIRED },
  { id: 'tx_id not SHA-256 of payload', request: () => ({ ...validRequest(), txId: computeTxId(encoder.encode('other')) as Uint8Array<ArrayBuffer> }), action: GossipAction.REJECT, reason: GossipErrorCode.TX_ID_MISMATCH }
]

describe('validate', () => {
  describe('validateRequest', () => {
    for (const { id, request, action, reason } of REQUEST_CASES) {
      it(`validateRequest: ${id}`, () => {
        const err = catchSync(() => validateRequest(request(), LIMITS, T0))

        expectVerdict(err, action, reason)
      })
    }

    it('validateRequest passes valid request', () => {
      expect(() => validateRequest(validRequest(), LIMITS, T0)).to.not.throw()
    })

    it('validateRequest passes payload at limit', () => {
      const request = withPayload(new Uint8Array(LIMITS.maxPayloadBytes).fill(7))

      expect(() => validateRequest(request, LIMITS, T0)).to.not.throw()
    })

    it('validateRequest passes ttl at max', () => {
      const request = { ...validRequest(), ttlSeconds: LIMITS.maxTtlSeconds }

      expect(() => validateRequest(request, LIMITS, T0)).to.not.throw()
    })

    it('validateRequest passes timestamp at skew edge', () => {
      const request = { ...validRequest(), timestampMs: BigInt(T0 + LIMITS.maxClockSkewMs) }

      expect(() => validateRequest(request, LIMITS, T0)).to.not.throw()
    })

    it('validateRequest ignores request at expiry time', () => {
      const request = validRequest()
      const err = catchSync(() => validateRequest(request, LIMITS, requestExpiresAt(request), { fresh: false }))

      expectVerdict(err, GossipAction.IGNORE, GossipErrorCode.TX_EXPIRED)
    })

    it('requestExpiresAt adds ttl to timestamp', () => {
      expect(requestExpiresAt(validRequest())).to.equal(T0 + 60_000)
    })
  })

  describe('checkAckShape', () => {
    const holder = holderFromSeed(HOLDER_SEEDS[0])
    const ack = buildPohAck(validRequest(), holder, { networkId: NETWORK_ID, timestampMs: T0 })

    const SHAPE_CASES: Array<{ id: string, ack: PohAck, reason: GossipErrorCode }> = [
      { id: 'wrong version', ack: { ...ack, version: 2 }, reason: GossipErrorCode.WRONG_VERSION },
      { id: 'version 0', ack: { ...ack, version: 0 }, reason: GossipErrorCode.WRONG_VERSION },
      { id: '31-byte tx_id', ack: { ...ack, txId: ack.txId.slice(0, 31) }, reason: GossipErrorCode.BAD_LENGTH },
      { id: '31-byte storage_hash', ack: { ...ack, storageHash: ack.storageHash.slice(0, 31) }, reason: GossipErrorCode.BAD_LENGTH },
      { id: '31-byte holder_id', ack: { ...ack, holderId: ack.holderId.slice(0, 31) }, reason: GossipErrorCode.BAD_LENGTH },
      { id: 'SIG_ALG_UNSPECIFIED', ack: { ...ack, sigAlg: SigAlg.SIG_ALG_UNSPECIFIED }, reason: GossipErrorCode.UNSUPPORTED_ALGORITHM },
      { id: 'HYBRID sig_alg without signature_pq', ack: { ...ack, sigAlg: SigAlg.HYBRID_ED25519_ML_DSA_65 }, reason: GossipErrorCode.BAD_LENGTH },
      { id: '63-byte Ed25519 signature', ack: { ...ack, signature: ack.signature.slice(0, 63) }, reason: GossipErrorCode.BAD_LENGTH },
      { id: 'Ed25519 signature under ML_DSA_65', ack: { ...ack, sigAlg: SigAlg.ML_DSA_65 }, reason: GossipErrorCode.BAD_LENGTH },
      { id: '31-byte public_key', ack: { ...ack, publicKey: holder.keyPair.publicKey.slice(0, 31) }, reason: GossipErrorCode.BAD_LENGTH }
    ]

    for (const { id, ack: shaped, reason } of SHAPE_CASES) {
      it(`checkAckShape rejects ${id}`, () => {
        expectVerdict(catchSync(() => checkAckShape(shaped)), GossipAction.REJECT, reason)
      })
    }

    it('checkAckShape passes valid ACK', () => {
      expect(() => checkAckShape(ack)).to.not.throw()
    })

    it('checkAckShape passes 32-byte public_key', () => {
      expect(() => checkAckShape({ ...ack, publicKey: holder.keyPair.publicKey as Uint8Array<ArrayBuffer> })).to.not.throw()
    })
  })

  describe('AckVerifier closed set', () => {
    const holders: HolderSigner[] = HOLDER_SEEDS.map((seed) => holderFromSeed(seed))
    const holder = holders[0] as HolderSigner
    const request = validRequest()
    const verifier = new AckVerifier({ networkId: NETWORK_ID, holderSet: closedSetOf(holders), maxClockSkewMs: LIMITS.maxClockSkewMs })
    const ack = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: T0 })

    it('verify passes valid ACK', () => {
      const key = verifier.verify(ack, T0, request.payload)

      expect(key.holderId).to.deep.equal(holder.holderId)
      expect(key.alg).to.equal(SigAlg.ED25519)
    })

    it('verify ignores unknown holder', () => {
      const outsider = holderFromSeed(OUTSIDER_SEED)
      const foreign = buildPohAck(request, outsider, { networkId: NETWORK_ID, timestampMs: T0 })

      expectVerdict(catchSync(() => verifier.verify(foreign, T0)), GossipAction.IGNORE, GossipErrorCode.UNKNOWN_HOLDER)
    })

    it('verify rejects alg differing from listed holder', () => {
      // A listed Ed25519 holder id claimed with ML_DSA_65 and a signature of ML-DSA-65 length.
      const mismatched: PohAck = { ...ack, sigAlg: SigAlg.ML_DSA_65, signature: new Uint8Array(3309) }

      expectVerdict(catchSync(() => verifier.verify(mismatched, T0)), GossipAction.REJECT, GossipErrorCode.HOLDER_ID_MISMATCH)
    })

    it('verify ignores timestamp beyond skew', () => {
      const future = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: T0 + LIMITS.maxClockSkewMs + 1 })

      expectVerdict(catchSync(() => verifier.verify(future, T0)), GossipAction.IGNORE, GossipErrorCode.FUTURE_TIMESTAMP)
    })

    it('verify rejects bad signature', () => {
      const forged: PohAck = { ...ack, signature: flipByte(ack.signature) }

      expectVerdict(catchSync(() => verifier.verify(forged, T0)), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
    })

    it('verify rejects wrong storage_hash for known payload', () => {
      const wrongHash = computeStorageHash(holder.holderId, encoder.encode('another payload'))
      const signedWrong = signAckWithStorageHash(request, holder, wrongHash, T0, NETWORK_ID)

      expect(() => verifier.verify(signedWrong, T0)).to.not.throw()
      expectVerdict(catchSync(() => verifier.verify(signedWrong, T0, request.payload)), GossipAction.REJECT, GossipErrorCode.BAD_STORAGE_HASH)
    })

    it('verify rejects storage_hash of another holder', () => {
      const otherHolder = holders[1] as HolderSigner
      const copiedHash = computeStorageHash(otherHolder.holderId, request.payload)
      const copied = signAckWithStorageHash(request, holder, copiedHash, T0, NETWORK_ID)

      expectVerdict(catchSync(() => verifier.verify(copied, T0, request.payload)), GossipAction.REJECT, GossipErrorCode.BAD_STORAGE_HASH)
    })

    describe('signed field tampering', () => {
      it('tampered tx_id fails verification', () => {
        const tampered: PohAck = { ...ack, txId: flipByte(ack.txId) }

        expectVerdict(catchSync(() => verifier.verify(tampered, T0)), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
      })

      it('tampered storage_hash fails verification', () => {
        const tampered: PohAck = { ...ack, storageHash: flipByte(ack.storageHash) }

        expectVerdict(catchSync(() => verifier.verify(tampered, T0)), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
      })

      it('tampered timestamp_ms fails verification', () => {
        const tampered: PohAck = { ...ack, timestampMs: ack.timestampMs - 1n }

        expectVerdict(catchSync(() => verifier.verify(tampered, T0)), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
      })

      it('other network id fails verification', () => {
        const otherNetwork = new AckVerifier({ networkId: 'poh-other', holderSet: closedSetOf(holders), maxClockSkewMs: LIMITS.maxClockSkewMs })

        expectVerdict(catchSync(() => otherNetwork.verify(ack, T0)), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
      })
    })
  })

  describe('AckVerifier open set', () => {
    const holder = holderFromSeed(HOLDER_SEEDS[0])
    const other = holderFromSeed(HOLDER_SEEDS[1])
    const request = validRequest()
    const verifier = new AckVerifier({ networkId: NETWORK_ID, holderSet: HolderSet.openSet(), maxClockSkewMs: LIMITS.maxClockSkewMs })

    it('open set rejects missing public_key', () => {
      const ack = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: T0 })

      expectVerdict(catchSync(() => verifier.verify(ack, T0)), GossipAction.REJECT, GossipErrorCode.HOLDER_ID_MISMATCH)
    })

    it('open set rejects holder_id not hash of public_key', () => {
      const ack = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: T0, includePublicKey: true })
      const swapped: PohAck = { ...ack, publicKey: other.keyPair.publicKey as Uint8Array<ArrayBuffer> }

      expectVerdict(catchSync(() => verifier.verify(swapped, T0)), GossipAction.REJECT, GossipErrorCode.HOLDER_ID_MISMATCH)
    })

    it('open set passes ACK with public_key', () => {
      const ack = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: T0, includePublicKey: true })
      const key = verifier.verify(ack, T0, request.payload)

      expect(key.holderId).to.deep.equal(holder.holderId)
      expect(key.publicKey).to.deep.equal(holder.keyPair.publicKey)
    })

    it('open set rejects bad signature', () => {
      const ack = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: T0, includePublicKey: true })
      const forged: PohAck = { ...ack, signature: flipByte(ack.signature) }

      expectVerdict(catchSync(() => verifier.verify(forged, T0)), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
    })
  })

  describe('AckVerifier ML-DSA-65', () => {
    const holder = holderFromSeed(0x41, SigAlg.ML_DSA_65)
    const request = validRequest()
    const verifier = new AckVerifier({ networkId: NETWORK_ID, holderSet: closedSetOf([holder]), maxClockSkewMs: LIMITS.maxClockSkewMs })
    const ack = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: T0 })

    it('ML-DSA-65 ACK verifies', () => {
      expect(ack.signature).to.have.length(3309)
      expect(verifier.verify(ack, T0, request.payload).alg).to.equal(SigAlg.ML_DSA_65)
    })

    it('ML-DSA-65 ACK with tampered timestamp fails', () => {
      const tampered: PohAck = { ...ack, timestampMs: ack.timestampMs + 1n }

      expectVerdict(catchSync(() => verifier.verify(tampered, T0)), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
    })

    it('ML-DSA-65 ACK verifies in open set', () => {
      const withKey = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: T0, includePublicKey: true })
      const open = new AckVerifier({ networkId: NETWORK_ID, holderSet: HolderSet.openSet(), maxClockSkewMs: LIMITS.maxClockSkewMs })

      expect(open.verify(withKey, T0, request.payload).holderId).to.deep.equal(holder.holderId)
    })
  })

  describe('builders', () => {
    it('buildPohRequest throws on empty payload', () => {
      expect(() => buildPohRequest(new Uint8Array(0), { ttlSeconds: 60, timestampMs: T0 })).to.throw(RangeError)
    })

    it('buildPohRequest throws on ttl 0', () => {
      expect(() => buildPohRequest(encoder.encode('x'), { ttlSeconds: 0, timestampMs: T0 })).to.throw(RangeError)
    })

    it('buildPohRequest throws on non-integer ttl', () => {
      expect(() => buildPohRequest(encoder.encode('x'), { ttlSeconds: 1.5, timestampMs: T0 })).to.throw(RangeError)
      expect(() => buildPohRequest(encoder.encode('x'), { ttlSeconds: Number.NaN, timestampMs: T0 })).to.throw(RangeError)
    })

    it('buildPohRequest throws on ttl over u32', () => {
      expect(() => buildPohRequest(encoder.encode('x'), { ttlSeconds: 2 ** 32, timestampMs: T0 })).to.throw(RangeError)
    })

    it('buildPohRequest sets tx_id and version', () => {
      const request = buildPohRequest(encoder.encode('abc'), { ttlSeconds: 60, timestampMs: T0 })

      expect(request.version).to.equal(1)
      expect(request.txId).to.deep.equal(computeTxId(encoder.encode('abc')))
      expect(request.timestampMs).to.equal(BigInt(T0))
    })

    it('buildPohAck throws on 31-byte tx_id', () => {
      const request = { ...validRequest(), txId: validRequest().txId.slice(0, 31) }

      expect(() => buildPohAck(request, holderFromSeed(HOLDER_SEEDS[0]), { networkId: NETWORK_ID, timestampMs: T0 })).to.throw(RangeError)
    })

    it('buildPohAck includes public_key only when asked', () => {
      const holder = holderFromSeed(HOLDER_SEEDS[0])

      expect(buildPohAck(validRequest(), holder, { networkId: NETWORK_ID, timestampMs: T0 }).publicKey).to.equal(undefined)
      expect(buildPohAck(validRequest(), holder, { networkId: NETWORK_ID, timestampMs: T0, includePublicKey: true }).publicKey)
        .to.deep.equal(holder.keyPair.publicKey)
    })
  })
})
