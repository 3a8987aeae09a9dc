/**
 * Repair throughput for scripts/bench.ts: node B fetches node A's stored
 * transactions over the real repair protocol. Its times are compared with a
 * plain libp2p stream that carries the same bytes between the same two
 * nodes, and with node A's LevelDB read of the same items.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { lpStream } from '@libp2p/utils'
import { defaultConfig } from '../../src/config/index.js'
import { computeHolderId, computeTxId, toHex } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { systemClock } from '../../src/core/types.js'
import { AckVerifier } from '../../src/core/validate.js'
import { createLogger } from '../../src/log/logger.js'
import { DEFAULT_PAGE_LIMIT, RepairClient } from '../../src/network/repair/client.js'
import { itemBudgetBytes, sourceBudgetBytes } from '../../src/network/repair/codec.js'
import { requestTopic } from '../../src/network/topics.js'
import { createHolderKeyFile } from '../../src/node/keys.js'
import { PohNode } from '../../src/node/poh-node.js'
import { checkRepairItem } from '../../src/node/repair-items.js'
import { PohStore } from '../../src/storage/store.js'
import { formatRate, formatTable } from './bench-util.js'
import type { PohConfig } from '../../src/config/index.js'
import type { RepairItem } from '../../src/core/proto/poh.js'
import type { Clock, KeyPair } from '../../src/core/types.js'
import type { Logger } from '../../src/log/logger.js'
import type { HeldEvent } from '../../src/node/poh-node.js'
import type { Libp2p, PeerId } from '@libp2p/interface'

export const BENCH_NETWORK_ID = 'poh-bench'

/** Repair ids per request, the protocol maximum and the node default. */
const IDS_PER_REQUEST = 64

/** Submits in flight at once while node A is filled. */
const FILL_CONCURRENCY = 32

/** Protocol of the raw-stream baseline: one length-prefixed request, one frame of that many bytes back. */
const RAW_PROTOCOL = '/poh-bench/raw-transfer/1.0.0'

/**
 * Repair rate per peer on the serving node during the bench. The default of
 * 256 ids per second would make the token bucket, not the protocol, set
 * the measured rate.
 */
const BENCH_REPAIR_RATE_PER_SECOND = 1_000_000

/** One payload size and the number of transactions fetched at that size. */
export interface RepairCase {
  payloadBytes: number
  count: number
}

/**
 * Log destination of the bench nodes. It counts warning and error records
 * by message, so a section can report them after its tables instead of
 * interleaving them with the output.
 */
export class LogTally {
  private readonly counts = new Map<string, number>()

  write (line: string): void {
    let record: { level?: unknown, msg?: unknown, err?: { message?: unknown } }
    try {
      record = JSON.parse(line)
    } catch {
      record = { level: 'unparsed', msg: line.trim() }
    }
    const error = typeof record.err?.message === 'string' ? ` (${record.err.message})` : ''
    const key = `${String(record.level)}: ${String(record.msg)}${error}`
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
  }

  /** Prints one line per distinct record with its count, or nothing when the nodes logged no warning. */
  print (): void {
    if (this.counts.size === 0) {
      return
    }
    console.log('Node warnings and errors logged during this section, by count:')
    for (const [key, count] of this.counts) {
      console.log(`  ${count} x ${key}`)
    }
  }
}

/** Creates the root logger the bench nodes share, which records warnings and errors in `tally`. */
export function createBenchLogger (tally: LogTally): Logger {
  return createLogger({ level: 'warn', format: 'json', destination: tally })
}

/** Config of one bench node and the holder_id of the key in its data directory. */
export interface BenchNodeConfig {
  config: PohConfig
  holderId: Uint8Array
}

/**
 * Creates `count` data directories under `root`, each with a new ED25519
 * holder key, and returns their configs: loopback TCP only, a closed holder
 * set of all of them and min_poh_required 1.
 */
export async function prepareBenchConfigs (root: string, count: number): Promise<BenchNodeConfig[]> {
  const dirs = Array.from({ length: count }, (_, i) => join(root, `node-${i}`))
  const keys: KeyPair[] = []
  for (const dir of dirs) {
    keys.push(await createHolderKeyFile(join(dir, 'holder.key'), 'ED25519'))
  }
  return dirs.map((dir, i) => {
    const config = defaultConfig()
    config.network_id = BENCH_NETWORK_ID
    config.data_dir = dir
    config.listen = ['/ip4/127.0.0.1/tcp/0']
    config.holder = { ...config.holder, enabled: true, algorithm: 'ED25519', key_file: 'holder.key' }
    config.holders = keys.map((key) => ({ algorithm: 'ED25519', public_key: toHex(key.publicKey) }))
    config.min_poh_required = 1
    const key = keys[i] as KeyPair
    return { config, holderId: computeHolderId(key.alg, key.publicKey) }
  })
}

