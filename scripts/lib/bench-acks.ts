/**
 * Fixtures and timing helpers shared by the micro benchmark sections: signed
 * ACKs as a node receives them, and measurements of two operations taken in
 * alternating rounds so both see the same load on a shared machine.
 */
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { buildPohAck, buildPohRequest, holderSignerFromKeyPair } from '../../src/core/builders.js'
import { decodeAckBatch, encodeAckBatch } from '../../src/core/codec.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { toHex } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { SigAlg } from '../../src/core/types.js'
import { AckVerifier } from '../../src/core/validate.js'
import { measure } from './bench-util.js'
import type { BenchOptions, Measurement } from './bench-util.js'
import type { HolderSigner } from '../../src/core/builders.js'
import type { PohAck, PohRequest } from '../../src/core/proto/poh.js'

export const BENCH_NETWORK_ID = 'bench'

/** Algorithms the micro benchmarks measure. */
export const BENCH_ALGS = [SigAlg.ED25519, SigAlg.ML_DSA_65] as const
export type BenchAlg = typeof BENCH_ALGS[number]

/** Distinct ACKs used in rotation, so no operation can reuse an earlier result. */
export const ACK_COUNT = 64

/** Payload bytes of the requests the fixtures ACK. */
export const PAYLOAD_BYTES = 1024

// DER prefixes of RFC 8410 (Ed25519) and of id-ml-dsa-65 keys; the raw key or seed follows each.
const SPKI_PREFIX: Record<BenchAlg, string> = {
  [SigAlg.ED25519]: '302a300506032b6570032100',
  [SigAlg.ML_DSA_65]: '308207b2300b0609608648016503040312038207a100'
}
const PKCS8_PREFIX: Record<BenchAlg, string> = {
  [SigAlg.ED25519]: '302e020100300506032b657004220420',
  [SigAlg.ML_DSA_65]: '3034020100300b060960864801650304031204228020'
}

/** One holder's signed ACKs for distinct requests, decoded from a batch as the ACK topic delivers them. */
export interface AckFixture {
  alg: BenchAlg
  signer: HolderSigner
  requests: PohRequest[]
  acks: PohAck[]
  /** The bytes each ACK's signature covers. */
  messages: Uint8Array[]
  /** Verifier of a closed holder set that lists the signer. */
  verifier: AckVerifier
  /** node:crypto keys imported once, for the bare node:crypto baseline. */
  publicKey: KeyObject
  privateKey: KeyObject
  nowMs: number
}

export function createAckFixture (alg: BenchAlg, count = ACK_COUNT): AckFixture {
  const keyPair = getScheme(alg).generateKeyPair()
  const signer = holderSignerFromKeyPair(keyPair)
  const nowMs = Date.now()
  const requests = Array.from({ length: count }, () => buildPohRequest(randomBytes(PAYLOAD_BYTES), { ttlSeconds: 3600, timestampMs: nowMs }))
  const signed = requests.map((request) => buildPohAck(request, signer, { networkId: BENCH_NETWORK_ID, timestampMs: nowMs }))
  const acks = decodeAckBatch(encodeAckBatch(signed)).acks
  const holderSet = HolderSet.fromConfig([{ algorithm: alg, public_key: toHex(keyPair.publicKey) }])
  const verifier = new AckVerifier({ networkId: BENCH_NETWORK_ID, holderSet, maxClockSkewMs: 30_000 })
  const holder = verifier.precheck(acks[0] as PohAck, nowMs)
  return {
    alg,
    signer,
    requests,
    acks,
    messages: acks.map((ack) => verifier.signatureCheck(ack, holder).message),
    verifier,
    publicKey: createPublicKey({ key: Buffer.concat([Buffer.from(SPKI_PREFIX[alg], 'hex'), keyPair.publicKey]), format: 'der', type: 'spki' }),
    privateKey: createPrivateKey({ key: Buffer.concat([Buffer.from(PKCS8_PREFIX[alg], 'hex'), keyPair.secretKey]), format: 'der', type: 'pkcs8' }),
    nowMs
  }
}

