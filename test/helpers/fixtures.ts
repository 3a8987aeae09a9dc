/**
 * Shared test helpers: deterministic holder keys, a movable clock, verdict
 * assertions and a TxProcessor wired to a real PohStore in a temp directory.
 */

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { Registry } from 'prom-client'
import { buildPohAck, buildPohRequest, holderSignerFromKeyPair, signAck } from '../../src/core/builders.js'
import { encodeAckBatch, encodeRequest } from '../../src/core/codec.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { GossipValidationError } from '../../src/core/errors.js'
import { HolderSet, holderKeyFromPublicKey } from '../../src/core/holder-set.js'
import { PendingAcks } from '../../src/core/pending-acks.js'
import { QuorumTracker } from '../../src/core/quorum.js'
import { SigAlg } from '../../src/core/types.js'
import { AckVerifier } from '../../src/core/validate.js'
import { createLogger } from '../../src/log/logger.js'
import { createNodeMetrics } from '../../src/node/metrics.js'
import { TxProcessor } from '../../src/node/tx-processor.js'
import { AckBatchVerifier, storeLookup } from '../../src/node/ack-batch-verifier.js'
import type { VerifyPool } from '../../src/node/verify-pool.js'
import { PohStore } from '../../src/storage/store.js'
import type { HolderSigner } from '../../src/core/builders.js'
import type { GossipAction, GossipErrorCode } from '../../src/core/errors.js'
import type { PohAck, PohRequest } from '../../src/core/proto/poh.js'
import type { Clock, HolderKey, HolderSigAlg } from '../../src/core/types.js'
import type { RequestLimits } from '../../src/core/validate.js'
import type { Logger } from '../../src/log/logger.js'
import type { NodeMetrics } from '../../src/node/metrics.js'
import type { ProcessorEvents } from '../../src/node/tx-processor.js'
import type { TxAssignment } from '../../src/node/failover.js'

export const TEST_NETWORK_ID = 'poh-test'

/** Start time of every fake clock: 2023-11-14T22:13:20Z in Unix milliseconds. */
export const T0 = 1_700_000_000_000

export const DEFAULT_LIMITS: Readonly<RequestLimits> = {
  maxPayloadBytes: 1024,
  maxTtlSeconds: 3600,
  maxClockSkewMs: 5000
}

/** Clock whose time only changes when a test sets or advances it. */
export interface FakeClock extends Clock {
  t: number
  set(ms: number): void
  advance(ms: number): void
}

export function createFakeClock (startMs = T0): FakeClock {
  const clock: FakeClock = {
    t: startMs,
    now: () => clock.t,
    set: (ms) => { clock.t = ms },
    advance: (ms) => { clock.t += ms }
  }
  return clock
}

/** Returns a 32-byte key seed with every byte set to `byte`. */
export function fixedSeed (byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte)
}

/** Derives a holder signer from a fixed seed, so keys and holder ids are the same in every run. */
export function holderFromSeed (byte: number, alg: HolderSigAlg = SigAlg.ED25519): HolderSigner {
  const scheme = getScheme(alg)
  return holderSignerFromKeyPair(scheme.generateKeyPair(new Uint8Array(scheme.seedLength).fill(byte)))
}

export function holderKeyOf (signer: HolderSigner): HolderKey {
  return holderKeyFromPublicKey(signer.keyPair.alg, signer.keyPair.publicKey)
}

/** Seeds of the holders in the default closed set. */
export const HOLDER_SEEDS = [0x01, 0x02, 0x03] as const

/** Seed of a holder that no default holder set lists. */
export const OUTSIDER_SEED = 0x7f

export function closedSetOf (signers: HolderSigner[]): HolderSet {
  return HolderSet.closedSet(signers.map(holderKeyOf))
}

/** Returns a copy of `bytes` with one bit of the byte at `index` flipped (default the first byte; -1 for the last). */
export function flipByte (bytes: Uint8Array, index = 0): Uint8Array<ArrayBuffer> {
  const copy = Uint8Array.from(bytes)
  const at = index < 0 ? copy.length + index : index
  copy[at] = (copy[at] ?? 0) ^ 0x01
  return copy
}

/** Returns the error `action` throws, or undefined when it returns. */
export function catchSync (action: () => unknown): unknown {
  try {
    action()
  } catch (err) {
    return err
  }
  return undefined
}

/** Returns the error `action` rejects with, or undefined when it resolves. */
export async function catchAsync (action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action()
  } catch (err) {
    return err
  }
  return undefined
}

/** Asserts that `err` is a GossipValidationError with this action and reason. */
export function expectVerdict (err: unknown, action: GossipAction, reason: GossipErrorCode): GossipValidationError {
  expect(err, 'expected a GossipValidationError').to.be.instanceOf(GossipValidationError)
  const verdict = err as GossipValidationError
  expect(verdict.action, `action (${verdict.message})`).to.equal(action)
  expect(verdict.reason, `reason (${verdict.message})`).to.equal(reason)
  return verdict
}

/** Creates a logger at the least verbose level that discards every record. */
export function createDiscardLogger (): Logger {
  return createLogger({ level: 'fatal', format: 'json', destination: { write: () => {} } })
}

/**
 * Signs an ACK that claims `storageHash` for the request's tx_id. The
 * signature is valid, so only a storage_hash check against the payload
 * can catch a wrong value.
 */