/** Dials `to` from `from` and waits until each lists the other as a subscriber of the request topic. */
export async function connectNodes (from: PohNode, to: PohNode, timeoutMs = 10_000): Promise<void> {
  await from.libp2p.dial(to.libp2p.getMultiaddrs())
  const topic = requestTopic(BENCH_NETWORK_ID)
  const deadline = performance.now() + timeoutMs
  const subscribed = (node: PohNode, peer: PeerId): boolean =>
    node.libp2p.services.pubsub.getSubscribers(topic).some((subscriber) => subscriber.equals(peer))
  while (!subscribed(from, to.libp2p.peerId) || !subscribed(to, from.libp2p.peerId)) {
    if (performance.now() > deadline) {
      throw new Error(`nodes did not see each other subscribed to ${topic} within ${timeoutMs} ms`)
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * Steps shorter than this are repeated until this much time has passed, and
 * their row shows the mean time of one pass, so timer and scheduling noise stays small.
 */
const MIN_MEASURE_SECONDS = 1

/** Runs `pass` at least once and until MIN_MEASURE_SECONDS have passed, and returns the mean seconds per pass. */
async function meanPassSeconds (pass: () => Promise<void>): Promise<number> {
  let passes = 0
  const start = performance.now()
  let elapsed = 0
  while (passes === 0 || elapsed < MIN_MEASURE_SECONDS) {
    await pass()
    passes++
    elapsed = (performance.now() - start) / 1000
  }
  return elapsed / passes
}

/** Formats a byte rate in MB/s, where 1 MB is 10^6 bytes. */
function formatMegabytes (bytesPerSecond: number): string {
  return (bytesPerSecond / 1e6).toFixed(1)
}

function formatPayloadSize (bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`
}

/** Submits `count` random payloads through `node` and resolves with their tx_ids once each is held. */
async function fillNode (node: PohNode, count: number, payloadBytes: number): Promise<Uint8Array[]> {
  const ids: Uint8Array[] = []
  const waiting = new Set<string>()
  let onAllHeld = (): void => {}
  const allHeld = new Promise<void>((resolve) => { onAllHeld = resolve })
  const onHeld = (evt: CustomEvent<HeldEvent>): void => {
    if (waiting.delete(evt.detail.txId) && waiting.size === 0 && ids.length === count) {
      onAllHeld()
    }
  }
  node.addEventListener('held', onHeld)
  try {
    for (let start = 0; start < count; start += FILL_CONCURRENCY) {
      const payloads = Array.from({ length: Math.min(FILL_CONCURRENCY, count - start) }, () => randomBytes(payloadBytes))
      for (const payload of payloads) {
        const txId = computeTxId(payload)
        ids.push(txId)
        waiting.add(toHex(txId))
      }
      await Promise.all(payloads.map(async (payload) => await node.submit(payload)))
    }
    if (waiting.size > 0) {
      await allHeld
    }
  } finally {
    node.removeEventListener('held', onHeld)
  }
  return ids
}

/** Serves RAW_PROTOCOL: reads a 4-byte big-endian length and writes one frame of that many bytes. */
async function handleRawTransfer (libp2p: Libp2p, maxFrameBytes: number): Promise<void> {
  const filler = randomBytes(maxFrameBytes)
  await libp2p.handle(RAW_PROTOCOL, async (stream) => {
    const lp = lpStream(stream, { maxDataLength: maxFrameBytes, maxBufferSize: maxFrameBytes + 16 })
    try {
      const request = (await lp.read()).subarray()
      const length = new DataView(request.buffer, request.byteOffset, request.byteLength).getUint32(0)
      await lp.write(filler.subarray(0, Math.min(length, maxFrameBytes)))
      await stream.close()
    } catch (err) {
      stream.abort(err as Error)
    }
  })
}

/**
 * Fetches `totalBytes` from `peer` over RAW_PROTOCOL in frames of
 * `frameBytes`, one new stream per frame as the repair client opens one per
 * request.
 */
async function rawTransfer (libp2p: Libp2p, peer: PeerId, totalBytes: number, frameBytes: number): Promise<void> {
  for (let remaining = totalBytes; remaining > 0; remaining -= frameBytes) {
    const length = Math.min(frameBytes, remaining)
    const stream = await libp2p.dialProtocol(peer, RAW_PROTOCOL)
    const lp = lpStream(stream, { maxDataLength: frameBytes, maxBufferSize: frameBytes + 16 })
    const request = new Uint8Array(4)
    new DataView(request.buffer).setUint32(0, length)
    await lp.write(request)
    await stream.close()
    const frame = await lp.read()
    if (frame.byteLength !== length) {
      throw new Error(`raw transfer returned ${frame.byteLength} bytes, expected ${length}`)
    }
  }
}

/** Reads the items for `txIds` from a store as the repair server does: batches of 64 ids within the response budget. */
async function readItemsLikeServer (store: PohStore, txIds: Uint8Array[], maxResponseBytes: number): Promise<number> {
  const budget = sourceBudgetBytes(maxResponseBytes, IDS_PER_REQUEST)
  let read = 0
  for (let start = 0; start < txIds.length; start += IDS_PER_REQUEST) {
    let batch = txIds.slice(start, start + IDS_PER_REQUEST)
    while (batch.length > 0) {
      const page = await store.itemsById(batch, budget)
      if (page.items.length === 0) {
        throw new Error(`store returned none of ${batch.length} stored items, ${page.oversized.length} of them over the byte budget`)
      }
      read += page.items.length
      batch = page.leftOff
    }
  }
  return read
}

interface RepairTimes {
  /** Encoded bytes of every fetched item, as carried in repair responses. */
  wireBytes: number
  /** Repair requests that ended in a response, counted by the client. */
  requests: number
  byIdSeconds: number
  byRangeSeconds: number
  items: RepairItem[]
}

/** Times fetchByIds and fetchRange of every id from node A to node B, checking that each returns all of them. */
async function timeRepair (client: RepairClient, peer: PeerId, ids: Uint8Array[], range: { fromMs: number, toMs: number }, requestCount: () => number): Promise<RepairTimes> {
  // Warm-up: one request opens the protocol and fills the caches on both sides.
  await client.fetchByIds(ids.slice(0, IDS_PER_REQUEST), [peer])

  const requestsBefore = requestCount()
  let start = performance.now()
  const byId = await client.fetchByIds(ids, [peer])
  const byIdSeconds = (performance.now() - start) / 1000
  const requests = requestCount() - requestsBefore
  if (byId.missing.length > 0 || byId.items.length !== ids.length) {
    throw new Error(`fetchByIds returned ${byId.items.length} of ${ids.length} items, ${byId.missing.length} missing`)
  }

  start = performance.now()
  let rangeItems = 0
  for await (const _item of client.fetchRange(range, [peer])) {
    rangeItems++
  }
  const byRangeSeconds = (performance.now() - start) / 1000
  if (rangeItems !== ids.length) {
    throw new Error(`fetchRange returned ${rangeItems} items, expected ${ids.length}`)
  }

  const wireBytes = byId.items.reduce((sum, item) => sum + itemBudgetBytes(item), 0)
  return { wireBytes, requests, byIdSeconds, byRangeSeconds, items: byId.items }
}

/** Runs one payload size: fills node A, fetches from node B, then reads A's store directly. Returns the table rows. */
async function runCase (testCase: RepairCase, logger: Logger): Promise<string[][]> {
  const root = await mkdtemp(join(tmpdir(), 'poh-bench-repair-'))
  const nodes: PohNode[] = []
  try {
    const [configA, configB] = (await prepareBenchConfigs(root, 2)).map((node) => node.config) as [PohConfig, PohConfig]
    configA.repair.rate_limit_per_second = BENCH_REPAIR_RATE_PER_SECOND
    const clock: Clock = systemClock

    // Node A fills its store alone, so node B gets nothing by gossip.
    const a = new PohNode({ config: configA, logger, clock })
    nodes.push(a)
    await a.start()
    const range = { fromMs: clock.now(), toMs: 0 }
    const ids = await fillNode(a, testCase.count, testCase.payloadBytes)
    range.toMs = clock.now()

    const b = new PohNode({ config: configB, logger, clock })
    nodes.push(b)
    await b.start()
    await connectNodes(b, a)
    // Start-up recovery, which may catch up by range, ends before anything is timed.
    await Promise.all([a.recovered(), b.recovered()])

    const verifier = new AckVerifier({ networkId: configB.network_id, holderSet: HolderSet.fromConfig(configB.holders), maxClockSkewMs: configB.max_clock_skew_ms })
    const checkInit = { verifier, maxTtlSeconds: configB.max_ttl_seconds }
    let okResponses = 0
    const faults: string[] = []
    const client = new RepairClient({
      libp2p: b.libp2p,
      networkId: configB.network_id,
      timeouts: { dialMs: 5000, firstByteMs: 3000, responseMs: configB.repair.request_timeout_ms },
      maxResponseBytes: configB.repair.max_response_bytes,
      maxIdsPerRequest: IDS_PER_REQUEST,
      verifyItem: (item) => checkRepairItem(item, checkInit, clock.now()) === undefined,
      onBadPeer: (peer, reason) => { faults.push(`${peer.toString()}: ${reason}`) },
      logger,
      metrics: {
        clientResult: (result) => {
          if (result === 'ok') {
            okResponses++
          } else {
            logger.warn({ result }, 'repair request in the bench did not succeed')
          }
        },
        serverResponse: () => {}
      }
    })
    const peerA = a.libp2p.peerId
    const repair = await timeRepair(client, peerA, ids, range, () => okResponses)
    if (faults.length > 0) {
      throw new Error(`repair peer broke the protocol, so the times would mean nothing: ${faults.join('; ')}`)
    }

    // Same bytes, same number of streams, no storage, encoding or checks.
    const frameBytes = Math.ceil(repair.wireBytes / repair.requests)
    await handleRawTransfer(a.libp2p, frameBytes)
    await rawTransfer(b.libp2p, peerA, frameBytes, frameBytes)
    const rawSeconds = await meanPassSeconds(async () => { await rawTransfer(b.libp2p, peerA, repair.wireBytes, frameBytes) })

    const checkSeconds = await meanPassSeconds(async () => {
      for (const item of repair.items) {
        const problem = checkRepairItem(item, checkInit, clock.now())
        if (problem !== undefined) {
          throw new Error(`a fetched item failed its check on a later pass: ${problem}`)
        }
      }
    })

    await Promise.all(nodes.splice(0).map(async (node) => { await node.stop() }))
    const store = await PohStore.open({ path: join(configA.data_dir, 'db'), clock })
    let readSeconds: number
    try {
      await readItemsLikeServer(store, ids.slice(0, IDS_PER_REQUEST), configA.repair.max_response_bytes)
      readSeconds = await meanPassSeconds(async () => { await readItemsLikeServer(store, ids, configA.repair.max_response_bytes) })
    } finally {
      await store.close()
    }

    const size = formatPayloadSize(testCase.payloadBytes)
    const payloadTotal = testCase.count * testCase.payloadBytes
    const row = (operation: string, seconds: number): string[] => [
      size,
      operation,
      String(testCase.count),
      seconds.toFixed(3),
      formatRate(testCase.count / seconds),
      formatMegabytes(payloadTotal / seconds),
      `${(rawSeconds / seconds).toFixed(2)}x`
    ]
    return [
      row(`raw stream, ${repair.requests} stream${repair.requests === 1 ? '' : 's'}`, rawSeconds),
      row('repair fetchByIds', repair.byIdSeconds),
      row('repair fetchRange', repair.byRangeSeconds),
      row('LevelDB itemsById on A', readSeconds),
      row('checkRepairItem on B', checkSeconds)
    ]
  } finally {
    await Promise.all(nodes.map(async (node) => { await node.stop() }))
    await rm(root, { recursive: true, force: true })
  }
}

/**
 * Measures repair throughput between two in-process nodes on loopback TCP
 * for each payload size, and prints one table.
 */
export async function repairThroughput (cases: RepairCase[]): Promise<void> {
  const tally = new LogTally()
  const logger = createBenchLogger(tally)
  const rows: string[][] = []
  for (const testCase of cases) {
    rows.push(...await runCase(testCase, logger))
  }
  console.log('Repair: node B fetches all of node A\'s transactions, two in-process nodes on loopback TCP,')
  console.log(`${IDS_PER_REQUEST} ids per request, ${DEFAULT_PAGE_LIMIT} items per range page, repair rate limit raised to ${formatRate(BENCH_REPAIR_RATE_PER_SECOND)} ids/s.`)
  console.log('The raw stream carries the bytes of the repair responses in as many streams, with no storage, encoding or checks.')
  console.log(`Rows other than the two repair fetches show the mean of passes repeated for at least ${MIN_MEASURE_SECONDS} s.`)
  console.log('MB/s counts payload bytes (1 MB = 10^6 bytes). "vs raw" divides the raw-stream time by the row\'s time for the same items.')
  console.log(formatTable(['payload', 'operation', 'items', 'seconds', 'items/s', 'MB/s', 'vs raw'], rows))
  tally.print()
}
