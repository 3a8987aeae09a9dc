/**
 * Prints throughput numbers for this machine. Each section measures one
 * area, and adding a section to benchSections extends the run.
 *
 * Usage: npm run bench [-- --duration MS --warmup MS --quick --section NAME]
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { availableBackends, getScheme } from '../src/core/crypto/index.js'
import type { CryptoBackend } from '../src/core/crypto/index.js'
import { ackSignedBytes } from '../src/core/hash.js'
import { SigAlg } from '../src/core/types.js'
import { sectionTiming } from './lib/bench-acks.js'
import { gcSweep } from './lib/bench-gc.js'
import { codecSection, hashSection, leveldbSection, signSection, verifySection } from './lib/bench-micro.js'
import { verifyPoolSection } from './lib/bench-verify-pool.js'
import type { GcBenchSizes } from './lib/bench-gc.js'
import { macroLoad } from './lib/bench-macro.js'
import type { MacroSizes } from './lib/bench-macro.js'
import { repairThroughput } from './lib/bench-repair.js'
import { rssWithStore } from './lib/bench-rss.js'
import type { RssSizes } from './lib/bench-rss.js'
import { startupRecovery } from './lib/bench-startup.js'
import type { StartupSizes } from './lib/bench-startup.js'
import type { RepairCase } from './lib/bench-repair.js'
import { TargetBoard } from './lib/bench-targets.js'
import { describeMachine, formatRate, formatTable, measure } from './lib/bench-util.js'
import type { BenchOptions, BenchSection } from './lib/bench-util.js'

/** Path of the macro-load plot when --plot is not given, relative to the working directory. */
const DEFAULT_PLOT_PATH = 'docs/latency-vs-load.svg'

const USAGE = `usage: npm run bench [-- --duration MS --warmup MS --quick --section NAME --plot FILE]

Options:
  --duration MS   measuring time per operation of ack-signatures and the micro sections, in
                  milliseconds (default 1000)
  --warmup MS     warm-up time per operation of ack-signatures and the micro sections, in
                  milliseconds (default 200)
  --quick         use smaller data, shorter load steps and at most 200 ms per micro measurement,
                  for a run of a few minutes; the targets table then does not show the targets' scale
  --section NAME  run only this section; repeat to run several (ack-signatures, repair, gc,
                  macro-load, rss, startup, sign, verify, hash, codec, leveldb, verify-pool)
  --plot FILE     where macro-load writes its SVG plot of latency against offered load
                  (default ${DEFAULT_PLOT_PATH})
  -h, --help      print this help`

/** Distinct ACK messages signed and verified in rotation, so no result can be reused. */
const MESSAGE_COUNT = 64
const BENCH_NETWORK_ID = 'bench'

/**
 * Measures ACK signing and verification per algorithm on every backend the
 * runtime has, one key per algorithm, as a holder signs with its own key.
 */
async function ackSignatures (options: BenchOptions): Promise<void> {
  const messages = Array.from({ length: MESSAGE_COUNT }, () =>
    ackSignedBytes(BENCH_NETWORK_ID, randomBytes(32), randomBytes(32), BigInt(Date.now())))
  const messageLength = messages[0]?.length ?? 0
  const rows: string[][] = []

  for (const alg of [SigAlg.ED25519, SigAlg.ML_DSA_65]) {
    const rates = new Map<string, number>()
    const keyPair = getScheme(alg, 'noble').generateKeyPair()

    for (const backend of availableBackends(alg)) {
      const scheme = getScheme(alg, backend)
      const signatures = messages.map((message) => scheme.sign(message, keyPair.secretKey))
      signatures.forEach((signature, i) => {
        if (!scheme.verify(signature, messages[i % MESSAGE_COUNT] ?? new Uint8Array(0), keyPair.publicKey)) {
          throw new Error(`${alg} ${backend}: a benchmark signature did not verify, so its rates would mean nothing`)
        }
      })

      const sign = measure((i) => scheme.sign(messages[i % MESSAGE_COUNT] ?? new Uint8Array(0), keyPair.secretKey), options)
      const verify = measure((i) => scheme.verify(signatures[i % MESSAGE_COUNT] ?? new Uint8Array(0), messages[i % MESSAGE_COUNT] ?? new Uint8Array(0), keyPair.publicKey), options)
      rates.set(`sign/${backend}`, sign.opsPerSecond)
      rates.set(`verify/${backend}`, verify.opsPerSecond)
    }

    for (const operation of ['sign', 'verify']) {
      rows.push(rateRow(alg, operation, rates))
    }
  }

  console.log(`ACK signatures: ${messageLength}-byte ACK signed bytes, one key per algorithm, single thread`)
  console.log(formatTable(['algorithm', 'operation', 'noble ops/s', 'node ops/s', 'node/noble'], rows))
}

function rateRow (alg: SigAlg, operation: string, rates: Map<string, number>): string[] {
  const rateOf = (backend: CryptoBackend): number | undefined => rates.get(`${operation}/${backend}`)
  const noble = rateOf('noble')
  const node = rateOf('node')
  const ratio = noble !== undefined && node !== undefined ? `${(node / noble).toFixed(2)}x` : 'n/a'
  return [
    alg,
    operation,
    noble === undefined ? 'n/a' : formatRate(noble),
    node === undefined ? 'n/a' : formatRate(node),
    ratio
  ]
}

