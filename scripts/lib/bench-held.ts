/**
 * The held-transaction load of the macro benchmark: a testnet of poh-node
 * processes (the pieces scripts/testnet.ts uses), fed through each node's
 * REST API in turn. A step's latency runs from the POST /v1/tx call to the
 * held event each node prints.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { cpuSecondsOf, sendPaced, wallClockMs } from './bench-load.js'
import { NodeProcess } from './node-process.js'
import { createTestnet } from './testnet-setup.js'
import type { PohConfig } from '../../src/config/index.js'
import type { LatencySample, StepRun } from './bench-load.js'
import type { NodeEvent } from './node-process.js'

/** Time allowed for held events still outstanding when a step's submitting ends. */
const DRAIN_TIMEOUT_MS = 5000

/** Time allowed for every node to start and connect to the others. */
const START_TIMEOUT_MS = 90_000

interface HeldNode {
  process: NodeProcess
  api?: string
  peers: number
}

/** A tracked submission: its send time and the nodes that have reported it held. */
interface Tracked {
  sentAt: number
  heldBy: number
}

/** Settings of one testnet. */
export interface HeldTestnetInit {
  nodes: number
  minPohRequired: number
  payloadBytes: number
  /** Config changes for every node, such as ack_batch_max_size. */
  tune?: (config: PohConfig) => void
}

/** A running testnet of poh-node processes that takes a load of 1 KiB-style submissions. */
export class HeldTestnet {
  private readonly nodes: HeldNode[] = []
  private tracked = new Map<string, Tracked>()
  private samples: LatencySample[] = []
  private outstanding = 0
  private waiters = new Set<() => void>()

  private constructor (private readonly root: string, private readonly init: HeldTestnetInit) {}

  /** Creates the data directories, starts every node and waits until each is connected to all others. */
  static async start (init: HeldTestnetInit): Promise<HeldTestnet> {
    const root = await mkdtemp(join(tmpdir(), 'poh-bench-held-'))
    const testnet = new HeldTestnet(root, init)
    try {
      const nodes = await createTestnet({ root, networkId: 'poh-bench-held', count: init.nodes, minPohRequired: init.minPohRequired, algorithm: 'ED25519', logLevel: 'warn', tune: init.tune })
      for (const node of nodes) {
        const held: HeldNode = { peers: 0 } as HeldNode
        held.process = new NodeProcess(node.name, node.configFile, join(node.dir, 'node.log'), (event) => { testnet.onEvent(held, event) })
        void held.process.exited.then(() => { testnet.notify() })
        testnet.nodes.push(held)
      }
      await testnet.waitFor(() => testnet.nodes.every((n) => n.api !== undefined && n.peers >= init.nodes - 1), START_TIMEOUT_MS, 'every node to start and connect to the others')
    } catch (err) {
      await testnet.stop()
      throw err
    }
    return testnet
  }

  private notify (): void {
    for (const waiter of [...this.waiters]) {
      waiter()
    }
  }

  private onEvent (node: HeldNode, event: NodeEvent): void {
    if (event.event === 'ready') {
      node.api = String(event.api)
      node.peers = Number(event.peers)
    } else if (event.event === 'peers') {
      node.peers = Number(event.count)
    } else if (event.event === 'held') {
      const tracked = this.tracked.get(String(event.tx_id))
      if (tracked !== undefined) {
        this.samples.push({ sentAt: tracked.sentAt, latencyMs: Number(event.held_at_ms) - tracked.sentAt })
        tracked.heldBy++
        if (tracked.heldBy === this.nodes.length) {
          this.outstanding--
        }
      }
    }
    this.notify()
  }

  /** Resolves once `check` is true after an event, or rejects after timeoutMs; a node that exits fails it. */
  private async waitFor (check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        const dead = this.nodes.find((n) => !n.process.running)
        if (dead !== undefined || check()) {
          clearTimeout(timer)
          this.waiters.delete(waiter)
          if (dead !== undefined) {
            reject(new Error(`${dead.process.name} exited early; its log is in ${this.root}`))
          } else {
            resolve()
          }
        }
      }
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`))
      }, timeoutMs)
      this.waiters.add(waiter)
      waiter()
    })
  }

  private async submit (api: string, payload: Uint8Array): Promise<void> {
    const response = await fetch(`${api}/v1/tx`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: payload
    })
    if (response.status !== 202) {
      throw new Error(`POST ${api}/v1/tx returned ${response.status}: ${await response.text()}`)
    }
  }

  /**
   * Submits `ratePerSecond` random payloads per second, to each node in
   * turn, for `durationMs`. The schedule does not wait for earlier submits.
   * Then waits until every node has reported each one held, or DRAIN_TIMEOUT_MS passes.
   */
  readonly step = async (ratePerSecond: number, durationMs: number): Promise<StepRun> => {
    this.tracked = new Map()
    this.samples = []
    this.outstanding = 0
    const submits: Array<Promise<void>> = []
    const failures: unknown[] = []
    const pids = this.nodes.map((n) => n.process.child.pid)
    const cpuBefore = cpuSecondsOf(pids)
    const { sent, seconds } = await sendPaced(ratePerSecond, durationMs, (index) => {
      const payload = randomBytes(this.init.payloadBytes)
      const api = this.nodes[index % this.nodes.length]?.api as string
      this.tracked.set(toHex(computeTxId(payload)), { sentAt: wallClockMs(), heldBy: 0 })
      this.outstanding++
      submits.push(this.submit(api, payload).catch((err: unknown) => { failures.push(err) }))
    })
    await Promise.all(submits)
    if (failures.length > 0) {
      throw new Error(`${failures.length} of ${sent} submits failed; first: ${String(failures[0])}`)
    }
    await this.waitFor(() => this.outstanding === 0, DRAIN_TIMEOUT_MS, 'held events').catch(() => {})
    return { sent, seconds, expected: sent * this.nodes.length, samples: this.samples, cpuSeconds: cpuSecondsOf(pids) - cpuBefore }
  }

  /** Waits up to `timeoutMs` for transactions of the last step that are not yet held everywhere. */
  async settle (timeoutMs: number): Promise<void> {
    await this.waitFor(() => this.outstanding === 0, timeoutMs, 'the last step to be held').catch(() => {})
  }

  async stop (): Promise<void> {
    await Promise.all(this.nodes.map(async (n) => { await n.process.stop() }))
    await rm(this.root, { recursive: true, force: true })
  }
}
