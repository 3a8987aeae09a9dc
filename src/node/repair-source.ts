import { decodeAck } from '../core/codec.js'
import { bytesEqual, toHex } from '../core/hash.js'
import { StorageError } from '../core/errors.js'
import { RepairInvalidQueryError, RepairSourceUnavailableError } from '../network/repair/types.js'
import { RANGE_CURSOR_LENGTH } from '../storage/keys.js'
import type { PohAck, RepairItem } from '../core/proto/poh.js'
import type { RepairSource, RepairTimeRange } from '../network/repair/types.js'
import type { PohStore } from '../storage/store.js'
import type { TxWithAcks } from '../storage/range.js'
import type { Logger } from '../log/logger.js'

/** The node's stored transactions, served to peers over the repair protocol. */
export class StoreRepairSource implements RepairSource {
  private readonly store: () => PohStore | undefined
  private readonly ownHolderId: Uint8Array | undefined
  private readonly logger: Logger

  /** `store` returns undefined once the node is stopping, and requests then get RESOURCE_UNAVAILABLE. */
  constructor (store: () => PohStore | undefined, ownHolderId: Uint8Array | undefined, logger: Logger) {
    this.store = store
    this.ownHolderId = ownHolderId
    this.logger = logger
  }

  async itemsById (txIds: Uint8Array[], maxBytes: number): Promise<RepairItem[]> {
    const page = await this.read(async (store) => await store.itemsById(txIds, maxBytes))
    this.reportOversized(page.oversized)
    return this.toItems(page.items)
  }

  async itemsByRange (range: RepairTimeRange & { limit: number, cursor?: Uint8Array }, maxBytes: number): Promise<{ items: RepairItem[], nextCursor?: Uint8Array }> {
    if (range.cursor !== undefined && range.cursor.length !== RANGE_CURSOR_LENGTH) {
      throw new RepairInvalidQueryError(`range cursor is ${range.cursor.length} bytes; this node issues ${RANGE_CURSOR_LENGTH}-byte cursors`)
    }
    const page = await this.read(async (store) => await store.itemsByRange(range, maxBytes))
    this.reportOversized(page.oversized)
    return { items: this.toItems(page.items), nextCursor: page.nextCursor }
  }

  /** Items larger than a whole response can never be served; operators need to know. */
  private reportOversized (txIds: Uint8Array[]): void {
    if (txIds.length > 0) {
      this.logger.warn({ count: txIds.length, txIds: txIds.slice(0, 4).map(toHex) }, 'transactions too large for one repair response are not served; raise repair.max_response_bytes')
    }
  }

  private async read<T> (operation: (store: PohStore) => Promise<T>): Promise<T> {
    const store = this.store()
    if (store === undefined) {
      throw new RepairSourceUnavailableError('the node is stopping')
    }
    try {
      return await operation(store)
    } catch (err) {
      if (err instanceof StorageError && err.code === 'ERR_DB_CLOSED') {
        throw new RepairSourceUnavailableError('the store is closed', { cause: err })
      }
      throw err
    }
  }

  /**
   * Turns stored records into repair items. This node's own ACK vouches for
   * the payload when it has one. A transaction without any stored ACK cannot
   * be vouched for and is left out.
   */
  private toItems (records: TxWithAcks[]): RepairItem[] {
    const items: RepairItem[] = []
    for (const { tx, acks } of records) {
      const decoded: PohAck[] = []
      for (const stored of acks) {
        try {
          decoded.push(decodeAck(stored.ack))
        } catch {
          this.logger.debug({ txId: toHex(tx.txId) }, 'stored ACK does not decode; left out of a repair item')
        }
      }
      const ownIndex = this.ownHolderId === undefined ? -1 : decoded.findIndex(ack => bytesEqual(ack.holderId, this.ownHolderId as Uint8Array))
      const [holderAck] = ownIndex >= 0 ? decoded.splice(ownIndex, 1) : decoded.splice(0, 1)
      if (holderAck === undefined) {
        continue
      }
      items.push({
        txId: tx.txId as Uint8Array<ArrayBuffer>,
        payload: tx.payload as Uint8Array<ArrayBuffer>,
        expiresAtMs: BigInt(tx.expiresAtMs),
        holderAck,
        acks: decoded,
        requestTimestampMs: BigInt(tx.requestTimestampMs),
        ttlSeconds: tx.ttlSeconds
      })
    }
    return items
  }
}
