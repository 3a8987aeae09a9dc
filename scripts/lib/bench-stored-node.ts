/**
 * A poh-node process started on a store that is already filled, for the
 * RSS and start-up sections of scripts/bench.ts. It records when the
 * process started, when it printed its ready event and when its log reported
 * the start-up payload check done, and reads its memory from /proc.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { systemClock } from '../../src/core/types.js'
import { PohStore } from '../../src/storage/store.js'
import { writeBacklog } from './bench-gc.js'
import { NodeProcess } from './node-process.js'
import { createTestnet } from './testnet-setup.js'
import type { BacklogSizes } from './bench-gc.js'
import type { TestnetNode } from './testnet-setup.js'

/** Message of the node's log record once every stored payload was checked (PohNode.runStartupTasks). */
const PAYLOAD_CHECK_DONE = 'stored payloads checked'

/** How often the node's log file is read while waiting for the payload check. */
const LOG_POLL_MS = 200

/** Memory figures of a process from /proc/<pid>/status, in bytes. */
export interface ProcessMemory {
  /** Resident set size now (VmRSS). */
  rss: number
  /** Highest resident set size so far (VmHWM). */
  peakRss: number
  /** Anonymous resident memory (RssAnon): the JavaScript heap, native allocations, LevelDB caches. */
  anonymous: number
  /** File-backed resident memory (RssFile): mapped files such as LevelDB tables and the Node.js binary, which the kernel can drop. */
  file: number
}

/** Reads VmRSS and VmHWM of a Linux process. */
export async function readProcessMemory (pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)
    if (match === null) {
      throw new Error(`/proc/${pid}/status has no ${name} line`)
    }
    return Number(match[1]) * 1024
  }
  return { rss: field('VmRSS'), peakRss: field('VmHWM'), anonymous: field('RssAnon'), file: field('RssFile') }
}

/** A one-node store on disk, in a testnet layout whose holder set has `holders` members. */
export class StoredNode {
  private constructor (readonly root: string, readonly node: TestnetNode, readonly holderIds: Uint8Array[]) {}

  /**
   * Creates `holders` data directories with keys and configs, with no
   * bootstrap peers, so the first node runs alone with a holder set that
   * counts every ACK of the backlog.
   */
  static async create (holders: number): Promise<StoredNode> {
    const root = await mkdtemp(join(tmpdir(), 'poh-bench-stored-'))
    const nodes = await createTestnet({ root, networkId: 'poh-bench-stored', count: holders, minPohRequired: holders, algorithm: 'ED25519', logLevel: 'info', tune: (config) => { config.broadcast_peers = [] } })
    return new StoredNode(root, nodes[0] as TestnetNode, nodes.map((n) => Uint8Array.from(Buffer.from(n.holderId, 'hex'))))
  }

  /** Fills the first node's store with a backlog that carries an ACK from every holder. Returns the seconds taken. */
  async fill (sizes: BacklogSizes): Promise<number> {
    const store = await PohStore.open({ path: join(this.node.dir, 'db'), clock: systemClock })
    try {
      return await writeBacklog(store, systemClock, sizes, this.holderIds)
    } finally {
      await store.close()
    }
  }

  /** Starts the node process and waits for its ready event; resolves with the process and the seconds from spawn to ready. */
  async start (timeoutMs: number): Promise<{ process: NodeProcess, readySeconds: number, logFile: string }> {
    const logFile = join(this.node.dir, `node-${Date.now()}.log`)
    const spawnedAt = performance.now()
    let onReady = (): void => {}
    const ready = new Promise<void>((resolve) => { onReady = resolve })
    const child = new NodeProcess(this.node.name, this.node.configFile, logFile, (event) => {
      if (event.event === 'ready') {
        onReady()
      }
    })
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        ready,
        child.exited.then((code) => { throw new Error(`${this.node.name} exited with code ${code} before it was ready; see ${logFile}`) }),
        new Promise((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`${this.node.name} was not ready after ${timeoutMs / 1000} s`)) }, timeoutMs) })
      ])
    } catch (err) {
      await child.stop()
      throw err
    } finally {
      clearTimeout(timer)
    }
    return { process: child, readySeconds: (performance.now() - spawnedAt) / 1000, logFile }
  }

  /** Waits until the node's log reports the start-up payload check done, reading the log every LOG_POLL_MS. */
  async payloadCheckDone (logFile: string, child: NodeProcess, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs
    while (!(await readFile(logFile, 'utf8')).includes(PAYLOAD_CHECK_DONE)) {
      if (!child.running) {
        throw new Error(`${this.node.name} exited during its payload check; see ${logFile}`)
      }
      if (performance.now() > deadline) {
        throw new Error(`${this.node.name} did not log "${PAYLOAD_CHECK_DONE}" within ${timeoutMs / 1000} s`)
      }
      await new Promise((resolve) => setTimeout(resolve, LOG_POLL_MS))
    }
  }

  async remove (): Promise<void> {
    await rm(this.root, { recursive: true, force: true })
  }
}
