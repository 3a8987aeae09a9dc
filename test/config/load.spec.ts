import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { expect } from 'chai'
import { CONFIG_KEYS, loadConfig } from '../../src/config/index.js'
import { ConfigError } from '../../src/core/errors.js'
import type { LoadConfigOptions } from '../../src/config/index.js'

const ED25519_KEY = 'ab'.repeat(32)
const ML_DSA_65_KEY = 'cd'.repeat(1952)

/** Runs loadConfig, expects a ConfigError and returns its message. */
function loadError (options: LoadConfigOptions): string {
  try {
    loadConfig(options)
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError)
    return (err as ConfigError).message
  }
  expect.fail('expected loadConfig to throw a ConfigError')
}

/** Returns the line of a multi-line error message that starts with `key`. */
function lineFor (message: string, key: string): string {
  const line = message.split('\n').find((candidate) => candidate.startsWith(`${key}:`))
  expect(line, `no line for ${key} in:\n${message}`).to.be.a('string')
  return line ?? ''
}

describe('loadConfig', () => {
  let dir: string
  let peerId: string

  before(async () => {
    peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  })

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'poh-config-'))
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  function writeConfig (name: string, text: string): string {
    const file = join(dir, name)
    writeFileSync(file, text)
    return file
  }

  describe('file formats', () => {
    it('TOML, YAML and JSON give equal configs', () => {
      const peer = `/ip4/192.0.2.1/tcp/4001/p2p/${peerId}`
      const toml = writeConfig('poh.toml', `
network_id = "test-net"
data_dir = "state"
listen = ["/ip4/127.0.0.1/tcp/0"]
broadcast_peers = ["${peer}"]
min_poh_required = 2
replication_factor = 3
holders = [
  { algorithm = "ED25519", public_key = "${ED25519_KEY.toUpperCase()}" },
  { algorithm = "ML_DSA_65", public_key = "${ML_DSA_65_KEY}" },
  { algorithm = "ED25519", public_key = "${'01'.repeat(32)}" },
]

[holder]
enabled = false
algorithm = "ML_DSA_65"

[repair]
max_ids_per_request = 16

[log]
level = "debug"
format = "pretty"
`)
      const yaml = writeConfig('poh.yaml', `
network_id: test-net
data_dir: state
listen: [/ip4/127.0.0.1/tcp/0]
broadcast_peers: ["${peer}"]
min_poh_required: 2
replication_factor: 3
holders:
  - { algorithm: ED25519, public_key: "${ED25519_KEY.toUpperCase()}" }
  - { algorithm: ML_DSA_65, public_key: "${ML_DSA_65_KEY}" }
  - { algorithm: ED25519, public_key: "${'01'.repeat(32)}" }
holder:
  enabled: false
  algorithm: ML_DSA_65
repair:
  max_ids_per_request: 16
log:
  level: debug
  format: pretty
`)
      const json = writeConfig('poh.json', JSON.stringify({
        network_id: 'test-net',
        data_dir: 'state',
        listen: ['/ip4/127.0.0.1/tcp/0'],
        broadcast_peers: [peer],
        min_poh_required: 2,
        replication_factor: 3,
        holders: [
          { algorithm: 'ED25519', public_key: ED25519_KEY.toUpperCase() },
          { algorithm: 'ML_DSA_65', public_key: ML_DSA_65_KEY },
          { algorithm: 'ED25519', public_key: '01'.repeat(32) }
        ],
        holder: { enabled: false, algorithm: 'ML_DSA_65' },
        repair: { max_ids_per_request: 16 },
        log: { level: 'debug', format: 'pretty' }
      }))

      const fromToml = loadConfig({ file: toml, env: {} })
      const fromYaml = loadConfig({ file: yaml, env: {} })
      const fromJson = loadConfig({ file: json, env: {} })

      expect(fromYaml.config).to.deep.equal(fromToml.config)
      expect(fromJson.config).to.deep.equal(fromToml.config)
      expect(fromToml.warnings).to.deep.equal([])

      const config = fromToml.config
      expect(config.network_id).to.equal('test-net')
      expect(config.data_dir).to.equal(join(dir, 'state'))
      expect(config.holder).to.deep.equal({ enabled: false, key_file: join(dir, 'state', 'holder.key'), algorithm: 'ML_DSA_65' })
      expect(config.repair.max_ids_per_request).to.equal(16)
      expect(config.repair.request_timeout_ms).to.equal(10_000)
      expect(config.replication_factor).to.equal(3)
      expect(config.holders).to.deep.equal([
        { algorithm: 'ED25519', public_key: ED25519_KEY },
        { algorithm: 'ML_DSA_65', public_key: ML_DSA_65_KEY },
        { algorithm: 'ED25519', public_key: '01'.repeat(32) }
      ])
    })

    it('empty file gives defaults', () => {
      const { config, sources } = loadConfig({ file: writeConfig('empty.yaml', ''), env: {}, cwd: dir })

      expect(config.network_id).to.equal('poh-local')
      expect(config.listen).to.deep.equal(['/ip4/0.0.0.0/tcp/4001', '/ip4/0.0.0.0/udp/4001/quic-v1'])
      expect(config.min_poh_required).to.equal(3)
      expect(config.max_payload_bytes).to.equal(262_144)
      expect(config.api).to.deep.equal({ listen: '127.0.0.1:8080' })
      expect(config.log).to.deep.equal({ level: 'info', format: 'json' })
      expect(config.replication_factor).to.equal(undefined)
      expect(sources['log.level']).to.deep.equal({ kind: 'default' })
      expect(Object.keys(sources)).to.have.length(CONFIG_KEYS.length)
    })

    it('unsupported extension is rejected', () => {
      const message = loadError({ file: writeConfig('poh.ini', 'network_id = x\n'), env: {} })

      expect(message).to.include(join(dir, 'poh.ini'))
      expect(message).to.include('".ini"')
      expect(message).to.include('.toml, .json, .yaml or .yml')
    })

    it('missing file is rejected', () => {
      const message = loadError({ file: join(dir, 'absent.toml'), env: {} })

      expect(message).to.include(join(dir, 'absent.toml'))
      expect(message).to.include('not found')
    })

    const syntaxErrors: Array<[string, string, string]> = [
      ['poh.toml', 'min_poh_required = 3\nlisten = [\n', 'Invalid TOML'],
      ['poh.yaml', 'min_poh_required: 3\nholder:\n  enabled: [true\n', 'Invalid YAML'],
      ['poh.json', '{\n  "min_poh_required": 3,\n}\n', 'Invalid JSON']
    ]
    for (const [name, text, prefix] of syntaxErrors) {
      it(`syntax error names file and line: ${name}`, () => {
        const file = writeConfig(name, text)
        const message = loadError({ file, env: {} })

        expect(message).to.include(prefix)
        expect(message).to.include(file)
        expect(message).to.match(/at line \d+/)
      })
    }

    it('top-level array is rejected', () => {
      const message = loadError({ file: writeConfig('poh.json', '[1, 2]'), env: {} })

      expect(message).to.include('expected a table of keys at the top level, found an array')
    })
  })

  describe('types', () => {
    const wrongTypes: Array<[string, string, string, string]> = [
      ['YAML no for boolean', 'poh.yaml', 'holder:\n  enabled: no\n', 'holder.enabled'],
      ['YAML off for boolean', 'poh.yml', 'holder:\n  enabled: off\n', 'holder.enabled'],
      ['quoted "false" in JSON', 'poh.json', '{ "holder": { "enabled": "false" } }', 'holder.enabled'],
      ['quoted "3" in TOML', 'poh.toml', 'min_poh_required = "3"\n', 'min_poh_required'],
      ['quoted "3" in YAML', 'poh.yaml', 'min_poh_required: "3"\n', 'min_poh_required'],
      ['fraction for integer', 'poh.json', '{ "gc_interval_seconds": 1.5 }', 'gc_interval_seconds'],
      ['string for array', 'poh.toml', 'listen = "/ip4/0.0.0.0/tcp/1"\n', 'listen'],
      ['number for table', 'poh.toml', 'repair = 5\n', 'repair']
    ]
    for (const [name, fileName, text, key] of wrongTypes) {
      it(`rejects ${name}`, () => {
        const file = writeConfig(fileName, text)
        const line = lineFor(loadError({ file, env: {} }), key)

        expect(line).to.include(file)
        expect(line).to.include('expected')
      })
    }

    it('YAML no message shows value', () => {
      const file = writeConfig('poh.yaml', 'holder:\n  enabled: no\n')
      const line = lineFor(loadError({ file, env: {} }), 'holder.enabled')

      expect(line).to.equal(`holder.enabled: invalid value "no" in ${file}: expected true or false, received a string`)
    })

    it('unknown top-level key is rejected', () => {
      const file = writeConfig('poh.toml', 'min_poh_requierd = 2\n')
      const line = lineFor(loadError({ file, env: {} }), 'min_poh_requierd')

      expect(line).to.include('unknown key')
      expect(line).to.include(file)
      expect(line).to.include('Did you mean min_poh_required?')
    })

    it('unknown nested key is rejected', () => {
      const file = writeConfig('poh.yaml', 'repair:\n  max_ids: 3\n')
      const line = lineFor(loadError({ file, env: {} }), 'repair.max_ids')

      expect(line).to.include('unknown key')
    })

    it('unknown key in holder entry is rejected', () => {
      const file = writeConfig('poh.json', JSON.stringify({ holders: [{ algorithm: 'ED25519', public_key: ED25519_KEY, weight: 2 }] }))
      const line = lineFor(loadError({ file, env: {} }), 'holders[0].weight')

      expect(line).to.include('unknown key')
    })

    it('every problem gets one line', () => {
      const file = writeConfig('poh.yaml', 'holder:\n  enabled: no\nmin_poh_required: 0\nlog:\n  level: loud\n')
      const lines = loadError({ file, env: {} }).split('\n')

      expect(lines[0]).to.equal('Invalid configuration, 3 problems:')
      expect(lines).to.have.length(4)
      expect(lineFor(lines.join('\n'), 'min_poh_required')).to.include('expected at least 1')
      expect(lineFor(lines.join('\n'), 'log.level')).to.include('expected one of "trace", "debug", "info", "warn", "error", "fatal"')
    })
  })

  describe('values', () => {
    it('bad multiaddr names key and value', () => {
      const file = writeConfig('poh.toml', 'listen = ["/ip4/0.0.0.0/tcp/4001", "/ip4/300.0.0.1/tcp/1"]\n')
      const line = lineFor(loadError({ file, env: {} }), 'listen[1]')

      expect(line).to.include('"/ip4/300.0.0.1/tcp/1"')
      expect(line).to.include('expected a multiaddr')
    })

    it('broadcast peer without /p2p is rejected', () => {
      const file = writeConfig('poh.toml', 'broadcast_peers = ["/ip4/192.0.2.1/tcp/4001"]\n')
      const line = lineFor(loadError({ file, env: {} }), 'broadcast_peers[0]')

      expect(line).to.include('"/ip4/192.0.2.1/tcp/4001"')
      expect(line).to.include('ending in /p2p/<peer id>')
    })

    it('broadcast peer with bad peer id is rejected', () => {
      const file = writeConfig('poh.toml', 'broadcast_peers = ["/ip4/192.0.2.1/tcp/4001/p2p/notapeer"]\n')
      const line = lineFor(loadError({ file, env: {} }), 'broadcast_peers[0]')

      expect(line).to.include('invalid peer id "notapeer"')
    })

    it('bad network_id names key and value', () => {
      const file = writeConfig('poh.yaml', 'network_id: Main/Net\n')
      const line = lineFor(loadError({ file, env: {} }), 'network_id')

      expect(line).to.include('"Main/Net"')
      expect(line).to.include('a-z, 0-9 and "-"')
    })

    it('max_ttl below ttl names both keys', () => {
      const file = writeConfig('poh.toml', 'ttl_seconds = 7200\nmax_ttl_seconds = 3600\n')
      const line = lineFor(loadError({ file, env: {} }), 'max_ttl_seconds')

      expect(line).to.include('3600')
      expect(line).to.include('ttl_seconds (7200)')
    })

    it('ttl above default max_ttl names default', () => {
      const line = lineFor(loadError({ env: { POH_TTL_SECONDS: '700000' } }), 'max_ttl_seconds')

      expect(line).to.include('604800 (the default)')
      expect(line).to.include('ttl_seconds (700000)')
    })

    it('wrong-length ED25519 key names key and value', () => {
      const file = writeConfig('poh.json', JSON.stringify({ holders: [{ algorithm: 'ED25519', public_key: 'abcd' }] }))
      const line = lineFor(loadError({ file, env: {} }), 'holders[0].public_key')

      expect(line).to.include('"abcd"')
      expect(line).to.include('expected 64 hex characters (32 bytes) for an ED25519 public key, got 4')
    })

    it('Ed25519-length ML_DSA_65 key is rejected', () => {
      const file = writeConfig('poh.json', JSON.stringify({ holders: [{ algorithm: 'ML_DSA_65', public_key: ED25519_KEY }] }))
      const line = lineFor(loadError({ file, env: {} }), 'holders[0].public_key')

      expect(line).to.include('expected 3904 hex characters (1952 bytes)')
    })

    it('long value is cut in message', () => {
      const file = writeConfig('poh.json', JSON.stringify({ holders: [{ algorithm: 'ED25519', public_key: ML_DSA_65_KEY }] }))
      const line = lineFor(loadError({ file, env: {} }), 'holders[0].public_key')

      expect(line).to.include('… (3904 characters)')
      expect(line.length).to.be.lessThan(400)
    })

    it('non-hex holder key is rejected', () => {
      const file = writeConfig('poh.json', JSON.stringify({ holders: [{ algorithm: 'ED25519', public_key: 'zz'.repeat(32) }] }))
      const line = lineFor(loadError({ file, env: {} }), 'holders[0].public_key')

      expect(line).to.include('expected a public key in hex')
    })

    it('duplicate holder key is rejected', () => {
      const holders = [{ algorithm: 'ED25519', public_key: ED25519_KEY }, { algorithm: 'ED25519', public_key: ED25519_KEY.toUpperCase() }]
      const file = writeConfig('poh.json', JSON.stringify({ holders }))
      const line = lineFor(loadError({ file, env: {} }), 'holders[1].public_key')

      expect(line).to.include('also holders[0]')
    })

    it('misspelled holders value is rejected', () => {
      const file = writeConfig('poh.toml', 'holders = "opne"\n')
      const line = lineFor(loadError({ file, env: {} }), 'holders')

      expect(line).to.include('"opne"')
      expect(line).to.include('expected "open" or an array')
    })

    it('bad api.listen is rejected', () => {
      const file = writeConfig('poh.toml', '[api]\nlisten = "127.0.0.1"\n')
      const line = lineFor(loadError({ file, env: {} }), 'api.listen')

      expect(line).to.include('expected host:port')
    })

    it('payload above frame room is rejected', () => {
      const line = lineFor(loadError({ env: { POH_MAX_PAYLOAD_BYTES: String(4 * 1024 * 1024) } }), 'max_payload_bytes')

      expect(line).to.include('expected at most 4177920')
    })

    it('response smaller than payload is rejected', () => {
      const line = lineFor(loadError({ env: { POH_REPAIR_MAX_RESPONSE_BYTES: '1000' } }), 'repair.max_response_bytes')

      expect(line).to.include('max_payload_bytes (262144)')
    })

    it('spot-check interval below 100 ms is rejected', () => {
      const file = writeConfig('poh.toml', '[spot_check]\ninterval_ms = 5\n')
      const line = lineFor(loadError({ file, env: {} }), 'spot_check.interval_ms')

      expect(line).to.include('5')
      expect(line).to.include('expected at least 100')
    })

    it('spot-check env values are converted', () => {
      const { config } = loadConfig({ env: { POH_SPOT_CHECK_ENABLED: 'false', POH_SPOT_CHECK_TIMEOUT_MS: '2500' } })

      expect(config.spot_check).to.deep.equal({ enabled: false, interval_ms: 60_000, timeout_ms: 2500, rate_limit_per_second: 10 })
    })
  })

  describe('precedence', () => {
    it('env overrides file', () => {
      const file = writeConfig('poh.toml', 'min_poh_required = 2\n[log]\nlevel = "warn"\n')
      const { config, sources } = loadConfig({ file, env: { POH_MIN_POH_REQUIRED: '4' } })

      expect(config.min_poh_required).to.equal(4)
      expect(config.log.level).to.equal('warn')
      expect(sources.min_poh_required).to.deep.equal({ kind: 'env', name: 'POH_MIN_POH_REQUIRED' })
      expect(sources['log.level']).to.deep.equal({ kind: 'file', file })
    })

    it('overrides win over env', () => {
      const file = writeConfig('poh.toml', 'min_poh_required = 2\n')
      const { config, sources } = loadConfig({
        file,
        env: { POH_MIN_POH_REQUIRED: '4', POH_LOG_LEVEL: 'debug' },
        overrides: { min_poh_required: 5, log: { level: undefined } }
      })

      expect(config.min_poh_required).to.equal(5)
      expect(config.log.level).to.equal('debug')
      expect(sources.min_poh_required).to.deep.equal({ kind: 'override' })
      expect(sources['log.level']).to.deep.equal({ kind: 'env', name: 'POH_LOG_LEVEL' })
    })

    it('invalid override names source', () => {
      const line = lineFor(loadError({ env: {}, overrides: { slot_duration_ms: 0 } }), 'slot_duration_ms')

      expect(line).to.include('from overrides')
    })
  })

  describe('environment', () => {
    it('env values are converted', () => {
      const peer = `/ip4/192.0.2.1/tcp/4001/p2p/${peerId}`
      const { config } = loadConfig({
        env: {
          POH_HOLDER_ENABLED: '0',
          POH_HOLDER_KEY_FILE: '/keys/holder.key',
          POH_API_TOKEN: 'secret-token',
          POH_REPAIR_MAX_IDS_PER_REQUEST: '32',
          POH_LISTEN: '/ip4/127.0.0.1/tcp/1, /ip4/127.0.0.1/udp/1/quic-v1',
          POH_BROADCAST_PEERS: `${peer},`,
          POH_HOLDERS: JSON.stringify([{ algorithm: 'ED25519', public_key: ED25519_KEY }]),
          POH_REPLICATION_FACTOR: '1',
          POH_MIN_POH_REQUIRED: '1'
        }
      })

      expect(config.holder.enabled).to.equal(false)
      expect(config.holder.key_file).to.equal('/keys/holder.key')
      expect(config.api.token).to.equal('secret-token')
      expect(config.repair.max_ids_per_request).to.equal(32)
      expect(config.listen).to.deep.equal(['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/udp/1/quic-v1'])
      expect(config.broadcast_peers).to.deep.equal([peer])
      expect(config.holders).to.deep.equal([{ algorithm: 'ED25519', public_key: ED25519_KEY }])
      expect(config.replication_factor).to.equal(1)
    })

    it('env open holder set', () => {
      const { config } = loadConfig({ env: { POH_HOLDERS: 'open' } })

      expect(config.holders).to.equal('open')
    })

    it('empty env list clears file list', () => {
      const file = writeConfig('poh.toml', 'listen = ["/ip4/127.0.0.1/tcp/1"]\n')
      const { config } = loadConfig({ file, env: { POH_LISTEN: '' } })

      expect(config.listen).to.deep.equal([])
    })

    const badEnv: Array<[string, string, string, string]> = [
      ['POH_MIN_POH_REQUIRED', '3.0', 'min_poh_required', 'expected an integer'],
      ['POH_GC_INTERVAL_SECONDS', 'sixty', 'gc_interval_seconds', 'expected an integer'],
      ['POH_HOLDER_ENABLED', 'yes', 'holder.enabled', 'expected true, false, 1 or 0'],
      ['POH_HOLDERS', '[{', 'holders', 'expected valid JSON'],
      ['POH_LOG_FORMAT', 'xml', 'log.format', 'expected one of "json", "pretty"']
    ]
    for (const [name, value, key, expected] of badEnv) {
      it(`rejects ${name}=${value}`, () => {
        const line = lineFor(loadError({ env: { [name]: value } }), key)

        expect(line).to.include(`invalid value ${JSON.stringify(value)} from environment variable ${name}`)
        expect(line).to.include(expected)
      })
    }

    it('unknown POH_ variable warns', () => {
      const { warnings } = loadConfig({ env: { POH_MIN_POH_REQUIERD: '2', POH_HOLDERS: 'open', HOME: '/root' } })
      const warning = warnings.find((text) => text.includes('POH_MIN_POH_REQUIERD'))

      expect(warning).to.include('matches no config key')
      expect(warning).to.include('Did you mean POH_MIN_POH_REQUIRED?')
      expect(warnings.some((text) => text.includes('HOME'))).to.equal(false)
    })

    it('ignored POH_ variable does not warn', () => {
      const { warnings } = loadConfig({ env: { POH_EXTRA: 'x', POH_HOLDERS: 'open' }, ignoreEnv: ['POH_EXTRA'] })

      expect(warnings.some((text) => text.includes('POH_EXTRA'))).to.equal(false)
    })

    it('password variables do not warn', () => {
      const { warnings } = loadConfig({ env: { POH_KEY_PASSWORD: 'x', POH_KEY_PASSWORD_FILE: '/run/pw', POH_HOLDERS: 'open' } })

      expect(warnings.some((text) => text.includes('POH_KEY_PASSWORD'))).to.equal(false)
    })

    it('POH_CONFIG does not warn', () => {
      const { warnings } = loadConfig({ env: { POH_CONFIG: '/etc/poh.toml', POH_HOLDERS: 'open' } })

      expect(warnings.some((text) => text.includes('POH_CONFIG'))).to.equal(false)
    })
  })

  describe('paths', () => {
    it('file data_dir resolves against file', () => {
      mkdirSync(join(dir, 'etc'))
      const file = writeConfig(join('etc', 'poh.toml'), 'data_dir = "../var/poh"\npeer_key_file = "/abs/peer.key"\n')
      const { config } = loadConfig({ file, env: {}, cwd: '/elsewhere' })

      expect(config.data_dir).to.equal(join(dir, 'var', 'poh'))
      expect(config.holder.key_file).to.equal(join(dir, 'var', 'poh', 'holder.key'))
      expect(config.peer_key_file).to.equal('/abs/peer.key')
    })

    it('env data_dir resolves against cwd', () => {
      const file = writeConfig('poh.toml', 'data_dir = "from-file"\n')
      const { config } = loadConfig({ file, env: { POH_DATA_DIR: 'from-env' }, cwd: '/work/node' })

      expect(config.data_dir).to.equal('/work/node/from-env')
      expect(config.peer_key_file).to.equal('/work/node/from-env/peer.key')
    })

    it('relative file path resolves against cwd', () => {
      writeConfig('poh.toml', 'network_id = "relative"\n')
      const { config } = loadConfig({ file: 'poh.toml', env: {}, cwd: dir })

      expect(config.network_id).to.equal('relative')
      expect(config.data_dir).to.equal(join(dir, 'data'))
    })
  })

  describe('warnings', () => {
    it('open holder set warns', () => {
      const file = writeConfig('poh.toml', 'holders = "open"\n')
      const { warnings } = loadConfig({ file, env: {} })

      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.include('holders is "open"')
      expect(warnings[0]).to.include('only for development')
    })

    it('empty closed set warns', () => {
      const { warnings } = loadConfig({ env: {} })

      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.include('empty closed set')
    })

    it('min equal to set size warns', () => {
      const holders = ['01', '02', '03'].map((byte) => ({ algorithm: 'ED25519', public_key: byte.repeat(32) }))
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 3, holders }))
      const { warnings } = loadConfig({ file, env: {} })

      expect(warnings).to.deep.equal([
        'min_poh_required (3) is not smaller than the holder set (3 holders), so one stopped holder blocks every transaction. Set min_poh_required below 3.'
      ])
    })

    it('min above set size warns', () => {
      const holders = [{ algorithm: 'ED25519', public_key: ED25519_KEY }]
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 2, holders }))
      const { warnings } = loadConfig({ file, env: {} })

      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.include('larger than the holder set (1 holders)')
    })

    it('min below set size is quiet', () => {
      const holders = ['01', '02', '03'].map((byte) => ({ algorithm: 'ED25519', public_key: byte.repeat(32) }))
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 2, holders }))

      expect(loadConfig({ file, env: {} }).warnings).to.deep.equal([])
    })

    it('ack_policy leaving out holders warns', () => {
      const holders = ['01', '02', '03'].map((byte) => ({ algorithm: 'ED25519', public_key: byte.repeat(32) }))
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 2, holders, ack_policy: 'pq', holder: { algorithm: 'ED25519' } }))
      const { warnings } = loadConfig({ file, env: {} })

      expect(warnings).to.deep.equal([
        'holder.algorithm is ED25519, whose ACKs do not count under ack_policy pq. Choose one of ML_DSA_65, HYBRID_ED25519_ML_DSA_65, or change ack_policy.',
        '3 of the 3 listed holders sign with algorithms that do not count under ack_policy pq: only 0 can count, fewer than min_poh_required (2), so no transaction can be held.'
      ])
    })

    it('hybrid holder entry accepted', () => {
      const holders = [{ algorithm: 'HYBRID_ED25519_ML_DSA_65', public_key: '05'.repeat(1984) }]
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 1, holders, ack_policy: 'hybrid', holder: { algorithm: 'HYBRID_ED25519_ML_DSA_65' } }))
      const { config, warnings } = loadConfig({ file, env: {} })

      expect(config.ack_policy).to.equal('hybrid')
      expect(warnings.filter((text) => text.includes('ack_policy'))).to.deep.equal([])
    })

    it('hybrid holder key of Ed25519 length rejected', () => {
      const holders = [{ algorithm: 'HYBRID_ED25519_ML_DSA_65', public_key: '05'.repeat(32) }]
      const file = writeConfig('poh.json', JSON.stringify({ holders }))

      expect(() => loadConfig({ file, env: {} })).to.throw(/expected 3968 hex characters \(1984 bytes\)/)
    })

    it('replication_factor within bounds is quiet', () => {
      const holders = ['01', '02', '03'].map((byte) => ({ algorithm: 'ED25519', public_key: byte.repeat(32) }))
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 2, replication_factor: 2, holders }))

      const { config, warnings } = loadConfig({ file, env: {} })
      expect(warnings).to.deep.equal([])
      expect(config.replication_factor).to.equal(2)
    })
  })

  describe('replication_factor', () => {
    const holders = ['01', '02', '03'].map((byte) => ({ algorithm: 'ED25519', public_key: byte.repeat(32) }))

    it('open holder set', () => {
      const message = loadError({ env: { POH_HOLDERS: 'open', POH_MIN_POH_REQUIRED: '1', POH_REPLICATION_FACTOR: '2' } })

      expect(message).to.equal('replication_factor: invalid value 2 from environment variable POH_REPLICATION_FACTOR: expected a closed holder set: replication_factor ranks the listed holders, and holders is "open". List the holders\' public keys in holders, or remove replication_factor')
    })

    it('above the holder set size', () => {
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 2, replication_factor: 4, holders }))
      const message = loadError({ file, env: {} })

      expect(message).to.include('replication_factor: invalid value 4')
      expect(message).to.include('expected at most the number of holders (3)')
      expect(message).to.include('Lower replication_factor, list more holders')
    })

    it('below min_poh_required', () => {
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 3, replication_factor: 2, holders }))
      const message = loadError({ file, env: {} })

      expect(message).to.include('replication_factor: invalid value 2')
      expect(message).to.include('expected at least min_poh_required (3)')
      expect(message).to.include('Raise replication_factor or lower min_poh_required')
    })

    it('equal to the holder set size', () => {
      const file = writeConfig('poh.json', JSON.stringify({ min_poh_required: 2, replication_factor: 3, holders }))

      expect(loadConfig({ file, env: {} }).config.replication_factor).to.equal(3)
    })
  })
  describe('server ports', () => {
    it('api and metrics on one port', () => {
      const message = loadError({ env: { POH_HOLDERS: 'open', POH_MIN_POH_REQUIRED: '1', POH_API_LISTEN: '127.0.0.1:8101', POH_METRICS_LISTEN: '127.0.0.1:8101' } })

      expect(message).to.include('metrics.listen: invalid value "127.0.0.1:8101"')
      expect(message).to.include('expected a port other than that of api.listen (127.0.0.1:8101)')
    })

    it('wildcard host overlaps loopback', () => {
      const message = loadError({ env: { POH_HOLDERS: 'open', POH_MIN_POH_REQUIRED: '1', POH_API_LISTEN: '0.0.0.0:8101', POH_API_TOKEN: 'secret', POH_METRICS_LISTEN: '127.0.0.1:8101' } })

      expect(message).to.include('metrics.listen')
    })

    it('disabled gRPC may share a port', () => {
      const { config } = loadConfig({ env: { POH_HOLDERS: 'open', POH_MIN_POH_REQUIRED: '1', POH_GRPC_LISTEN: '127.0.0.1:8080' } })

      expect(config.grpc.listen).to.equal('127.0.0.1:8080')
    })

    it('same port on two hosts is allowed', () => {
      const { config } = loadConfig({ env: { POH_HOLDERS: 'open', POH_MIN_POH_REQUIRED: '1', POH_API_LISTEN: '127.0.0.1:8101', POH_METRICS_LISTEN: '127.0.0.2:8101' } })

      expect(config.metrics.listen).to.equal('127.0.0.2:8101')
    })
  })
})
