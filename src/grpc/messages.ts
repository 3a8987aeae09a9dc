/**
 * Conversions between the node's own shapes (the JSON shapes of the REST API
 * and the protons PohAck) and the gRPC messages of poh_service.proto. The
 * server builds messages with the `to…Message` functions. The client turns
 * received messages back with the `from…Message` functions, so the CLI prints
 * the same JSON whichever API it reads.
 */

import { fromHex, toHex } from '../core/hash.js'
import { SigAlg } from '../core/proto/poh.js'
import { SPOT_CHECK_RESULTS } from '../core/spot-check-tally.js'
import { TxState } from '../core/types.js'
import { ackToJson } from '../node/queries.js'
import type { TxInfo } from '../client/rest-client.js'
import type { PohAck } from '../core/proto/poh.js'
import type { SpotCheckResult } from '../core/spot-check-tally.js'
import type { TxStatus } from '../node/node-view.js'
import type { Certificate, HistoryItem, NodeStatus, PeerInfo } from '../node/queries.js'
import type { PohAck as PohAckMessage, PohAck__Output as PohAckOutput } from './generated/PohAck.js'
import type { Certificate__Output as CertificateOutput } from './generated/poh/v1/Certificate.js'
import type { HistoryItem as HistoryItemMessage, HistoryItem__Output as HistoryItemOutput } from './generated/poh/v1/HistoryItem.js'
import type { NodeStatus as NodeStatusMessage, NodeStatus__Output as NodeStatusOutput } from './generated/poh/v1/NodeStatus.js'
import type { PeerInfo as PeerInfoMessage, PeerInfo__Output as PeerInfoOutput } from './generated/poh/v1/PeerInfo.js'
import type { Transaction as TransactionMessage, Transaction__Output as TransactionOutput } from './generated/poh/v1/Transaction.js'
import type { TxState__Output as TxStateName } from './generated/poh/v1/TxState.js'

const TX_STATE_NAMES: Record<TxState, TxStateName> = {
  [TxState.PENDING]: 'TX_STATE_PENDING',
  [TxState.HELD]: 'TX_STATE_HELD',
  [TxState.EXPIRED]: 'TX_STATE_EXPIRED'
}

const TX_STATES_BY_NAME = new Map<string, TxState>(Object.entries(TX_STATE_NAMES).map(([state, name]) => [name, state as TxState]))

/** Parses hex that the node itself produced; throws when it is not hex. */
function hexToBuffer (hex: string): Buffer {
  const bytes = fromHex(hex)
  if (bytes === undefined) {
    throw new Error(`"${hex}" is not hex`)
  }
  return Buffer.from(bytes)
}

export function txStateName (state: TxState): TxStateName {
  return TX_STATE_NAMES[state]
}

/** Returns the TxState of a TX_STATE_… name; throws on TX_STATE_UNSPECIFIED or a name this version does not know. */
export function txStateFromName (name: string): TxState {
  const state = TX_STATES_BY_NAME.get(name)
  if (state === undefined) {
    throw new Error(`the node sent the transaction state ${name}, which this client does not know`)
  }
  return state
}

export function toStatusMessage (status: NodeStatus): NodeStatusMessage {
  return {
    networkId: status.network_id,
    peerId: status.peer_id,
    holderId: status.holder_id === null ? undefined : hexToBuffer(status.holder_id),
    addresses: status.addresses,
    peers: status.peers,
    holderSet: { open: status.holder_set.open, size: status.holder_set.size, hash: hexToBuffer(status.holder_set.hash) },
    minPohRequired: status.min_poh_required,
    transactionsStored: status.transactions_stored,
    storedBytes: status.stored_bytes,
    pendingTransactions: status.pending_transactions,
    uptimeSeconds: status.uptime_seconds,
    spotChecks: {
      enabled: status.spot_checks.enabled,
      holders: status.spot_checks.holders.map(holder => ({
        holderId: hexToBuffer(holder.holder_id),
        pass: holder.pass,
        fail: holder.fail,
        unreachable: holder.unreachable,
        lastResult: holder.last_result,
        lastCheckedMs: holder.last_checked_ms
      }))
    }
  }
}

export function fromStatusMessage (message: NodeStatusOutput): NodeStatus {
  return {
    network_id: message.networkId,
    peer_id: message.peerId,
    holder_id: message.holderId === undefined ? null : toHex(message.holderId),
    addresses: message.addresses,
    peers: message.peers,
    holder_set: {
      open: message.holderSet?.open ?? false,
      size: message.holderSet?.size ?? 0,
      hash: toHex(message.holderSet?.hash ?? new Uint8Array())
    },
    min_poh_required: message.minPohRequired,
    transactions_stored: message.transactionsStored,
    stored_bytes: message.storedBytes,
    pending_transactions: message.pendingTransactions,
    uptime_seconds: message.uptimeSeconds,
    spot_checks: {
      enabled: message.spotChecks?.enabled ?? false,
      holders: (message.spotChecks?.holders ?? []).map(holder => ({
        holder_id: toHex(holder.holderId),
        pass: holder.pass,
        fail: holder.fail,
        unreachable: holder.unreachable,
        last_result: spotCheckResultFromName(holder.lastResult),
        last_checked_ms: holder.lastCheckedMs
      }))
    }
  }
}

