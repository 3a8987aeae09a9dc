/**
 * Generates signed Bitcoin transactions for the local testnet, built and signed
 * with bitcoinjs-lib v7, ecpair v3 and @bitcoinerlab/secp256k1.
 *
 * Every input spends a made-up previous output: its private key, previous txid and
 * amount come from a SHA-256 counter stream over the seed, so no real coins are
 * involved and the same seed always yields the same bytes. The signatures are
 * real and valid for those made-up previous outputs.
 */
import * as ecc from '@bitcoinerlab/secp256k1'
import { sha256 } from '@noble/hashes/sha2.js'
import {
  Psbt,
  Transaction,
  crypto as bitcoinCrypto,
  initEccLib,
  networks,
  opcodes,
  payments,
  script as bitcoinScript,
  toXOnly
} from 'bitcoinjs-lib'
import type { Network, Payment, Signer } from 'bitcoinjs-lib'
import { ECPairFactory } from 'ecpair'
import { availableParallelism } from 'node:os'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import type { ECPairInterface } from 'ecpair'

initEccLib(ecc)
const ECPair = ECPairFactory(ecc)

export type BitcoinNetworkName = 'bitcoin' | 'testnet'

export interface GenerateOptions {
  /** Seed bytes, or a string taken as UTF-8. Without a seed, 32 random bytes are used. */
  seed?: Uint8Array | string
  /**
   * Network for bitcoinjs key pairs and PSBTs (default 'bitcoin'). The serialized
   * bytes are the same for both, because a Bitcoin transaction does not encode its network.
   */
  network?: BitcoinNetworkName
}

/** Transaction shape drawn from the mix, see TRANSACTION_MIX. */
export type TransactionKind =
  | 'p2wpkh-payment'
  | 'p2tr-payment'
  | 'p2pkh-payment'
  | 'consolidation'
  | 'batch-payout'

/** Script type of an input that the generator can sign. */
export type SpendType = 'p2wpkh' | 'p2pkh' | 'p2tr'

/** Script type of an output. P2SH and P2WSH appear only as payment outputs, because the generator does not sign for them. */
export type OutputType = SpendType | 'p2sh' | 'p2wsh'

/** Previous output that an input spends, needed to recompute its sighash. */
export interface Prevout {
  script: Uint8Array
  value: bigint
}

/** Generated transaction with the data a verifier needs. */
export interface GeneratedTransaction {
  kind: TransactionKind
  /** Raw serialized signed transaction, with witness data where any input has it. */
  bytes: Uint8Array
  /** Previous outputs, in input order. */
  prevouts: Prevout[]
}

/**
 * Number of slots per 100 transactions for each kind. Every block of 100 consecutive
 * transactions (indices 0–99, 100–199, …) contains exactly these counts in a seeded
 * shuffled order. The shares are a rough estimate of mainnet in 2024–2025, not a
 * measurement:
 * - 60 % P2WPKH payments, mostly 1 input → payment + change (about 190–530 bytes)
 * - 15 % P2TR key-path payments, 1–3 inputs → 1–2 outputs (about 150–420 bytes)
 * - 12 % P2PKH payments, 1–3 inputs → 1–2 outputs (about 190–530 bytes)
 * - 7 % consolidations, 5–40 inputs (about half of them 14 or fewer) → 1 output, 5 in 6 of
 *   them P2WPKH and the rest P2PKH (about 0.8–6 KB)
 * - 6 % batch payouts, 1–3 P2WPKH inputs → 10–100 payments + change (about 0.5–4 KB)
 * The size ranges were measured over 3000 generated transactions.
 */
export const TRANSACTION_MIX: Readonly<Record<TransactionKind, number>> = {
  'p2wpkh-payment': 60,
  'p2tr-payment': 15,
  'p2pkh-payment': 12,
  consolidation: 7,
  'batch-payout': 6
}

const MIX_BLOCK_SIZE = 100

