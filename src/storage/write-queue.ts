/**
 * The store's write queue: writes run one at a time, in call order, so a
 * read-modify-write never interleaves with another write. Writes that read
 * nothing and are queued back to back share one LevelDB batch.
 */

import { isCollected } from './expiry.js'
import { WriteWatch } from './write-watch.js'
import type { BatchOp, StoreDb } from './types.js'

/** The ops of one call that joined a write group. */
export interface GroupPart {
  ops: BatchOp[]
  /** Set for an ACK: the part is left out when garbage collection deleted this tx before the group ran. */
  unlessCollected?: Uint8Array
}

/** Plain writes joined into one batch at the tail of the write queue. */
interface WriteGroup {
  parts: GroupPart[]
  /** Settles when the batch is written, with the parts left out of it. */
  done: Promise<ReadonlySet<GroupPart>>
}

export interface WriteQueueInit {
  db: StoreDb
  /** Throws when the store is closed. */
  assertOpen: () => void
  /** Runs an operation and turns the errors of a database closed under it into the store's own. */
  translateErrors: <T>(operation: () => Promise<T>) => Promise<T>
}

export class WriteQueue {
  /** Notes the tx_ids of every write, for a sweep that plans outside the queue. */
  readonly watch = new WriteWatch()
  private readonly init: WriteQueueInit
  /** Tail of the queue. Each write starts after the previous one settles. */
  private tail: Promise<unknown> = Promise.resolve()
  /** The group at the tail of the queue, which later plain writes join until it starts. */
  private openGroup: WriteGroup | undefined

  constructor (init: WriteQueueInit) {
    this.init = init
  }

  /** Runs a write after every earlier write has settled. */
  async exclusive<T> (operation: () => Promise<T>): Promise<T> {
    this.init.assertOpen()
    // A later plain write must not join a batch queued before this operation.
    this.openGroup = undefined
    const run = this.tail.then(async () => this.init.translateErrors(operation))
    this.tail = run.catch(() => undefined)
    return run
  }

  /**
   * Queues writes that read nothing. While the previous such call still waits
   * at the tail of the queue, the ops join its batch, so ACKs that arrive
   * together take one LevelDB write and one thread-pool round trip. Returns
   * false when the part was left out because its tx was collected.
   */
  async group (part: GroupPart): Promise<boolean> {
    const open = this.openGroup
    if (open !== undefined) {
      this.init.assertOpen()
      open.parts.push(part)
      return !(await open.done).has(part)
    }
    const group: WriteGroup = { parts: [part], done: Promise.resolve(new Set()) }
    group.done = this.exclusive(async () => {
      if (this.openGroup === group) {
        this.openGroup = undefined
      }
      return this.writeGroup(group.parts)
    })
    this.openGroup = group
    return !(await group.done).has(part)
  }

  /**
   * Writes one batch, noting its tx_ids for a sweep planned meanwhile. Call
   * inside the queue. The note comes after the batch settles, because a
   * sweep that starts reading while the batch is on its way to disk may
   * still see the old records.
   */
  async write (ops: BatchOp[]): Promise<void> {
    try {
      await this.init.db.batch(ops)
    } finally {
      this.watch.note(ops)
    }
  }

  /** Writes the parts of a group whose tx, where they name one, was not collected. Call inside the queue. */
  private async writeGroup (parts: GroupPart[]): Promise<ReadonlySet<GroupPart>> {
    const left = new Set<GroupPart>()
    const ops: BatchOp[] = []
    for (const part of parts) {
      if (part.unlessCollected !== undefined && isCollected(this.init.db, part.unlessCollected)) {
        left.add(part)
      } else {
        ops.push(...part.ops)
      }
    }
    if (ops.length > 0) {
      await this.write(ops)
    }
    return left
  }
}
