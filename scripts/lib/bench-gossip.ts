/**
 * The raw gossipsub load of the macro benchmark: N worker processes
 * (gossip-worker.ts), each a libp2p node from src/network/libp2p.ts on
 * loopback TCP, in a full mesh, publishing on one topic at a shared rate.
 * Delivery is counted at every other worker.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'
import type { DeliverySample, WorkerCommand, WorkerReply } from './gossip-worker.js'
import { cpuSecondsOf, wallClockMs } from './bench-load.js'
import type { StepRun } from './bench-load.js'

/** Time allowed for deliveries still under way when a step's publishing ends. */
const DRAIN_TIMEOUT_MS = 3000

/** Time allowed for a worker to reply to a command other than publish. */
const COMMAND_TIMEOUT_MS = 60_000

class GossipWorker {
  private readonly child: ChildProcess
  private pending?: { resolve: (reply: WorkerReply) => void, reject: (err: Error) => void }

  get pid (): number | undefined {
    return this.child.pid
  }

  constructor (readonly index: number) {
    this.child = fork(fileURLToPath(new URL('gossip-worker.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    this.child.on('message', (reply: WorkerReply) => {
      const pending = this.pending
      this.pending = undefined
      if (reply.type === 'error') {
        pending?.reject(new Error(`gossip worker ${index}: ${reply.message}`))
      } else {
        pending?.resolve(reply)
      }
    })
    this.child.once('exit', (code) => {
      this.pending?.reject(new Error(`gossip worker ${index} exited with code ${code} during a command`))
      this.pending = undefined
    })
  }

  /** Sends one command and resolves with its reply; one command at a time. */
  async request<T extends WorkerReply['type']> (command: WorkerCommand, expected: T, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Extract<WorkerReply, { type: T }>> {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`gossip worker ${this.index}: no reply to ${command.cmd} after ${timeoutMs} ms`)) }, timeoutMs)
      this.pending = {
        resolve: (r) => { clearTimeout(timer); resolve(r) },
        reject: (e) => { clearTimeout(timer); reject(e) }
      }
      this.child.send(command)
    })
    if (reply.type !== expected) {
      throw new Error(`gossip worker ${this.index}: expected a ${expected} reply to ${command.cmd}, got ${reply.type}`)
    }
    return reply as Extract<WorkerReply, { type: T }>
  }

  async stop (): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return
    }
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    await this.request({ cmd: 'stop' }, 'stopped', 10_000).catch(() => { this.child.kill('SIGKILL') })
    await exited
  }
}

/** N raw gossipsub processes in a full mesh on loopback. */
export class GossipSwarm {
  private constructor (private readonly workers: GossipWorker[], readonly payloadBytes: number) {}

  /** Starts `count` workers, connects each to every other, and waits until all subscriptions are seen. */
  static async start (count: number, networkId: string, payloadBytes: number): Promise<GossipSwarm> {
    const workers = Array.from({ length: count }, (_, i) => new GossipWorker(i))
    const swarm = new GossipSwarm(workers, payloadBytes)
    try {
      const started = await Promise.all(workers.map(async (w) => await w.request({ cmd: 'start', networkId }, 'started')))
      const addresses = started.map((reply) => reply.address)
      // Each worker dials the ones before it, so every pair has one connection.
      await Promise.all(workers.map(async (w, i) => await w.request({ cmd: 'connect', peers: addresses.slice(0, i), expectedSubscribers: count - 1 }, 'connected')))
    } catch (err) {
      await swarm.stop()
      throw err
    }
    return swarm
  }

  /**
   * Publishes `ratePerSecond` messages in all, split evenly over the
   * workers, for `durationMs`, then collects deliveries until every worker
   * other than the publisher has each message or DRAIN_TIMEOUT_MS passes.
   */
  readonly step = async (ratePerSecond: number, durationMs: number): Promise<StepRun> => {
    const perWorker = ratePerSecond / this.workers.length
    const stepStart = wallClockMs()
    const cpuBefore = cpuSecondsOf(this.workers.map((w) => w.pid))
    const published = await Promise.all(this.workers.map(async (w) =>
      await w.request({ cmd: 'publish', ratePerSecond: perWorker, durationMs, payloadBytes: this.payloadBytes }, 'published', durationMs + COMMAND_TIMEOUT_MS)))
    const sent = published.reduce((sum, reply) => sum + reply.sent, 0)
    const seconds = Math.max(...published.map((reply) => reply.seconds))
    const expected = sent * (this.workers.length - 1)

    const samples: DeliverySample[] = []
    const deadline = Date.now() + DRAIN_TIMEOUT_MS
    do {
      const collected = await Promise.all(this.workers.map(async (w) => await w.request({ cmd: 'collect' }, 'collected')))
      for (const reply of collected) {
        // Late deliveries of an earlier step's messages are left out.
        samples.push(...reply.samples.filter((sample) => sample.sentAt >= stepStart))
      }
      if (samples.length >= expected) {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    } while (Date.now() < deadline)
    return { sent, seconds, expected, samples, cpuSeconds: cpuSecondsOf(this.workers.map((w) => w.pid)) - cpuBefore }
  }

  /**
   * Collects and drops deliveries until two collections in a row find none,
   * or `timeoutMs` passes, so the backlog of a step that did not keep up is
   * gone before the next one.
   */
  async settle (timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    let quietRounds = 0
    while (quietRounds < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      const collected = await Promise.all(this.workers.map(async (w) => await w.request({ cmd: 'collect' }, 'collected')))
      quietRounds = collected.every((reply) => reply.samples.length === 0) ? quietRounds + 1 : 0
    }
  }

  async stop (): Promise<void> {
    await Promise.all(this.workers.map(async (w) => { await w.stop() }))
  }
}