const PAYMENT_INPUT_TYPE = {
  'p2wpkh-payment': 'p2wpkh',
  'p2tr-payment': 'p2tr',
  'p2pkh-payment': 'p2pkh'
} as const satisfies Partial<Record<TransactionKind, SpendType>>

/** Weights of payment output types, a rough estimate of mainnet outputs. */
const PAYMENT_OUTPUT_WEIGHTS: ReadonlyArray<[OutputType, number]> = [
  ['p2wpkh', 45],
  ['p2tr', 20],
  ['p2sh', 15],
  ['p2pkh', 12],
  ['p2wsh', 8]
]

/** Virtual size in vbytes of each input type with a 72-byte ECDSA signature (sighash byte included) or a 64-byte Schnorr signature. */
const INPUT_VSIZE: Readonly<Record<SpendType, number>> = { p2wpkh: 68, p2pkh: 148, p2tr: 57.5 }

/** Virtual size in vbytes of each output type. */
const OUTPUT_VSIZE: Readonly<Record<OutputType, number>> = { p2wpkh: 31, p2pkh: 34, p2tr: 43, p2sh: 32, p2wsh: 43 }

/** Version, counts and locktime overhead in vbytes, counting the segwit marker and flag as 0.5. */
const TRANSACTION_OVERHEAD_VSIZE = 10.5

/** Block height range for anti-fee-sniping locktimes, near mainnet heights of 2025. */
const LOCKTIME_HEIGHT_MIN = 880_000
const LOCKTIME_HEIGHT_MAX = 910_000

/** Sequence that signals replace-by-fee (BIP 125) and lets the locktime apply. */
const SEQUENCE_RBF = 0xfffffffd

const SATOSHIS_PER_BITCOIN = 100_000_000

const NETWORKS: Readonly<Record<BitcoinNetworkName, Network>> = {
  bitcoin: networks.bitcoin,
  testnet: networks.testnet
}

const encoder = new TextEncoder()

/**
 * Creates `count` valid signed Bitcoin transactions in the mix of TRANSACTION_MIX,
 * as raw serialized bytes. The same seed returns the same transactions, and the
 * first n transactions do not depend on `count`.
 * Throws RangeError for a count that is not a non-negative safe integer or an unknown network.
 *
 * NOTE: pure-JS secp256k1 dominates the cost, about 7 ms per transaction on average.
 * 1000 transactions took 7.1 s on one core of a 2-core AMD EPYC VM under Node 24.21,
 * and 4.4 s with generateBitcoinTransactionsInParallel on both cores.
 */
export function generateBitcoinTransactions (count: number, options: GenerateOptions = {}): Uint8Array[] {
  return generateSignedTransactions(count, options).map((generated) => generated.bytes)
}

/**
 * Creates `count` valid signed Bitcoin transactions like generateBitcoinTransactions,
 * and returns each with its kind and the previous outputs that its inputs spend.
 */
export function generateSignedTransactions (count: number, options: GenerateOptions = {}): GeneratedTransaction[] {
  validateCount(count)
  return generateRange(seedKey(options.seed), 0, count, networkByName(options.network))
}

export interface ParallelGenerateOptions extends GenerateOptions {
  /** Number of threads, the calling thread included (default os.availableParallelism()). */
  threads?: number
}

/** Minimum number of transactions per thread, because starting a worker and loading this module in it costs time. */
const MIN_TRANSACTIONS_PER_THREAD = 100

/**
 * Creates the same transactions as generateBitcoinTransactions with the same seed,
 * split across worker threads. Each worker loads this module from its own URL.
 * Under tsx the workers therefore need the tsx loader, which they inherit through
 * process.execArgv when started by `tsx file.ts` or by mocha with `--import=tsx`.
 */
