import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { buildPohAck, buildPohRequest, holderSignerFromKeyPair } from '../../src/core/builders.js'
import { getScheme } from '../../src/core/crypto/index.js'
import { toHex } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { SigAlg } from '../../src/core/types.js'
import { ackToJson } from '../../src/node/queries.js'
import type { Certificate } from '../../src/node/queries.js'
import { runCli as runCliIn } from '../helpers/cli.js'
import type { RunResult } from '../helpers/cli.js'

// These tests run the built CLI from dist, so run `npx tsc -p .` first.

const NETWORK_ID = 'poh-cert-test'

describe('poh-node verify-cert', () => {
  const holders = [1, 2, 3].map(seed => holderSignerFromKeyPair(getScheme(SigAlg.ED25519).generateKeyPair(new Uint8Array(32).fill(seed))))
  const entries = holders.map(holder => ({ algorithm: 'ED25519' as const, public_key: toHex(holder.keyPair.publicKey) }))
  const request = buildPohRequest(new TextEncoder().encode('cli certificate'), { ttlSeconds: 60, timestampMs: 1_700_000_000_000 })
  const cert: Certificate = {
    network_id: NETWORK_ID,
    tx_id: toHex(request.txId),
    holder_set_hash: toHex(HolderSet.fromConfig(entries).hash),
    acks: holders.map(holder => ackToJson(buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: 1_700_000_000_000 })))
  }
  let dir: string

  async function runCli (args: string[], input?: Uint8Array): Promise<RunResult> {
    return await runCliIn(args, { cwd: dir, input })
  }

  async function writeCertificate (name: string, value: Certificate): Promise<string> {
    const file = join(dir, name)
    await writeFile(file, JSON.stringify(value))
    return file
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-verify-cert-'))
    await writeFile(join(dir, 'holders.json'), JSON.stringify(entries))
    const toml = [
      `network_id = "${NETWORK_ID}"`,
      'min_poh_required = 3',
      'holders = [',
      ...entries.map(entry => `  { algorithm = "${entry.algorithm}", public_key = "${entry.public_key}" },`),
      ']'
    ].join('\n')
    await writeFile(join(dir, 'poh.toml'), toml)
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('exits 0 on a valid certificate', async () => {
    const file = await writeCertificate('cert.json', cert)

    const result = await runCli(['verify-cert', file, '--holders', 'holders.json', '--min', '3'])

    expect(result.stderr).to.equal('')
    expect(result.code).to.equal(0)
    expect(result.stdout).to.equal(`valid: 3 of 3 holders signed tx ${cert.tx_id}\n`)
  })

  it('reads min and network from a node config', async () => {
    const file = await writeCertificate('cert.json', cert)

    const result = await runCli(['verify-cert', file, '--holders', 'poh.toml'])

    expect(result.code).to.equal(0)
    expect(result.stdout).to.contain('valid: 3 of 3 holders')
  })

  it('reads the certificate from standard input', async () => {
    const result = await runCli(['verify-cert', '-', '--holders', 'poh.toml', '--json'], new TextEncoder().encode(JSON.stringify(cert)))

    expect(result.code).to.equal(0)
    expect(JSON.parse(result.stdout)).to.deep.equal({ valid: true, counted: holders.map(holder => toHex(holder.holderId)), problems: [], ignored: [] })
  })

  it('exits 1 on a tampered ACK', async () => {
    const tampered = structuredClone(cert)
    tampered.acks[1]!.timestamp_ms += 1
    const file = await writeCertificate('tampered.json', tampered)

    const result = await runCli(['verify-cert', file, '--holders', 'poh.toml'])

    expect(result.code).to.equal(1)
    const lines = result.stdout.trim().split('\n')
    expect(lines).to.have.length(2)
    expect(lines[0]).to.contain(`acks[1] (holder ${toHex(holders[1]!.holderId)}): signature does not verify`)
    expect(lines[1]).to.equal('2 distinct holders signed validly, fewer than the required 3')
    expect(result.stderr).to.contain('is invalid: 2 problems')
  })

  it('prints problems as JSON', async () => {
    const tampered = structuredClone(cert)
    tampered.acks[1]!.timestamp_ms += 1
    const file = await writeCertificate('tampered.json', tampered)

    const result = await runCli(['verify-cert', file, '--holders', 'holders.json', '--min', '2', '--json'])

    expect(result.code).to.equal(1)
    const verdict = JSON.parse(result.stdout) as { valid: boolean, counted: string[], problems: string[] }
    expect(verdict.valid).to.equal(false)
    expect(verdict.counted).to.have.length(2)
    expect(verdict.problems).to.have.length(1)
  })

  it('exits 1 on another network id', async () => {
    const file = await writeCertificate('cert.json', cert)

    const result = await runCli(['verify-cert', file, '--holders', 'holders.json', '--min', '3', '--network-id', 'poh-other'])

    expect(result.code).to.equal(1)
    expect(result.stdout).to.contain('is not the expected "poh-other"')
  })

  it('exits 2 on a missing certificate file', async () => {
    const result = await runCli(['verify-cert', 'missing.json', '--holders', 'poh.toml'])

    expect(result.code).to.equal(2)
    expect(result.stdout).to.equal('')
    expect(result.stderr).to.equal('poh-node: error: cannot read certificate file missing.json: file not found\n')
  })

  it('exits 2 on malformed certificate JSON', async () => {
    await writeFile(join(dir, 'broken.json'), '{ "tx_id": ')

    const result = await runCli(['verify-cert', 'broken.json', '--holders', 'poh.toml'])

    expect(result.code).to.equal(2)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.match(/^poh-node: error: invalid JSON in certificate broken\.json: /)
  })

  it('exits 2 on a certificate missing a field', async () => {
    const { acks: _acks, ...withoutAcks } = cert
    await writeFile(join(dir, 'no-acks.json'), JSON.stringify(withoutAcks))

    const result = await runCli(['verify-cert', 'no-acks.json', '--holders', 'poh.toml'])

    expect(result.code).to.equal(2)
    expect(result.stderr).to.equal('poh-node: error: invalid certificate no-acks.json: certificate field acks must be an array, got nothing (the field is missing)\n')
  })

  it('exits 2 on a missing holders file', async () => {
    const file = await writeCertificate('cert.json', cert)

    const result = await runCli(['verify-cert', file, '--holders', 'absent.toml', '--min', '3'])

    expect(result.code).to.equal(2)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.contain('absent.toml')
  })

  it('exits 2 on a bad holders entry', async () => {
    const file = await writeCertificate('cert.json', cert)
    await writeFile(join(dir, 'bad-holders.json'), JSON.stringify([{ algorithm: 'ED25519', public_key: 'abcd' }]))

    const result = await runCli(['verify-cert', file, '--holders', 'bad-holders.json', '--min', '1'])

    expect(result.code).to.equal(2)
    expect(result.stderr).to.contain('holders[0].public_key')
    expect(result.stderr).to.contain('in bad-holders.json:')
  })

  it('exits 2 without --min for a bare array', async () => {
    const file = await writeCertificate('cert.json', cert)

    const result = await runCli(['verify-cert', file, '--holders', 'holders.json'])

    expect(result.code).to.equal(2)
    expect(result.stderr).to.equal('poh-node: error: --min is required because holders.json does not set min_poh_required\n')
  })
})
