import { expect } from 'chai'
import { ACK_POLICIES, policyCounts } from '../../src/core/ack-policy.js'
import { buildPohAck, buildPohRequest } from '../../src/core/builders.js'
import { verifyCertificate } from '../../src/core/certificate.js'
import { decodeAck, encodeAck } from '../../src/core/codec.js'
import { availableBackends, getScheme } from '../../src/core/crypto/index.js'
import { GossipAction, GossipErrorCode, KeyError } from '../../src/core/errors.js'
import { ackSignedBytes, computeHolderId, toHex } from '../../src/core/hash.js'
import { HolderSet, holderKeyFromPublicKey } from '../../src/core/holder-set.js'
import { SigAlg } from '../../src/core/types.js'
import { AckVerifier } from '../../src/core/validate.js'
import { ackToJson } from '../../src/node/queries.js'
import { catchSync, closedSetOf, expectVerdict, flipByte, holderFromSeed, T0, TEST_NETWORK_ID } from '../helpers/fixtures.js'
import type { AckPolicy } from '../../src/core/ack-policy.js'
import type { HolderSigner } from '../../src/core/builders.js'
import type { PohAck } from '../../src/core/proto/poh.js'
import type { HolderSigAlg } from '../../src/core/types.js'
import type { Certificate } from '../../src/node/queries.js'

const HYBRID = SigAlg.HYBRID_ED25519_ML_DSA_65
const message = new TextEncoder().encode('hybrid message')
const request = buildPohRequest(new TextEncoder().encode('hybrid payload'), { ttlSeconds: 60, timestampMs: T0 })

function verifierFor (holderSet: HolderSet, policy?: AckPolicy): AckVerifier {
  return new AckVerifier({ networkId: TEST_NETWORK_ID, holderSet, maxClockSkewMs: 5000, policy })
}

function ackBy (signer: HolderSigner, includePublicKey = false): PohAck {
  return buildPohAck(request, signer, { networkId: TEST_NETWORK_ID, timestampMs: T0, includePublicKey })
}