export async function generateBitcoinTransactionsInParallel (count: number, options: ParallelGenerateOptions = {}): Promise<Uint8Array[]> {
  validateCount(count)
  const networkName = options.network ?? 'bitcoin'
  const network = networkByName(networkName)
  const seed = seedKey(options.seed)
  const requestedThreads = options.threads ?? availableParallelism()
  if (!Number.isSafeInteger(requestedThreads) || requestedThreads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${requestedThreads}`)
  }
  const threads = Math.max(1, Math.min(requestedThreads, Math.floor(count / MIN_TRANSACTIONS_PER_THREAD)))

  const bounds = Array.from({ length: threads + 1 }, (_, thread) => Math.floor(count * thread / threads))
  const workerResults = bounds.slice(1, -1).map((start, thread) =>
    runGeneratorWorker({ bitcoinTxsWorker: true, seed, network: networkName, start, end: bounds[thread + 2] as number })
  )

  // The calling thread generates the first range while the workers generate the rest.
  // On any failure the remaining workers are terminated before the error is raised.
  try {
    const first = generateRange(seed, 0, bounds[1] as number, network).map((generated) => generated.bytes)
    const rest = await Promise.all(workerResults.map(async (result) => await result.transactions))
    return first.concat(...rest)
  } catch (error) {
    await Promise.allSettled(workerResults.map(async (result) => await result.terminate()))
    throw error
  }
}

/** workerData of a worker that generates the transactions with indices start to end − 1. */
interface GeneratorWorkerRequest {
  bitcoinTxsWorker: true
  seed: Uint8Array
  network: BitcoinNetworkName
  start: number
  end: number
}

interface GeneratorWorkerResult {
  transactions: Promise<Uint8Array[]>
  terminate: () => Promise<number>
}

function runGeneratorWorker (request: GeneratorWorkerRequest): GeneratorWorkerResult {
  const worker = new Worker(new URL(import.meta.url), { workerData: request })
  const transactions = new Promise<Uint8Array[]>((resolve, reject) => {
    let received = false
    worker.once('message', (message: Uint8Array[]) => {
      received = true
      resolve(message)
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (!received) {
        reject(new Error(`transaction generator worker for indices ${request.start}–${request.end - 1} exited with code ${code} before sending its transactions`))
      }
    })
  })
  // A caller that terminates the worker no longer awaits `transactions`, so its rejection is expected.
  transactions.catch(() => {})
  return { transactions, terminate: async () => await worker.terminate() }
}

function isGeneratorWorkerRequest (data: unknown): data is GeneratorWorkerRequest {
  return typeof data === 'object' && data !== null && (data as Partial<GeneratorWorkerRequest>).bitcoinTxsWorker === true
}

/** Generates the transactions with indices start to end − 1 for a seed key from seedKey(). */
function generateRange (seed: Uint8Array, start: number, end: number, network: Network): GeneratedTransaction[] {
  const generated: GeneratedTransaction[] = []
  let kinds: TransactionKind[] = []
  for (let index = start; index < end; index++) {
    if (index === start || index % MIX_BLOCK_SIZE === 0) {
      kinds = shuffledMixBlock(seed, Math.floor(index / MIX_BLOCK_SIZE))
    }
    const kind = kinds[index % MIX_BLOCK_SIZE]
    if (kind === undefined) {
      throw new Error(`TRANSACTION_MIX must have ${MIX_BLOCK_SIZE} slots, got ${kinds.length}`)
    }
    const stream = new Sha256CounterStream(labelledHash(seed, 'tx', index))
    const plan = planTransaction(kind, stream)
    generated.push(buildSignedTransaction(plan, stream, network))
  }
  return generated
}

function validateCount (count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`)
  }
}

function networkByName (name: BitcoinNetworkName = 'bitcoin'): Network {
  const network = NETWORKS[name]
  if (network === undefined) {
    throw new RangeError(`network must be 'bitcoin' or 'testnet', got '${String(name)}'`)
  }
  return network
}

/**
 * Stream of pseudo-random bytes: block i is SHA-256(key ‖ i as u32 big-endian).
 * It is deterministic and not meant for secrets.
 */
