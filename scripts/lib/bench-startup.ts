/**
 * Start-up recovery time of a real poh-node process for scripts/bench.ts:
 * seconds from spawning the process to its ready event, with an empty store
 * and with a filled one, and the time of the payload check that follows.
 */
import { performance } from 'node:perf_hooks'
import { StoredNode } from './bench-stored-node.js'
import { formatTable } from './bench-util.js'
import type { BenchOptions } from './bench-util.js'

/** Size of the start-up section's store. */
export interface StartupSizes {
  records: number
  payloadBytes: number
  /** Holders in the holder set; each stored transaction carries an ACK from each. */
  holders: number
  /** Whether these are the reduced --quick sizes, which the target note mentions. */
  quick: boolean
}

/** Start-up bound of the target: a node with 1M stored records serves within 10 s. */
const STARTUP_BOUND_SECONDS = 10

/** Time allowed for the node to start and to check its stored payloads. */
const START_TIMEOUT_MS = 300_000

interface StartupTimes {
  readySeconds: number
  checkSeconds: number
}

/** Starts the node, and returns the seconds to ready and from ready to the end of the payload check. */
async function timeStartup (stored: StoredNode): Promise<StartupTimes> {
  const { process, readySeconds, logFile } = await stored.start(START_TIMEOUT_MS)
  try {
    const readyAt = performance.now()
    await stored.payloadCheckDone(logFile, process, START_TIMEOUT_MS)
    return { readySeconds, checkSeconds: (performance.now() - readyAt) / 1000 }
  } finally {
    await process.stop()
  }
}

/** Times start-up with an empty store, fills it with `sizes.records` transactions and times it again. */
export async function startupRecovery (sizes: StartupSizes, options: BenchOptions): Promise<void> {
  const stored = await StoredNode.create(sizes.holders)
  try {
    const empty = await timeStartup(stored)
    const fillSeconds = await stored.fill(sizes)
    const filled = await timeStartup(stored)

    const acks = sizes.records * sizes.holders
    const perAckUs = (filled.readySeconds - empty.readySeconds) / acks * 1e6
    const perPayloadUs = filled.checkSeconds / sizes.records * 1e6
    console.log(`Start-up of one poh-node process (the built CLI, bin/poh-node.js): seconds from spawn to its ready event, then to the log line of the payload check.`)
    console.log(`Store: ${sizes.records} transactions of ${sizes.payloadBytes} bytes with ${sizes.holders} ACK(s) each (${acks} ACKs), written in ${fillSeconds.toFixed(1)} s.`)
    console.log('Before ready, start() reads the storage_hash of every stored ACK and adds it to the in-memory quorum count.')
    console.log('After ready, while the node already serves, it hashes every stored payload and compares it with its tx_id.')
    console.log(formatTable(['store', 'spawn to ready s', 'payload check s'], [
      ['empty', empty.readySeconds.toFixed(2), empty.checkSeconds.toFixed(2)],
      [`${sizes.records} txs`, filled.readySeconds.toFixed(2), filled.checkSeconds.toFixed(2)]
    ]))
    console.log(`per stored ACK before ready: ${perAckUs.toFixed(2)} us; per stored payload in the check after ready: ${perPayloadUs.toFixed(2)} us`)

    const scale = sizes.quick ? `; --quick: ${sizes.records} records, not the target's 1M` : ''
    options.targets.record({
      name: `start-up to ready / 10 s, ${sizes.records} stored records`,
      ratio: filled.readySeconds / STARTUP_BOUND_SECONDS,
      bound: 1,
      direction: 'at-most',
      note: `${filled.readySeconds.toFixed(2)} s (empty store ${empty.readySeconds.toFixed(2)} s), ${perAckUs.toFixed(2)} us per stored ACK; payload check after ready ${filled.checkSeconds.toFixed(1)} s${scale}`
    })
  } finally {
    await stored.remove()
  }
}
