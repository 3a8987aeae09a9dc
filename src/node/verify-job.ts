/**
 * Wire format between VerifyPool and its worker threads: a job packs its
 * signature checks into one ArrayBuffer, which postMessage transfers without
 * a copy. Cloning the checks instead would copy the whole buffer behind each
 * subarray, which for decoded ACKs is the gossip message they came in.
 */
import { runSignatureCheck } from '../core/validate.js'
import type { SignatureCheck } from '../core/validate.js'
import type { SigAlg } from '../core/types.js'

/** Checks of one job. For check i, `lengths[3i..3i+2]` are its signature, message and public key lengths. */
export interface PackedChecks {
  algs: SigAlg[]
  lengths: Uint32Array
  bytes: Uint8Array
}

/** Message from the pool to a worker. */
export interface VerifyJobMessage {
  id: number
  checks: PackedChecks
}

/**
 * Message from a worker to the pool: `valid[i]` is 1 when check i verified,
 * else 0, or `error` when a check threw (an algorithm without a scheme).
 */
export type VerifyResultMessage = { id: number, valid: Uint8Array } | { id: number, error: string }

export function packChecks (checks: readonly SignatureCheck[]): PackedChecks {
  const lengths = new Uint32Array(checks.length * 3)
  let total = 0
  checks.forEach((check, i) => {
    lengths[3 * i] = check.signature.length
    lengths[3 * i + 1] = check.message.length
    lengths[3 * i + 2] = check.publicKey.length
    total += check.signature.length + check.message.length + check.publicKey.length
  })

  const bytes = new Uint8Array(total)
  let offset = 0
  for (const check of checks) {
    for (const part of [check.signature, check.message, check.publicKey]) {
      bytes.set(part, offset)
      offset += part.length
    }
  }
  return { algs: checks.map((check) => check.alg), lengths, bytes }
}

export function unpackChecks (packed: PackedChecks): SignatureCheck[] {
  const { algs, lengths, bytes } = packed
  let offset = 0
  const take = (length: number): Uint8Array => {
    const part = bytes.subarray(offset, offset + length)
    offset += length
    return part
  }
  return algs.map((alg, i) => ({
    alg,
    signature: take(lengths[3 * i] ?? 0),
    message: take(lengths[3 * i + 1] ?? 0),
    publicKey: take(lengths[3 * i + 2] ?? 0)
  }))
}

/** Runs every check and returns 1 for each that verified, 0 for each that did not. */
export function runChecks (checks: readonly SignatureCheck[]): Uint8Array {
  const valid = new Uint8Array(checks.length)
  checks.forEach((check, i) => {
    valid[i] = runSignatureCheck(check) ? 1 : 0
  })
  return valid
}

/** Buffers that postMessage moves to the receiving thread instead of copying. */
export function transferList (checks: PackedChecks): ArrayBuffer[] {
  return [checks.lengths.buffer as ArrayBuffer, checks.bytes.buffer as ArrayBuffer]
}