class Sha256CounterStream {
  private readonly input: Uint8Array
  private readonly counterView: DataView
  private counter = 0
  private block = new Uint8Array(0)
  private offset = 0

  constructor (key: Uint8Array) {
    this.input = new Uint8Array(key.length + 4)
    this.input.set(key)
    this.counterView = new DataView(this.input.buffer, key.length, 4)
  }

  /** Returns the next `length` bytes of the stream. */
  bytes (length: number): Uint8Array {
    const out = new Uint8Array(length)
    let filled = 0
    while (filled < length) {
      if (this.offset === this.block.length) {
        this.counterView.setUint32(0, this.counter++, false)
        this.block = sha256(this.input)
        this.offset = 0
      }
      const take = Math.min(length - filled, this.block.length - this.offset)
      out.set(this.block.subarray(this.offset, this.offset + take), filled)
      this.offset += take
      filled += take
    }
    return out
  }

  /** Returns a uniform number in [0, 1) with 53 random bits. */
  fraction (): number {
    const view = new DataView(this.bytes(8).buffer)
    const high = view.getUint32(0, false) >>> 5
    const low = view.getUint32(4, false) >>> 6
    return (high * 2 ** 26 + low) / 2 ** 53
  }

  /** Returns a uniform integer in [min, max], both inclusive. */
  integer (min: number, max: number): number {
    return min + Math.floor(this.fraction() * (max - min + 1))
  }

  /** Returns true with probability `probability`. */
  chance (probability: number): boolean {
    return this.fraction() < probability
  }

  /** Returns a log-uniform integer in [min, max), so each order of magnitude is equally likely. */
  logUniform (min: number, max: number): number {
    return Math.floor(min * (max / min) ** this.fraction())
  }

  /** Returns one item, chosen with probability proportional to its weight. */
  weighted<T> (items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0)
    let target = this.fraction() * total
    for (const [item, weight] of items) {
      target -= weight
      if (target < 0) {
        return item
      }
    }
    const last = items[items.length - 1]
    if (last === undefined) {
      throw new RangeError('weighted() needs at least one item')
    }
    return last[0]
  }
}

interface TransactionPlan {
  kind: TransactionKind
  version: number
  locktime: number
  sequence: number
  inputType: SpendType
  inputCount: number
  /** Number of distinct keys that the inputs spend from, taken in turn. */
  keyCount: number
  /** Output types and values in output order, the change output included. */
  outputs: Array<{ type: OutputType, value: number }>
  /** Sum of the input values, which is the output sum plus the fee. */
  inputTotal: number
}

