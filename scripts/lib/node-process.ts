import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'

/** The poh-node entry point, found from this file in scripts/lib or dist/scripts/lib. */
export function pohNodeBin (): string {
  const here = fileURLToPath(new URL('.', import.meta.url))
  const root = here.includes(`${join('dist', 'scripts')}`) ? join(here, '..', '..', '..') : join(here, '..', '..')
  return join(root, 'bin', 'poh-node.js')
}

/**
 * Returns the Node.js flags in POH_BENCH_NODE_FLAGS, separated by spaces, for
 * every node process the benchmarks and the testnet start: for example
 * `--cpu-prof --cpu-prof-dir=/tmp/profiles`, which NODE_OPTIONS does not allow.
 */
function extraNodeFlags (): string[] {
  return (process.env.POH_BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '')
}

/** One JSON line that `poh-node start --print-events` writes. */
export interface NodeEvent {
  event: string
  [key: string]: unknown
}

/**
 * A `poh-node start` child process. Its stdout events are passed to
 * `onEvent`; its stderr log goes to a file in its data directory.
 */
export class NodeProcess {
  readonly name: string
  readonly child: ChildProcess
  readonly exited: Promise<number | null>
  private exitCode: number | null | undefined

  /** Starts the built CLI, bin/poh-node.js, which runs dist/: `npm run bench` and `npm run testnet` build it first. */
  constructor (name: string, configFile: string, logFile: string, onEvent: (event: NodeEvent) => void) {
    this.name = name
    this.child = spawn(process.execPath, [...extraNodeFlags(), pohNodeBin(), 'start', '--config', configFile, '--print-events'], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    this.child.stderr?.pipe(createWriteStream(logFile))
    const lines = createInterface({ input: this.child.stdout! })
    lines.on('line', (line) => {
      try {
        onEvent(JSON.parse(line) as NodeEvent)
      } catch {
        // A line that is not JSON is not an event; the log file has the details.
      }
    })
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal === null ? null : 128)
        resolve(this.exitCode)
      })
    })
  }

  get running (): boolean {
    return this.exitCode === undefined
  }

  /** Kills the process with SIGKILL, as a crash would, and waits for it to exit. */
  async kill (): Promise<void> {
    if (!this.running) {
      return
    }
    this.child.kill('SIGKILL')
    await this.exited
  }

  /** Sends SIGTERM and waits; sends SIGKILL if the process is still running after graceMs. */
  async stop (graceMs = 10_000): Promise<void> {
    if (!this.running) {
      return
    }
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => { this.child.kill('SIGKILL') }, graceMs)
    await this.exited
    clearTimeout(timer)
  }
}
