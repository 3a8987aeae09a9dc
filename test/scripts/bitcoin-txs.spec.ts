import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ecc from '@bitcoinerlab/secp256k1'
import { Transaction, crypto as bitcoinCrypto, payments, script as bitcoinScript } from 'bitcoinjs-lib'
import { expect } from 'chai'
import {
  TRANSACTION_MIX,
  generateBitcoinTransactions,
  generateBitcoinTransactionsInParallel,
  generateSignedTransactions
} from '../../scripts/lib/bitcoin-txs.js'
import type { GeneratedTransaction, Prevout, TransactionKind } from '../../scripts/lib/bitcoin-txs.js'
import { countDuplicateTransactions, readHexTransactionsFile, txSummary } from '../../scripts/lib/tx-source.js'

const SEED = 'bitcoin-txs spec'
const SAMPLE_SIZE = 200

function toHex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

type PrevoutType = 'p2wpkh' | 'p2pkh' | 'p2tr'

/** Classifies a previous output script by its standard template. */
function prevoutType (script: Uint8Array): PrevoutType {
  if (script.length === 22 && script[0] === 0x00 && script[1] === 0x14) {
    return 'p2wpkh'
  }
  if (script.length === 34 && script[0] === 0x51 && script[1] === 0x20) {
    return 'p2tr'
  }
  if (script.length === 25 && script[0] === 0x76 && script[1] === 0xa9 && script[2] === 0x14) {
    return 'p2pkh'
  }
  throw new Error(`unexpected previous output script ${toHex(script)}`)
}

/**
 * Recomputes the sighash of one input with bitcoinjs and verifies its signature with
 * the secp256k1 library, without the PSBT that signed it. Returns whether it verifies,
 * and fails the test when the scriptSig or witness does not have the standard shape.
 */
function inputSignatureVerifies (tx: Transaction, inputIndex: number, prevouts: Prevout[]): boolean {
  const input = tx.ins[inputIndex]
  const prevout = prevouts[inputIndex]
  if (input === undefined || prevout === undefined) {
    throw new Error(`input ${inputIndex} or its prevout is missing`)
  }

  switch (prevoutType(prevout.script)) {
    case 'p2wpkh': {
      expect(input.script.length, 'P2WPKH scriptSig length').to.equal(0)
      expect(input.witness.length, 'P2WPKH witness items').to.equal(2)
      const [encodedSignature, publicKey] = input.witness as [Uint8Array, Uint8Array]
      expect(publicKey.length, 'P2WPKH public key length').to.equal(33)
      expect(toHex(bitcoinCrypto.hash160(publicKey))).to.equal(toHex(prevout.script.subarray(2)))
      const { signature, hashType } = bitcoinScript.signature.decode(encodedSignature)
      expect(hashType).to.equal(Transaction.SIGHASH_ALL)
      const scriptCode = payments.p2pkh({ pubkey: publicKey }).output as Uint8Array
      const sighash = tx.hashForWitnessV0(inputIndex, scriptCode, prevout.value, hashType)
      return ecc.verify(sighash, publicKey, signature)
    }
    case 'p2pkh': {
      expect(input.witness.length, 'P2PKH witness items').to.equal(0)
      const chunks = bitcoinScript.decompile(input.script)
      expect(chunks?.length, 'P2PKH scriptSig pushes').to.equal(2)
      const [encodedSignature, publicKey] = chunks as [Uint8Array, Uint8Array]
      expect(publicKey.length, 'P2PKH public key length').to.equal(33)
      expect(toHex(bitcoinCrypto.hash160(publicKey))).to.equal(toHex(prevout.script.subarray(3, 23)))
      const { signature, hashType } = bitcoinScript.signature.decode(encodedSignature)
      expect(hashType).to.equal(Transaction.SIGHASH_ALL)
      const sighash = tx.hashForSignature(inputIndex, prevout.script, hashType)
      return ecc.verify(sighash, publicKey, signature)
    }
    case 'p2tr': {
      expect(input.script.length, 'P2TR scriptSig length').to.equal(0)
      expect(input.witness.length, 'P2TR key-path witness items').to.equal(1)
      const signature = input.witness[0] as Uint8Array
      // A 64-byte signature means SIGHASH_DEFAULT, which commits to every previous output.
      expect(signature.length, 'P2TR signature length').to.equal(64)
      const sighash = tx.hashForWitnessV1(
        inputIndex,
        prevouts.map((output) => output.script),
        prevouts.map((output) => output.value),
        Transaction.SIGHASH_DEFAULT
      )
      return ecc.verifySchnorr(sighash, prevout.script.subarray(2), signature)
    }
  }
}