/** Draws the shape, amounts and fee of one transaction of the given kind. */
function planTransaction (kind: TransactionKind, stream: Sha256CounterStream): TransactionPlan {
  let inputType: SpendType
  let inputCount: number
  let paymentCount: number
  let hasChange: boolean
  let feeRate: number
  let paymentMin = 10_000
  let paymentMax = 50_000_000

  switch (kind) {
    case 'p2wpkh-payment':
    case 'p2tr-payment':
    case 'p2pkh-payment':
      inputType = PAYMENT_INPUT_TYPE[kind]
      inputCount = stream.weighted([[1, 80], [2, 15], [3, 5]])
      paymentCount = 1
      hasChange = stream.chance(0.85)
      feeRate = stream.integer(1, 30)
      break
    case 'consolidation':
      inputType = stream.chance(5 / 6) ? 'p2wpkh' : 'p2pkh'
      // Squaring the uniform draw makes small consolidations more common than large ones.
      inputCount = 5 + Math.floor(36 * stream.fraction() ** 2)
      paymentCount = 0
      hasChange = true
      feeRate = stream.integer(1, 5)
      break
    case 'batch-payout':
      inputType = 'p2wpkh'
      inputCount = stream.integer(1, 3)
      paymentCount = stream.integer(10, 100)
      hasChange = true
      feeRate = stream.integer(2, 20)
      paymentMin = 5_000
      paymentMax = 5_000_000
      break
  }

  const outputs: TransactionPlan['outputs'] = []
  for (let i = 0; i < paymentCount; i++) {
    outputs.push({ type: stream.weighted(PAYMENT_OUTPUT_WEIGHTS), value: stream.logUniform(paymentMin, paymentMax) })
  }
  if (hasChange) {
    // A consolidation's single output collects the inputs, so it is larger than a usual change output.
    const changeValue = kind === 'consolidation'
      ? stream.logUniform(1_000_000, 5 * SATOSHIS_PER_BITCOIN)
      : stream.logUniform(5_000, 20_000_000)
    outputs.splice(stream.integer(0, outputs.length), 0, { type: inputType, value: changeValue })
  }

  const vsize = TRANSACTION_OVERHEAD_VSIZE +
    inputCount * INPUT_VSIZE[inputType] +
    outputs.reduce((sum, output) => sum + OUTPUT_VSIZE[output.type], 0)
  const fee = Math.ceil(vsize * feeRate)
  const inputTotal = outputs.reduce((sum, output) => sum + output.value, 0) + fee

  // Wallets such as Bitcoin Core set the locktime to the current height against fee sniping.
  const antiFeeSniping = stream.chance(0.7)
  return {
    kind,
    version: inputType === 'p2pkh' && stream.chance(0.5) ? 1 : 2,
    locktime: antiFeeSniping ? stream.integer(LOCKTIME_HEIGHT_MIN, LOCKTIME_HEIGHT_MAX) : 0,
    sequence: antiFeeSniping ? SEQUENCE_RBF : Transaction.DEFAULT_SEQUENCE,
    inputType,
    inputCount,
    // A consolidation sweeps many outputs paid to the same few reused addresses.
    keyCount: kind === 'consolidation' ? stream.integer(1, 3) : inputCount,
    outputs,
    inputTotal
  }
}

/** Builds, signs, validates and finalizes the planned transaction with a PSBT. */
function buildSignedTransaction (plan: TransactionPlan, stream: Sha256CounterStream, network: Network): GeneratedTransaction {
  const psbt = new Psbt({ network })
  psbt.setVersion(plan.version)
  psbt.setLocktime(plan.locktime)

  // Outputs go first, because in bitcoinjs-lib 7.0.5 every addOutput() call re-checks
  // all inputs already added, and batch payouts have up to 101 outputs.
  for (const output of plan.outputs) {
    psbt.addOutput({ script: randomOutputScript(output.type, stream, network), value: BigInt(output.value) })
  }

  const prevouts: Prevout[] = []
  const signers: Signer[] = []
  const spendKeys = Array.from({ length: plan.keyCount }, () => deriveSpendKey(plan.inputType, stream, network))
  const inputValues = splitAmount(plan.inputTotal, plan.inputCount, stream)
  inputValues.forEach((inputValue, inputIndex) => {
    const spendKey = spendKeys[inputIndex % spendKeys.length] as SpendKey
    const prevout = { script: spendKey.script, value: BigInt(inputValue) }
    const vout = stream.weighted([[0, 50], [1, 35], [2, 10], [3, 5]])

    if (plan.inputType === 'p2pkh') {
      const previousTransaction = buildPreviousTransaction(stream, prevout, vout)
      psbt.addInput({
        hash: previousTransaction.getHash(),
        index: vout,
        sequence: plan.sequence,
        nonWitnessUtxo: previousTransaction.toBuffer()
      })
    } else {
      psbt.addInput({
        hash: stream.bytes(32),
        index: vout,
        sequence: plan.sequence,
        witnessUtxo: prevout,
        ...(spendKey.tapInternalKey === undefined ? {} : { tapInternalKey: spendKey.tapInternalKey })
      })
    }
    prevouts.push(prevout)
    signers.push(spendKey.signer)
  })

  signers.forEach((signer, index) => psbt.signInput(index, signer))
  if (!psbt.validateSignaturesOfAllInputs(verifySignature)) {
    throw new Error(`signature validation failed for a generated ${plan.kind} transaction`)
  }
  psbt.finalizeAllInputs()
  const bytes = psbt.extractTransaction().toBuffer()
  return { kind: plan.kind, bytes, prevouts }
}

