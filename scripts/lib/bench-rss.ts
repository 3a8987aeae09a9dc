/**
 * Memory of a real poh-node process for scripts/bench.ts: RSS with an empty
 * store and with a filled one, read from /proc once the start-up payload
 * check has finished.
 */
import { StoredNode, readProcessMemory } from './bench-stored-node.js'
import { formatTable } from './bench-util.js'
import type { BenchOptions } from './bench-util.js'
import type { ProcessMemory } from './bench-stored-node.js'

/** Size of the RSS section's store. */
export interface RssSizes {
  records: number
  payloadBytes: number
  /** Holders in the holder set; each stored transaction carries an ACK from each. */
  holders: number
  /** Whether these are the reduced --quick sizes, which the target note mentions. */
  quick: boolean
}

/** RSS bound of one node with the target's 100k stored transactions, in bytes (200 MB). */
const RSS_BOUND_BYTES = 200 * 1e6

/** Time allowed for the node to start and to check its stored payloads. */
const START_TIMEOUT_MS = 120_000

/** Starts the node on its current store, waits for the payload check and returns its memory. */
async function measureNode (stored: StoredNode): Promise<ProcessMemory & { readySeconds: number }> {
  const { process, readySeconds, logFile } = await stored.start(START_TIMEOUT_MS)
  try {
    await stored.payloadCheckDone(logFile, process, START_TIMEOUT_MS)
    const pid = process.child.pid
    if (pid === undefined) {
      throw new Error(`${process.name} has no process id`)
    }
    return { ...await readProcessMemory(pid), readySeconds }
  } finally {
    await process.stop()
  }
}

function megabytes (bytes: number): string {
  return (bytes / 1e6).toFixed(1)
}

/** Measures RSS with an empty store, fills it with `sizes.records` transactions and measures again. */
export async function rssWithStore (sizes: RssSizes, options: BenchOptions): Promise<void> {
  const stored = await StoredNode.create(sizes.holders)
  try {
    const empty = await measureNode(stored)
    const fillSeconds = await stored.fill(sizes)
    const filled = await measureNode(stored)

    console.log(`RSS of one poh-node process (the built CLI, bin/poh-node.js), read from /proc/<pid>/status after its start-up payload check.`)
    console.log(`Store: ${sizes.records} transactions of ${sizes.payloadBytes} bytes, each held with ${sizes.holders} ACKs, written in ${fillSeconds.toFixed(1)} s.`)
    const row = (label: string, m: ProcessMemory & { readySeconds: number }): string[] =>
      [label, m.readySeconds.toFixed(2), megabytes(m.rss), megabytes(m.anonymous), megabytes(m.file), megabytes(m.peakRss)]
    console.log(formatTable(['store', 'ready s', 'RSS MB', 'anonymous MB', 'file MB', 'peak RSS MB'], [
      row('empty', empty),
      row(`${sizes.records} txs`, filled)
    ]))
    const perRecord = (filled.rss - empty.rss) / sizes.records
    console.log(`RSS added per stored transaction: ${perRecord.toFixed(0)} bytes`)

    const scale = sizes.quick ? `; --quick: ${sizes.records} txs, not the target's 100k` : ''
    options.targets.record({
      name: `RSS / 200 MB, one node with ${sizes.records} stored txs`,
      ratio: filled.rss / RSS_BOUND_BYTES,
      bound: 1,
      direction: 'at-most',
      note: `${megabytes(filled.rss)} MB (${megabytes(filled.anonymous)} MB anonymous, peak ${megabytes(filled.peakRss)} MB), empty store ${megabytes(empty.rss)} MB${scale}`
    })
  } finally {
    await stored.remove()
  }
}
