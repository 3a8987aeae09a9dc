import { expect } from 'chai'
import { buildPohAck, buildPohRequest, holderSignerFromKeyPair } from '../../src/core/builders.js'
import { CertificateFormatError, parseCertificate, verifyCertificate } from '../../src/core/certificate.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { toHex } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { SigAlg } from '../../src/core/types.js'
import { ackToJson } from '../../src/node/queries.js'
import type { HolderSigner } from '../../src/core/builders.js'
import type { HolderEntry } from '../../src/core/holder-set.js'
import type { Certificate } from '../../src/node/queries.js'

const NETWORK_ID = 'poh-cert-test'
const TIMESTAMP_MS = 1_700_000_000_000

function signer (seedByte: number): HolderSigner {
  return holderSignerFromKeyPair(getScheme(SigAlg.ED25519).generateKeyPair(new Uint8Array(32).fill(seedByte)))
}

function entry (holder: HolderSigner): HolderEntry {
  return { algorithm: 'ED25519', public_key: toHex(holder.keyPair.publicKey) }
}

/** Builds a certificate signed by `signers` for a holder set of `members`. */
function makeCertificate (signers: HolderSigner[], members: HolderSigner[], networkId = NETWORK_ID, payload = 'certified payload'): Certificate {
  const request = buildPohRequest(new TextEncoder().encode(payload), { ttlSeconds: 60, timestampMs: TIMESTAMP_MS })
  const holderSet = HolderSet.fromConfig(members.map(entry))
  return {
    network_id: networkId,
    tx_id: toHex(request.txId),
    holder_set_hash: toHex(holderSet.hash),
    acks: signers.map((holder, index) => ackToJson(buildPohAck(request, holder, { networkId, timestampMs: TIMESTAMP_MS + index })))
  }
}

