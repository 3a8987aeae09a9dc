import { getScheme, splitHybridSignature } from './crypto/index.js'
import { ackSignedBytes, computeHolderId, computeStorageHash, computeTxId } from './hash.js'
import { PROTOCOL_VERSION, SigAlg } from './types.js'
import type { PohAck, PohRequest } from './proto/poh.js'
import type { KeyPair } from './types.js'

export interface BuildRequestOptions {
  /** Requested holding time in seconds. */
  ttlSeconds: number
  /** Request time in Unix milliseconds. */
  timestampMs: number
}

/** Builds a PohRequest whose tx_id is SHA-256 of the payload. */
export function buildPohRequest (payload: Uint8Array, options: BuildRequestOptions): PohRequest {
  if (payload.length === 0) {
    throw new RangeError('payload is empty; a PoH request needs at least one byte')
  }
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < 1 || options.ttlSeconds > 0xffffffff) {
    throw new RangeError(`ttlSeconds must be a whole number from 1 to 4294967295, got ${options.ttlSeconds}`)
  }
  return {
    version: PROTOCOL_VERSION,
    txId: computeTxId(payload) as Uint8Array<ArrayBuffer>,
    payload: payload as Uint8Array<ArrayBuffer>,
    timestampMs: BigInt(options.timestampMs),
    ttlSeconds: options.ttlSeconds
  }
}

export interface BuildAckOptions {
  networkId: string
  /** Signing time in Unix milliseconds. */
  timestampMs: number
  /** Carry the public key, which an open holder set needs to verify the ACK. */
  includePublicKey?: boolean
}

/** A holder's signing key with its derived holder_id. */
export interface HolderSigner {
  keyPair: KeyPair
  holderId: Uint8Array
}

export function holderSignerFromKeyPair (keyPair: KeyPair): HolderSigner {
  return { keyPair, holderId: computeHolderId(keyPair.alg, keyPair.publicKey) }
}

/** Signs a PohAck stating that `holder` stores the request's payload. */
export function buildPohAck (request: PohRequest, holder: HolderSigner, options: BuildAckOptions): PohAck {
  const storageHash = computeStorageHash(holder.holderId, request.payload)
  return signAck(request.txId, storageHash, holder, options)
}

/**
 * Signs an ACK over the given tx_id and storage_hash as they are, without
 * the payload. buildPohAck is the usual entry point; this one also serves
 * tools and tests that need an ACK with a chosen storage_hash.
 */
export function signAck (txId: Uint8Array, storageHash: Uint8Array, holder: HolderSigner, options: BuildAckOptions): PohAck {
  const timestampMs = BigInt(options.timestampMs)
  const { alg, secretKey, publicKey } = holder.keyPair
  const message = ackSignedBytes(options.networkId, txId, storageHash, timestampMs, alg)
  const signature = getScheme(alg).sign(message, secretKey)
  const ack: PohAck = {
    version: PROTOCOL_VERSION,
    txId: txId as Uint8Array<ArrayBuffer>,
    storageHash: storageHash as Uint8Array<ArrayBuffer>,
    timestampMs,
    holderId: holder.holderId as Uint8Array<ArrayBuffer>,
    sigAlg: alg,
    signature: signature as Uint8Array<ArrayBuffer>,
    publicKey: options.includePublicKey === true ? publicKey as Uint8Array<ArrayBuffer> : undefined
  }
  if (alg === SigAlg.HYBRID_ED25519_ML_DSA_65) {
    const { classical, pq } = splitHybridSignature(signature)
    ack.signature = classical as Uint8Array<ArrayBuffer>
    ack.signaturePq = pq as Uint8Array<ArrayBuffer>
  }
  return ack
}
