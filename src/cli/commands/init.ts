import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Command, Option } from 'commander'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { HOLDER_ALGORITHMS, defaultConfig, renderConfigToml } from '../../config/index.js'
import { computeHolderId, toHex } from '../../core/hash.js'
import { SigAlg } from '../../core/types.js'
import { generateKeystoreKey, writeKeystoreFile } from '../../keys/keystore.js'
import { PASSWORD_ENV, PASSWORD_FILE_ENV, resolvePassword } from '../../keys/password.js'
import { createHolderKeyFile, loadOrCreatePeerKey } from '../../node/keys.js'
import { CliError, printJson, printLine } from '../output.js'
import { parseWholeNumber } from '../load.js'
import type { HolderAlgorithm, PohConfig } from '../../config/index.js'
import type { KeyPair } from '../../core/types.js'

interface InitOptions {
  dir: string
  networkId: string
  algorithm: HolderAlgorithm
  port: number
  apiPort?: number
  metricsPort?: number
  /** Whether to write the holder key as an encrypted keystore. */
  encrypt?: boolean
  passwordFile?: string
  json?: boolean
}

/** Paths and identities of a node that `init` created, for callers such as the testnet script. */
export interface InitResult {
  dir: string
  configFile: string
  peerId: string
  holderId: string
  algorithm: HolderAlgorithm
  publicKey: string
}

/**
 * Creates a data directory with a holder key, a libp2p identity key and a
 * config file whose closed holder set lists this node alone.
 */
export async function initNode (options: InitOptions, adjust?: (config: PohConfig) => void): Promise<InitResult> {
  const dir = resolve(options.dir)
  const configFile = join(dir, 'poh.toml')
  if (existsSync(configFile)) {
    throw new CliError(`${configFile} already exists; choose another --dir or remove the directory`)
  }
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const keyPair = await createHolderKey(join(dir, 'holder.key'), options)
  const peerKey = await loadOrCreatePeerKey(join(dir, 'peer.key'))
  const publicKey = toHex(keyPair.publicKey)

  const config = defaultConfig()
  config.network_id = options.networkId
  config.data_dir = '.'
  config.listen = [`/ip4/0.0.0.0/tcp/${options.port}`, `/ip4/0.0.0.0/udp/${options.port}/quic-v1`]
  // With --port 0 every port is chosen at start, so several such nodes never collide.
  config.api = { ...config.api, listen: `127.0.0.1:${options.apiPort ?? (options.port === 0 ? 0 : 8080)}` }
  config.metrics = { ...config.metrics, listen: `127.0.0.1:${options.metricsPort ?? (options.port === 0 ? 0 : 9090)}` }
  if (options.port === 0) {
    config.grpc = { ...config.grpc, listen: '127.0.0.1:0' }
  }
  config.holder = { ...config.holder, enabled: true, algorithm: options.algorithm, key_file: 'holder.key' }
  config.holders = [{ algorithm: options.algorithm, public_key: publicKey }]
  config.min_poh_required = 1
  adjust?.(config)
  await writeFile(configFile, renderConfigToml(config), { mode: 0o600 })

  return {
    dir,
    configFile,
    peerId: peerIdFromPrivateKey(peerKey).toString(),
    holderId: toHex(computeHolderId(keyPair.alg, keyPair.publicKey)),
    algorithm: options.algorithm,
    publicKey
  }
}

/** Writes the holder key: a plain key file, or with `encrypt` a keystore under a new password. */
async function createHolderKey (path: string, options: InitOptions): Promise<KeyPair> {
  if (options.encrypt !== true) {
    return await createHolderKeyFile(path, options.algorithm)
  }
  const password = await resolvePassword({ passwordFile: options.passwordFile, prompt: 'New holder key password: ', confirm: true })
  const key = generateKeystoreKey(options.algorithm)
  await writeKeystoreFile(path, key, password)
  return { alg: SigAlg[options.algorithm], secretKey: key.secretKey, publicKey: key.publicKey }
}

export function initCommand (): Command {
  return new Command('init')
    .description('create a data directory with holder and peer keys and a config file (poh.toml)')
    .option('--dir <path>', 'directory to create', 'poh-data')
    .option('--network-id <id>', 'network to join (a-z, 0-9 and "-", at most 32 characters)', 'poh-local')
    .addOption(new Option('--algorithm <name>', 'holder signature algorithm').choices(HOLDER_ALGORITHMS).default('ED25519'))
    .option('--port <number>', 'TCP and UDP (QUIC) port to listen on', parseWholeNumber('--port'), 4001)
    .option('--api-port <number>', 'REST API port on 127.0.0.1 (default: 8080, or 0 when --port is 0)', parseWholeNumber('--api-port'))
    .option('--metrics-port <number>', 'Prometheus metrics port on 127.0.0.1 (default: 9090, or 0 when --port is 0)', parseWholeNumber('--metrics-port'))
    .option('--encrypt', `write the holder key as an encrypted keystore; the password comes from --password-file, ${PASSWORD_ENV}, ${PASSWORD_FILE_ENV} or a prompt, and the node reads it from ${PASSWORD_ENV} or ${PASSWORD_FILE_ENV}`)
    .option('--password-file <file>', 'file whose content (one trailing newline removed) is the password for --encrypt')
    .option('--json', 'print the result as one JSON object')
    .action(async (options: InitOptions) => {
      const result = await initNode(options)
      if (options.json === true) {
        printJson({
          dir: result.dir,
          config_file: result.configFile,
          peer_id: result.peerId,
          holder_id: result.holderId,
          algorithm: result.algorithm,
          public_key: result.publicKey
        })
        return
      }
      printLine(`created ${result.dir}`)
      printLine(`  config:     ${result.configFile}`)
      printLine(`  peer id:    ${result.peerId}`)
      printLine(`  holder id:  ${result.holderId}`)
      const shortened = result.publicKey.length > 80
      printLine(`  public key: ${result.algorithm} ${shortened ? result.publicKey.slice(0, 64) + '…' : result.publicKey}`)
      if (shortened) {
        printLine(`  (shortened: the full key is the public_key of the holders entry in ${result.configFile}, or use --json)`)
      }
      printLine('The holder set lists only this node and min_poh_required is 1. Add the other holders\' public keys')
      printLine('to "holders", raise min_poh_required, then run (npx poh-node from the repository): poh-node start --config ' + result.configFile)
      if (options.encrypt === true) {
        printLine('The holder key is encrypted: set POH_KEY_PASSWORD_FILE (or POH_KEY_PASSWORD) for start.')
      }
    })
}