describe('certificate', () => {
  const holders = [signer(1), signer(2), signer(3)]
  const outsider = signer(9)
  const holderSet = HolderSet.fromConfig(holders.map(entry))
  const holderIds = holders.map(holder => toHex(holder.holderId))

  it('accepts a certificate signed by every holder', () => {
    const verdict = verifyCertificate(makeCertificate(holders, holders), { holderSet, minPohRequired: 3 })

    expect(verdict.problems).to.deep.equal([])
    expect(verdict.valid).to.equal(true)
    expect(verdict.counted).to.deep.equal(holderIds)
  })

  it('accepts the expected network id', () => {
    const verdict = verifyCertificate(makeCertificate(holders, holders), { holderSet, minPohRequired: 3, networkId: NETWORK_ID })

    expect(verdict.valid).to.equal(true)
  })

  it('rejects a flipped signature byte', () => {
    const cert = makeCertificate(holders, holders)
    const signature = cert.acks[1]!.signature
    cert.acks[1]!.signature = (signature[0] === '0' ? '1' : '0') + signature.slice(1)

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 2 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.counted).to.deep.equal([holderIds[0], holderIds[2]])
    expect(verdict.problems).to.have.length(1)
    expect(verdict.problems[0]).to.contain('acks[1]')
    expect(verdict.problems[0]).to.contain(holderIds[1])
    expect(verdict.problems[0]).to.contain('signature does not verify')
  })

  it('rejects a changed timestamp', () => {
    const cert = makeCertificate(holders, holders)
    cert.acks[2]!.timestamp_ms += 1

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 3 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.problems[0]).to.match(/^acks\[2\] \(holder [0-9a-f]{64}\): signature does not verify/)
    expect(verdict.problems[0]).to.contain(holderIds[2])
  })

  it('rejects a different holder set', () => {
    const otherSet = HolderSet.fromConfig([...holders, outsider].map(entry))

    const verdict = verifyCertificate(makeCertificate(holders, holders), { holderSet: otherSet, minPohRequired: 3 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.counted).to.have.length(3)
    expect(verdict.problems).to.have.length(1)
    expect(verdict.problems[0]).to.contain('holder_set_hash')
    expect(verdict.problems[0]).to.contain(toHex(otherSet.hash))
  })

  it('rejects an ACK from a holder outside the set', () => {
    const cert = makeCertificate([holders[0]!, holders[1]!, outsider], holders)

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 2 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.counted).to.deep.equal([holderIds[0], holderIds[1]])
    expect(verdict.problems).to.deep.equal([`acks[2] (holder ${toHex(outsider.holderId)}): holder_id is not in the holder set`])
  })

  it('rejects an ACK for another transaction', () => {
    const cert = makeCertificate(holders, holders)
    const other = makeCertificate(holders, holders, NETWORK_ID, 'another payload')
    cert.acks[0] = other.acks[0]!

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 2 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.problems).to.have.length(1)
    expect(verdict.problems[0]).to.contain('acks[0]')
    expect(verdict.problems[0]).to.contain(`is not the certificate's tx_id ${cert.tx_id}`)
  })

  it('counts a duplicate holder once', () => {
    const cert = makeCertificate([holders[0]!, holders[1]!, holders[1]!], holders)

    const atTwo = verifyCertificate(cert, { holderSet, minPohRequired: 2 })
    const atThree = verifyCertificate(cert, { holderSet, minPohRequired: 3 })

    expect(atTwo.valid).to.equal(true)
    expect(atTwo.counted).to.deep.equal([holderIds[0], holderIds[1]])
    expect(atThree.valid).to.equal(false)
    expect(atThree.problems).to.deep.equal(['2 distinct holders signed validly, fewer than the required 3'])
  })

  it('rejects fewer holders than the minimum', () => {
    const cert = makeCertificate([holders[0]!, holders[2]!], holders)

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 3 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.counted).to.have.length(2)
    expect(verdict.problems).to.deep.equal(['2 distinct holders signed validly, fewer than the required 3'])
  })

  it('rejects an empty ACK list', () => {
    const cert = makeCertificate([], holders)

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 1 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.counted).to.deep.equal([])
  })

  it('rejects a changed network id', () => {
    const cert = makeCertificate(holders, holders)
    cert.network_id = 'poh-other'

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 3 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.counted).to.deep.equal([])
    expect(verdict.problems).to.have.length(4)
    expect(verdict.problems[0]).to.contain('acks[0]')
    expect(verdict.problems[0]).to.contain('network_id "poh-other"')
  })

  it('rejects an unexpected network id', () => {
    const cert = makeCertificate(holders, holders, 'poh-other')

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 3, networkId: NETWORK_ID })

    expect(verdict.valid).to.equal(false)
    expect(verdict.counted).to.have.length(3)
    expect(verdict.problems).to.deep.equal([`network_id "poh-other" is not the expected "${NETWORK_ID}"`])
  })

  it('reports a wrong signature length', () => {
    const cert = makeCertificate(holders, holders)
    cert.acks[0]!.signature = cert.acks[0]!.signature.slice(2)

    const verdict = verifyCertificate(cert, { holderSet, minPohRequired: 2 })

    expect(verdict.valid).to.equal(false)
    expect(verdict.problems[0]).to.contain('acks[0]')
    expect(verdict.problems[0]).to.contain('signature is 63 bytes, expected 64')
  })

  it('verifies ACKs in an open holder set', () => {
    const request = buildPohRequest(new TextEncoder().encode('open payload'), { ttlSeconds: 60, timestampMs: TIMESTAMP_MS })
    const openSet = HolderSet.fromConfig('open')
    const cert: Certificate = {
      network_id: NETWORK_ID,
      tx_id: toHex(request.txId),
      holder_set_hash: toHex(openSet.hash),
      acks: holders.map(holder => ackToJson(buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: TIMESTAMP_MS, includePublicKey: true })))
    }

    const verdict = verifyCertificate(cert, { holderSet: openSet, minPohRequired: 3 })

    expect(verdict.problems).to.deep.equal([])
    expect(verdict.valid).to.equal(true)
  })

  it('rejects a minimum below one', () => {
    expect(() => verifyCertificate(makeCertificate(holders, holders), { holderSet, minPohRequired: 0 })).to.throw(RangeError, 'minPohRequired')
  })

  describe('parseCertificate', () => {
    const cases: Array<[string, (cert: Record<string, any>) => unknown, RegExp]> = [
      ['non-object', () => [], /^certificate must be a JSON object, got an array$/],
      ['missing network_id', (cert) => { delete cert.network_id; return cert }, /network_id must be a string, got nothing/],
      ['short tx_id', (cert) => { cert.tx_id = 'abcd'; return cert }, /tx_id must be 32 bytes/],
      ['non-hex holder_set_hash', (cert) => { cert.holder_set_hash = 'zz'; return cert }, /holder_set_hash must be hex/],
      ['acks not an array', (cert) => { cert.acks = {}; return cert }, /acks must be an array, got an object/],
      ['ACK not an object', (cert) => { cert.acks[1] = 'ack'; return cert }, /acks\[1\] must be a JSON object/],
      ['ACK without signature', (cert) => { delete cert.acks[2].signature; return cert }, /acks\[2\]\.signature must be a string/],
      ['fractional timestamp', (cert) => { cert.acks[0].timestamp_ms = 1.5; return cert }, /acks\[0\]\.timestamp_ms must be a whole number/],
      ['odd-length public_key', (cert) => { cert.acks[0].public_key = 'abc'; return cert }, /acks\[0\]\.public_key must be hex/]
    ]
    for (const [name, mutate, message] of cases) {
      it(`rejects ${name}`, () => {
        const cert = structuredClone(makeCertificate(holders, holders)) as unknown as Record<string, any>

        expect(() => parseCertificate(mutate(cert))).to.throw(CertificateFormatError, message)
      })
    }

    it('runs inside verifyCertificate', () => {
      const cert = makeCertificate(holders, holders) as unknown as Record<string, unknown>
      delete cert.acks

      expect(() => verifyCertificate(cert as unknown as Certificate, { holderSet, minPohRequired: 1 })).to.throw(CertificateFormatError, 'acks')
    })
  })
})
