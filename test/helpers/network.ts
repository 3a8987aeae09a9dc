import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultConfig } from '../../src/config/index.js'
import { toHex } from '../../src/core/hash.js'
import { createLogger } from '../../src/log/logger.js'
import { createHolderKeyFile } from '../../src/node/keys.js'
import { PohNode } from '../../src/node/poh-node.js'
import type { HolderAlgorithm, PohConfig } from '../../src/config/index.js'
import type { Clock, KeyPair } from '../../src/core/types.js'
import type { Logger } from '../../src/log/logger.js'

export interface TestCluster {
  nodes: PohNode[]
  keys: KeyPair[]
  dirs: string[]
  stop: () => Promise<void>
}

export interface ClusterOptions {
  size: number
  minPohRequired: number
  /** Nodes whose holder key is created but left out of everyone's holder set. */
  outsiders?: number
  /** Holder key algorithm of every node, or of each node by index. */
  algorithm?: HolderAlgorithm | HolderAlgorithm[]
  adjust?: (config: PohConfig, index: number) => void
  clock?: Clock
  /** Logger of every node; silent by default. */
  logger?: Logger
}

/** Resolves with the first event of `type` whose detail passes `match`. */
export async function nextEvent<T> (target: EventTarget, type: string, match: (detail: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (evt: Event): void => {
      const detail = (evt as CustomEvent<T>).detail
      if (match(detail)) {
        target.removeEventListener(type, listener)
        resolve(detail)
      }
    }
    target.addEventListener(type, listener)
  })
}

/** Polls a condition for state that has no event, yielding to I/O between checks. */
export async function until (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

/**
 * Starts `size` in-process nodes on loopback TCP and QUIC with a closed
 * holder set of all of them, and connects each node to the others.
 */
export async function startCluster (options: ClusterOptions): Promise<TestCluster> {
  const dirs: string[] = []
  const keys: KeyPair[] = []
  const algorithmOf = (index: number): HolderAlgorithm => {
    const chosen = options.algorithm ?? 'ED25519'
    return Array.isArray(chosen) ? chosen[index] ?? 'ED25519' : chosen
  }
  for (let i = 0; i < options.size; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'poh-node-test-'))
    dirs.push(dir)
    keys.push(await createHolderKeyFile(join(dir, 'holder.key'), algorithmOf(i)))
  }
  const listed = keys.slice(0, options.size - (options.outsiders ?? 0))
  const logger = options.logger ?? createLogger({ level: 'fatal', format: 'json' })
  const nodes: PohNode[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map(async node => await node.stop()))
    await Promise.all(dirs.map(async dir => await rm(dir, { recursive: true, force: true })))
  }
  try {
    for (let i = 0; i < options.size; i++) {
      const config = defaultConfig()
      config.network_id = 'poh-test'
      config.data_dir = dirs[i] as string
      config.listen = ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/udp/0/quic-v1']
      config.holder = { ...config.holder, enabled: true, algorithm: algorithmOf(i), key_file: 'holder.key' }
      config.holders = listed.map((key, index) => ({ algorithm: algorithmOf(index), public_key: toHex(key.publicKey) }))
      config.min_poh_required = options.minPohRequired
      config.ack_batch_max_delay_ms = 5
      options.adjust?.(config, i)
      const node = new PohNode({ config, logger, clock: options.clock })
      await node.start()
      nodes.push(node)
    }
    for (const [i, node] of nodes.entries()) {
      for (const other of nodes.slice(i + 1)) {
        await node.libp2p.dial(other.libp2p.getMultiaddrs())
      }
    }
    await until(() => nodes.every(node => node.libp2p.services.pubsub.getSubscribers('/poh/poh-test/ack/1/proto').length >= nodes.length - 1), 'every node to see the others subscribed')
  } catch (err) {
    await stop()
    throw err
  }
  return { nodes, keys, dirs, stop }
}