/** Checks an ECDSA signature (33-byte key) or a BIP 340 Schnorr signature (32-byte x-only key). */
function verifySignature (publicKey: Uint8Array, messageHash: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length === 32) {
    return ecc.verifySchnorr(messageHash, publicKey, signature)
  }
  return ecc.verify(messageHash, publicKey, signature)
}

interface SpendKey {
  signer: Signer
  /** Output script that the key can spend. */
  script: Uint8Array
  /** X-only internal key, for P2TR only. */
  tapInternalKey?: Uint8Array
}

/**
 * Derives the next private key from the stream and returns its signer and output
 * script. ECDSA signatures use RFC 6979 nonces without low-R grinding, so a DER
 * signature plus sighash byte is 71 or 72 bytes (rarely less), as from wallets
 * that do not grind.
 */
function deriveSpendKey (type: SpendType, stream: Sha256CounterStream, network: Network): SpendKey {
  let privateKey = stream.bytes(32)
  // A SHA-256 output is 0 or at least the curve order with probability about 2^-128.
  while (!ecc.isPrivate(privateKey)) {
    privateKey = stream.bytes(32)
  }
  const key = ECPair.fromPrivateKey(privateKey, { network })

  switch (type) {
    case 'p2wpkh':
      return { signer: key, script: requireOutput(payments.p2wpkh({ pubkey: key.publicKey, network })) }
    case 'p2pkh':
      return { signer: key, script: requireOutput(payments.p2pkh({ pubkey: key.publicKey, network })) }
    case 'p2tr': {
      const internalKey = toXOnly(key.publicKey)
      return {
        signer: taprootKeyPathSigner(key, internalKey, stream.bytes(32)),
        script: requireOutput(payments.p2tr({ internalPubkey: internalKey, network })),
        tapInternalKey: internalKey
      }
    }
  }
}

/**
 * Returns a signer for a BIP 86 key-path spend: the key tweaked by TapTweak(internal key)
 * with no script tree. The Schnorr signature uses `auxRand` from the stream in place of
 * the random auxiliary data of ecpair, which keeps the output deterministic.
 */
function taprootKeyPathSigner (key: ECPairInterface, internalKey: Uint8Array, auxRand: Uint8Array): Signer {
  const tweaked = key.tweak(bitcoinCrypto.taggedHash('TapTweak', internalKey))
  const tweakedPrivateKey = tweaked.privateKey
  if (tweakedPrivateKey === undefined) {
    throw new Error('tweaking a private key returned a key pair without a private key')
  }
  return {
    publicKey: tweaked.publicKey,
    sign: (hash) => tweaked.sign(hash),
    signSchnorr: (hash) => ecc.signSchnorr(hash, tweakedPrivateKey, auxRand)
  }
}

/**
 * Builds a made-up previous transaction whose output `vout` is `prevout`. A P2PKH
 * input needs the whole previous transaction in its PSBT, because legacy sighashes
 * do not commit to the amount.
 */
function buildPreviousTransaction (stream: Sha256CounterStream, prevout: Prevout, vout: number): Transaction {
  const transaction = new Transaction()
  transaction.version = 2
  transaction.addInput(stream.bytes(32), stream.integer(0, 3), SEQUENCE_RBF)
  for (let index = 0; index <= vout; index++) {
    if (index === vout) {
      transaction.addOutput(prevout.script, prevout.value)
    } else {
      transaction.addOutput(randomOutputScript('p2wpkh', stream), BigInt(stream.logUniform(10_000, 10_000_000)))
    }
  }
  return transaction
}

