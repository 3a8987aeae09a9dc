import { MaxLengthError } from 'protons-runtime'
import { PohAck, PohAckBatch, PohRequest } from './proto/poh.js'
import { DecodeError } from './errors.js'
import { GossipErrorCode, reject } from './errors.js'

export { PohAck, PohAckBatch, PohRequest }

/**
 * Upper bound on ACKs in one batch message. A holder flushes at
 * ack_batch_max_size (default 64), so a peer sending far more is faulty.
 */
export const MAX_ACKS_PER_BATCH = 1024

function describe (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Decodes a PohRequest; malformed bytes raise a REJECT verdict. */
export function decodeRequest (bytes: Uint8Array): PohRequest {
  try {
    return PohRequest.decode(bytes)
  } catch (err) {
    throw reject(GossipErrorCode.UNDECODABLE, `PohRequest is not valid protobuf: ${describe(err)}`)
  }
}

/** Decodes a PohAckBatch; malformed bytes or too many ACKs raise a REJECT verdict. */
export function decodeAckBatch (bytes: Uint8Array): PohAckBatch {
  let batch: PohAckBatch
  try {
    batch = PohAckBatch.decode(bytes, { limits: { acks: MAX_ACKS_PER_BATCH } })
  } catch (err) {
    if (err instanceof MaxLengthError) {
      throw reject(GossipErrorCode.BATCH_TOO_LARGE, `PohAckBatch has more than ${MAX_ACKS_PER_BATCH} ACKs`)
    }
    throw reject(GossipErrorCode.UNDECODABLE, `PohAckBatch is not valid protobuf: ${describe(err)}`)
  }
  if (batch.acks.length === 0) {
    throw reject(GossipErrorCode.EMPTY_BATCH, 'PohAckBatch contains no ACKs')
  }
  return batch
}

export function encodeRequest (request: PohRequest): Uint8Array {
  return PohRequest.encode(request)
}

export function encodeAck (ack: PohAck): Uint8Array {
  return PohAck.encode(ack)
}

/** Decodes one stored ACK. Throws the protobuf error unchanged; storage wraps it. */
export function decodeAck (bytes: Uint8Array): PohAck {
  return PohAck.decode(bytes)
}

export function encodeAckBatch (acks: PohAck[]): Uint8Array {
  return PohAckBatch.encode({ acks })
}

/** Protobuf field number of PohAck.storage_hash. */
const STORAGE_HASH_FIELD = 3

/**
 * Reads only storage_hash from an encoded PohAck, skipping every other
 * field. Start-up reads it from every stored ACK, and a full decode there
 * cost about twice the time of the LevelDB read. Throws DecodeError for
 * malformed bytes or a missing field.
 */
export function ackStorageHash (bytes: Uint8Array): Uint8Array {
  let offset = 0
  let found: Uint8Array | undefined
  // Returns the value of the low 49 bits, which is enough for tags and lengths.
  // Longer varints, such as the uint64 timestamp, are read to their end and skipped.
  const varint = (): number => {
    let value = 0
    for (let index = 0; index < 10; index++) {
      const byte = bytes[offset++]
      if (byte === undefined) {
        throw new DecodeError('PohAck ends inside a varint')
      }
      if (index < 7) {
        value += (byte & 0x7f) * 2 ** (7 * index)
      }
      if (byte < 0x80) {
        return value
      }
    }
    throw new DecodeError('PohAck has a varint longer than 10 bytes')
  }
  while (offset < bytes.length) {
    const tag = varint()
    const wireType = tag & 0x07
    if (wireType === 0) {
      varint()
    } else if (wireType === 2) {
      const length = varint()
      if (offset + length > bytes.length) {
        throw new DecodeError(`PohAck field ${tag >>> 3} runs past the end`)
      }
      if (tag >>> 3 === STORAGE_HASH_FIELD) {
        found = bytes.subarray(offset, offset + length)
      }
      offset += length
    } else {
      throw new DecodeError(`PohAck has a field of wire type ${wireType}, which it never uses`)
    }
  }
  if (found === undefined) {
    throw new DecodeError('PohAck has no storage_hash')
  }
  return found
}
