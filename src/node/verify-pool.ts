/**
 * Verifies ACK signatures on worker threads, so a large batch uses more than
 * one core and the main thread stays free for gossip and storage.
 *
 * The main thread builds each SignatureCheck (AckVerifier.signatureCheck)
 * and the workers only run `getScheme(alg).verify`, so any algorithm with a
 * scheme works here without changes.
 *
 * Back-pressure: at most `maxQueuedChecks` checks wait in the queue or run
 * on workers. Checks of a verify() call beyond that bound run on the calling
 * thread before the call returns, so a saturated pool never grows its queue,
 * the caller's own thread adds its core, and every caller still gets all its
 * verdicts.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { PohError } from '../core/errors.js'
import { packChecks, runChecks, transferList } from './verify-job.js'
import type { SignatureCheck } from '../core/validate.js'
import type { Logger } from '../log/logger.js'
import type { VerifyJobMessage, VerifyResultMessage } from './verify-job.js'

/**
 * Checks that may wait or run in the pool at once. Four full ACK batches of
 * 512: enough to keep the workers busy between batches while bounding the
 * memory of queued copies.
 */
export const DEFAULT_MAX_QUEUED_CHECKS = 2048

/**
 * Maximum checks per job. Smaller jobs spread a batch over all workers, and 64
 * Ed25519 checks (several milliseconds) still make the message round trip
 * of some tens of microseconds negligible.
 */
export const DEFAULT_JOB_CHECKS = 64

/** A worker that exits this many times in a row without finishing a job is not replaced. */
const MAX_FAILED_STARTS = 3

/** Entry file of the workers: the .ts source under tsx, the compiled .js under dist/. */
const DEFAULT_WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './verify-worker.ts' : './verify-worker.js', import.meta.url)

/**
 * Default number of workers: one per core, at most 8, and none on a single
 * core, where a worker only adds the hand-off. The main thread gets no core
 * of its own because a signature check costs far more CPU than the rest of
 * an ACK's handling (bench sections verify and codec), so while a batch is
 * verified the main thread mostly waits.
 */
export function defaultVerifyWorkers (cores: number = availableParallelism()): number {
  return cores < 2 ? 0 : Math.min(8, cores)
}

/** Raised for verify() calls pending when close() runs, and for calls after it. */
export class VerifyPoolClosedError extends PohError {
  constructor () {
    super('ERR_VERIFY_POOL_CLOSED', 'the verification pool is closed because the node is stopping')
    this.name = 'VerifyPoolClosedError'
  }
}

export interface VerifyPoolInit {
  /** Number of worker threads, at least 1. */
  size: number
  logger: Logger
  /** @default DEFAULT_MAX_QUEUED_CHECKS */
  maxQueuedChecks?: number
  /** @default DEFAULT_JOB_CHECKS */
  jobChecks?: number
  /** Worker entry file; tests pass one that crashes on purpose. */
  workerUrl?: URL
}

/** Counts of checks by where they ran, and of worker restarts. */
export interface VerifyPoolStats {
  /** Checks verified by a worker. */
  pooled: number
  /** Checks run on the calling thread because the queue was full. */
  inline: number
  /** Checks run on the main thread because their worker exited during the job. */
  recovered: number
  /** Replacement workers started after a worker exited. */
  restarts: number
  /** Workers running now: 0 until the first verify() call with checks starts them. */
  workers: number
}

interface Job {
  id: number
  checks: readonly SignatureCheck[]
  resolve: (valid: Uint8Array) => void
  reject: (err: Error) => void
}

interface Slot {
  worker: Worker
  job?: Job
  /** Exits in a row without a finished job. */
  failedStarts: number
}

export class VerifyPool {
  private readonly init: Required<VerifyPoolInit>
  private readonly slots = new Set<Slot>()
  private readonly queue: Job[] = []
  /** Checks in the queue or on a worker. */
  private queuedChecks = 0
  private nextJobId = 0
  private closed = false
  /** Whether startWorkers ran. Workers that exit later are replaced by onExit, not started again here. */
  private started = false
  private readonly counts = { pooled: 0, inline: 0, recovered: 0, restarts: 0 }

  constructor (init: VerifyPoolInit) {
    if (!Number.isInteger(init.size) || init.size < 1) {
      throw new RangeError(`invalid verification pool size ${init.size}: expected a whole number of workers, at least 1`)
    }
    this.init = {
      maxQueuedChecks: DEFAULT_MAX_QUEUED_CHECKS,
      jobChecks: DEFAULT_JOB_CHECKS,
      workerUrl: DEFAULT_WORKER_URL,
      ...init
    }
  }

  get size (): number {
    return this.init.size
  }

  get stats (): VerifyPoolStats {
    return { ...this.counts, workers: this.slots.size }
  }

  /**
   * Verifies every check and returns one verdict per check, in order. Checks
   * that do not fit the queue run on the calling thread. Rejects with
   * VerifyPoolClosedError when the pool is closed before the checks finish.
   */
  async verify (checks: readonly SignatureCheck[]): Promise<boolean[]> {
    if (this.closed) {
      throw new VerifyPoolClosedError()
    }
    if (!this.started && checks.length > 0) {
      this.startWorkers()
    }
    const room = this.slots.size === 0 ? 0 : Math.max(0, this.init.maxQueuedChecks - this.queuedChecks)
    const pooled = checks.slice(0, room)
    const pending = this.split(pooled).map(async (part) => this.enqueue(part))

    const overflow = checks.slice(pooled.length)
    let inline: Uint8Array
    try {
      inline = runChecks(overflow)
    } catch (err) {
      // The pooled part settles before the error propagates, so none of its rejections goes unhandled.
      await Promise.allSettled(pending)
      throw err
    }
    this.counts.inline += overflow.length

    const parts = await Promise.all(pending)
    return [...parts.flatMap((part) => Array.from(part)), ...inline].map((valid) => valid === 1)
  }

