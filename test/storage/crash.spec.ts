import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { decodeAck } from '../../src/core/codec.js'
import { bytesEqual, computeStorageHash, computeTxId, toHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import {
  decodeAckKey, decodeExpiryKey, decodeHistoryKey, decodeTimeKey, decodeTxKey, KeyPrefix, prefixRange
} from '../../src/storage/keys.js'
import { PohStore } from '../../src/storage/store.js'
import { decodeHistory, decodeStoredTx } from '../../src/storage/values.js'
import { withRawDb } from './helpers.js'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import type { RawDb } from './helpers.js'
import type { HistoryRecord, StoredTx } from '../../src/storage/store.js'

const WRITER_SCRIPT = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url))

/** Transactions the child reports stored before it is killed. */
const KILL_AFTER_STORED = 60

/** Everything under the record prefixes, decoded, with the tx_ids in hex. */
interface DiskState {
  txs: Map<string, StoredTx>
  expiryTimes: Map<string, number[]>
  timeKeys: Map<string, number[]>
  histories: Map<string, HistoryRecord>
  /** Holder id bytes (hex) of each tx's ACKs. */
  ackHolders: Map<string, string[]>
}

function append<T> (map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key) ?? []
  list.push(value)
  map.set(key, list)
}

/** Reads every record and checks each one decodes on its own: payloads hash to their key, ACKs match their key. */
async function readDiskState (db: RawDb): Promise<DiskState> {
  const state: DiskState = { txs: new Map(), expiryTimes: new Map(), timeKeys: new Map(), histories: new Map(), ackHolders: new Map() }

  for await (const [key, value] of db.iterator(prefixRange(KeyPrefix.TX))) {
    const txId = decodeTxKey(key)
    const tx = decodeStoredTx(txId, `tx/${toHex(txId)}`, value)
    expect(toHex(computeTxId(tx.payload)), `payload of tx/${toHex(txId)}`).to.equal(toHex(txId))
    state.txs.set(toHex(txId), tx)
  }
  for await (const key of db.keys(prefixRange(KeyPrefix.EXPIRY))) {
    const { expiresAtMs, txId } = decodeExpiryKey(key)
    append(state.expiryTimes, toHex(txId), expiresAtMs)
  }
  for await (const key of db.keys(prefixRange(KeyPrefix.TIME))) {
    const { requestTimestampMs, txId } = decodeTimeKey(key)
    append(state.timeKeys, toHex(txId), requestTimestampMs)
  }
  for await (const [key, value] of db.iterator(prefixRange(KeyPrefix.HISTORY))) {
    const txId = decodeHistoryKey(key)
    state.histories.set(toHex(txId), decodeHistory(txId, `hist/${toHex(txId)}`, value))
  }
  for await (const [key, value] of db.iterator(prefixRange(KeyPrefix.ACK))) {
    const { txId, holderId } = decodeAckKey(key)
    const ack = decodeAck(value)
    expect(bytesEqual(ack.txId, txId), `tx_id inside ${toHex(key)}`).to.equal(true)
    expect(bytesEqual(ack.holderId, holderId), `holder_id inside ${toHex(key)}`).to.equal(true)
    const tx = state.txs.get(toHex(txId))
    expect(tx, `tx/ record for ${toHex(key)}`).to.not.equal(undefined)
    expect(toHex(ack.storageHash), `storage hash in ${toHex(key)}`).to.equal(toHex(computeStorageHash(holderId, tx?.payload ?? new Uint8Array())))
    append(state.ackHolders, toHex(txId), toHex(holderId))
  }
  return state
}

describe('PohStore crash safety', () => {
  let dir: string
  let dbPath: string
  let child: ChildProcessWithoutNullStreams | undefined

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-crash-'))
    dbPath = join(dir, 'db')
    child = undefined
  })

  afterEach(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
    await rm(dir, { recursive: true, force: true })
  })

  /** Starts the writer and resolves with the last count it reported once it has stored `minimum` transactions. */
  async function runWriterUntil (minimum: number): Promise<{ writer: ChildProcessWithoutNullStreams, reported: () => number }> {
    const writer = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), WRITER_SCRIPT, dbPath])
    child = writer
    let reported = 0
    let stdout = ''
    let stderr = ''
    writer.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    await new Promise<void>((resolve, reject) => {
      writer.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const lines = stdout.trim().split('\n')
        reported = Number(lines[lines.length - 1])
        if (reported >= minimum) {
          resolve()
        }
      })
      writer.once('exit', (code) => { reject(new Error(`crash writer exited with code ${code} before storing ${minimum} transactions: ${stderr}`)) })
    })
    return { writer, reported: () => reported }
  }

  it('SIGKILL leaves whole batches', async () => {
    const { writer, reported } = await runWriterUntil(KILL_AFTER_STORED)
    writer.kill('SIGKILL')
    const [, signal] = await once(writer, 'exit') as [number | null, NodeJS.Signals | null]
    expect(signal).to.equal('SIGKILL')

    const state = await withRawDb(dbPath, readDiskState)
    // LevelDB hands each batch to the OS with write(2) before the batch resolves,
    // so a process kill loses none of the batches the child saw complete.
    expect(state.txs.size).to.be.at.least(reported())

    for (const [txIdHex, tx] of state.txs) {
      expect(state.expiryTimes.get(txIdHex), `exp/ keys of ${txIdHex}`).to.deep.equal([tx.expiresAtMs])
      expect(state.timeKeys.get(txIdHex), `time/ keys of ${txIdHex}`).to.deep.equal([tx.requestTimestampMs])
      expect(state.ackHolders.get(txIdHex), `own ACK of ${txIdHex}`).to.include('01'.repeat(32))

      // putAck stores the second ACK and the HELD history in one batch: both or neither.
      const history = state.histories.get(txIdHex)
      const hasSecondAck = state.ackHolders.get(txIdHex)?.includes('02'.repeat(32)) ?? false
      expect(history?.state, `history state of ${txIdHex}`).to.equal(hasSecondAck ? TxState.HELD : TxState.PENDING)
      expect(history?.ackCount, `history ack count of ${txIdHex}`).to.equal(hasSecondAck ? 2 : 1)
    }
    for (const index of [state.expiryTimes, state.timeKeys, state.histories, state.ackHolders]) {
      for (const txIdHex of index.keys()) {
        expect(state.txs.has(txIdHex), `tx/ record of indexed ${txIdHex}`).to.equal(true)
      }
    }

    const store = await PohStore.open({ path: dbPath, clock: { now: () => Date.now() } })
    try {
      expect(store.lastCleanShutdownMs).to.equal(undefined)
      expect(store.lastActivityMs()).to.be.a('number')
      expect(await store.verifyPayloads({ onMismatch: () => {} })).to.deep.equal({ checked: state.txs.size, mismatched: [] })
    } finally {
      await store.close()
    }
  })
})
