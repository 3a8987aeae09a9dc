import { join } from 'node:path'
import { assignedHolders } from '../../src/core/assignment.js'
import { computeHolderId, fromHex, toHex } from '../../src/core/hash.js'
import { sigAlgFromName } from '../../src/core/holder-set.js'
import { TxState } from '../../src/core/types.js'
import { PohStore } from '../../src/storage/store.js'

export interface StoreCheck {
  name: string
  held: number
  /** tx_ids (hex) whose payload the node stores, not only its record. */
  withPayload: Set<string>
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
  const withPayload = new Set<string>()
  try {
    for (const hex of txIds) {
      const txId = fromHex(hex) as Uint8Array
      const history = await store.getHistory(txId)
      if (history?.state === TxState.HELD) {
        held++
      }
      const tx = await store.getTx(txId)
      if (tx !== undefined && tx.payloadOmitted !== true) {
        withPayload.add(hex)
      }
    }
  } finally {
    await store.close()
  }
  return { name, held, withPayload, total: txIds.length }
}

/** A testnet node's holder key, as its config lists it. */
export interface PlacementNode {
  name: string
  algorithm: string
  publicKey: string
}

/**
 * Checks where payloads are stored. Without a replication factor every node
 * stores every payload. With one, the R holders ranked highest for a
 * transaction store it, and not every node does. A holder that stepped in
 * for a slow one may store it too. Returns one line per problem found.
 */
export function checkPlacement (nodes: PlacementNode[], stores: StoreCheck[], txIds: string[], replicationFactor?: number): string[] {
  const problems: string[] = []
  const holderIds = nodes.map(node => computeHolderId(sigAlgFromName(node.algorithm), fromHex(node.publicKey) as Uint8Array))
  const nameOf = new Map(nodes.map((node, index) => [toHex(holderIds[index] as Uint8Array), node.name]))
  const storeOf = new Map(stores.map(store => [store.name, store]))
  for (const txId of txIds) {
    const storing = stores.filter(store => store.withPayload.has(txId)).map(store => store.name)
    const expected = replicationFactor === undefined
      ? nodes.map(node => node.name)
      : assignedHolders(fromHex(txId) as Uint8Array, holderIds, replicationFactor).map(holderId => nameOf.get(toHex(holderId)) as string)
    const missing = expected.filter(name => storeOf.get(name)?.withPayload.has(txId) !== true)
    if (missing.length > 0) {
      problems.push(`${txId}: payload missing on ${missing.join(', ')}`)
    }
    if (replicationFactor !== undefined && replicationFactor < nodes.length && storing.length === nodes.length) {
      problems.push(`${txId}: payload stored on every node, expected ${replicationFactor} (${expected.join(', ')})`)
    }
  }
  return problems
}
