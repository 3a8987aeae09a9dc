import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { runCli } from '../helpers/cli.js'

// These tests run the built CLI (dist and bin/poh-node.js), so run `npx tsc -p .` first.
// The CLI uses the default scrypt N = 2^17, so each keystore operation takes a few hundred milliseconds.
describe('poh-node keys', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-keys-cli-'))
    await writeFile(join(dir, 'pw-lf'), 'first password\n')
    await writeFile(join(dir, 'pw-crlf'), 'first password\r\n')
    await writeFile(join(dir, 'pw-new'), 'second password')
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  for (const algorithm of ['ED25519', 'ML_DSA_65', 'BLS12_381', 'RISTRETTO255']) {
    it(`generate ${algorithm}`, async () => {
      const out = join(dir, 'key.json')
      const result = await runCli(['keys', 'generate', '--algorithm', algorithm, '--out', out, '--password-file', join(dir, 'pw-lf'), '--json'], { cwd: dir })
      expect(result.code, result.stderr).to.equal(0)
      const printed = JSON.parse(result.stdout)
      const file = JSON.parse(await readFile(out, 'utf8'))
      expect(printed.algorithm).to.equal(algorithm)
      expect(file.algorithm).to.equal(algorithm)
      expect(file.public_key).to.equal(printed.public_key)
      expect((await stat(out)).mode & 0o777).to.equal(0o600)
    })
  }

  it('generate, export, import round trip', async () => {
    const keystore = join(dir, 'key.json')
    const plain = join(dir, 'plain.json')
    const again = join(dir, 'again.json')
    const generated = await runCli(['keys', 'generate', '--out', keystore, '--password-file', join(dir, 'pw-lf'), '--json'], { cwd: dir })
    expect(generated.code, generated.stderr).to.equal(0)

    const exported = await runCli(['keys', 'export', keystore, '--password-file', join(dir, 'pw-crlf'), '--out', plain], { cwd: dir })
    expect(exported.code, exported.stderr).to.equal(0)
    const plainFile = JSON.parse(await readFile(plain, 'utf8'))
    expect(plainFile.algorithm).to.equal('ED25519')
    expect(plainFile.public_key).to.equal(JSON.parse(generated.stdout).public_key)
    expect(plainFile.secret_key).to.match(/^[0-9a-f]{64}$/)
    expect((await stat(plain)).mode & 0o777).to.equal(0o600)

    const imported = await runCli(['keys', 'import', plain, '--out', again], { cwd: dir, env: { POH_KEY_PASSWORD: 'second password' } })
    expect(imported.code, imported.stderr).to.equal(0)
    expect((await stat(again)).mode & 0o777).to.equal(0o600)
    const plainAgain = join(dir, 'plain-again.json')
    const reexported = await runCli(['keys', 'export', again, '--password-file', join(dir, 'pw-new'), '--out', plainAgain], { cwd: dir })
    expect(reexported.code, reexported.stderr).to.equal(0)
    expect(JSON.parse(await readFile(plainAgain, 'utf8'))).to.deep.equal(plainFile)
  })

  it('change-password: old fails, new works', async () => {
    const keystore = join(dir, 'key.json')
    const generated = await runCli(['keys', 'generate', '--out', keystore, '--password-file', join(dir, 'pw-lf')], { cwd: dir })
    expect(generated.code, generated.stderr).to.equal(0)

    const changed = await runCli(['keys', 'change-password', keystore, '--password-file', join(dir, 'pw-lf'), '--new-password-file', join(dir, 'pw-new')], { cwd: dir })
    expect(changed.code, changed.stderr).to.equal(0)
    expect((await stat(keystore)).mode & 0o777).to.equal(0o600)

    const withOld = await runCli(['keys', 'export', keystore, '--password-file', join(dir, 'pw-lf'), '--out', join(dir, 'old.json')], { cwd: dir })
    expect(withOld.code).to.equal(1)
    expect(withOld.stderr).to.match(/^poh-node: error: wrong password for keystore /)
    const withNew = await runCli(['keys', 'export', keystore, '--password-file', join(dir, 'pw-new'), '--out', join(dir, 'new.json')], { cwd: dir })
    expect(withNew.code, withNew.stderr).to.equal(0)
  })

  it('export rejects a BLS12_381 keystore', async () => {
    const keystore = join(dir, 'bls.json')
    await runCli(['keys', 'generate', '--algorithm', 'BLS12_381', '--out', keystore, '--password-file', join(dir, 'pw-lf')], { cwd: dir })
    const result = await runCli(['keys', 'export', keystore, '--password-file', join(dir, 'pw-lf'), '--out', join(dir, 'plain.json')], { cwd: dir })
    expect(result.code).to.equal(1)
    expect(result.stderr).to.match(/only holder signature keys \(ED25519, ML_DSA_65, HYBRID_ED25519_ML_DSA_65\)/)
  })

  it('missing password without a terminal', async () => {
    const result = await runCli(['keys', 'generate', '--out', join(dir, 'key.json')], { cwd: dir })
    expect(result.code).to.equal(1)
    expect(result.stderr).to.match(/no password given .*--password-file/)
  })

  it('missing --out is a usage error', async () => {
    const result = await runCli(['keys', 'generate', '--password-file', join(dir, 'pw-lf')], { cwd: dir })
    expect(result.code).to.equal(2)
    expect(result.stderr).to.match(/--out/)
  })

  it('every subcommand has --help', async () => {
    for (const subcommand of ['generate', 'export', 'import', 'change-password']) {
      const result = await runCli(['keys', subcommand, '--help'], { cwd: dir })
      expect(result.code, subcommand).to.equal(0)
      expect(result.stdout, subcommand).to.include(`Usage: poh-node keys ${subcommand}`)
    }
  })
})
