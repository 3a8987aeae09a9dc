/**
 * Micro benchmark sections: signing, verification with the per-core target,
 * SHA-256, the wire codec and PohStore on LevelDB. Each measures one
 * operation on one thread with the helpers of bench-util.ts.
 */
import { createHash, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildPohAck } from '../../src/core/builders.js'
import { decodeAckBatch, decodeRequest, encodeAck, encodeAckBatch, encodeRequest } from '../../src/core/codec.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { computeStorageHash, computeTxId } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { TxState } from '../../src/core/types.js'
import { AckVerifier } from '../../src/core/validate.js'
import { PohStore } from '../../src/storage/store.js'
import { BENCH_ALGS, BENCH_NETWORK_ID, createAckFixture, measureAsync, measurePair, nth, PAYLOAD_BYTES } from './bench-acks.js'
import { formatRate, formatTable, measure } from './bench-util.js'
import type { AckFixture } from './bench-acks.js'
import type { BenchOptions } from './bench-util.js'

/** Per-core verification must reach this share of bare node:crypto. */
const PER_CORE_BOUND = 0.9

/** ACKs in the batches the codec section encodes and decodes: the default ack_batch_max_size. */
const CODEC_BATCH_ACKS = 64

function row (name: string, alg: string, opsPerSecond: number, note = ''): string[] {
  return [name, alg, formatRate(opsPerSecond), `${(1e6 / opsPerSecond).toFixed(1)}`, note]
}

const RATE_HEADERS = ['operation', 'algorithm', 'ops/s', 'us/op', 'note']

/** Signs ACKs: bare node:crypto with a prepared key, the scheme, and buildPohAck (storage hash, signed bytes, signature). */
export async function signSection (options: BenchOptions): Promise<void> {
  const rows: string[][] = []
  for (const alg of BENCH_ALGS) {
    const fixture = createAckFixture(alg)
    const scheme = getScheme(alg)
    const { keyPair } = fixture.signer
    const bare = measure((i) => nodeSign(null, nth(fixture.messages, i), fixture.privateKey), options)
    const schemeSign = measure((i) => scheme.sign(nth(fixture.messages, i), keyPair.secretKey), options)
    const ack = measure((i) => buildPohAck(nth(fixture.requests, i), fixture.signer, { networkId: BENCH_NETWORK_ID, timestampMs: fixture.nowMs }), options)
    rows.push(row('node:crypto sign, prepared key', alg, bare.opsPerSecond))
    rows.push(row(`scheme.sign (${scheme.backend})`, alg, schemeSign.opsPerSecond))
    rows.push(row('buildPohAck', alg, ack.opsPerSecond, `${PAYLOAD_BYTES}-byte payload hashed too`))
  }
  console.log('ACK signing, one key per algorithm, single thread')
  console.log(formatTable(RATE_HEADERS, rows))
}

/**
 * Verifies ACKs: bare node:crypto with a prepared KeyObject, the scheme, and
 * the whole per-ACK path of a node (AckVerifier.verify: shape, clock skew,
 * holder lookup, signed bytes, signature) in a closed and in an open holder
 * set. Records the per-core target: whole path / bare in operations per CPU
 * second, measured in alternating rounds.
 */
export async function verifySection (options: BenchOptions): Promise<void> {
  const rows: string[][] = []
  for (const alg of BENCH_ALGS) {
    const fixture = createAckFixture(alg)
    const scheme = getScheme(alg)
    const { publicKey } = fixture.signer.keyPair
    const bareVerify = (i: number): void => { nodeVerify(null, nth(fixture.messages, i), fixture.publicKey, nth(fixture.acks, i).signature) }
    const wholePath = (i: number): void => { fixture.verifier.verify(nth(fixture.acks, i), fixture.nowMs) }

    const pair = measurePair(bareVerify, wholePath, options)
    const schemeVerify = measure((i) => scheme.verify(nth(fixture.acks, i).signature, nth(fixture.messages, i), publicKey), options)
    const open = openSetPath(fixture)
    const openPath = measure((i) => { open.verifier.verify(nth(open.acks, i), fixture.nowMs) }, options)

    rows.push(row('node:crypto verify, prepared KeyObject', alg, pair.baseline.opsPerSecond, `${formatRate(pair.baseline.opsPerCpuSecond)} per CPU second`))
    rows.push(row(`scheme.verify (${scheme.backend})`, alg, schemeVerify.opsPerSecond))
    rows.push(row('AckVerifier.verify, closed set', alg, pair.candidate.opsPerSecond, `${formatRate(pair.candidate.opsPerCpuSecond)} per CPU second`))
    rows.push(row('AckVerifier.verify, open set', alg, openPath.opsPerSecond, 'holder_id hashed from public_key'))
    options.targets.record({
      name: `ACK verify per core / node:crypto (${alg})`,
      ratio: pair.ratio,
      bound: PER_CORE_BOUND,
      direction: 'at-least',
      note: `${formatRate(pair.candidate.opsPerCpuSecond)} vs ${formatRate(pair.baseline.opsPerCpuSecond)} per CPU second; wall clock ${(pair.candidate.opsPerSecond / pair.baseline.opsPerSecond).toFixed(2)}x`
    })
  }
  console.log('ACK verification, single thread, decoded ACKs of one holder')
  console.log(formatTable(RATE_HEADERS, rows))
}