/** Returns the spot-check result of a name the node sent; throws on a name this version does not know. */
function spotCheckResultFromName (name: string): SpotCheckResult {
  const result = SPOT_CHECK_RESULTS.find(known => known === name)
  if (result === undefined) {
    throw new Error(`the node sent the spot-check result ${name}, which this client does not know`)
  }
  return result
}

export function toPeerMessage (peer: PeerInfo): PeerInfoMessage {
  return { peerId: peer.peer_id, addresses: peer.addresses, score: peer.score }
}

export function fromPeerMessage (message: PeerInfoOutput): PeerInfo {
  return { peer_id: message.peerId, addresses: message.addresses, score: message.score }
}

export function toTransactionMessage (tx: TxStatus): TransactionMessage {
  return {
    txId: hexToBuffer(tx.txId),
    state: txStateName(tx.state),
    ackCount: tx.ackCount,
    holders: tx.holders.map(hexToBuffer),
    heldAtMs: tx.heldAtMs,
    expiresAtMs: tx.expiresAtMs,
    payloadBytes: tx.payloadBytes
  }
}

/** Turns a Transaction message into the JSON shape of GET /v1/tx/{id}. */
export function fromTransactionMessage (message: TransactionOutput): TxInfo {
  return {
    tx_id: toHex(message.txId),
    state: txStateFromName(message.state),
    ack_count: message.ackCount,
    holders: message.holders.map(toHex),
    held_at_ms: message.heldAtMs ?? null,
    expires_at_ms: message.expiresAtMs ?? null,
    payload_bytes: message.payloadBytes ?? null
  }
}

export function toHistoryItemMessage (item: HistoryItem): HistoryItemMessage {
  return {
    txId: hexToBuffer(item.tx_id),
    state: txStateName(item.state),
    requestTimestampMs: item.request_timestamp_ms,
    slot: item.slot,
    firstSeenMs: item.first_seen_ms,
    heldAtMs: item.held_at_ms ?? undefined,
    ackCount: item.ack_count,
    expiresAtMs: item.expires_at_ms
  }
}

export function fromHistoryItemMessage (message: HistoryItemOutput): HistoryItem {
  return {
    tx_id: toHex(message.txId),
    state: txStateFromName(message.state),
    request_timestamp_ms: message.requestTimestampMs,
    slot: message.slot,
    first_seen_ms: message.firstSeenMs,
    held_at_ms: message.heldAtMs ?? null,
    ack_count: message.ackCount,
    expires_at_ms: message.expiresAtMs
  }
}

export function toAckMessage (ack: PohAck): PohAckMessage {
  return {
    version: ack.version,
    txId: ack.txId,
    storageHash: ack.storageHash,
    // A string keeps every uint64 exact; the loader parses it.
    timestampMs: ack.timestampMs.toString(),
    holderId: ack.holderId,
    sigAlg: ack.sigAlg,
    signature: ack.signature,
    signaturePq: ack.signaturePq,
    publicKey: ack.publicKey
  }
}

function ownBytes (buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer)
}

/** Turns a received PohAck message back into the wire type that AckVerifier checks. */
export function fromAckMessage (message: PohAckOutput): PohAck {
  if (!Object.values(SigAlg).includes(message.sigAlg as SigAlg)) {
    throw new Error(`the node sent an ACK with the signature algorithm ${message.sigAlg}, which this client does not know`)
  }
  const ack: PohAck = {
    version: message.version,
    txId: ownBytes(message.txId),
    storageHash: ownBytes(message.storageHash),
    timestampMs: BigInt(message.timestampMs),
    holderId: ownBytes(message.holderId),
    sigAlg: message.sigAlg as SigAlg,
    signature: ownBytes(message.signature)
  }
  if (message.signaturePq !== undefined) {
    ack.signaturePq = ownBytes(message.signaturePq)
  }
  if (message.publicKey !== undefined) {
    ack.publicKey = ownBytes(message.publicKey)
  }
  return ack
}

/** Turns a Certificate message into the JSON shape of GET /v1/tx/{id}/certificate. */
export function fromCertificateMessage (message: CertificateOutput): Certificate {
  return {
    network_id: message.networkId,
    tx_id: toHex(message.txId),
    holder_set_hash: toHex(message.holderSetHash),
    acks: message.acks.map(fromAckMessage).map(ackToJson)
  }
}