describe('hybrid Ed25519 + ML-DSA-65', function () {
  // ML-DSA-65 signing on the noble backend takes several milliseconds per signature.
  this.timeout(20_000)

  describe('scheme', () => {
    const backends = availableBackends(HYBRID)

    it('runs on noble everywhere', () => {
      expect(backends).to.include('noble')
    })

    for (const backend of backends) {
      it(`${backend}: sign verify round trip`, () => {
        const scheme = getScheme(HYBRID, backend)
        const keyPair = scheme.generateKeyPair()

        const signature = scheme.sign(message, keyPair.secretKey)

        expect(signature).to.have.length(64 + 3309)
        expect(scheme.verify(signature, message, keyPair.publicKey)).to.equal(true)
        expect(scheme.verify(signature, new TextEncoder().encode('other'), keyPair.publicKey)).to.equal(false)
      })
    }

    it('keys are the two parts in order', () => {
      const seed = new Uint8Array(64).fill(9, 0, 32).fill(4, 32)
      const hybrid = getScheme(HYBRID, 'noble').generateKeyPair(seed)
      const ed = getScheme(SigAlg.ED25519, 'noble').generateKeyPair(seed.slice(0, 32))
      const ml = getScheme(SigAlg.ML_DSA_65, 'noble').generateKeyPair(seed.slice(32))

      expect(toHex(hybrid.publicKey)).to.equal(toHex(ed.publicKey) + toHex(ml.publicKey))
      expect(toHex(hybrid.secretKey)).to.equal(toHex(seed))
    })

    it('signatures interoperate across backends', () => {
      const [first, second] = [backends[0], backends[backends.length - 1]]
      const keyPair = getScheme(HYBRID, first).generateKeyPair()

      const signature = getScheme(HYBRID, first).sign(message, keyPair.secretKey)

      expect(getScheme(HYBRID, second).verify(signature, message, keyPair.publicKey)).to.equal(true)
      expect(toHex(getScheme(HYBRID, second).publicKeyFromSecret(keyPair.secretKey))).to.equal(toHex(keyPair.publicKey))
    })

    it('rejects a 32-byte seed', () => {
      const err = catchSync(() => getScheme(HYBRID).sign(message, new Uint8Array(32)))

      expect(err).to.be.instanceOf(KeyError)
      expect((err as KeyError).message).to.match(/must be 64 bytes, got 32/)
    })

    it('verify is false for wrong lengths', () => {
      const scheme = getScheme(HYBRID)
      const keyPair = scheme.generateKeyPair()
      const signature = scheme.sign(message, keyPair.secretKey)

      expect(scheme.verify(signature.subarray(64), message, keyPair.publicKey)).to.equal(false)
      expect(scheme.verify(signature, message, keyPair.publicKey.subarray(32))).to.equal(false)
    })
  })

  describe('signed bytes', () => {
    it('append the hybrid tag byte', () => {
      const single = ackSignedBytes(TEST_NETWORK_ID, request.txId, request.txId, 1n)
      const hybrid = ackSignedBytes(TEST_NETWORK_ID, request.txId, request.txId, 1n, HYBRID)

      expect(toHex(hybrid)).to.equal(toHex(single) + '03')
      expect(toHex(ackSignedBytes(TEST_NETWORK_ID, request.txId, request.txId, 1n, SigAlg.ED25519))).to.equal(toHex(single))
    })
  })

  describe('ACKs', () => {
    const hybrid = holderFromSeed(0x21, HYBRID)
    const verifier = verifierFor(closedSetOf([hybrid]))

    it('carry both signatures and verify', () => {
      const ack = ackBy(hybrid)

      expect(ack.sigAlg).to.equal(HYBRID)
      expect(ack.signature).to.have.length(64)
      expect(ack.signaturePq).to.have.length(3309)
      expect(toHex(verifier.verify(ack, T0, request.payload).holderId)).to.equal(toHex(hybrid.holderId))
    })

    it('verify after a codec round trip', () => {
      const decoded = decodeAck(encodeAck(ackBy(hybrid)))

      expect(toHex(verifier.verify(decoded, T0).holderId)).to.equal(toHex(hybrid.holderId))
    })

    it('verify in an open set with their public key', () => {
      const ack = ackBy(hybrid, true)

      expect(ack.publicKey).to.have.length(1984)
      expect(toHex(verifierFor(HolderSet.openSet()).verify(ack, T0).holderId)).to.equal(toHex(hybrid.holderId))
    })

    const STRIPPED: Array<{ id: string, change: (ack: PohAck) => PohAck, action: GossipAction, reason: GossipErrorCode }> = [
      {
        id: 'ML-DSA half stripped',
        change: ({ signaturePq, ...rest }) => rest,
        action: GossipAction.REJECT,
        reason: GossipErrorCode.BAD_LENGTH
      },
      {
        id: 'Ed25519 half stripped',
        change: (ack) => ({ ...ack, signature: new Uint8Array(0) }),
        action: GossipAction.REJECT,
        reason: GossipErrorCode.BAD_LENGTH
      },
      {
        id: 'ML-DSA half in signature field only',
        change: (ack) => ({ ...ack, signature: ack.signaturePq ?? new Uint8Array(0), signaturePq: undefined }),
        action: GossipAction.REJECT,
        reason: GossipErrorCode.BAD_LENGTH
      },
      {
        id: 'ML-DSA half invalid',
        change: (ack) => ({ ...ack, signaturePq: flipByte(ack.signaturePq ?? new Uint8Array(0), -1) }),
        action: GossipAction.REJECT,
        reason: GossipErrorCode.BAD_SIGNATURE
      },
      {
        id: 'Ed25519 half invalid',
        change: (ack) => ({ ...ack, signature: flipByte(ack.signature, -1) }),
        action: GossipAction.REJECT,
        reason: GossipErrorCode.BAD_SIGNATURE
      },
      {
        id: 'ML-DSA half from another ACK',
        change: (ack) => ({ ...ack, signaturePq: buildPohAck(request, hybrid, { networkId: TEST_NETWORK_ID, timestampMs: T0 + 1 }).signaturePq }),
        action: GossipAction.REJECT,
        reason: GossipErrorCode.BAD_SIGNATURE
      }
    ]

    for (const { id, change, action, reason } of STRIPPED) {
      it(`never count: ${id}`, () => {
        const ack = change(ackBy(hybrid))

        expectVerdict(catchSync(() => verifier.verify(ack, T0)), action, reason)
      })
    }

    it('Ed25519 half fails as an ED25519 ACK', () => {
      const ack = ackBy(hybrid)
      const edKey = holderKeyFromPublicKey(SigAlg.ED25519, hybrid.keyPair.publicKey.slice(0, 32))
      const lifted: PohAck = { ...ack, sigAlg: SigAlg.ED25519, holderId: edKey.holderId as Uint8Array<ArrayBuffer>, signaturePq: undefined }

      const err = catchSync(() => verifierFor(HolderSet.closedSet([edKey])).verify(lifted, T0))

      expectVerdict(err, GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
    })

    it('ML-DSA half fails as an ML_DSA_65 ACK', () => {
      const ack = ackBy(hybrid)
      const mlKey = holderKeyFromPublicKey(SigAlg.ML_DSA_65, hybrid.keyPair.publicKey.slice(32))
      const lifted: PohAck = { ...ack, sigAlg: SigAlg.ML_DSA_65, holderId: mlKey.holderId as Uint8Array<ArrayBuffer>, signature: ack.signaturePq ?? new Uint8Array(0), signaturePq: undefined }

      const err = catchSync(() => verifierFor(HolderSet.closedSet([mlKey])).verify(lifted, T0))

      expectVerdict(err, GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
    })

    it('holder id differs from its halves', () => {
      const edId = computeHolderId(SigAlg.ED25519, hybrid.keyPair.publicKey.slice(0, 32))

      expect(toHex(hybrid.holderId)).to.not.equal(toHex(edId))
    })
  })

  describe('ack_policy', () => {
    const signers: Record<HolderSigAlg, HolderSigner> = {
      [SigAlg.ED25519]: holderFromSeed(0x31, SigAlg.ED25519),
      [SigAlg.ML_DSA_65]: holderFromSeed(0x32, SigAlg.ML_DSA_65),
      [HYBRID]: holderFromSeed(0x33, HYBRID)
    }
    const holderSet = closedSetOf(Object.values(signers))
    const EXPECTED: Record<AckPolicy, HolderSigAlg[]> = {
      classical: [SigAlg.ED25519, SigAlg.ML_DSA_65, HYBRID],
      pq: [SigAlg.ML_DSA_65, HYBRID],
      hybrid: [HYBRID]
    }

    for (const policy of ACK_POLICIES) {
      for (const alg of Object.keys(signers) as HolderSigAlg[]) {
        const counts = EXPECTED[policy].includes(alg)
        it(`${policy} ${counts ? 'counts' : 'ignores'} ${alg}`, () => {
          const ack = ackBy(signers[alg])
          const verifier = verifierFor(holderSet, policy)

          expect(policyCounts(policy, alg)).to.equal(counts)
          if (counts) {
            expect(toHex(verifier.verify(ack, T0).holderId)).to.equal(toHex(signers[alg].holderId))
          } else {
            expectVerdict(catchSync(() => verifier.verify(ack, T0)), GossipAction.IGNORE, GossipErrorCode.ALGORITHM_NOT_ALLOWED)
          }
        })
      }
    }
  })

  describe('certificates', () => {
    const holders = [holderFromSeed(0x41, HYBRID), holderFromSeed(0x42, HYBRID), holderFromSeed(0x43, SigAlg.ED25519)]
    const holderSet = closedSetOf(holders)
    const certificate = (signers: HolderSigner[]): Certificate => ({
      network_id: TEST_NETWORK_ID,
      tx_id: toHex(request.txId),
      holder_set_hash: toHex(holderSet.hash),
      acks: signers.map((signer) => ackToJson(ackBy(signer)))
    })

    it('hybrid ACKs make a valid certificate', () => {
      const verdict = verifyCertificate(certificate(holders.slice(0, 2)), { holderSet, minPohRequired: 2, policy: 'hybrid' })

      expect(verdict.problems).to.deep.equal([])
      expect(verdict.valid).to.equal(true)
    })

    it('stripped signature_pq is a problem', () => {
      const cert = certificate(holders.slice(0, 2))
      delete cert.acks[0]?.signature_pq

      const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 2 })

      expect(verdict.valid).to.equal(false)
      expect(verdict.problems[0]).to.match(/acks\[0\].*missing signature_pq/)
    })

    it('hybrid policy leaves out Ed25519 ACKs', () => {
      const cert = certificate([holders[0] as HolderSigner, holders[2] as HolderSigner])

      const classical = verifyCertificate(cert, { holderSet, minPohRequired: 2 })
      const hybridOnly = verifyCertificate(cert, { holderSet, minPohRequired: 2, policy: 'hybrid' })

      expect(classical.valid).to.equal(true)
      expect(hybridOnly.valid).to.equal(false)
      expect(hybridOnly.ignored).to.have.length(1)
      expect(hybridOnly.ignored[0]).to.match(/acks\[1\].*ED25519 ACKs do not count under ack_policy hybrid/)
      expect(hybridOnly.problems).to.deep.equal(['1 distinct holders signed validly, fewer than the required 2'])
    })

    it('hybrid policy passes with enough hybrid ACKs', () => {
      const verdict = verifyCertificate(certificate(holders), { holderSet, minPohRequired: 2, policy: 'hybrid' })

      expect(verdict.valid).to.equal(true)
      expect(verdict.counted).to.have.length(2)
      expect(verdict.ignored).to.have.length(1)
    })
  })
})
