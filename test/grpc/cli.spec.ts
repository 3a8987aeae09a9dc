import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect } from 'chai'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { pohNodeBin } from '../../scripts/lib/node-process.js'
import type { ChildProcess } from 'node:child_process'
import type { Certificate, HistoryItem, NodeStatus } from '../../src/node/queries.js'

interface RunResult { code: number | null, stdout: string, stderr: string }

const TOKEN = 'grpc-cli-token-30c9f1'

/** Environment of every CLI run: this process's, without its POH_ variables. */
function baseEnv (): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('POH_')))
}

/** Runs the built poh-node CLI to completion in `cwd`, so no ./poh.toml of the repository is read. */
async function runCli (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [pohNodeBin(), ...args], { cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => { stdout += String(d) })
    child.stderr.on('data', (d) => { stderr += String(d) })
    child.once('error', reject)
    child.once('exit', (code) => { resolve({ code, stdout, stderr }) })
  })
}

/** Starts `poh-node start --print-events` and resolves with its ready event. */
async function startNode (configFile: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess, ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, [pohNodeBin(), 'start', '--config', configFile, '--print-events'], { env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
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

async function stopNode (child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) {
    return child.exitCode
  }
  const exited = new Promise<number | null>((resolve) => { child.once('exit', (code) => { resolve(code) }) })
  child.kill('SIGTERM')
  return await exited
}

function parseJson<T> (result: RunResult): T {
  expect(result.code, result.stderr).to.equal(0)
  return JSON.parse(result.stdout) as T
}

function expectUsageLine (result: RunResult, code: number): void {
  expect(result.code, result.stderr).to.equal(code)
  expect(result.stderr.trim().split('\n'), result.stderr).to.have.length(1)
  expect(result.stderr).to.match(/^poh-node: error: /)
}

describe('poh-node CLI over gRPC', function () {
  this.timeout(60_000)
  let dir: string
  let configFile: string
  let node: ChildProcess | undefined
  let grpc: string
  /** Base URL of the node's REST API, to compare outputs with. */
  let api: string
  /** Environment that gives the CLI the node's gRPC token. */
  const withToken = { POH_GRPC_TOKEN: TOKEN }
  const payload = new TextEncoder().encode(`grpc cli ${Date.now()}`)
  const txId = toHex(computeTxId(payload))

  before(async function () {
    if (!existsSync(pohNodeBin().replace(/bin[/\\]poh-node\.js$/, join('dist', 'src', 'cli', 'main.js')))) {
      throw new Error('dist/ is missing; run npx tsc -p . before these tests')
    }
    dir = await mkdtemp(join(tmpdir(), 'poh-grpc-cli-'))
    const initDir = join(dir, 'node')
    expect((await runCli(['init', '--dir', initDir, '--port', '0', '--json'], dir)).code).to.equal(0)
    configFile = join(initDir, 'poh.toml')
    await writeFile(configFile, (await readFile(configFile, 'utf8')).replaceAll('/ip4/0.0.0.0/', '/ip4/127.0.0.1/'))
    const started = await startNode(configFile, { POH_GRPC_ENABLED: 'true', POH_GRPC_LISTEN: '127.0.0.1:0', ...withToken })
    node = started.child
    grpc = started.ready.grpc as string
    api = started.ready.api as string
  })

  after(async function () {
    if (node !== undefined) {
      await stopNode(node)
    }
    if (dir !== undefined) {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('ready event names the gRPC address', function () {
    expect(grpc).to.match(/^127\.0\.0\.1:\d+$/)
  })

  it('send --grpc --wait prints the certificate', async function () {
    const result = await runCli(['send', '--hex', toHex(payload), '--grpc', grpc, '--wait', '--json', '--timeout', '20'], dir, withToken)
    const held = parseJson<Certificate & { held: boolean, count: number }>(result)

    expect(held.tx_id).to.equal(txId)
    expect(held.held).to.equal(true)
    expect(held.count).to.equal(1)
    expect(held.acks).to.have.length(1)
    expect(held.acks[0]?.tx_id).to.equal(txId)
    expect(result.stderr).to.include(`sent ${txId}`)
  })

  it('send --grpc without --wait prints the tx_id', async function () {
    const other = new TextEncoder().encode(`grpc cli other ${Date.now()}`)

    const result = await runCli(['send', '--hex', toHex(other), '--grpc', grpc], dir, withToken)

    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout.trim()).to.equal(toHex(computeTxId(other)))
  })

  it('status --grpc matches the REST API', async function () {
    const overGrpc = parseJson<NodeStatus & { connected_peers: unknown[] }>(await runCli(['status', '--grpc', grpc, '--json'], dir, withToken))
    const overRest = parseJson<NodeStatus & { connected_peers: unknown[] }>(await runCli(['status', '--api', api, '--json'], dir))

    expect({ ...overGrpc, uptime_seconds: 0 }).to.deep.equal({ ...overRest, uptime_seconds: 0 })
    expect(overGrpc.transactions_stored).to.be.at.least(1)
  })

  it('status --grpc prints the human-readable form', async function () {
    const result = await runCli(['status', '--grpc', grpc], dir, withToken)

    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/^network: +poh-local$/m)
  })

  it('get --grpc matches the REST API', async function () {
    for (const extra of [[], ['--certificate']]) {
      const overGrpc = parseJson<unknown>(await runCli(['get', txId, ...extra, '--grpc', grpc, '--json'], dir, withToken))
      const overRest = parseJson<unknown>(await runCli(['get', txId, ...extra, '--api', api, '--json'], dir))

      expect(overGrpc, extra.join(' ')).to.deep.equal(overRest)
    }
  })

  it('query --grpc --all follows the cursors', async function () {
    const args = ['query', '--from', '0', '--to', String(Date.now() + 60_000), '--limit', '1', '--all', '--json']
    const overGrpc = parseJson<{ items: HistoryItem[], next_cursor: string | null }>(await runCli([...args, '--grpc', grpc], dir, withToken))
    const overRest = parseJson<{ items: HistoryItem[], next_cursor: string | null }>(await runCli([...args, '--api', api], dir))

    expect(overGrpc.items.length).to.be.at.least(2)
    expect(overGrpc.items.map(item => item.tx_id)).to.include(txId)
    expect(overGrpc).to.deep.equal(overRest)
  })

  it('get --grpc of an unknown tx fails', async function () {
    const unknown = 'cd'.repeat(32)

    const result = await runCli(['get', unknown, '--grpc', grpc], dir, withToken)

    expectUsageLine(result, 1)
    expect(result.stderr).to.include(`transaction ${unknown} not found`)
  })

  it('missing token is a usage error', async function () {
    const result = await runCli(['status', '--grpc', grpc], dir)

    expectUsageLine(result, 2)
    expect(result.stderr).to.include('UNAUTHENTICATED')
    expect(result.stderr).to.include('grpc.token')
  })

  it('unreachable address names the fix', async function () {
    const result = await runCli(['status', '--grpc', '127.0.0.1:9', '--timeout', '5'], dir, withToken)

    expectUsageLine(result, 1)
    expect(result.stderr).to.include('cannot reach the node gRPC API at 127.0.0.1:9')
    expect(result.stderr).to.include('grpc.enabled')
  })

  for (const [id, args] of [
    ['a malformed --grpc', ['status', '--grpc', 'localhost']],
    ['--grpc with --api', ['status', '--grpc', '127.0.0.1:50051', '--api', 'http://127.0.0.1:8080']],
    ['send --grpc with --peer', ['send', '--hex', '0a', '--grpc', '127.0.0.1:50051', '--peer', '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWStub']]
  ] as Array<[string, string[]]>) {
    it(`${id} is a usage error`, async function () {
      expectUsageLine(await runCli(args, dir), 2)
    })
  }
})
