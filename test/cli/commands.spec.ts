import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'chai'
import { buildProgram } from '../../src/cli/main.js'
import { loadConfig } from '../../src/config/index.js'
import { computeHolderId, computeTxId, fromHex, toHex } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { SigAlg, TxState } from '../../src/core/types.js'
import { AckVerifier } from '../../src/core/validate.js'
import { loadHolderKeyFile } from '../../src/node/keys.js'
import type { ChildProcess } from 'node:child_process'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PohAck } from '../../src/core/proto/poh.js'
import type { AckJson, Certificate, HistoryItem, NodeStatus, PeerInfo } from '../../src/node/queries.js'
import { runCli as runCliIn, startNode, stopNode } from '../helpers/cli.js'
import type { RunResult } from '../helpers/cli.js'

const execFileAsync = promisify(execFile)

/** Temporary directory of the running test, and the working directory of the CLI, so no ./poh.toml is read. */
let dir: string

/** Runs the CLI in the test's directory unless options.cwd names another. */
async function runCli (args: string[], options: { cwd?: string, env?: NodeJS.ProcessEnv, input?: Uint8Array } = {}): Promise<RunResult> {
  return await runCliIn(args, { ...options, cwd: options.cwd ?? dir })
}

/** Returns a loopback TCP port that was free a moment ago. */
async function freePort (): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
  return port
}

/**
 * Creates a node directory with `poh-node init` whose libp2p node listens on
 * loopback only and whose REST API listens on `apiPort` with `token`.
 */
async function initNode (dir: string, options: { apiPort?: number, token?: string } = {}): Promise<{ configFile: string, holderId: string }> {
  const apiPort = options.apiPort === undefined ? [] : ['--api-port', String(options.apiPort)]
  const init = await runCli(['init', '--dir', dir, '--port', '0', ...apiPort, '--json'])
  expect(init.code, init.stderr).to.equal(0)
  const { config_file: configFile, holder_id: holderId } = JSON.parse(init.stdout) as { config_file: string, holder_id: string }
  let text = (await readFile(configFile, 'utf8')).replaceAll('/ip4/0.0.0.0/', '/ip4/127.0.0.1/')
  if (options.apiPort !== undefined) {
    expect(text).to.include(`listen = "127.0.0.1:${options.apiPort}"`)
  }
  if (options.token !== undefined) {
    expect(text).to.include('# token = "change-me"')
    text = text.replace('# token = "change-me"', `token = "${options.token}"`)
  }
  await writeFile(configFile, text)
  return { configFile, holderId }
}

function expectOneLine (result: RunResult): void {
  expect(result.stderr.trim().split('\n'), result.stderr).to.have.length(1)
  expect(result.stderr).to.match(/^poh-node: error: /)
}

/** Turns an ACK of a certificate back into the wire form AckVerifier checks. */
function ackFromJson (json: AckJson): PohAck {
  const bytes = (hex: string): Uint8Array<ArrayBuffer> => {
    const decoded = fromHex(hex)
    if (decoded === undefined) {
      throw new Error(`not hex: ${hex}`)
    }
    return decoded as Uint8Array<ArrayBuffer>
  }
  return {
    version: 1,
    txId: bytes(json.tx_id),
    holderId: bytes(json.holder_id),
    storageHash: bytes(json.storage_hash),
    timestampMs: BigInt(json.timestamp_ms),
    sigAlg: json.sig_alg as SigAlg,
    signature: bytes(json.signature),
    publicKey: json.public_key === undefined ? undefined : bytes(json.public_key)
  }
}

/** Verifies every ACK of a certificate against the holder set of a config file, and its holder_set_hash. */
async function verifyCertificate (certificate: Certificate, configFile: string, payload: Uint8Array): Promise<void> {
  const { config } = loadConfig({ file: configFile, env: {} })
  const holderSet = HolderSet.fromConfig(config.holders)
  const verifier = new AckVerifier({ networkId: config.network_id, holderSet, maxClockSkewMs: config.max_clock_skew_ms })
  expect(certificate.network_id).to.equal(config.network_id)
  expect(certificate.holder_set_hash).to.equal(toHex(holderSet.hash))
  expect(certificate.acks).to.have.length.of.at.least(config.min_poh_required)
  for (const ack of certificate.acks) {
    expect(ack.tx_id).to.equal(certificate.tx_id)
    verifier.verify(ackFromJson(ack), Date.now(), payload)
  }
}

