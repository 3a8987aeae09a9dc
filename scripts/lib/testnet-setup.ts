import { createServer } from 'node:net'
import { createSocket } from 'node:dgram'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { defaultConfig, renderConfigToml } from '../../src/config/index.js'
import type { HolderAlgorithm } from '../../src/config/index.js'
import { initNode } from '../../src/cli/commands/init.js'
import type { InitResult } from '../../src/cli/commands/init.js'
import type { PohConfig } from '../../src/config/index.js'

export interface TestnetNode extends InitResult {
  name: string
  port: number
  tcpAddress: string
}

async function tcpPortFree (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => { resolve(false) })
    server.listen(port, '127.0.0.1', () => { server.close(() => { resolve(true) }) })
  })
}

async function udpPortFree (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    socket.once('error', () => { socket.close(); resolve(false) })
    socket.bind(port, '127.0.0.1', () => { socket.close(() => { resolve(true) }) })
  })
}

/** Ports this process has handed out. The OS may offer a released port again, so each is given once. */
const portsHandedOut = new Set<number>()

/** Asks the OS for a free TCP port and checks that the same UDP port is free too. */
export async function freePort (): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0) })
      })
    })
    if (port > 0 && !portsHandedOut.has(port) && await tcpPortFree(port) && await udpPortFree(port)) {
      portsHandedOut.add(port)
      return port
    }
  }
  throw new Error('no port free on both TCP and UDP after 50 attempts')
}

export interface TestnetLayout {
  root: string
  networkId: string
  count: number
  minPohRequired: number
  /** replication_factor of every node; undefined lets every holder store everything. */
  replicationFactor?: number
  algorithm: HolderAlgorithm
  logLevel: string
  /** Changes each node's config after the testnet settings are applied, such as a benchmark's overrides. */
  tune?: (config: PohConfig) => void
}

/**
 * Creates each node's data directory and keys, then writes every config with
 * the full closed holder set and the other nodes as bootstrap peers.
 */
export async function createTestnet (layout: TestnetLayout): Promise<TestnetNode[]> {
  const nodes: TestnetNode[] = []
  for (let i = 0; i < layout.count; i++) {
    const port = await freePort()
    const name = `node${i + 1}`
    const result = await initNode({ dir: join(layout.root, name), networkId: layout.networkId, algorithm: layout.algorithm, port })
    nodes.push({ ...result, name, port, tcpAddress: `/ip4/127.0.0.1/tcp/${port}/p2p/${result.peerId}` })
  }
  const holders = nodes.map(node => ({ algorithm: node.algorithm, public_key: node.publicKey }))
  for (const node of nodes) {
    const config = defaultConfig()
    config.network_id = layout.networkId
    config.data_dir = '.'
    config.listen = [`/ip4/127.0.0.1/tcp/${node.port}`, `/ip4/127.0.0.1/udp/${node.port}/quic-v1`]
    config.broadcast_peers = nodes.filter(other => other !== node).map(other => other.tcpAddress)
    config.holder = { ...config.holder, enabled: true, algorithm: layout.algorithm, key_file: 'holder.key' }
    config.holders = holders
    config.min_poh_required = layout.minPohRequired
    config.replication_factor = layout.replicationFactor
    config.log = { ...config.log, level: layout.logLevel as typeof config.log.level }
    config.api = { ...config.api, listen: `127.0.0.1:${await freePort()}` }
    config.metrics = { ...config.metrics, listen: `127.0.0.1:${await freePort()}` }
    layout.tune?.(config)
    await writeFile(node.configFile, renderConfigToml(config), { mode: 0o600 })
  }
  return nodes
}
