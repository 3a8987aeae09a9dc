/**
 * Prints the worked example of docs/PROTOCOL.md: one PohRequest and the
 * PohAckBatch that a single Ed25519 holder publishes for it, built from fixed
 * inputs with the node's own functions. Ed25519 signatures are deterministic,
 * so every run prints the same bytes.
 *
 * Usage: npx tsx scripts/protocol-example.ts
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { buildPohAck, buildPohRequest, holderSignerFromKeyPair } from '../src/core/builders.js'
import { encodeAckBatch, encodeRequest } from '../src/core/codec.js'
import { availableBackends, getScheme } from '../src/core/crypto/index.js'
import { ackSignedBytes, bytesEqual, computeHolderId, computeStorageHash, fromHex, toHex } from '../src/core/hash.js'
import { SigAlg } from '../src/core/types.js'

const NETWORK_ID = 'poh-local'
const PAYLOAD = new TextEncoder().encode('hello poh')
const REQUEST_TIMESTAMP_MS = 1_700_000_000_000
const TTL_SECONDS = 3600
/** Signing time of the ACK, 250 ms after the request. */
const ACK_TIMESTAMP_MS = 1_700_000_000_250
/** Ed25519 secret key (the 32-byte seed) of RFC 8032 section 7.1, TEST 1. */
const HOLDER_SEED_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'

/** Prints a labelled value with its hex wrapped at 64 characters. */
function printHex (label: string, bytes: Uint8Array): void {
  const lines = toHex(bytes).match(/.{1,64}/g) ?? []
  console.log(`${label} (${bytes.length} bytes):\n  ${lines.join('\n  ')}`)
}

/** Reads the protobuf varint at `offset` and returns its value and the offset after it. */
function readVarint (bytes: Uint8Array, offset: number): [bigint, number] {
  let value = 0n
  let shift = 0n
  for (;;) {
    const byte = bytes[offset++] ?? 0
    value |= BigInt(byte & 0x7f) << shift
    shift += 7n
    if ((byte & 0x80) === 0) {
      return [value, offset]
    }
  }
}

/**
 * Prints each top-level field of a protobuf message: its key, then the varint
 * value or the length prefix and contents. Only wire types 0 (varint) and 2
 * (length-delimited) occur in these messages.
 */
function annotateProtobuf (bytes: Uint8Array, names: Record<number, string>, indent = '  '): void {
  let offset = 0
  while (offset < bytes.length) {
    const [key, valueStart] = readVarint(bytes, offset)
    const keyColumn = `${indent}${toHex(bytes.subarray(offset, valueStart))} `
    const name = `field ${key >> 3n} ${names[Number(key >> 3n)]}`
    const [value, end] = readVarint(bytes, valueStart)
    if ((key & 7n) === 0n) {
      console.log(`${keyColumn}${toHex(bytes.subarray(valueStart, end))}  ${name} = ${value} (varint)`)
      offset = end
      continue
    }
    const content = bytes.subarray(end, end + Number(value))
    const contentHex = content.length > 40 ? `${toHex(content.subarray(0, 16))}...` : toHex(content)
    console.log(`${keyColumn}${toHex(bytes.subarray(valueStart, end))} ${contentHex}  ${name}, ${value} bytes`)
    offset = end + content.length
  }
}

const keyPair = getScheme(SigAlg.ED25519).generateKeyPair(fromHex(HOLDER_SEED_HEX))
const holder = holderSignerFromKeyPair(keyPair)
const request = buildPohRequest(PAYLOAD, { ttlSeconds: TTL_SECONDS, timestampMs: REQUEST_TIMESTAMP_MS })
const ack = buildPohAck(request, holder, { networkId: NETWORK_ID, timestampMs: ACK_TIMESTAMP_MS })

const holderId = computeHolderId(SigAlg.ED25519, keyPair.publicKey)
const storageHash = computeStorageHash(holderId, PAYLOAD)
const signedBytes = ackSignedBytes(NETWORK_ID, request.txId, storageHash, BigInt(ACK_TIMESTAMP_MS))
if (!bytesEqual(holderId, ack.holderId) || !bytesEqual(storageHash, ack.storageHash)) {
  throw new Error('buildPohAck disagrees with computeHolderId or computeStorageHash')
}

console.log(`network_id: ${NETWORK_ID}`)
console.log(`request timestamp_ms: ${REQUEST_TIMESTAMP_MS}, ttl_seconds: ${TTL_SECONDS}, expiry: ${REQUEST_TIMESTAMP_MS + TTL_SECONDS * 1000}`)
console.log(`ACK timestamp_ms: ${ACK_TIMESTAMP_MS}`)
printHex('payload', PAYLOAD)
printHex('tx_id = SHA-256(payload)', request.txId)
printHex('Ed25519 secret key (seed)', keyPair.secretKey)
printHex('Ed25519 public key', keyPair.publicKey)
printHex('holder_id = SHA-256(0x01 || public key)', holderId)
printHex('storage_hash = SHA-256("poh/storage/v1" || holder_id || payload)', storageHash)

console.log(`ACK signed bytes (${signedBytes.length} bytes):`)
const timestampBytes = new Uint8Array(8)
new DataView(timestampBytes.buffer).setBigUint64(0, BigInt(ACK_TIMESTAMP_MS), false)
const parts: Array<[string, Uint8Array]> = [
  ['"POH-ACK-V1"', new TextEncoder().encode('POH-ACK-V1')],
  ['separator', Uint8Array.of(0)],
  [`network_id "${NETWORK_ID}"`, new TextEncoder().encode(NETWORK_ID)],
  ['separator', Uint8Array.of(0)],
  ['tx_id', request.txId],
  ['storage_hash', storageHash],
  ['timestamp_ms, u64 big-endian', timestampBytes]
]
let offset = 0
for (const [name, bytes] of parts) {
  if (!bytesEqual(bytes, signedBytes.subarray(offset, offset + bytes.length))) {
    throw new Error(`signed bytes differ from the annotation at ${name}`)
  }
  console.log(`  [${String(offset).padStart(2)}..${String(offset + bytes.length).padStart(2)}) ${name}: ${toHex(bytes)}`)
  offset += bytes.length
}

printHex('signature (R || S)', ack.signature)
for (const backend of availableBackends(SigAlg.ED25519)) {
  console.log(`verifies with ${backend} backend: ${getScheme(SigAlg.ED25519, backend).verify(ack.signature, signedBytes, keyPair.publicKey)}`)
}

const requestBytes = encodeRequest(request)
printHex('PohRequest encoding', requestBytes)
annotateProtobuf(requestBytes, { 1: 'version', 2: 'tx_id', 3: 'payload', 4: 'timestamp_ms', 5: 'ttl_seconds' })
printHex('gossipsub message id of the request = SHA-256(PohRequest encoding)', sha256(requestBytes))

const batchBytes = encodeAckBatch([ack])
printHex('PohAckBatch encoding (one ACK, no public_key)', batchBytes)
annotateProtobuf(batchBytes, { 1: 'acks' })
const [, ackLengthOffset] = readVarint(batchBytes, 0)
const [, ackStart] = readVarint(batchBytes, ackLengthOffset)
annotateProtobuf(batchBytes.subarray(ackStart), { 1: 'version', 2: 'tx_id', 3: 'storage_hash', 4: 'timestamp_ms', 5: 'holder_id', 6: 'sig_alg', 7: 'signature' }, '    ')
printHex('gossipsub message id of the batch = SHA-256(PohAckBatch encoding)', sha256(batchBytes))
