/**
 * Offline verification of a quorum certificate, the JSON document that
 * `poh-node get TX_ID --certificate --json` prints.
 * Nothing here needs a running node: the holder set and min_poh_required
 * come from the caller.
 */

import { GossipErrorCode, GossipValidationError, PohError } from './errors.js'
import { bytesEqual, fromHex, toHex } from './hash.js'
import { HASH_LENGTH, PROTOCOL_VERSION } from './types.js'
import { AckVerifier } from './validate.js'
import type { AckPolicy } from './ack-policy.js'
import type { HolderSet } from './holder-set.js'
import type { PohAck } from './proto/poh.js'
import type { SigAlg } from './types.js'
import type { Certificate } from '../node/queries.js'

/** Raised for a certificate document with a missing or mistyped field. The message names the field. */
export class CertificateFormatError extends PohError {
  constructor (message: string) {
    super('ERR_CERTIFICATE_FORMAT', message)
    this.name = 'CertificateFormatError'
  }
}

/** A certificate with its byte fields decoded from hex. */
export interface ParsedCertificate {
  networkId: string
  txId: Uint8Array
  holderSetHash: Uint8Array
  acks: PohAck[]
}

export interface VerifyCertificateOptions {
  /** Holder set the certificate must have been made for. */
  holderSet: HolderSet
  /** Number of distinct holders whose valid ACKs the certificate must carry. */
  minPohRequired: number
  /** When set, the certificate's network_id must equal it. */
  networkId?: string
  /** ACK policy deciding which algorithms count. Default `classical`, under which all do. */
  policy?: AckPolicy
}

/** Outcome of verifyCertificate. */
export interface CertificateVerdict {
  /** True when there are no problems and at least minPohRequired distinct holders signed. */
  valid: boolean
  /** Hex holder ids whose ACKs verified, each once, in certificate order. */
  counted: string[]
  /** One line per failed check, naming the ACK index and holder id where there is one. */
  problems: string[]
  /**
   * One line per ACK left out because its algorithm does not count under
   * the policy. Nodes ignore such ACKs without penalty, so they are not
   * problems, but they do not count toward minPohRequired either.
   */
  ignored: string[]
}

/**
 * Parses certificate JSON (already passed through JSON.parse) and decodes
 * its hex fields. Throws CertificateFormatError naming the first field that
 * is missing, of the wrong type or not hex. Field lengths are not checked
 * here, except for the top-level tx_id and holder_set_hash, because
 * verifyCertificate reports a bad ACK as a problem of that ACK.
 */
export function parseCertificate (value: unknown): ParsedCertificate {
  const cert = expectObject(value, 'certificate')
  const networkId = expectString(cert, 'network_id', 'network_id')
  if (networkId === '') {
    throw new CertificateFormatError('certificate field network_id is empty')
  }
  const txId = expectHash(cert, 'tx_id', 'tx_id')
  const holderSetHash = expectHash(cert, 'holder_set_hash', 'holder_set_hash')
  const acks = cert.acks
  if (!Array.isArray(acks)) {
    throw new CertificateFormatError(`certificate field acks must be an array, got ${describeType(acks)}`)
  }
  return { networkId, txId, holderSetHash, acks: acks.map((ack: unknown, index) => parseAck(ack, `acks[${index}]`)) }
}

function parseAck (value: unknown, name: string): PohAck {
  const ack = expectObject(value, name)
  const timestampMs = ack.timestamp_ms
  if (typeof timestampMs !== 'number' || !Number.isSafeInteger(timestampMs) || timestampMs < 0) {
    throw new CertificateFormatError(`certificate field ${name}.timestamp_ms must be a whole number of Unix milliseconds, got ${JSON.stringify(timestampMs) ?? 'nothing'}`)
  }
  const parsed: PohAck = {
    // AckJson carries no version, and the node only stores ACKs of the version it accepts.
    version: PROTOCOL_VERSION,
    txId: expectHex(ack, 'tx_id', `${name}.tx_id`),
    storageHash: expectHex(ack, 'storage_hash', `${name}.storage_hash`),
    timestampMs: BigInt(timestampMs),
    holderId: expectHex(ack, 'holder_id', `${name}.holder_id`),
    // An unknown algorithm name is reported by checkAckShape as a problem of this ACK.
    sigAlg: expectString(ack, 'sig_alg', `${name}.sig_alg`) as SigAlg,
    signature: expectHex(ack, 'signature', `${name}.signature`)
  }
  if (ack.signature_pq !== undefined) {
    parsed.signaturePq = expectHex(ack, 'signature_pq', `${name}.signature_pq`)
  }
  if (ack.public_key !== undefined) {
    parsed.publicKey = expectHex(ack, 'public_key', `${name}.public_key`)
  }
  return parsed
}