/** Builds the fixture's ACKs with their public key and a verifier of an open holder set. */
function openSetPath (fixture: AckFixture): { verifier: AckVerifier, acks: AckFixture['acks'] } {
  const acks = fixture.acks.map((ack) => ({ ...ack, publicKey: fixture.signer.keyPair.publicKey as Uint8Array<ArrayBuffer> }))
  const verifier = new AckVerifier({ networkId: BENCH_NETWORK_ID, holderSet: HolderSet.openSet(), maxClockSkewMs: 30_000 })
  return { verifier, acks: decodeAckBatch(encodeAckBatch(acks)).acks }
}

/** SHA-256 of 1 KiB: tx_id (the payload alone) and storage_hash (tag, holder id, payload). */
export async function hashSection (options: BenchOptions): Promise<void> {
  const payloads = Array.from({ length: 64 }, () => randomBytes(1024))
  const holderId = randomBytes(32)
  const bare = measure((i) => createHash('sha256').update(nth(payloads, i)).digest(), options)
  const txId = measure((i) => computeTxId(nth(payloads, i)), options)
  const storage = measure((i) => computeStorageHash(holderId, nth(payloads, i)), options)
  const mbPerSecond = (opsPerSecond: number): string => `${(opsPerSecond * 1024 / 1e6).toFixed(0)} MB/s`
  console.log('SHA-256 of 1 KiB payloads, single thread')
  console.log(formatTable(RATE_HEADERS, [
    row('node:crypto createHash', 'SHA-256', bare.opsPerSecond, mbPerSecond(bare.opsPerSecond)),
    row('computeTxId', 'SHA-256', txId.opsPerSecond, mbPerSecond(txId.opsPerSecond)),
    row('computeStorageHash', 'SHA-256', storage.opsPerSecond, mbPerSecond(storage.opsPerSecond))
  ]))
}

/** Encodes and decodes a PohRequest with a 1 KiB payload and PohAckBatches of 64 ACKs. */
export async function codecSection (options: BenchOptions): Promise<void> {
  const rows: string[][] = []
  const request = createAckFixture(BENCH_ALGS[0], 1).requests[0]
  if (request !== undefined) {
    const bytes = encodeRequest(request)
    rows.push(row('encodeRequest', `${bytes.length} B`, measure(() => encodeRequest(request), options).opsPerSecond))
    rows.push(row('decodeRequest', `${bytes.length} B`, measure(() => decodeRequest(bytes), options).opsPerSecond))
  }
  for (const alg of BENCH_ALGS) {
    const { acks } = createAckFixture(alg, CODEC_BATCH_ACKS)
    const bytes = encodeAckBatch(acks)
    const label = `${alg}, ${bytes.length} B`
    rows.push(row(`encodeAckBatch, ${CODEC_BATCH_ACKS} ACKs`, label, measure(() => encodeAckBatch(acks), options).opsPerSecond))
    rows.push(row(`decodeAckBatch, ${CODEC_BATCH_ACKS} ACKs`, label, measure(() => decodeAckBatch(bytes), options).opsPerSecond))
  }
  console.log('Wire codec (protons), single thread; the algorithm column gives the encoded size')
  console.log(formatTable(RATE_HEADERS, rows))
}

/**
 * Writes transactions with PohStore.putTx (payload, history record and own
 * ACK in one LevelDB batch), one awaited at a time, then reads them back
 * with getTx in random order. The store lives in a temp directory that is
 * removed afterwards.
 */
export async function leveldbSection (options: BenchOptions): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'poh-bench-leveldb-'))
  try {
    const fixture = createAckFixture(BENCH_ALGS[0])
    const store = await PohStore.open({ path: join(directory, 'db'), clock: { now: () => fixture.nowMs } })
    const written: Uint8Array[] = []
    try {
      const put = await measureAsync(async (i) => {
        const txId = computeTxId(Buffer.from(`${i}`))
        const tx = { txId, payload: nth(fixture.requests, i).payload, receivedAtMs: fixture.nowMs, expiresAtMs: fixture.nowMs + 3_600_000, ttlSeconds: 3600, requestTimestampMs: fixture.nowMs }
        const ack = { txId, holderId: fixture.signer.holderId, ack: encodeAck(nth(fixture.acks, i)) }
        await store.putTx(tx, { txId, firstSeenMs: fixture.nowMs, quorumAtMs: 0, ackCount: 1, state: TxState.PENDING, expiresAtMs: tx.expiresAtMs }, ack)
        written.push(txId)
      }, options)
      const get = await measureAsync(async () => {
        const txId = nth(written, Math.floor(Math.random() * written.length))
        if (await store.getTx(txId) === undefined) {
          throw new Error('a transaction the benchmark wrote is missing, so its read rate would mean nothing')
        }
      }, options)
      console.log(`PohStore on LevelDB, ${PAYLOAD_BYTES}-byte payloads, one operation in flight`)
      console.log(formatTable(RATE_HEADERS, [
        row('putTx (tx, history, ACK)', '-', put.opsPerSecond, `${put.operations} written`),
        row('getTx, random order', '-', get.opsPerSecond, `over ${written.length} records`)
      ]))
    } finally {
      await store.close()
    }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
