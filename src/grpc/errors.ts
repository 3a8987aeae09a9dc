/**
 * Errors the gRPC server returns as a status code and message, and the
 * mapping of the node's own errors onto gRPC status codes.
 */

import { status } from '@grpc/grpc-js'
import { GossipErrorCode, GossipValidationError } from '../core/errors.js'

/** An error the server returns to the client as is: status code and message. */
export class GrpcStatusError extends Error {
  readonly code: status

  constructor (code: status, message: string) {
    super(message)
    this.name = 'GrpcStatusError'
    this.code = code
  }
}

/** The message of a server-side failure, which names no internal detail. */
export const INTERNAL_ERROR_MESSAGE = 'the node failed to process the call; the node log has the cause'

export function invalidArgument (message: string): GrpcStatusError {
  return new GrpcStatusError(status.INVALID_ARGUMENT, message)
}

export function payloadTooLarge (maxPayloadBytes: number, actualBytes: number): GrpcStatusError {
  return new GrpcStatusError(status.RESOURCE_EXHAUSTED, `payload of ${actualBytes} bytes is larger than max_payload_bytes (${maxPayloadBytes} bytes); send at most ${maxPayloadBytes} bytes`)
}

/** Maps the node's rejection of a submitted request to the matching status. */
export function submitError (err: unknown, txIdHex: string, maxPayloadBytes: number, payloadBytes: number): GrpcStatusError | undefined {
  if (err instanceof GossipValidationError) {
    switch (err.reason) {
      case GossipErrorCode.DUPLICATE_REQUEST:
        return new GrpcStatusError(status.ALREADY_EXISTS, `transaction ${txIdHex} is already stored on this node; GetTransaction returns its state`)
      case GossipErrorCode.TX_EXPIRED:
        return new GrpcStatusError(status.ALREADY_EXISTS, `transaction ${txIdHex} was stored earlier and has expired; GetTransaction returns its history`)
      case GossipErrorCode.PAYLOAD_TOO_LARGE:
        return payloadTooLarge(maxPayloadBytes, payloadBytes)
      default:
        return invalidArgument(`the node rejected the request: ${err.message}`)
    }
  }
  if (err instanceof RangeError) {
    return invalidArgument(err.message)
  }
  return undefined
}
