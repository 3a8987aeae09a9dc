import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Command, Option } from 'commander'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { defaultConfig, renderConfigToml } from '../../config/index.js'
import { computeHolderId, toHex } from '../../core/hash.js'
import { createHolderKeyFile, loadOrCreatePeerKey } from '../../node/keys.js'
import { CliError, printJson, printLine } from '../output.js'
import { parseWholeNumber } from '../load.js'
import type { PohConfig } from '../../config/index.js'

interface InitOptions {
  dir: string
  networkId: string
  algorithm: 'ED25519' | 'ML_DSA_65'
  port: number
  apiPort?: number
  metricsPort?: number
  json?: boolean
}

/** Paths and identities of a node that `init` created, for callers such as the testnet script. */
export interface InitResult {
  dir: string
  configFile: string
  peerId: string
  holderId: string
  algorithm: 'ED25519' | 'ML_DSA_65'
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
  const keyPair = await createHolderKeyFile(join(dir, 'holder.key'), options.algorithm)
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

export function initCommand (): Command {
  return new Command('init')
    .description('create a data directory with holder and peer keys and a config file (poh.toml)')
    .option('--dir <path>', 'directory to create', 'poh-data')
    .option('--network-id <id>', 'network to join (a-z, 0-9 and "-", at most 32 characters)', 'poh-local')
    .addOption(new Option('--algorithm <name>', 'holder signature algorithm').choices(['ED25519', 'ML_DSA_65']).default('ED25519'))
    .option('--port <number>', 'TCP and UDP (QUIC) port to listen on', parseWholeNumber('--port'), 4001)
    .option('--api-port <number>', 'REST API port on 127.0.0.1 (default: 8080, or 0 when --port is 0)', parseWholeNumber('--api-port'))
    .option('--metrics-port <number>', 'Prometheus metrics port on 127.0.0.1 (default: 9090, or 0 when --port is 0)', parseWholeNumber('--metrics-port'))
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
      printLine(`  public key: ${result.algorithm} ${result.publicKey.length > 80 ? result.publicKey.slice(0, 64) + '…' : result.publicKey}`)
      printLine('The holder set lists only this node and min_poh_required is 1. Add the other holders\' public keys')
      printLine('to "holders", raise min_poh_required, then run: poh-node start --config ' + result.configFile)
    })
}