describe('poh-node CLI commands', function () {
  this.timeout(60_000)

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-cli-commands-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  describe('keygen', () => {
    it('writes holder.key in the working directory', async () => {
      const result = await runCli(['keygen', '--json'], { cwd: dir })

      expect(result.code, result.stderr).to.equal(0)
      const output = JSON.parse(result.stdout) as { key_file: string, algorithm: string, public_key: string, holder_id: string, holders_entry: string }
      expect(output.key_file).to.equal(join(dir, 'holder.key'))
      expect(output.algorithm).to.equal('ED25519')
      expect(output.public_key).to.match(/^[0-9a-f]{64}$/)
      expect(output.holder_id).to.equal(toHex(computeHolderId(SigAlg.ED25519, fromHex(output.public_key) as Uint8Array)))
      expect(output.holders_entry).to.equal(`{ algorithm = "ED25519", public_key = "${output.public_key}" }`)
      expect((await stat(output.key_file)).mode & 0o777).to.equal(0o600)
      const loaded = await loadHolderKeyFile(output.key_file)
      expect(toHex(loaded.publicKey)).to.equal(output.public_key)
    })

    it('prints an ML_DSA_65 key and its holders entry', async () => {
      const out = join(dir, 'keys', 'pq.key')

      const result = await runCli(['keygen', '--algorithm', 'ML_DSA_65', '--out', out])

      expect(result.code, result.stderr).to.equal(0)
      const loaded = await loadHolderKeyFile(out)
      const publicKey = toHex(loaded.publicKey)
      expect(publicKey).to.have.length(1952 * 2)
      expect(result.stdout).to.include(`{ algorithm = "ML_DSA_65", public_key = "${publicKey}" }`)
      expect(result.stdout).to.include(toHex(computeHolderId(SigAlg.ML_DSA_65, loaded.publicKey)))
      expect((await stat(out)).mode & 0o777).to.equal(0o600)
    })

    it('holders entry loads as config', async () => {
      const result = await runCli(['keygen', '--out', join(dir, 'holder.key'), '--json'])
      const { holders_entry: entry, public_key: publicKey } = JSON.parse(result.stdout) as { holders_entry: string, public_key: string }
      const file = join(dir, 'poh.toml')
      await writeFile(file, `min_poh_required = 1\nholders = [\n  ${entry}\n]\n`)

      const { config } = loadConfig({ file, env: {} })

      expect(config.holders).to.deep.equal([{ algorithm: 'ED25519', public_key: publicKey }])
    })

    it('refuses to overwrite a key file', async () => {
      const out = join(dir, 'holder.key')
      await writeFile(out, 'keep me\n')

      const result = await runCli(['keygen', '--out', out])

      expect(result.code).to.equal(1)
      expectOneLine(result)
      expect(result.stderr).to.include(out)
      expect(result.stderr).to.include('already exists')
      expect(await readFile(out, 'utf8')).to.equal('keep me\n')
    })

    it('rejects an unknown algorithm', async () => {
      const result = await runCli(['keygen', '--algorithm', 'RSA', '--out', join(dir, 'holder.key')])

      expect(result.code).to.equal(2)
      expect(result.stderr).to.include('RSA')
      expect(existsSync(join(dir, 'holder.key'))).to.equal(false)
    })
  })

  describe('completion', () => {
    const program = buildProgram()
    const commandNames = [...program.commands.map(c => c.name()), 'help']

    /** Runs the bash completion function on a command line; the last word is the one being completed. */
    async function bashComplete (scriptFile: string, words: string[]): Promise<string[]> {
      const { stdout } = await execFileAsync('bash', ['-c', 'source "$1"; COMP_WORDS=("${@:2}"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _poh_node_complete; printf "%s\\n" "${COMPREPLY[@]}"', '_', scriptFile, ...words])
      return stdout.split('\n').filter(line => line !== '')
    }

    it('bash script passes bash -n', async () => {
      const result = await runCli(['completion', 'bash'])
      const file = join(dir, 'poh-node.bash')
      await writeFile(file, result.stdout)

      expect(result.code, result.stderr).to.equal(0)
      await execFileAsync('bash', ['-n', file])
    })

    it('bash completes every command', async () => {
      const file = join(dir, 'poh-node.bash')
      await writeFile(file, (await runCli(['completion', 'bash'])).stdout)

      const offered = await bashComplete(file, ['poh-node', ''])

      for (const name of commandNames) {
        expect(offered, name).to.include(name)
      }
      expect(await bashComplete(file, ['poh-node', 'qu'])).to.deep.equal(['query'])
    })

    it('bash completes every option of each command', async () => {
      const file = join(dir, 'poh-node.bash')
      await writeFile(file, (await runCli(['completion', 'bash'])).stdout)

      for (const command of program.commands) {
        const offered = await bashComplete(file, ['poh-node', command.name(), '--'])
        const expected = [...command.options.map(o => o.long as string), '--help'].sort()
        expect(offered.sort(), command.name()).to.deep.equal(expected)
      }
    })

    it('bash completes option values and arguments', async () => {
      const file = join(dir, 'poh-node.bash')
      await writeFile(file, (await runCli(['completion', 'bash'])).stdout)

      expect(await bashComplete(file, ['poh-node', 'keygen', '--algorithm', ''])).to.deep.equal(['ED25519', 'ML_DSA_65', 'HYBRID_ED25519_ML_DSA_65'])
      expect(await bashComplete(file, ['poh-node', 'completion', ''])).to.deep.equal(['bash', 'zsh'])
      expect(await bashComplete(file, ['poh-node', 'query', '--sl'])).to.deep.equal(['--slots'])
      expect(await bashComplete(file, ['poh-node', 'help', 'st'])).to.deep.equal(['start', 'status'])
    })

    it('zsh script passes zsh -n and registers', async function () {
      try {
        await execFileAsync('zsh', ['--version'])
      } catch {
        this.skip()
      }
      const result = await runCli(['completion', 'zsh'])
      const file = join(dir, '_poh-node')
      await writeFile(file, result.stdout)

      expect(result.code, result.stderr).to.equal(0)
      await execFileAsync('zsh', ['-n', file])
      const { stdout } = await execFileAsync('zsh', ['-f', '-c', 'autoload -U compinit; compinit -u -D; source "$1"; print -r -- "$_comps[poh-node]"', '_', file])
      expect(stdout.trim()).to.equal('_poh_node')
      for (const name of commandNames) {
        expect(result.stdout, name).to.match(new RegExp(`^    '${name}:`, 'm'))
      }
    })

    it('rejects an unknown shell', async () => {
      const result = await runCli(['completion', 'fish'])

      expect(result.code).to.equal(2)
      expect(result.stderr).to.include('fish')
    })
  })

  describe('argument errors', () => {
    const hex64 = 'ab'.repeat(32)
    const getCases: Array<[string, string]> = [
      ['not hex', 'xyz'],
      ['63 characters', hex64.slice(1)],
      ['65 characters', hex64 + 'a'],
      ['a non-hex character', hex64.slice(1) + 'g']
    ]
    for (const [name, value] of getCases) {
      it(`get rejects a tx_id with ${name}`, async () => {
        const result = await runCli(['get', value, '--api', 'http://127.0.0.1:9'])

        expect(result.code).to.equal(2)
        expectOneLine(result)
        expect(result.stderr).to.include(`"${value}"`)
      })
    }

    const queryCases: Array<[string, string[], string]> = [
      ['from after to', ['--from', '2000', '--to', '1000'], '"2000"'],
      ['ISO from after to', ['--from', '2025-01-02', '--to', '2025-01-01T23:59:59Z'], '"2025-01-02"'],
      ['an invalid date', ['--from', '2025-02-30', '--to', '2025-03-01'], '"2025-02-30"'],
      ['an unparsable time', ['--from', 'yesterday', '--to', '1000'], '"yesterday"'],
      ['slots without dots', ['--slots', '5-7'], '"5-7"'],
      ['slots not numbers', ['--slots', '5..x'], '"5..x"'],
      ['slots in reverse', ['--slots', '9..3'], '"9..3"'],
      ['both ranges', ['--from', '1', '--to', '2', '--slots', '1..2'], '"1..2"'],
      ['neither range', [], '--slots'],
      ['from without to', ['--from', '1'], '"1"'],
      ['limit 0', ['--slots', '1..2', '--limit', '0'], '"0"'],
      ['limit above 1000', ['--slots', '1..2', '--limit', '1001'], '"1001"'],
      ['a malformed cursor', ['--slots', '1..2', '--cursor', 'zz'], '"zz"'],
      ['a malformed --api', ['--slots', '1..2', '--api', 'localhost:8080'], '"localhost:8080"']
    ]
    for (const [name, args, named] of queryCases) {
      it(`query rejects ${name}`, async () => {
        const result = await runCli(['query', ...args, ...(args.includes('--api') ? [] : ['--api', 'http://127.0.0.1:9'])])

        expect(result.code, result.stderr).to.equal(2)
        expectOneLine(result)
        expect(result.stderr).to.include(named)
      })
    }
  })

  describe('against a stub REST API', () => {
    const status: NodeStatus = {
      network_id: 'poh-stub',
      peer_id: '12D3KooWStubPeer',
      holder_id: 'cd'.repeat(32),
      addresses: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWStubPeer'],
      peers: 1,
      holder_set: { open: false, size: 3, hash: 'ef'.repeat(32) },
      min_poh_required: 2,
      transactions_stored: 3,
      stored_bytes: 4096,
      pending_transactions: 1,
      uptime_seconds: 3725,
      spot_checks: {
        enabled: true,
        holders: [{ holder_id: 'ab'.repeat(32), pass: 4, fail: 1, unreachable: 2, last_result: 'not_held', last_checked_ms: 1_700_000_000_000 }]
      }
    }
    const peers: PeerInfo[] = [{ peer_id: '12D3KooWOtherPeer', addresses: ['/ip4/127.0.0.1/tcp/4002'], score: 1.5 }]
    const item = (n: number): HistoryItem => ({
      tx_id: String(n).repeat(64),
      state: TxState.HELD,
      request_timestamp_ms: 1_735_689_600_000 + n,
      slot: 1_735_689_600 + n,
      first_seen_ms: 1_735_689_600_010 + n,
      held_at_ms: 1_735_689_600_100 + n,
      ack_count: 2,
      expires_at_ms: 1_735_693_200_000 + n
    })
    const cursor = 'a1'.repeat(40)
    const txId = '1'.repeat(64)
    const certificate: Certificate = {
      network_id: 'poh-stub',
      tx_id: txId,
      holder_set_hash: 'ef'.repeat(32),
      acks: [{ tx_id: txId, holder_id: 'cd'.repeat(32), storage_hash: '00'.repeat(32), timestamp_ms: 1_735_689_600_050, sig_alg: 'ED25519', signature: '11'.repeat(64) }]
    }

    let server: Server
    let api: string
    let requests: Array<{ url: string, authorization?: string }>

    /** Serves the API routes with canned data. /v1/slots/7/7 never responds, to test timeouts. */
    function handle (request: IncomingMessage, response: ServerResponse): void {
      const url = new URL(request.url ?? '/', 'http://stub')
      requests.push({ url: request.url ?? '', authorization: request.headers.authorization })
      const send = (code: number, body: unknown): void => {
        response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      }
      if (request.headers.authorization !== undefined && request.headers.authorization !== 'Bearer right-token') {
        send(401, { error: { code: 'unauthorized', message: 'invalid bearer token; send the token set in api.token' } })
        return
      }
      if (url.pathname === '/v1/status') {
        send(200, status)
      } else if (url.pathname === '/v1/peers') {
        send(200, { peers })
      } else if (url.pathname === `/v1/tx/${txId}`) {
        send(200, { tx_id: txId, state: 'HELD', ack_count: 2, holders: ['cd'.repeat(32), 'ce'.repeat(32)], held_at_ms: 1_735_689_600_100, expires_at_ms: 1_735_693_200_000, payload_bytes: 12 })
      } else if (url.pathname === `/v1/tx/${txId}/certificate`) {
        send(200, certificate)
      } else if (url.pathname === '/v1/tx' || url.pathname === '/v1/slots/1/3') {
        // Two pages: items 1 and 2, then item 3.
        send(200, url.searchParams.get('cursor') === cursor ? { items: [item(3)], next_cursor: null } : { items: [item(1), item(2)], next_cursor: cursor })
      } else if (url.pathname === '/v1/slots/5/6') {
        send(400, { error: { code: 'invalid_parameter', message: 'invalid path parameter to "6": the last slot is 5' } })
      } else if (url.pathname === '/v1/slots/7/7') {
        // No response, so the client's timeout has to end the request.
      } else if (url.pathname.startsWith('/v1/tx/')) {
        send(404, { error: { code: 'not_found', message: 'this node has no transaction' } })
      } else {
        send(404, { error: { code: 'route_not_found', message: `no route GET ${url.pathname}` } })
      }
    }

    beforeEach(async () => {
      requests = []
      server = createServer(handle)
      await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
      api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })

    afterEach(async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
    })

    it('status prints the node and its peers', async () => {
      const result = await runCli(['status', '--api', api])

      expect(result.code, result.stderr).to.equal(0)
      expect(result.stdout).to.match(/^network: +poh-stub$/m)
      expect(result.stdout).to.match(/^peers: +1$/m)
      expect(result.stdout).to.include('12D3KooWOtherPeer')
      expect(result.stdout).to.match(/^uptime: +1h 2m 5s$/m)
      expect(result.stdout).to.match(/^spot checks: +on, 1 holder checked$/m)
      expect(result.stdout).to.include(`  ${'ab'.repeat(32)}  pass 4  fail 1  unreachable 2  last not_held at 2023-11-14T22:13:20.000Z`)
    })

    it('status --json adds connected_peers', async () => {
      const result = await runCli(['status', '--api', api, '--json'])

      expect(result.code, result.stderr).to.equal(0)
      expect(JSON.parse(result.stdout)).to.deep.equal({ ...status, connected_peers: peers })
    })

    it('status reads api.listen and api.token', async () => {
      const port = new URL(api).port
      const file = join(dir, 'poh.toml')
      await writeFile(file, `[api]\nlisten = "127.0.0.1:${port}"\ntoken = "right-token"\n`)

      const result = await runCli(['status', '--config', file, '--json'])

      expect(result.code, result.stderr).to.equal(0)
      expect(requests.map(r => r.authorization)).to.deep.equal(['Bearer right-token', 'Bearer right-token'])
    })

    it('status rejects a wrong token with exit 2', async () => {
      const result = await runCli(['status', '--api', api], { env: { POH_API_TOKEN: 'wrong-token' } })

      expect(result.code).to.equal(2)
      expectOneLine(result)
      expect(result.stderr).to.include('HTTP 401')
      expect(result.stderr).to.include('api.token')
    })

    it('get prints one transaction', async () => {
      const result = await runCli(['get', txId.toUpperCase(), '--api', api])

      expect(result.code, result.stderr).to.equal(0)
      expect(result.stdout).to.match(/^state: +HELD$/m)
      expect(result.stdout).to.match(/^acks: +2$/m)
      expect(result.stdout).to.match(/^held at: +2025-01-01T00:00:00\.100Z$/m)
      expect(result.stdout).to.match(/^expires at: +2025-01-01T01:00:00\.000Z$/m)
      expect(result.stdout).to.include('ce'.repeat(32))
      expect(requests[0]?.url).to.equal(`/v1/tx/${txId}`)
    })

    it('get --json prints the API document', async () => {
      const result = await runCli(['get', txId, '--api', api, '--json'])

      expect(result.code, result.stderr).to.equal(0)
      const tx = JSON.parse(result.stdout) as { state: string, holders: string[] }
      expect(tx.state).to.equal('HELD')
      expect(tx.holders).to.have.length(2)
    })

    it('get --certificate --json prints the certificate', async () => {
      const result = await runCli(['get', txId, '--certificate', '--api', api, '--json'])

      expect(result.code, result.stderr).to.equal(0)
      expect(JSON.parse(result.stdout)).to.deep.equal(certificate)
    })

    it('get of an unknown transaction exits 1', async () => {
      const unknown = '9'.repeat(64)

      const result = await runCli(['get', unknown, '--api', api])

      expect(result.code).to.equal(1)
      expectOneLine(result)
      expect(result.stderr).to.include(`${unknown} not found`)
    })

    it('get reports a missing route as an error', async () => {
      const result = await runCli(['get', txId, '--api', `${api}/prefix`])

      expect(result.code).to.equal(1)
      expectOneLine(result)
      expect(result.stderr).to.include('route_not_found')
    })

    it('query prints one page and the next cursor', async () => {
      const result = await runCli(['query', '--slots', '1..3', '--limit', '2', '--api', api])

      expect(result.code, result.stderr).to.equal(0)
      const lines = result.stdout.trim().split('\n')
      expect(lines[0]).to.match(/^TX_ID +STATE +SLOT +ACKS +REQUESTED +EXPIRES$/)
      expect(lines.slice(1, 3).map(line => line.split(/\s+/)[0])).to.deep.equal([item(1).tx_id, item(2).tx_id])
      expect(lines[3]).to.include(`next cursor: ${cursor}`)
      expect(requests.map(r => r.url)).to.deep.equal(['/v1/slots/1/3?limit=2'])
    })

    it('query --all --json follows the cursors', async () => {
      const result = await runCli(['query', '--slots', '1..3', '--all', '--json', '--api', api])

      expect(result.code, result.stderr).to.equal(0)
      expect(result.stdout.trim().split('\n')).to.have.length(1)
      expect(JSON.parse(result.stdout)).to.deep.equal({ items: [item(1), item(2), item(3)], next_cursor: null })
      expect(requests.map(r => r.url)).to.deep.equal(['/v1/slots/1/3?limit=100', `/v1/slots/1/3?cursor=${cursor}&limit=100`])
    })

    it('query --from and --to send Unix ms', async () => {
      const result = await runCli(['query', '--from', '2025-01-01T02:00+02:00', '--to', '1735689600999', '--cursor', cursor, '--json', '--api', api])

      expect(result.code, result.stderr).to.equal(0)
      expect(JSON.parse(result.stdout)).to.deep.equal({ items: [item(3)], next_cursor: null })
      expect(requests.map(r => r.url)).to.deep.equal([`/v1/tx?from=1735689600000&to=1735689600999&cursor=${cursor}&limit=100`])
    })

    it('query passes an API 400 on as exit 2', async () => {
      const result = await runCli(['query', '--slots', '5..6', '--api', api])

      expect(result.code).to.equal(2)
      expectOneLine(result)
      expect(result.stderr).to.include('invalid path parameter to "6"')
    })

    it('query gives up after --timeout', async () => {
      const result = await runCli(['query', '--slots', '7..7', '--timeout', '1', '--api', api])

      expect(result.code).to.equal(1)
      expectOneLine(result)
      expect(result.stderr).to.include(`the node API at ${api} did not respond within 1 s`)
    })

    it('status reports a refused connection', async () => {
      const port = await freePort()

      const result = await runCli(['status', '--api', `http://127.0.0.1:${port}`])

      expect(result.code).to.equal(1)
      expectOneLine(result)
      expect(result.stderr).to.include(`cannot reach the node API at http://127.0.0.1:${port}: connection refused`)
      expect(result.stderr).to.include('poh-node start')
    })
  })

  describe('with a running node', () => {
    it('send --wait --json prints a verifiable certificate', async () => {
      const { configFile, holderId } = await initNode(join(dir, 'n1'))
      const { child, ready } = await startNode(configFile)
      try {
        const address = (ready.addresses as string[]).find(a => a.includes('/tcp/')) as string
        const payload = new TextEncoder().encode('certificate round trip')

        const result = await runCli(['send', '--config', configFile, '--peer', address, '--wait', '--json', '-'], { input: payload })

        expect(result.code, result.stderr).to.equal(0)
        expect(result.stdout.trim().split('\n')).to.have.length(1)
        const certificate = JSON.parse(result.stdout) as Certificate
        expect(certificate.tx_id).to.equal(toHex(computeTxId(payload)))
        expect(certificate.acks.map(ack => ack.holder_id)).to.deep.equal([holderId])
        await verifyCertificate(certificate, configFile, payload)
        expect(result.stderr).to.include(`ACK 1/1 from holder ${holderId.slice(0, 16)}…`)

        const forged = { ...certificate, acks: [{ ...certificate.acks[0] as AckJson, signature: '00'.repeat(64) }] }
        await verifyCertificate(forged, configFile, payload).then(
          () => { throw new Error('a forged signature verified') },
          (err: Error) => { expect(err.message).to.include('signature does not verify') }
        )
      } finally {
        expect(await stopNode(child)).to.equal(0)
      }
    })

    it('send --wait times out with progress', async () => {
      const { configFile, holderId } = await initNode(join(dir, 'n1'))
      const keygen = await runCli(['keygen', '--out', join(dir, 'absent.key'), '--json'])
      const { holders_entry: absentHolder } = JSON.parse(keygen.stdout) as { holders_entry: string }
      // The client waits for two ACKs, but only one of its two holders runs.
      const clientConfig = join(dir, 'client.toml')
      const text = (await readFile(configFile, 'utf8'))
        .replace('min_poh_required = 1', 'min_poh_required = 2')
        .replace('holders = [\n', `holders = [\n  ${absentHolder},\n`)
      await writeFile(clientConfig, text)
      const { child, ready } = await startNode(configFile)
      try {
        const address = (ready.addresses as string[]).find(a => a.includes('/tcp/')) as string

        const result = await runCli(['send', '--config', clientConfig, '--peer', address, '--wait', '--timeout', '5', '--hex', '0102'])

        expect(result.code, result.stderr).to.equal(1)
        expect(result.stdout).to.equal('')
        expect(result.stderr).to.include(`ACK 1/2 from holder ${holderId.slice(0, 16)}…`)
        expect(result.stderr.trim().split('\n').at(-1)).to.equal('poh-node: error: timed out after 5 s with 1/2 ACKs; raise --timeout or check that 2 holders run')
      } finally {
        expect(await stopNode(child)).to.equal(0)
      }
    })

    it('send --wait prints a readable summary', async () => {
      const { configFile, holderId } = await initNode(join(dir, 'n1'))
      const { child, ready } = await startNode(configFile)
      try {
        const address = (ready.addresses as string[]).find(a => a.includes('/tcp/')) as string

        const result = await runCli(['send', '--config', configFile, '--peer', address, '--wait', '--hex', '68656c6c6f'])

        expect(result.code, result.stderr).to.equal(0)
        const txId = toHex(computeTxId(new TextEncoder().encode('hello')))
        expect(result.stdout).to.include(`${txId} held by 1 holder (min_poh_required 1)`)
        expect(result.stdout).to.include(`ACK from holder ${holderId.slice(0, 16)}… ED25519`)
        expect(result.stderr).to.include(`sent ${txId}`)
      } finally {
        expect(await stopNode(child)).to.equal(0)
      }
    })
  })

  const describeWithApi = describe

  describeWithApi('against the REST API of a running node', () => {
    const token = 'e2e-token'
    let configFile: string
    let holderId: string
    let child: ChildProcess
    let ready: Record<string, unknown>
    let address: string

    beforeEach(async () => {
      const created = await initNode(join(dir, 'n1'), { apiPort: await freePort(), token })
      configFile = created.configFile
      holderId = created.holderId
      const started = await startNode(configFile)
      child = started.child
      ready = started.ready
      address = (ready.addresses as string[]).find(a => a.includes('/tcp/')) as string
    })

    afterEach(async () => {
      if (child !== undefined) {
        expect(await stopNode(child)).to.equal(0)
      }
    })

    async function send (text: string): Promise<{ payload: Uint8Array, certificate: Certificate }> {
      const payload = new TextEncoder().encode(text)
      const result = await runCli(['send', '--config', configFile, '--peer', address, '--wait', '--json', '-'], { input: payload })
      expect(result.code, result.stderr).to.equal(0)
      return { payload, certificate: JSON.parse(result.stdout) as Certificate }
    }

    it('send --wait of a held tx returns at once', async () => {
      const { payload, certificate } = await send('sent twice')

      const again = await runCli(['send', '--config', configFile, '--peer', address, '--wait', '--json', '--timeout', '5', '-'], { input: payload })

      expect(again.code, again.stderr).to.equal(0)
      expect(again.stderr).to.include('already held')
      expect((JSON.parse(again.stdout) as Certificate).tx_id).to.equal(certificate.tx_id)
    })

    it('status shows the node', async () => {
      const json = await runCli(['status', '--config', configFile, '--json'])
      const human = await runCli(['status', '--config', configFile])

      expect(json.code, json.stderr).to.equal(0)
      const status = JSON.parse(json.stdout) as NodeStatus & { connected_peers: PeerInfo[] }
      expect(status.peer_id).to.equal(ready.peer_id)
      expect(status.holder_id).to.equal(holderId)
      expect(status.network_id).to.equal('poh-local')
      expect(status.connected_peers).to.be.an('array')
      expect(human.code, human.stderr).to.equal(0)
      expect(human.stdout).to.include(String(ready.peer_id))
    })

    it('status without the token exits 2', async () => {
      const text = (await readFile(configFile, 'utf8')).replace(`token = "${token}"`, '')
      const noToken = join(dir, 'no-token.toml')
      await writeFile(noToken, text)

      const result = await runCli(['status', '--config', noToken])

      expect(result.code).to.equal(2)
      expectOneLine(result)
      expect(result.stderr).to.include('api.token')
    })

    it('get shows a held transaction and its certificate', async () => {
      const { payload, certificate: sent } = await send('get round trip')

      const tx = await runCli(['get', sent.tx_id, '--config', configFile, '--json'])
      const human = await runCli(['get', sent.tx_id, '--config', configFile])
      const certificate = await runCli(['get', sent.tx_id, '--certificate', '--config', configFile, '--json'])

      expect(tx.code, tx.stderr).to.equal(0)
      const json = JSON.parse(tx.stdout) as { state: string, ack_count: number, holders: string[], payload_bytes: number }
      expect(json.state).to.equal('HELD')
      expect(json.ack_count).to.equal(1)
      expect(json.holders).to.deep.equal([holderId])
      expect(json.payload_bytes).to.equal(payload.length)
      expect(human.stdout).to.match(/^state: +HELD$/m)
      expect(certificate.code, certificate.stderr).to.equal(0)
      await verifyCertificate(JSON.parse(certificate.stdout) as Certificate, configFile, payload)
    })

    it('get of an unknown transaction exits 1', async () => {
      const result = await runCli(['get', '0'.repeat(64), '--config', configFile])

      expect(result.code).to.equal(1)
      expectOneLine(result)
      expect(result.stderr).to.include('not found')
    })

    it('query pages through sent transactions', async () => {
      const sent: string[] = []
      for (const text of ['query one', 'query two', 'query three']) {
        sent.push((await send(text)).certificate.tx_id)
      }
      const now = Date.now()
      const lastSlot = Math.floor(now / loadConfig({ file: configFile, env: {} }).config.slot_duration_ms)

      const all = await runCli(['query', '--from', '0', '--to', String(now), '--limit', '1', '--all', '--json', '--config', configFile])
      const first = await runCli(['query', '--from', '0', '--to', String(now), '--limit', '2', '--json', '--config', configFile])
      const slots = await runCli(['query', '--slots', `0..${lastSlot}`, '--all', '--json', '--config', configFile])

      expect(all.code, all.stderr).to.equal(0)
      expect((JSON.parse(all.stdout) as { items: HistoryItem[] }).items.map(i => i.tx_id).sort()).to.deep.equal([...sent].sort())
      const page = JSON.parse(first.stdout) as { items: HistoryItem[], next_cursor: string | null }
      expect(page.items).to.have.length(2)
      expect(page.next_cursor).to.be.a('string')
      const rest = await runCli(['query', '--from', '0', '--to', String(now), '--cursor', page.next_cursor as string, '--json', '--config', configFile])
      expect((JSON.parse(rest.stdout) as { items: HistoryItem[] }).items).to.have.length(1)
      expect(slots.code, slots.stderr).to.equal(0)
      expect((JSON.parse(slots.stdout) as { items: HistoryItem[] }).items).to.have.length(3)
    })
  })
})