/** Returns an output script of the given type that pays to hashes or keys drawn from the stream. */
function randomOutputScript (type: OutputType, stream: Sha256CounterStream, network: Network = networks.bitcoin): Uint8Array {
  switch (type) {
    case 'p2wpkh':
      return requireOutput(payments.p2wpkh({ hash: stream.bytes(20), network }))
    case 'p2pkh':
      return requireOutput(payments.p2pkh({ hash: stream.bytes(20), network }))
    case 'p2sh':
      return requireOutput(payments.p2sh({ hash: stream.bytes(20), network }))
    case 'p2wsh':
      return requireOutput(payments.p2wsh({ hash: stream.bytes(32), network }))
    case 'p2tr': {
      // About half of all 32-byte strings are the x coordinate of a curve point.
      let outputKey = stream.bytes(32)
      while (!ecc.isXOnlyPoint(outputKey)) {
        outputKey = stream.bytes(32)
      }
      return bitcoinScript.compile([opcodes.OP_1, outputKey])
    }
  }
}

/** Splits `total` into `parts` positive amounts with random weights between 0.2 and 1. */
function splitAmount (total: number, parts: number, stream: Sha256CounterStream): number[] {
  const weights = Array.from({ length: parts }, () => 0.2 + 0.8 * stream.fraction())
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0)
  const amounts = weights.map((weight) => Math.max(1, Math.floor(total * weight / weightSum)))
  const assigned = amounts.reduce((sum, amount) => sum + amount, 0)
  amounts[amounts.length - 1] = (amounts[amounts.length - 1] ?? 0) + total - assigned
  return amounts
}

/** Returns a shuffled copy of the mix for block `block`, with MIX_BLOCK_SIZE slots. */
function shuffledMixBlock (seed: Uint8Array, block: number): TransactionKind[] {
  const kinds: TransactionKind[] = []
  for (const [kind, slots] of Object.entries(TRANSACTION_MIX) as Array<[TransactionKind, number]>) {
    for (let i = 0; i < slots; i++) {
      kinds.push(kind)
    }
  }
  const stream = new Sha256CounterStream(labelledHash(seed, 'mix', block))
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = stream.integer(0, i)
    const swap = kinds[i] as TransactionKind
    kinds[i] = kinds[j] as TransactionKind
    kinds[j] = swap
  }
  return kinds
}

/** Returns SHA-256(seed ‖ label ‖ 0x00 ‖ index as u32 big-endian), a separate key per use. */
function labelledHash (seed: Uint8Array, label: string, index: number): Uint8Array {
  const labelBytes = encoder.encode(label)
  const input = new Uint8Array(seed.length + labelBytes.length + 5)
  input.set(seed)
  input.set(labelBytes, seed.length)
  new DataView(input.buffer).setUint32(seed.length + labelBytes.length + 1, index, false)
  return sha256(input)
}

/** Returns SHA-256 of the seed, or 32 random bytes without a seed, so every key below has one length. */
function seedKey (seed: Uint8Array | string | undefined): Uint8Array {
  if (seed === undefined) {
    return globalThis.crypto.getRandomValues(new Uint8Array(32))
  }
  return sha256(typeof seed === 'string' ? encoder.encode(seed) : seed)
}

function requireOutput (payment: Payment): Uint8Array {
  if (payment.output === undefined) {
    throw new Error('bitcoinjs payment has no output script')
  }
  return payment.output
}

// Worker entry point of generateBitcoinTransactionsInParallel. It sits at the end of
// the module because it runs during module evaluation and needs the class above.
if (!isMainThread && isGeneratorWorkerRequest(workerData)) {
  const { seed, network, start, end } = workerData
  const transactions = generateRange(seed, start, end, networkByName(network)).map((generated) => generated.bytes)
  parentPort?.postMessage(transactions)
}
