/**
 * Lets a reader plan a batch outside the store's write queue: while a watch
 * is open, every write notes the tx_ids whose records it changes, so the
 * reader can plan those again inside the queue before committing. Writes
 * note their tx_ids once their batch has settled, so a batch in flight when
 * a watch begins is still noted in it.
 */

import { toHex } from '../core/hash.js'
import { recordTxIdOf } from './keys.js'
import type { BatchOp } from './types.js'

/** The tx_ids, as hex, that writes touched while one watch was open. */
export type TouchedTxIds = ReadonlySet<string>

export class WriteWatch {
  private readonly open = new Set<Set<string>>()

  /** Starts collecting touched tx_ids; pass the result to end when done. */
  begin (): TouchedTxIds {
    const touched = new Set<string>()
    this.open.add(touched)
    return touched
  }

  end (touched: TouchedTxIds): void {
    this.open.delete(touched as Set<string>)
  }

  /** Records the tx_ids of `ops` in every open watch. Costs nothing while none is open. */
  note (ops: readonly BatchOp[]): void {
    if (this.open.size === 0) {
      return
    }
    for (const op of ops) {
      const txId = recordTxIdOf(op.key)
      if (txId === undefined) {
        continue
      }
      const hex = toHex(txId)
      for (const touched of this.open) {
        touched.add(hex)
      }
    }
  }
}
