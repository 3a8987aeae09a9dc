/**
 * The gRPC client behind the same methods and JSON shapes as RestClient, so
 * the CLI commands print the same output whichever API they read.
 */

import { fromCertificateMessage, fromHistoryItemMessage, fromPeerMessage, fromStatusMessage, fromTransactionMessage } from './messages.js'
import type { HistoryPage, PageOptions, RestClient, TxInfo } from '../client/rest-client.js'
import type { Certificate, NodeStatus, PeerInfo } from '../node/queries.js'
import type { PohGrpcClient, RangeInput, RangePage } from './client.js'

/** The read methods the CLI uses, which RestClient and GrpcJsonClient both have. */
export type NodeQueryClient = Pick<RestClient, 'status' | 'peers' | 'getTx' | 'certificate' | 'queryTime' | 'querySlots'>

function pageToJson (page: RangePage): HistoryPage {
  return {
    items: page.items.map(fromHistoryItemMessage),
    next_cursor: page.nextCursor === undefined ? null : page.nextCursor.toString('hex')
  }
}

/** Reads a node over gRPC and returns the JSON shapes of the REST API. */
export class GrpcJsonClient implements NodeQueryClient {
  readonly client: PohGrpcClient

  constructor (client: PohGrpcClient) {
    this.client = client
  }

  async status (): Promise<NodeStatus> {
    return fromStatusMessage(await this.client.status())
  }

  async peers (): Promise<PeerInfo[]> {
    return (await this.client.peers()).map(fromPeerMessage)
  }

  async getTx (txId: string): Promise<TxInfo | undefined> {
    const tx = await this.client.getTransaction(txId)
    return tx === undefined ? undefined : fromTransactionMessage(tx)
  }

  async certificate (txId: string): Promise<Certificate | undefined> {
    const certificate = await this.client.getCertificate(txId)
    return certificate === undefined ? undefined : fromCertificateMessage(certificate)
  }

  async queryTime (fromMs: number, toMs: number, page: PageOptions = {}): Promise<HistoryPage> {
    return await this.queryRange({ kind: 'time', fromMs, toMs }, page)
  }

  async querySlots (fromSlot: number, toSlot: number, page: PageOptions = {}): Promise<HistoryPage> {
    return await this.queryRange({ kind: 'slots', fromSlot, toSlot }, page)
  }

  private async queryRange (range: RangeInput, page: PageOptions): Promise<HistoryPage> {
    return pageToJson(await this.client.queryRange(range, page))
  }
}
