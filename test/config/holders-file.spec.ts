import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { loadConfig } from '../../src/config/index.js'
import { toHex } from '../../src/core/hash.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { ConfigError } from '../../src/core/errors.js'

const HOLDERS = ['01', '02', '03'].map(byte => ({ algorithm: 'ED25519' as const, public_key: byte.repeat(32) }))

describe('holders_file', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-holders-test-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  function load (): ReturnType<typeof loadConfig> {
    return loadConfig({ file: join(dir, 'poh.toml'), env: {} })
  }

  it('loads the holder set relative to the config', async () => {
    await writeFile(join(dir, 'holders.json'), JSON.stringify({ holders: HOLDERS }))
    await writeFile(join(dir, 'poh.toml'), 'holders_file = "holders.json"\nmin_poh_required = 2\n')

    const { config } = load()

    expect(config.holders).to.deep.equal(HOLDERS)
  })

  it('accepts a matching holder_set_hash', async () => {
    const hash = toHex(HolderSet.fromConfig(HOLDERS).hash)
    await writeFile(join(dir, 'holders.json'), JSON.stringify({ holders: HOLDERS, holder_set_hash: hash }))
    await writeFile(join(dir, 'poh.toml'), 'holders_file = "holders.json"\nmin_poh_required = 2\n')

    expect(load().config.holders).to.have.length(3)
  })

  it('rejects a stale holder_set_hash', async () => {
    await writeFile(join(dir, 'holders.json'), JSON.stringify({ holders: HOLDERS, holder_set_hash: '00'.repeat(32) }))
    await writeFile(join(dir, 'poh.toml'), 'holders_file = "holders.json"\n')

    expect(() => load()).to.throw(ConfigError, /holder_set_hash 0+ does not match/)
  })

  it('rejects holders and holders_file together', async () => {
    await writeFile(join(dir, 'holders.json'), JSON.stringify({ holders: HOLDERS }))
    await writeFile(join(dir, 'poh.toml'), 'holders_file = "holders.json"\nholders = "open"\n')

    expect(() => load()).to.throw(ConfigError, /both holders and holders_file/)
  })

  it('rejects a file without holders', async () => {
    await writeFile(join(dir, 'holders.json'), JSON.stringify({ keys: HOLDERS }))
    await writeFile(join(dir, 'poh.toml'), 'holders_file = "holders.json"\n')

    expect(() => load()).to.throw(ConfigError, /has no holders array/)
  })
})