/**
 * Checks a certificate against a holder set: holder_set_hash matches the
 * set, and every ACK is for the certificate's tx_id, comes from a listed
 * holder and carries a signature that verifies over the ACK bytes with the
 * certificate's network_id. Holders are counted once each, so a repeated
 * valid ACK adds nothing. The certificate is valid only when no check
 * failed and at least minPohRequired distinct holders were counted.
 *
 * ACK timestamps are not compared with the clock, because a certificate is
 * usually checked long after it was made. Storage hashes are not checked,
 * because that needs the payload.
 *
 * Throws CertificateFormatError for a malformed document and RangeError for
 * a minPohRequired that is not a positive whole number.
 */
export function verifyCertificate (cert: Certificate, options: VerifyCertificateOptions): CertificateVerdict {
  if (!Number.isSafeInteger(options.minPohRequired) || options.minPohRequired < 1) {
    throw new RangeError(`minPohRequired must be a whole number of at least 1, got ${options.minPohRequired}`)
  }
  // Parsing again checks field types that the Certificate type only promises for trusted input.
  const parsed = parseCertificate(cert)
  const problems: string[] = []

  if (options.networkId !== undefined && parsed.networkId !== options.networkId) {
    problems.push(`network_id "${parsed.networkId}" is not the expected "${options.networkId}"`)
  }
  const expectedHash = options.holderSet.hash
  if (!bytesEqual(parsed.holderSetHash, expectedHash)) {
    problems.push(`holder_set_hash ${toHex(parsed.holderSetHash)} differs from the holder set's hash ${toHex(expectedHash)}, so the certificate was made for a different holder set`)
  }

  // The skew check is the only use of the clock in AckVerifier.precheck, and
  // this skew turns it off: no safe-integer timestamp can exceed it.
  const verifier = new AckVerifier({
    networkId: parsed.networkId,
    holderSet: options.holderSet,
    maxClockSkewMs: Number.MAX_SAFE_INTEGER,
    policy: options.policy
  })
  const counted = new Set<string>()
  const ignored: string[] = []
  parsed.acks.forEach((ack, index) => {
    const holderId = toHex(ack.holderId)
    const outcome = checkAck(verifier, ack, parsed)
    if (outcome === undefined) {
      counted.add(holderId)
    } else if (outcome.ignored) {
      ignored.push(`acks[${index}] (holder ${holderId}): ${outcome.reason}`)
    } else {
      problems.push(`acks[${index}] (holder ${holderId}): ${outcome.reason}`)
    }
  })

  if (counted.size < options.minPohRequired) {
    problems.push(`${counted.size} distinct holders signed validly, fewer than the required ${options.minPohRequired}`)
  }
  return { valid: problems.length === 0, counted: [...counted], problems, ignored }
}

/**
 * Returns why one ACK does not count, or undefined when it does. `ignored`
 * marks an ACK whose algorithm the policy leaves out, which is no fault.
 */
function checkAck (verifier: AckVerifier, ack: PohAck, cert: ParsedCertificate): { reason: string, ignored: boolean } | undefined {
  try {
    const holder = verifier.precheck(ack, 0)
    if (!bytesEqual(ack.txId, cert.txId)) {
      return { reason: `tx_id ${toHex(ack.txId)} is not the certificate's tx_id ${toHex(cert.txId)}`, ignored: false }
    }
    verifier.verifySignature(ack, holder)
    return undefined
  } catch (err) {
    if (!(err instanceof GossipValidationError)) {
      throw err
    }
    return { reason: ackProblem(err, cert), ignored: err.reason === GossipErrorCode.ALGORITHM_NOT_ALLOWED }
  }
}

function ackProblem (err: GossipValidationError, cert: ParsedCertificate): string {
  switch (err.reason) {
    case GossipErrorCode.UNKNOWN_HOLDER:
      return 'holder_id is not in the holder set'
    case GossipErrorCode.BAD_SIGNATURE:
      return `signature does not verify over the ACK fields with network_id "${cert.networkId}"`
    default:
      return err.message
  }
}

function expectObject (value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CertificateFormatError(`${name === 'certificate' ? 'certificate' : `certificate field ${name}`} must be a JSON object, got ${describeType(value)}`)
  }
  return value as Record<string, unknown>
}

function expectString (object: Record<string, unknown>, key: string, name: string): string {
  const value = object[key]
  if (typeof value !== 'string') {
    throw new CertificateFormatError(`certificate field ${name} must be a string, got ${describeType(value)}`)
  }
  return value
}

function expectHex (object: Record<string, unknown>, key: string, name: string): Uint8Array<ArrayBuffer> {
  const bytes = fromHex(expectString(object, key, name))
  if (bytes === undefined) {
    throw new CertificateFormatError(`certificate field ${name} must be hex with an even number of digits`)
  }
  return bytes as Uint8Array<ArrayBuffer>
}

function expectHash (object: Record<string, unknown>, key: string, name: string): Uint8Array {
  const bytes = expectHex(object, key, name)
  if (bytes.length !== HASH_LENGTH) {
    throw new CertificateFormatError(`certificate field ${name} must be ${HASH_LENGTH} bytes (${HASH_LENGTH * 2} hex digits), got ${bytes.length} bytes`)
  }
  return bytes
}

function describeType (value: unknown): string {
  if (value === undefined) {
    return 'nothing (the field is missing)'
  }
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    return 'an array'
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