export function signAckWithStorageHash (request: PohRequest, signer: HolderSigner, storageHash: Uint8Array, timestampMs: number, networkId = TEST_NETWORK_ID): PohAck {
  const ack = signAck(request.txId, storageHash, signer, { networkId, timestampMs })
  delete ack.publicKey
  return ack
}

/** Events the processor emitted, in order. */
export interface RecordedEvents {
  requests: Array<Parameters<ProcessorEvents['request']>[0]>
  acks: Array<Parameters<ProcessorEvents['ack']>[0]>
  held: Array<Parameters<ProcessorEvents['held']>[0]>
}

export interface ProcessorHarnessOptions {
  /** Holders of the closed set. Defaults to the signers of HOLDER_SEEDS. */
  holders?: HolderSigner[]
  minPohRequired?: number
  limits?: RequestLimits
  pendingMaxAcks?: number
  pendingMaxAgeMs?: number
  startMs?: number
  /** Storage cap; stored bytes are counted from the request events. */
  maxStoredBytes?: number
  /** Holder assignment (replication_factor); without it every payload is stored. */
  assignment?: TxAssignment
  /** Pool that verifies every ACK batch ahead (minimum batch 1). The caller closes it. */
  verifyPool?: VerifyPool
}

/** A TxProcessor in observer mode over a real PohStore, with everything a test inspects. */
export interface ProcessorHarness {
  processor: TxProcessor
  store: PohStore
  quorum: QuorumTracker
  pending: PendingAcks
  clock: FakeClock
  metrics: NodeMetrics
  events: RecordedEvents
  holders: HolderSigner[]
  networkId: string
  limits: RequestLimits
  /** Builds a valid request for `text`, timestamped now unless given. */
  request(text: string, options?: { ttlSeconds?: number, timestampMs?: number }): PohRequest
  /** Signs a valid ACK for `request` by `signer`, timestamped now unless given. */
  ack(request: PohRequest, signer: HolderSigner, timestampMs?: number): PohAck
  requestBytes(request: PohRequest): Uint8Array
  batchBytes(...acks: PohAck[]): Uint8Array
  /** Closes the store and deletes its temp directory. */
  close(): Promise<void>
}

export async function createProcessorHarness (options: ProcessorHarnessOptions = {}): Promise<ProcessorHarness> {
  const holders = options.holders ?? HOLDER_SEEDS.map((seed) => holderFromSeed(seed))
  const limits = options.limits ?? { ...DEFAULT_LIMITS }
  const clock = createFakeClock(options.startMs)
  const logger = createDiscardLogger()
  const directory = await mkdtemp(join(tmpdir(), 'poh-verdicts-'))

  let store: PohStore
  try {
    store = await PohStore.open({ path: join(directory, 'db'), clock, logger })
  } catch (err) {
    await rm(directory, { recursive: true, force: true })
    throw err
  }

  const quorum = new QuorumTracker(options.minPohRequired ?? 2)
  const pending = new PendingAcks({ maxAcks: options.pendingMaxAcks ?? 64, maxAgeMs: options.pendingMaxAgeMs ?? 60_000 })
  const metrics = createNodeMetrics(new Registry())
  const events: RecordedEvents = { requests: [], acks: [], held: [] }
  const verifier = new AckVerifier({ networkId: TEST_NETWORK_ID, holderSet: closedSetOf(holders), maxClockSkewMs: limits.maxClockSkewMs })
  const processor = new TxProcessor({
    networkId: TEST_NETWORK_ID,
    store,
    quorum,
    pending,
    verifier,
    batchVerifier: options.verifyPool === undefined
      ? undefined
      : new AckBatchVerifier({
        verifier,
        quorum,
        pool: options.verifyPool,
        minBatch: 1,
        lookup: storeLookup(() => store),
        pendingHas: (txId, holderId) => pending.has(txId, holderId),
        maxClockSkewMs: limits.maxClockSkewMs
      }),
    limits,
    clock,
    metrics,
    logger,
    assignment: options.assignment,
    capacity: options.maxStoredBytes === undefined
      ? undefined
      : { storedBytes: () => events.requests.reduce((sum, detail) => sum + detail.payloadBytes, 0), maxStoredBytes: options.maxStoredBytes },
    events: {
      request: (detail) => { events.requests.push(detail) },
      ack: (detail) => { events.acks.push(detail) },
      held: (detail) => { events.held.push(detail) }
    }
  })

  const encoder = new TextEncoder()
  return {
    processor,
    store,
    quorum,
    pending,
    clock,
    metrics,
    events,
    holders,
    networkId: TEST_NETWORK_ID,
    limits,
    request: (text, requestOptions = {}) => buildPohRequest(encoder.encode(text), {
      ttlSeconds: requestOptions.ttlSeconds ?? 60,
      timestampMs: requestOptions.timestampMs ?? clock.now()
    }),
    ack: (request, signer, timestampMs) => buildPohAck(request, signer, {
      networkId: TEST_NETWORK_ID,
      timestampMs: timestampMs ?? clock.now()
    }),
    requestBytes: (request) => encodeRequest(request),
    batchBytes: (...acks) => encodeAckBatch(acks),
    close: async () => {
      try {
        await store.close()
      } finally {
        await rm(directory, { recursive: true, force: true })
      }
    }
  }
}
