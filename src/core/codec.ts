import { MaxLengthError } from 'protons-runtime'
import { PohAck, PohAckBatch, PohRequest } from './proto/poh.js'
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
