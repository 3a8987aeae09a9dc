import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { pohNodeBin } from '../../scripts/lib/node-process.js'
import type { ChildProcess } from 'node:child_process'

export interface RunResult { code: number | null, stdout: string, stderr: string }

/** Runs the built poh-node CLI to completion, without the POH_ variables of this process. */
export async function runCli (args: string[], options: { cwd?: string, env?: NodeJS.ProcessEnv, input?: Uint8Array } = {}): Promise<RunResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('POH_')))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [pohNodeBin(), ...args], { cwd: options.cwd, env: { ...env, ...options.env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => { stdout += String(d) })
    child.stderr.on('data', (d) => { stderr += String(d) })
    child.once('error', reject)
    child.once('exit', (code) => { resolve({ code, stdout, stderr }) })
    child.stdin.end(options.input)
  })
}

/** Starts `poh-node start --print-events` and resolves once it prints its ready event. */
export async function startNode (config: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess, ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, [pohNodeBin(), 'start', '--config', config, '--print-events'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stderr = ''
  child.stderr?.on('data', (d) => { stderr += String(d) })
  const lines = createInterface({ input: child.stdout! })
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    lines.on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>
      if (event.event === 'ready') {
        resolve(event)
      }
    })
    child.once('exit', (code) => { reject(new Error(`node exited with ${code}: ${stderr}`)) })
  })
  return { child, ready }
}

/** Stops a node started by startNode with SIGTERM and returns its exit code. */
export async function stopNode (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) {
    return child.exitCode
  }
  const exited = new Promise<number | null>((resolve) => { child.once('exit', (code) => { resolve(code) }) })
  child.kill('SIGTERM')
  return await exited
}
