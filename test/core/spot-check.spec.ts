import { expect } from 'chai'
import { getScheme } from '../../src/core/crypto/index.js'
import { computeTxId, fromHex, toHex } from '../../src/core/hash.js'
import { holderKeyFromPublicKey } from '../../src/core/holder-set.js'
import { SpotCheckTally } from '../../src/core/spot-check-tally.js'
import { SpotCheckStatus, judgeSpotCheck, signSpotCheck, spotCheckProof, spotCheckSignedBytes } from '../../src/core/spot-check.js'
import { SigAlg } from '../../src/core/types.js'
import type { SpotCheckAnswer, SpotCheckChallenge, SpotCheckVerdict } from '../../src/core/spot-check.js'

// RFC 8032 section 7.1 TEST 1, the key of the worked example in docs/PROTOCOL.md.
const SECRET = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60') as Uint8Array
const PAYLOAD = new TextEncoder().encode('hello poh')
const NONCE = Uint8Array.from({ length: 32 }, (_, i) => i)
const keyPair = getScheme(SigAlg.ED25519).generateKeyPair(SECRET)
const holder = holderKeyFromPublicKey(SigAlg.ED25519, keyPair.publicKey)
const txId = computeTxId(PAYLOAD)

// Expected values computed with Python's hashlib and the `cryptography` package (OpenSSL).
const EXPECTED_PROOF = '0640dbd3aab5c68ee713832f3837696b57463eca356979ccbc66e43ed625a61b'
const EXPECTED_SIGNED = '504f482d53504f542d563100706f682d6c6f63616c00' +
  '519c0bb5f2f4f1d7499ef261321b8995a6e8dcd0de4fce7e76babfcab17415a9' +
  'bcd1d56b5845f21e54ce5b764fc1d5520cc2c462e08fade2668dae9353621237' +
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' +
  '01' + EXPECTED_PROOF
const EXPECTED_SIGNATURE = '661922e1d732b78dc6f2cd28a4b79fdf8f00651c7768a1fd29c86c8d3d3c03cb' +
  '28c619b629ad40d8e853a69ea2cd180a5eb1e47f7c4b388d8d9173f678d89f0d'

const challenge: SpotCheckChallenge = { networkId: 'poh-local', txId, holder, nonce: NONCE, payload: PAYLOAD }

function signedAnswer (status: SpotCheckStatus, proof: Uint8Array): SpotCheckAnswer {
  const signature = signSpotCheck({ networkId: 'poh-local', txId, holderId: holder.holderId, nonce: NONCE, status, proof }, keyPair)
  return { status, proof, signature }
}

describe('spot-check bytes', () => {
  it('proof matches literal hash', () => {
    expect(toHex(spotCheckProof(NONCE, PAYLOAD))).to.equal(EXPECTED_PROOF)
  })

  it('signed bytes match literal layout', () => {
    const proof = fromHex(EXPECTED_PROOF) as Uint8Array
    const signed = spotCheckSignedBytes({ networkId: 'poh-local', txId, holderId: holder.holderId, nonce: NONCE, status: SpotCheckStatus.SPOT_CHECK_OK, proof })

    expect(signed.length).to.equal(151)
    expect(toHex(signed)).to.equal(EXPECTED_SIGNED)
  })

  it('Ed25519 signature matches OpenSSL', () => {
    const answer = signedAnswer(SpotCheckStatus.SPOT_CHECK_OK, fromHex(EXPECTED_PROOF) as Uint8Array)

    expect(toHex(answer.signature)).to.equal(EXPECTED_SIGNATURE)
  })

  it('signed bytes reject a proof with NOT_HELD', () => {
    expect(() => spotCheckSignedBytes({ networkId: 'poh-local', txId, holderId: holder.holderId, nonce: NONCE, status: SpotCheckStatus.SPOT_CHECK_NOT_HELD, proof: new Uint8Array(32) }))
      .to.throw(RangeError, /proof must be 0 bytes/)
  })

  it('signed bytes reject a short nonce', () => {
    expect(() => spotCheckSignedBytes({ networkId: 'poh-local', txId, holderId: holder.holderId, nonce: new Uint8Array(31), status: SpotCheckStatus.SPOT_CHECK_OK, proof: new Uint8Array(32) }))
      .to.throw(RangeError, /nonce must be 32 bytes/)
  })
})

