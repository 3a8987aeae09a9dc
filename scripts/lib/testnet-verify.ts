import { join } from 'node:path'
import { fromHex } from '../../src/core/hash.js'
import { TxState } from '../../src/core/types.js'
import { PohStore } from '../../src/storage/store.js'

export interface StoreCheck {
  name: string
  held: number
  withPayload: number
  total: number
}

/**
 * Opens a stopped node's database and counts the transactions it has
 * durably recorded as held and whose payload it still stores. This checks
 * what survives a restart, not only what the node printed.
 */
export async function checkStore (name: string, dataDir: string, txIds: string[]): Promise<StoreCheck> {
  const store = await PohStore.open({ path: join(dataDir, 'db'), clock: { now: () => Date.now() } })
  let held = 0
  let withPayload = 0
  try {
    for (const hex of txIds) {
      const txId = fromHex(hex) as Uint8Array
      const history = await store.getHistory(txId)
      if (history?.state === TxState.HELD) {
        held++
      }
      if (await store.hasTx(txId)) {
        withPayload++
      }
    }
  } finally {
    await store.close()
  }
  return { name, held, withPayload, total: txIds.length }
}
