import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect } from 'chai'
import { initNode } from '../../src/cli/commands/init.js'
import { LightClient } from '../../src/client/light-client.js'
import { decodeAck } from '../../src/core/codec.js'
import { fromHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { createLogger } from '../../src/log/logger.js'
import { PohStore } from '../../src/storage/store.js'
import { pohNodeBin } from '../../scripts/lib/node-process.js'
import type { ChildProcess } from 'node:child_process'

interface NodeRun {
  child: ChildProcess
  ready: Promise<{ addresses: string[] }>
  held: Set<string>
  /** Resolves once this many transactions are held. */
  heldAtLeast: (count: number) => Promise<void>
  exited: Promise<void>
}

function runNode (configFile: string): NodeRun {
  const child = spawn(process.execPath, [pohNodeBin(), 'start', '--config', configFile, '--print-events', '--log-level', 'error'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const held = new Set<string>()
  const waiters: Array<{ count: number, resolve: () => void }> = []
  const heldAtLeast = async (count: number): Promise<void> => {
    if (held.size >= count) {
      return
    }
    await new Promise<void>((resolve) => { waiters.push({ count, resolve }) })
  }
  const exited = new Promise<void>((resolve) => { child.once('exit', () => { resolve() }) })
  const ready = new Promise<{ addresses: string[] }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as { event: string, tx_id?: string, addresses?: string[] }
      if (event.event === 'ready') {
        resolve({ addresses: event.addresses ?? [] })
      } else if (event.event === 'held' && event.tx_id !== undefined) {
        held.add(event.tx_id)
        waiters.filter(w => held.size >= w.count).forEach(w => { w.resolve() })
      }
    })
    void exited.then(() => { reject(new Error('node exited before it was ready')) })
  })
  return { child, ready, held, heldAtLeast, exited }
}

describe('node killed during writes', function () {
  this.timeout(120_000)
  let dir: string
  let run: NodeRun | undefined
  let client: LightClient | undefined

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-crash-test-'))
  })

  afterEach(async () => {
    await client?.stop()
    run?.child.kill('SIGKILL')
    await run?.exited
    await rm(dir, { recursive: true, force: true })
  })

  it('restarts with no corrupt record and no lost ACK', async () => {
    const node = await initNode({ dir: join(dir, 'node'), networkId: 'poh-crash', algorithm: 'ED25519', port: 0 })
    run = runNode(node.configFile)
    const { addresses } = await run.ready
    client = new LightClient({
      networkId: 'poh-crash',
      peers: addresses.filter(a => a.startsWith('/ip4/127.0.0.1/tcp/')),
      holders: [{ algorithm: 'ED25519', public_key: node.publicKey }],
      minPohRequired: 1,
      maxClockSkewMs: 30_000,
      maxPayloadBytes: 262_144,
      logger: createLogger({ level: 'fatal', format: 'json' })
    })
    await client.start()
    await client.waitForSubscribers(1)

    // Submit without waiting, and kill the node once it is busy storing them.
    for (let i = 0; i < 400; i++) {
      const payload = new Uint8Array(2048)
      new DataView(payload.buffer).setUint32(0, i)
      await client.submit(payload, { ttlSeconds: 3600 })
    }
    await run.heldAtLeast(50)
    run.child.kill('SIGKILL')
    await run.exited
    const heldBeforeKill = [...run.held]
    await client.stop()
    client = undefined

    const store = await PohStore.open({ path: join(node.dir, 'db'), clock: { now: () => Date.now() } })
    try {
      expect(store.lastCleanShutdownMs).to.equal(undefined)
      const check = await store.verifyPayloads({ onMismatch: () => {} })
      expect(check.mismatched).to.have.length(0)
      expect(check.checked).to.be.at.least(heldBeforeKill.length)
      for (const hex of heldBeforeKill) {
        const txId = fromHex(hex) as Uint8Array
        expect((await store.getHistory(txId))?.state, hex).to.equal(TxState.HELD)
        const acks = await store.getAcks(txId)
        expect(acks, hex).to.have.length(1)
        expect(() => decodeAck(acks[0]!.ack)).to.not.throw()
      }
    } finally {
      await store.close()
    }

    run = runNode(node.configFile)
    await run.ready
  })
})