describe('spot-check verdicts', () => {
  const goodProof = fromHex(EXPECTED_PROOF) as Uint8Array
  const otherKey = getScheme(SigAlg.ED25519).generateKeyPair(new Uint8Array(32).fill(7))
  const cases: Array<{ id: string, answer: () => SpotCheckAnswer, verdict: SpotCheckVerdict }> = [
    { id: 'valid proof', answer: () => signedAnswer(SpotCheckStatus.SPOT_CHECK_OK, goodProof), verdict: 'pass' },
    { id: 'signed NOT_HELD', answer: () => signedAnswer(SpotCheckStatus.SPOT_CHECK_NOT_HELD, new Uint8Array(0)), verdict: 'not_held' },
    { id: 'signed wrong proof', answer: () => signedAnswer(SpotCheckStatus.SPOT_CHECK_OK, new Uint8Array(32)), verdict: 'wrong_proof' },
    {
      id: 'signature of another key',
      answer: () => ({
        status: SpotCheckStatus.SPOT_CHECK_OK,
        proof: goodProof,
        signature: signSpotCheck({ networkId: 'poh-local', txId, holderId: holder.holderId, nonce: NONCE, status: SpotCheckStatus.SPOT_CHECK_OK, proof: goodProof }, otherKey)
      }),
      verdict: 'bad_signature'
    },
    { id: 'signature for another status', answer: () => ({ ...signedAnswer(SpotCheckStatus.SPOT_CHECK_NOT_HELD, new Uint8Array(0)), status: SpotCheckStatus.SPOT_CHECK_OK, proof: goodProof }), verdict: 'bad_signature' },
    { id: 'empty signature', answer: () => ({ status: SpotCheckStatus.SPOT_CHECK_OK, proof: goodProof, signature: new Uint8Array(0) }), verdict: 'bad_signature' },
    { id: 'short proof', answer: () => ({ status: SpotCheckStatus.SPOT_CHECK_OK, proof: new Uint8Array(31), signature: new Uint8Array(64) }), verdict: 'malformed' },
    { id: 'proof with NOT_HELD', answer: () => ({ status: SpotCheckStatus.SPOT_CHECK_NOT_HELD, proof: goodProof, signature: new Uint8Array(64) }), verdict: 'malformed' },
    { id: 'unspecified status', answer: () => ({ status: SpotCheckStatus.SPOT_CHECK_STATUS_UNSPECIFIED, proof: new Uint8Array(0), signature: new Uint8Array(0) }), verdict: 'malformed' },
    { id: 'INVALID_REQUEST', answer: () => ({ status: SpotCheckStatus.SPOT_CHECK_INVALID_REQUEST, proof: new Uint8Array(0), signature: new Uint8Array(0) }), verdict: 'malformed' },
    { id: 'NOT_HOLDER', answer: () => ({ status: SpotCheckStatus.SPOT_CHECK_NOT_HOLDER, proof: new Uint8Array(0), signature: new Uint8Array(0) }), verdict: 'not_holder' },
    { id: 'RATE_LIMITED', answer: () => ({ status: SpotCheckStatus.SPOT_CHECK_RATE_LIMITED, proof: new Uint8Array(0), signature: new Uint8Array(0) }), verdict: 'rate_limited' },
    { id: 'UNAVAILABLE', answer: () => ({ status: SpotCheckStatus.SPOT_CHECK_UNAVAILABLE, proof: new Uint8Array(0), signature: new Uint8Array(0) }), verdict: 'unavailable' }
  ]
  for (const { id, answer, verdict } of cases) {
    it(`${id} gives ${verdict}`, () => {
      expect(judgeSpotCheck(challenge, answer())).to.equal(verdict)
    })
  }

  it('proof for another network gives bad_signature', () => {
    expect(judgeSpotCheck({ ...challenge, networkId: 'poh-other' }, signedAnswer(SpotCheckStatus.SPOT_CHECK_OK, goodProof))).to.equal('bad_signature')
  })

  for (const alg of [SigAlg.ML_DSA_65, SigAlg.HYBRID_ED25519_ML_DSA_65]) {
    it(`${alg} holder passes`, () => {
      const scheme = getScheme(alg)
      const key = scheme.generateKeyPair(new Uint8Array(scheme.seedLength).fill(9))
      const holder = holderKeyFromPublicKey(alg, key.publicKey)
      const statement = { networkId: 'poh-local', txId, holderId: holder.holderId, nonce: NONCE, status: SpotCheckStatus.SPOT_CHECK_OK, proof: goodProof }

      const verdict = judgeSpotCheck({ ...challenge, holder }, { status: SpotCheckStatus.SPOT_CHECK_OK, proof: goodProof, signature: signSpotCheck(statement, key) })

      expect(verdict).to.equal('pass')
    })
  }
})

describe('spot-check tally', () => {
  const id = (byte: number): Uint8Array => new Uint8Array(32).fill(byte)

  it('counts pass, fail and unreachable apart', () => {
    const tally = new SpotCheckTally()
    tally.record(id(1), 'pass', 10)
    tally.record(id(1), 'not_held', 20)
    tally.record(id(1), 'wrong_proof', 30)
    tally.record(id(1), 'unreachable', 40)

    expect(tally.list()).to.deep.equal([{ holder_id: toHex(id(1)), pass: 1, fail: 2, unreachable: 1, last_result: 'unreachable', last_checked_ms: 40 }])
  })

  it('drops the holder checked least recently', () => {
    const tally = new SpotCheckTally(2)
    tally.record(id(1), 'pass', 10)
    tally.record(id(2), 'pass', 20)
    tally.record(id(1), 'pass', 30)
    tally.record(id(3), 'pass', 40)

    expect(tally.list().map(entry => entry.holder_id)).to.deep.equal([toHex(id(1)), toHex(id(3))])
  })

  it('rejects maxHolders 0', () => {
    expect(() => new SpotCheckTally(0)).to.throw(RangeError, /maxHolders/)
  })
})