/** Transactions fetched per payload size: each fetch takes about 2 s on a 2-core EPYC VM. */
const REPAIR_CASES: RepairCase[] = [
  { payloadBytes: 1024, count: 5000 },
  { payloadBytes: 256 * 1024, count: 300 }
]
const QUICK_REPAIR_CASES: RepairCase[] = [
  { payloadBytes: 1024, count: 500 },
  { payloadBytes: 256 * 1024, count: 30 }
]

/**
 * GC backlog and load: the target's 1M expired records. putTx wrote about
 * 7k records/s on a quiet 2-core EPYC VM, so the fill takes minutes. The
 * standalone store sweep is left out at this size to keep the run short.
 */
const GC_SIZES: GcBenchSizes = { records: 1_000_000, payloadBytes: 256, publishPerSecond: 200, baselineMs: 5000, standaloneSweep: false, quick: false }
const QUICK_GC_SIZES: GcBenchSizes = { records: 10_000, payloadBytes: 256, publishPerSecond: 200, baselineMs: 2000, standaloneSweep: true, quick: true }

/**
 * Macro load: 5 processes, min_poh_required 3 and 1 KiB payloads, as the
 * targets state. With steps of x1.5 the true ceiling is below 1.5 times the
 * one found.
 */
const MACRO_SIZES: MacroSizes = { nodes: 5, minPohRequired: 3, payloadBytes: 1024, stepMs: 4000, firstRate: 50, rateFactor: 1.5, maxRate: 20_000, quick: false }
const QUICK_MACRO_SIZES: MacroSizes = { nodes: 5, minPohRequired: 3, payloadBytes: 1024, stepMs: 1500, firstRate: 50, rateFactor: 2, maxRate: 20_000, quick: true }

/** RSS with the target's 100k stored transactions, each held by a quorum of 3 ACKs. */
const RSS_SIZES: RssSizes = { records: 100_000, payloadBytes: 1024, holders: 3, quick: false }
const QUICK_RSS_SIZES: RssSizes = { records: 10_000, payloadBytes: 1024, holders: 3, quick: true }

/**
 * Start-up with the target's 1M stored records. One ACK each keeps the fill
 * to a few minutes. The section prints the time per ACK, from which a store
 * with more ACKs per record can be estimated.
 */
const STARTUP_SIZES: StartupSizes = { records: 1_000_000, payloadBytes: 256, holders: 1, quick: false }
const QUICK_STARTUP_SIZES: StartupSizes = { records: 20_000, payloadBytes: 256, holders: 1, quick: true }

/** Lists the sections in run order, with the smaller data sizes when `quick` is set. */
function benchSections (quick: boolean, plotPath: string): BenchSection[] {
  return [
    { name: 'ack-signatures', run: ackSignatures },
    { name: 'repair', run: async () => { await repairThroughput(quick ? QUICK_REPAIR_CASES : REPAIR_CASES) } },
    { name: 'gc', run: async (options) => { await gcSweep(quick ? QUICK_GC_SIZES : GC_SIZES, options.targets) } },
    { name: 'macro-load', run: async (options) => { await macroLoad(quick ? QUICK_MACRO_SIZES : MACRO_SIZES, options, plotPath) } },
    { name: 'rss', run: async (options) => { await rssWithStore(quick ? QUICK_RSS_SIZES : RSS_SIZES, options) } },
    { name: 'startup', run: async (options) => { await startupRecovery(quick ? QUICK_STARTUP_SIZES : STARTUP_SIZES, options) } },
    ...[
      { name: 'sign', run: signSection },
      { name: 'verify', run: verifySection },
      { name: 'hash', run: hashSection },
      { name: 'codec', run: codecSection },
      { name: 'leveldb', run: leveldbSection },
      { name: 'verify-pool', run: verifyPoolSection }
    ].map((section) => ({ name: section.name, run: async (options: BenchOptions) => { await section.run(sectionTiming(options, quick)) } }))
  ]
}

async function main (): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '200' },
      quick: { type: 'boolean', default: false },
      section: { type: 'string', multiple: true },
      plot: { type: 'string', default: DEFAULT_PLOT_PATH },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help === true) {
    console.log(USAGE)
    return 0
  }

  const options: BenchOptions = { durationMs: Number(values.duration), warmupMs: Number(values.warmup), targets: new TargetBoard() }
  if (!Number.isFinite(options.durationMs) || options.durationMs <= 0 || !Number.isFinite(options.warmupMs) || options.warmupMs < 0) {
    console.error(`invalid --duration ${values.duration} or --warmup ${values.warmup}: expected milliseconds, duration above 0`)
    return 2
  }

  const sections = benchSections(values.quick === true, values.plot)
  const chosen = values.section ?? sections.map((section) => section.name)
  const unknown = chosen.filter((name) => !sections.some((section) => section.name === name))
  if (unknown.length > 0) {
    console.error(`unknown --section ${unknown.join(', ')}: expected one of ${sections.map((section) => section.name).join(', ')}`)
    return 2
  }

  console.log(`machine: ${describeMachine()}`)
  if (chosen.includes('ack-signatures')) {
    console.log(`ack-signatures rates: operations completed in ${options.durationMs} ms after a ${options.warmupMs} ms warm-up`)
  }
  for (const section of sections.filter((candidate) => chosen.includes(candidate.name))) {
    console.log(`\n== ${section.name}`)
    await section.run(options)
  }
  const targets = options.targets.format()
  if (targets !== undefined) {
    console.log('\n== targets (each ratio compares two measurements of this run)')
    console.log(targets)
  }
  return 0
}

process.exitCode = await main()