  /** Terminates the workers. Pending verify() calls reject with VerifyPoolClosedError. */
  async close (): Promise<void> {
    if (this.closed) {
      return
    }
    this.closed = true
    const err = new VerifyPoolClosedError()
    for (const job of this.queue.splice(0)) {
      job.reject(err)
    }
    const slots = [...this.slots]
    this.slots.clear()
    for (const slot of slots) {
      slot.job?.reject(err)
    }
    this.queuedChecks = 0
    await Promise.all(slots.map(async (slot) => slot.worker.terminate()))
  }

  /** Splits checks into jobs, evenly over the workers and at most jobChecks each. */
  private split (checks: readonly SignatureCheck[]): Array<readonly SignatureCheck[]> {
    if (checks.length === 0) {
      return []
    }
    const perJob = Math.min(this.init.jobChecks, Math.ceil(checks.length / this.slots.size))
    const parts: Array<readonly SignatureCheck[]> = []
    for (let start = 0; start < checks.length; start += perJob) {
      parts.push(checks.slice(start, start + perJob))
    }
    return parts
  }

  private async enqueue (checks: readonly SignatureCheck[]): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextJobId++, checks, resolve, reject })
      this.queuedChecks += checks.length
      this.dispatch()
    })
  }

  /** Hands queued jobs to idle workers, or runs them here when no worker is left. */
  private dispatch (): void {
    if (this.slots.size === 0) {
      for (const job of this.queue.splice(0)) {
        this.runHere(job)
      }
      return
    }
    for (const slot of this.slots) {
      const job = slot.job === undefined ? this.queue.shift() : undefined
      if (job !== undefined) {
        slot.job = job
        slot.worker.ref()
        const message: VerifyJobMessage = { id: job.id, checks: packChecks(job.checks) }
        slot.worker.postMessage(message, transferList(message.checks))
      }
    }
  }

  /** Settles a job that left the queue with a worker's result or error. */
  private finish (job: Job, result: { valid: Uint8Array } | { error: string }, where: 'pooled' | 'recovered'): void {
    this.queuedChecks -= job.checks.length
    if ('error' in result) {
      job.reject(new Error(`signature check failed: ${result.error}`))
      return
    }
    this.counts[where] += job.checks.length
    job.resolve(result.valid)
  }

  /** Runs a job whose worker is gone on this thread. */
  private runHere (job: Job): void {
    let valid: Uint8Array
    try {
      valid = runChecks(job.checks)
    } catch (err) {
      this.finish(job, { error: (err as Error).message }, 'recovered')
      return
    }
    this.finish(job, { valid }, 'recovered')
  }

  /**
   * Starts the workers on the first call with checks, not in the
   * constructor. Each worker's V8 heap and loaded modules add about 20 MB of
   * resident memory (measured on Node 24, Linux x64), and a node that never
   * gets a large ACK batch does not need them.
   */
  private startWorkers (): void {
    this.started = true
    for (let i = 0; i < this.init.size; i++) {
      this.startWorker({ failedStarts: 0 })
    }
    this.init.logger.info({ workers: this.init.size }, 'verification workers started')
  }

  private startWorker (previous: { failedStarts: number }): void {
    const worker = new Worker(this.init.workerUrl)
    const slot: Slot = { worker, failedStarts: previous.failedStarts }
    worker.on('message', (result: VerifyResultMessage) => { this.onResult(slot, result) })
    worker.on('error', (err) => {
      this.init.logger.error({ err, threadId: worker.threadId }, 'verification worker failed')
    })
    worker.on('exit', (code) => { this.onExit(slot, code) })
    // Idle workers let the process exit, but a worker with a job keeps it
    // alive. This comes after the listeners because adding a 'message'
    // listener refs the worker again (Node 24.21).
    worker.unref()
    this.slots.add(slot)
  }

  private onResult (slot: Slot, result: VerifyResultMessage): void {
    const job = slot.job
    if (job === undefined || job.id !== result.id) {
      return
    }
    slot.job = undefined
    slot.failedStarts = 0
    slot.worker.unref()
    this.finish(job, result, 'pooled')
    this.dispatch()
  }

  /**
   * A worker exited while the pool runs: its job runs on this thread, so the
   * caller still gets every verdict, and a new worker takes its place unless
   * workers keep exiting before they finish a job.
   */
  private onExit (slot: Slot, code: number): void {
    if (!this.slots.delete(slot)) {
      return
    }
    const failedStarts = slot.failedStarts + 1
    const replace = !this.closed && failedStarts < MAX_FAILED_STARTS
    this.init.logger.warn({ threadId: slot.worker.threadId, code, job: slot.job?.id, replace }, 'verification worker exited; its checks run on the main thread')
    if (slot.job !== undefined) {
      this.runHere(slot.job)
    }
    if (replace) {
      this.counts.restarts++
      this.startWorker({ failedStarts })
    }
    this.dispatch()
  }
}
