/**
 * Reads raw transactions from a hex file for the testnet's `--txs FILE` option and
 * summarizes their sizes.
 */
import { readFile } from 'node:fs/promises'
import { hexToBytes } from '@noble/hashes/utils.js'

/** Size statistics in bytes. All fields are 0 for an empty list. */
export interface TxSummary {
  count: number
  totalBytes: number
  minBytes: number
  /** Middle size, or the mean of the two middle sizes for an even count. */
  medianBytes: number
  maxBytes: number
}

/**
 * Reads one hex-encoded transaction per line, in either letter case. Surrounding
 * whitespace (a CR of CRLF line ends included) is trimmed, and blank lines and lines
 * starting with '#' are skipped. Duplicate lines are kept, see countDuplicateTransactions.
 * Returns an empty list for a file with no transactions.
 * Throws an Error naming the file and the 1-based line number for a line of odd
 * length or with a non-hex character. File system errors are passed on unchanged.
 */
export async function readHexTransactionsFile (path: string): Promise<Uint8Array[]> {
  const text = await readFile(path, 'utf8')
  const transactions: Uint8Array[] = []
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const rawLine = lines[index] as string
    const line = rawLine.trim()
    if (line === '' || line.startsWith('#')) {
      continue
    }
    const leadingWhitespace = rawLine.length - rawLine.trimStart().length
    const problem = describeInvalidHex(line, leadingWhitespace)
    if (problem !== undefined) {
      throw new Error(
        `invalid transaction hex in ${path} at line ${index + 1}: ${problem}. ` +
        "Each line must contain one hex-encoded transaction, be blank, or start with '#'"
      )
    }
    transactions.push(hexToBytes(line))
  }
  return transactions
}

/**
 * Returns why `hex` is not an even-length string of hex digits, or undefined when it is.
 * Columns are 1-based and count `columnOffset` characters trimmed before `hex`.
 */
function describeInvalidHex (hex: string, columnOffset: number): string | undefined {
  const invalid = /[^0-9a-fA-F]/.exec(hex)
  if (invalid !== null) {
    return `non-hex character ${JSON.stringify(invalid[0])} at column ${columnOffset + invalid.index + 1}`
  }
  if (hex.length % 2 !== 0) {
    return `odd length of ${hex.length} characters`
  }
  return undefined
}

/** Counts the transactions that repeat an earlier one byte for byte. */
export function countDuplicateTransactions (txs: readonly Uint8Array[]): number {
  const seen = new Set<string>()
  for (const tx of txs) {
    seen.add(Buffer.from(tx.buffer, tx.byteOffset, tx.byteLength).toString('base64'))
  }
  return txs.length - seen.size
}

/** Computes count, total, minimum, median and maximum of the transaction sizes in bytes. */
export function txSummary (txs: readonly Uint8Array[]): TxSummary {
  if (txs.length === 0) {
    return { count: 0, totalBytes: 0, minBytes: 0, medianBytes: 0, maxBytes: 0 }
  }
  const sizes = txs.map((tx) => tx.length).sort((a, b) => a - b)
  const middle = Math.floor(sizes.length / 2)
  const medianBytes = sizes.length % 2 === 1
    ? sizes[middle] as number
    : ((sizes[middle - 1] as number) + (sizes[middle] as number)) / 2
  return {
    count: sizes.length,
    totalBytes: sizes.reduce((sum, size) => sum + size, 0),
    minBytes: sizes[0] as number,
    medianBytes,
    maxBytes: sizes[sizes.length - 1] as number
  }
}
