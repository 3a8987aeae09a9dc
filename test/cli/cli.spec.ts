import { once } from 'node:events'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { computeTxId, toHex } from '../../src/core/hash.js'
import { runCli, startNode, stopNode } from '../helpers/cli.js'

describe('poh-node CLI', function () {
  this.timeout(60_000)
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-cli-test-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('init creates keys and config', async () => {
    const result = await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0', '--json'])

    expect(result.code, result.stderr).to.equal(0)
    const created = JSON.parse(result.stdout) as { config_file: string, peer_id: string, holder_id: string }
    expect(created.peer_id).to.match(/^12D3KooW/)
    expect(created.holder_id).to.match(/^[0-9a-f]{64}$/)
    expect((await stat(join(dir, 'n1', 'holder.key'))).mode & 0o777).to.equal(0o600)
    expect((await stat(join(dir, 'n1', 'peer.key'))).mode & 0o777).to.equal(0o600)
    expect(await readFile(created.config_file, 'utf8')).to.include('min_poh_required = 1')
  })

  it('init --encrypt writes a keystore', async () => {
    const passwordFile = join(dir, 'password')
    await writeFile(passwordFile, 'correct horse\n', { mode: 0o600 })
    const result = await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0', '--algorithm', 'HYBRID_ED25519_ML_DSA_65', '--encrypt', '--password-file', passwordFile, '--json'])
    expect(result.code, result.stderr).to.equal(0)
    const created = JSON.parse(result.stdout) as { config_file: string, holder_id: string, public_key: string }
    const keyFile = join(dir, 'n1', 'holder.key')
    const stored = JSON.parse(await readFile(keyFile, 'utf8')) as Record<string, unknown>

    expect(stored.kdf).to.equal('scrypt')
    expect(stored.algorithm).to.equal('HYBRID_ED25519_ML_DSA_65')
    expect(stored).to.not.have.property('secret_key')
    expect(created.public_key).to.have.length(1984 * 2)
    expect((await stat(keyFile)).mode & 0o777).to.equal(0o600)

    const { child, ready } = await startNode(created.config_file, { POH_KEY_PASSWORD_FILE: passwordFile })
    try {
      expect(ready.holder_id).to.equal(created.holder_id)
    } finally {
      expect(await stopNode(child)).to.equal(0)
    }
  })

  it('init refuses an existing directory', async () => {
    await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0'])

    const again = await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0'])

    expect(again.code).to.equal(1)
    expect(again.stderr.trim().split('\n')).to.have.length(1)
    expect(again.stderr).to.include('already exists')
  })

  it('start rejects a bad config value in one line', async () => {
    const config = join(dir, 'bad.toml')
    await writeFile(config, 'min_poh_required = "three"\n')

    const result = await runCli(['start', '--config', config])

    expect(result.code).to.equal(2)
    expect(result.stderr).to.include('min_poh_required')
    expect(result.stderr).to.include('three')
  })

  it('start rejects a bad environment value', async () => {
    await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0'])

    const result = await runCli(['start', '--config', join(dir, 'n1', 'poh.toml')], { env: { POH_MAX_PAYLOAD_BYTES: '12kb' } })

    expect(result.code).to.equal(2)
    expect(result.stderr).to.include('POH_MAX_PAYLOAD_BYTES')
  })

  it('unknown option exits 2', async () => {
    const result = await runCli(['send', '--hexx', 'abcd'])

    expect(result.code).to.equal(2)
    expect(result.stderr).to.include('--hexx')
  })

  it('send rejects malformed hex', async () => {
    const result = await runCli(['send', '--hex', 'abc'])

    expect(result.code).to.equal(2)
    expect(result.stderr).to.include('--hex')
  })

  it('start caps young generation', async function () {
    if (process.platform !== 'linux') {
      this.skip()
    }
    const init = await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0', '--json'])
    const { config_file: configFile } = JSON.parse(init.stdout) as { config_file: string }

    const defaulted = await startNode(configFile, { NODE_OPTIONS: '' })
    try {
      const args = (await readFile(`/proc/${defaulted.child.pid}/cmdline`, 'utf8')).split('\0')
      expect(args).to.include('--max-semi-space-size=16')
      expect(args).to.include('start')
    } finally {
      expect(await stopNode(defaulted.child)).to.equal(0)
    }

    const chosen = await startNode(configFile, { NODE_OPTIONS: '--max-semi-space-size=8' })
    try {
      const args = (await readFile(`/proc/${chosen.child.pid}/cmdline`, 'utf8')).split('\0')
      expect(args).to.not.include('--max-semi-space-size=16')
    } finally {
      expect(await stopNode(chosen.child)).to.equal(0)
    }
  })

  it('send --wait reports held from a running node', async () => {
    const init = await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0', '--json'])
    const { config_file: configFile } = JSON.parse(init.stdout) as { config_file: string }
    const config = await readFile(configFile, 'utf8')
    const { child, ready } = await startNode(configFile)
    try {
      const address = (ready.addresses as string[]).find(a => a.includes('/tcp/'))
      expect(address).to.be.a('string')
      const payload = new TextEncoder().encode('cli round trip')

      const result = await runCli(['send', '--config', configFile, '--peer', address as string, '--wait', '--json', '-'], { input: payload })

      expect(result.code, result.stderr).to.equal(0)
      const output = JSON.parse(result.stdout) as { tx_id: string, held: boolean, count: number, acks: unknown[] }
      expect(output.tx_id).to.equal(toHex(computeTxId(payload)))
      expect(output.held).to.equal(true)
      expect(output.count).to.equal(1)
      expect(output.acks).to.have.length(1)
      expect(config).to.include('holders')
    } finally {
      expect(await stopNode(child)).to.equal(0)
    }
  })

  it('second start on one data directory fails', async () => {
    const init = await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0', '--json'])
    const { config_file: configFile } = JSON.parse(init.stdout) as { config_file: string }
    const { child } = await startNode(configFile)
    try {
      const second = await runCli(['start', '--config', configFile])

      expect(second.code).to.equal(1)
      expect(second.stderr).to.include('in use by another process')
      expect(second.stderr).to.include(join(dir, 'n1'))
    } finally {
      await stopNode(child)
    }
  })
  it('names the listen address in use', async () => {
    const blocker = createServer()
    blocker.listen(0, '127.0.0.1')
    await once(blocker, 'listening')
    const port = (blocker.address() as AddressInfo).port
    try {
      const init = await runCli(['init', '--dir', join(dir, 'n1'), '--port', '0', '--json'])
      const { config_file: configFile } = JSON.parse(init.stdout) as { config_file: string }
      const config = await readFile(configFile, 'utf8')
      await writeFile(configFile, config.replace(/^listen = .*$/m, `listen = ["/ip4/127.0.0.1/tcp/${port}"]`))

      const result = await runCli(['start', '--config', configFile])

      expect(result.code).to.equal(1)
      expect(result.stderr).to.include(`cannot listen on /ip4/127.0.0.1/tcp/${port} (`)
      expect(result.stderr).to.include('EADDRINUSE')
    } finally {
      blocker.close()
    }
  })
})