describe('generateBitcoinTransactions', function () {
  let sample: GeneratedTransaction[]

  before(function () {
    sample = generateSignedTransactions(SAMPLE_SIZE, { seed: SEED })
  })

  it('parses and re-serializes unchanged', function () {
    for (const [index, generated] of sample.entries()) {
      const tx = Transaction.fromBuffer(generated.bytes)
      expect(toHex(tx.toBuffer()), `transaction ${index}`).to.equal(toHex(generated.bytes))
      expect(tx.ins.length, `input count of transaction ${index}`).to.equal(generated.prevouts.length)
    }
  })

  it('bytes match generateSignedTransactions', function () {
    const bytes = generateBitcoinTransactions(20, { seed: SEED })
    expect(bytes.map(toHex)).to.deep.equal(sample.slice(0, 20).map((generated) => toHex(generated.bytes)))
  })

  it('every input signature verifies', function () {
    let checked = 0
    for (const [index, generated] of sample.entries()) {
      const tx = Transaction.fromBuffer(generated.bytes)
      for (let inputIndex = 0; inputIndex < tx.ins.length; inputIndex++) {
        expect(inputSignatureVerifies(tx, inputIndex, generated.prevouts), `transaction ${index} input ${inputIndex}`).to.equal(true)
        checked++
      }
    }
    expect(checked).to.be.greaterThan(SAMPLE_SIZE)
  })

  it('tampered output fails verification', function () {
    for (const type of ['p2wpkh', 'p2pkh', 'p2tr'] as const) {
      const generated = sample.find((candidate) => prevoutType(candidate.prevouts[0]?.script ?? new Uint8Array()) === type)
      expect(generated, `a transaction spending ${type}`).to.not.equal(undefined)
      const tx = Transaction.fromBuffer((generated as GeneratedTransaction).bytes)
      const firstOutput = tx.outs[0] as Transaction['outs'][number]
      firstOutput.value += 1n
      expect(inputSignatureVerifies(tx, 0, (generated as GeneratedTransaction).prevouts), type).to.equal(false)
    }
  })

  it('spends all three input types', function () {
    const types = new Set(sample.flatMap((generated) => generated.prevouts.map((prevout) => prevoutType(prevout.script))))
    expect([...types].sort()).to.deep.equal(['p2pkh', 'p2tr', 'p2wpkh'])
  })

  it('mix matches shares per 100', function () {
    const counts = new Map<TransactionKind, number>()
    for (const generated of sample) {
      counts.set(generated.kind, (counts.get(generated.kind) ?? 0) + 1)
    }
    for (const [kind, slots] of Object.entries(TRANSACTION_MIX)) {
      expect(counts.get(kind as TransactionKind) ?? 0, kind).to.equal(slots * SAMPLE_SIZE / 100)
    }
  })

  it('consolidation and batch shapes', function () {
    for (const generated of sample) {
      const tx = Transaction.fromBuffer(generated.bytes)
      if (generated.kind === 'consolidation') {
        expect(tx.ins.length).to.be.within(5, 40)
        expect(tx.outs.length).to.equal(1)
      }
      if (generated.kind === 'batch-payout') {
        expect(tx.ins.length).to.be.within(1, 3)
        expect(tx.outs.length).to.be.within(11, 101)
      }
    }
  })

  it('sizes span the mix', function () {
    const summary = txSummary(sample.map((generated) => generated.bytes))
    expect(summary.minBytes).to.be.lessThan(250)
    expect(summary.maxBytes).to.be.greaterThan(3000)
  })

  it('all transactions unique', function () {
    expect(countDuplicateTransactions(sample.map((generated) => generated.bytes))).to.equal(0)
  })

  it('same seed gives same bytes', function () {
    const again = generateBitcoinTransactions(30, { seed: SEED })
    expect(again.map(toHex)).to.deep.equal(sample.slice(0, 30).map((generated) => toHex(generated.bytes)))
  })

  it('byte seed equals its string seed', function () {
    const fromBytes = generateBitcoinTransactions(5, { seed: new TextEncoder().encode(SEED) })
    expect(fromBytes.map(toHex)).to.deep.equal(sample.slice(0, 5).map((generated) => toHex(generated.bytes)))
  })

  it('other seed gives other bytes', function () {
    const other = generateBitcoinTransactions(30, { seed: `${SEED} 2` })
    const sampleHex = new Set(sample.map((generated) => toHex(generated.bytes)))
    expect(other.filter((tx) => sampleHex.has(toHex(tx)))).to.have.length(0)
  })

  it('no seed gives fresh bytes', function () {
    const first = generateBitcoinTransactions(3)
    const second = generateBitcoinTransactions(3)
    expect(first.map(toHex)).to.not.deep.equal(second.map(toHex))
  })

  it('prefix does not depend on count', function () {
    const short = generateBitcoinTransactions(7, { seed: SEED })
    expect(short.map(toHex)).to.deep.equal(sample.slice(0, 7).map((generated) => toHex(generated.bytes)))
  })

  it('testnet option keeps the bytes', function () {
    const testnet = generateBitcoinTransactions(10, { seed: SEED, network: 'testnet' })
    expect(testnet.map(toHex)).to.deep.equal(sample.slice(0, 10).map((generated) => toHex(generated.bytes)))
  })

  it('zero count returns none', function () {
    expect(generateBitcoinTransactions(0, { seed: SEED })).to.deep.equal([])
  })

  it('invalid count throws RangeError', function () {
    for (const count of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => generateBitcoinTransactions(count), String(count)).to.throw(RangeError, /count must be a non-negative integer/)
    }
  })

  it('unknown network throws RangeError', function () {
    const options = { seed: SEED, network: 'regtest' as 'testnet' }
    expect(() => generateBitcoinTransactions(1, options)).to.throw(RangeError, /network must be 'bitcoin' or 'testnet'/)
  })
})