/** Returns the item at `index` modulo the length, so callers can rotate through inputs. */
export function nth<T> (items: readonly T[], index: number): T {
  const item = items[index % items.length]
  if (item === undefined) {
    throw new RangeError('nth() needs a non-empty list')
  }
  return item
}

/** Rounds of a paired measurement: enough to interleave the two sides, few enough to keep each round long. */
const PAIRED_ROUNDS = 10

/** A measurement with the CPU time the process used meanwhile, all threads together. */
export interface CpuMeasurement extends Measurement {
  cpuSeconds: number
  /** Operations per CPU second: the rate of one fully used core, whatever else runs on the machine. */
  opsPerCpuSecond: number
}

/** CPU seconds, user and system, that the process used since `start`, all threads together. */
export function cpuSecondsSince (start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

/** Adds a measured part and the CPU time it took to `total`. */
export function addMeasured (total: CpuMeasurement, part: Measurement, cpuSeconds: number): void {
  total.operations += part.operations
  total.seconds += part.seconds
  total.cpuSeconds += cpuSeconds
  total.opsPerSecond = total.operations / total.seconds
  total.opsPerCpuSecond = total.operations / total.cpuSeconds
}

/** Runs the synchronous measurement `run` and adds it with its CPU time to `total`. */
export function addCpuMeasured (total: CpuMeasurement, run: () => Measurement): void {
  const start = process.cpuUsage()
  const part = run()
  addMeasured(total, part, cpuSecondsSince(start))
}

export function emptyCpuMeasurement (): CpuMeasurement {
  return { operations: 0, seconds: 0, opsPerSecond: 0, cpuSeconds: 0, opsPerCpuSecond: 0 }
}

/**
 * Measures `baseline` and `candidate` in alternating rounds of
 * durationMs / 10 each. The ratio is candidate / baseline in operations per
 * CPU second, because other processes on a shared machine change it far
 * less than wall-clock rates. On an idle machine the two agree.
 */
export function measurePair (baseline: (index: number) => void, candidate: (index: number) => void, options: BenchOptions): { baseline: CpuMeasurement, candidate: CpuMeasurement, ratio: number } {
  const round: BenchOptions = { ...options, durationMs: options.durationMs / PAIRED_ROUNDS, warmupMs: 0 }
  if (options.warmupMs > 0) {
    measure(baseline, { durationMs: options.warmupMs, warmupMs: 0, targets: options.targets })
    measure(candidate, { durationMs: options.warmupMs, warmupMs: 0, targets: options.targets })
  }
  const first = emptyCpuMeasurement()
  const second = emptyCpuMeasurement()
  for (let i = 0; i < PAIRED_ROUNDS; i++) {
    addCpuMeasured(first, () => measure(baseline, round))
    addCpuMeasured(second, () => measure(candidate, round))
  }
  return { baseline: first, candidate: second, ratio: second.opsPerCpuSecond / first.opsPerCpuSecond }
}

/**
 * Counts how many calls of the async `operation` complete in durationMs,
 * one at a time, after warmupMs of the same.
 */
export async function measureAsync (operation: (index: number) => Promise<void>, options: BenchOptions): Promise<Measurement> {
  let index = 0
  const warmupEnd = performance.now() + options.warmupMs
  while (performance.now() < warmupEnd) {
    await operation(index++)
  }
  const start = performance.now()
  let now = start
  let operations = 0
  while (now < start + options.durationMs) {
    await operation(index++)
    operations++
    now = performance.now()
  }
  const seconds = (now - start) / 1000
  return { operations, seconds, opsPerSecond: operations / seconds }
}

/** Shortens the timing of a section in --quick runs to at most 200 ms per measurement. */
export function sectionTiming (options: BenchOptions, quick: boolean): BenchOptions {
  return quick ? { ...options, durationMs: Math.min(options.durationMs, 200), warmupMs: Math.min(options.warmupMs, 50) } : options
}
