import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { parse as parseToml } from 'smol-toml'
import { CONFIG_KEYS, defaultConfig, loadConfig, parseListenAddress, renderConfigToml } from '../../src/config/index.js'

describe('renderConfigToml', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'poh-render-'))
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('defaults round trip', () => {
    const file = join(dir, 'poh.toml')
    writeFileSync(file, renderConfigToml(defaultConfig()))

    const { config, sources } = loadConfig({ file, env: {} })
    const expected = defaultConfig()
    expected.data_dir = join(dir, 'data')
    expected.holder.key_file = join(dir, 'data', 'holder.key')
    expected.peer_key_file = join(dir, 'data', 'peer.key')

    expect(config).to.deep.equal(expected)
    expect(sources.network_id).to.deep.equal({ kind: 'file', file })
    expect(sources.replication_factor).to.deep.equal({ kind: 'default' })
  })

  it('custom config round trip', () => {
    const first = join(dir, 'first.yaml')
    writeFileSync(first, [
      'network_id: "round-trip"',
      'data_dir: /var/lib/poh',
      'listen: ["/ip6/::/tcp/4001"]',
      'min_poh_required: 1',
      'replication_factor: 2',
      'holders:',
      `  - { algorithm: ED25519, public_key: "${'0a'.repeat(32)}" }`,
      `  - { algorithm: ML_DSA_65, public_key: "${'0b'.repeat(1952)}" }`,
      'holder: { enabled: false, algorithm: ML_DSA_65, key_file: "keys/h.key" }',
      'api: { listen: "[::1]:8081", token: "quote\\" and \\\\ backslash" }',
      'log: { level: trace, format: pretty }',
      ''
    ].join('\n'))
    const loaded = loadConfig({ file: first, env: {} }).config

    const second = join(dir, 'second.toml')
    writeFileSync(second, renderConfigToml(loaded))
    const reloaded = loadConfig({ file: second, env: {} }).config

    expect(reloaded).to.deep.equal(loaded)
    expect(reloaded.api.token).to.equal('quote" and \\ backslash')
  })

  it('open holder set round trip', () => {
    const config = { ...defaultConfig(), holders: 'open' as const }
    const file = join(dir, 'poh.toml')
    writeFileSync(file, renderConfigToml(config))

    expect(loadConfig({ file, env: {} }).config.holders).to.equal('open')
  })

  it('every key has a comment', () => {
    const text = renderConfigToml(defaultConfig())
    const lines = text.split('\n')

    for (const key of CONFIG_KEYS) {
      const name = key.path.at(-1) ?? ''
      const index = lines.findIndex((line) => line.startsWith(`${name} =`) || line.startsWith(`# ${name} =`))
      expect(index, `no line for ${key.name}`).to.be.greaterThan(0)
      expect(lines[index - 1], `no comment above ${key.name}`).to.match(/^# Default: /)
      expect(lines[index - 2], `no description above ${key.name}`).to.match(/^# /)
    }
    expect(parseToml(text)).to.have.property('log')
  })
})

describe('parseListenAddress', () => {
  const cases: Array<[string, ReturnType<typeof parseListenAddress>]> = [
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['[::1]:9090', { host: '::1', port: 9090 }],
    ['127.0.0.1', undefined],
    ['127.0.0.1:65536', undefined],
    ['::1:8080', undefined],
    ['http://127.0.0.1:80', undefined]
  ]
  for (const [value, expected] of cases) {
    it(`${expected == null ? 'rejects' : 'accepts'} ${value}`, () => {
      expect(parseListenAddress(value)).to.deep.equal(expected)
    })
  }
})