describe('generateBitcoinTransactionsInParallel', function () {
  it('matches serial output', async function () {
    // 250 transactions make two threads, and the split at 125 falls inside a block of the mix.
    const parallel = await generateBitcoinTransactionsInParallel(250, { seed: SEED, threads: 2 })
    const serial = generateBitcoinTransactions(250, { seed: SEED })
    expect(parallel.map(toHex)).to.deep.equal(serial.map(toHex))
  })

  it('small count matches serial', async function () {
    const parallel = await generateBitcoinTransactionsInParallel(12, { seed: SEED, threads: 4 })
    const serial = generateBitcoinTransactions(12, { seed: SEED })
    expect(parallel.map(toHex)).to.deep.equal(serial.map(toHex))
  })

  it('invalid threads throws RangeError', async function () {
    let caught: unknown
    try {
      await generateBitcoinTransactionsInParallel(10, { seed: SEED, threads: 0 })
    } catch (error) {
      caught = error
    }
    expect(caught).to.be.instanceOf(RangeError)
    expect((caught as Error).message).to.match(/threads must be a positive integer/)
  })
})

describe('readHexTransactionsFile', function () {
  let directory: string

  beforeEach(async function () {
    directory = await mkdtemp(join(tmpdir(), 'poh-tx-source-'))
  })

  afterEach(async function () {
    await rm(directory, { recursive: true, force: true })
  })

  async function writeLines (name: string, text: string): Promise<string> {
    const path = join(directory, name)
    await writeFile(path, text, 'utf8')
    return path
  }

  async function readError (path: string): Promise<Error> {
    try {
      await readHexTransactionsFile(path)
    } catch (error) {
      expect(error).to.be.instanceOf(Error)
      return error as Error
    }
    expect.fail(`expected readHexTransactionsFile(${path}) to throw`)
  }

  it('reads CRLF, blanks and comments', async function () {
    const [first, second] = generateBitcoinTransactions(2, { seed: SEED }) as [Uint8Array, Uint8Array]
    const path = await writeLines('mixed.txs.hex', [
      '# transactions for the testnet',
      '',
      `  ${toHex(first)}  `,
      '   ',
      '\t# indented comment',
      toHex(second).toUpperCase(),
      ''
    ].join('\r\n'))

    const txs = await readHexTransactionsFile(path)

    expect(txs.map(toHex)).to.deep.equal([toHex(first), toHex(second)])
    expect(Transaction.fromBuffer(txs[1] as Uint8Array).getId()).to.equal(Transaction.fromBuffer(second).getId())
  })

  it('keeps and counts duplicates', async function () {
    const path = await writeLines('duplicates.txs.hex', 'aabb\nccdd\naabb\naabb\n')
    const txs = await readHexTransactionsFile(path)
    expect(txs.map(toHex)).to.deep.equal(['aabb', 'ccdd', 'aabb', 'aabb'])
    expect(countDuplicateTransactions(txs)).to.equal(2)
  })

  it('comment-only file returns none', async function () {
    const path = await writeLines('empty.txs.hex', '# nothing here\n\n')
    expect(await readHexTransactionsFile(path)).to.deep.equal([])
  })

  it('odd-length line names file and line', async function () {
    const path = await writeLines('odd.txs.hex', '# header\naabb\r\naab\r\n')
    const error = await readError(path)
    expect(error.message).to.contain(path)
    expect(error.message).to.contain('line 3')
    expect(error.message).to.contain('odd length of 3 characters')
  })

  it('non-hex line names file and line', async function () {
    const path = await writeLines('nonhex.txs.hex', 'aabb\n\n  aaxb\n')
    const error = await readError(path)
    expect(error.message).to.contain(path)
    expect(error.message).to.contain('line 3')
    expect(error.message).to.contain('non-hex character "x" at column 5')
  })

  it('missing file rejects with ENOENT', async function () {
    const error = await readError(join(directory, 'missing.txs.hex'))
    expect((error as NodeJS.ErrnoException).code).to.equal('ENOENT')
  })
})

describe('txSummary', function () {
  it('odd count takes middle size', function () {
    const summary = txSummary([new Uint8Array(300), new Uint8Array(100), new Uint8Array(200)])
    expect(summary).to.deep.equal({ count: 3, totalBytes: 600, minBytes: 100, medianBytes: 200, maxBytes: 300 })
  })

  it('even count averages middle sizes', function () {
    const summary = txSummary([new Uint8Array(400), new Uint8Array(100), new Uint8Array(201), new Uint8Array(300)])
    expect(summary).to.deep.equal({ count: 4, totalBytes: 1001, minBytes: 100, medianBytes: 250.5, maxBytes: 400 })
  })

  it('empty list gives zeros', function () {
    expect(txSummary([])).to.deep.equal({ count: 0, totalBytes: 0, minBytes: 0, medianBytes: 0, maxBytes: 0 })
  })
})
