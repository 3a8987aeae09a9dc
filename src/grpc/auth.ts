/**
 * Bearer-token authentication of the gRPC API, with the same rule as the
 * REST API: a token is required on a non-loopback address, and once set it
 * is required on every call.
 */

import { status } from '@grpc/grpc-js'
import { checkProtectedListen, matchBearer, tokenDigest } from '../config/protected-listen.js'
import { GrpcStatusError } from './errors.js'
import type { ListenAddress, PohConfig } from '../config/schema.js'
import type { Metadata } from '@grpc/grpc-js'

/** Checks grpc.listen and grpc.token; see checkProtectedListen. */
export function checkGrpcConfig (grpc: PohConfig['grpc']): ListenAddress {
  return checkProtectedListen({ section: 'grpc', listen: grpc.listen, token: grpc.token, service: 'gRPC API', example: '127.0.0.1:50051' })
}

/**
 * Creates the check of the `authorization: Bearer <token>` metadata entry.
 * It throws an UNAUTHENTICATED GrpcStatusError for a missing or wrong token.
 * The comparison takes the same time for every wrong token, because it
 * compares SHA-256 digests with timingSafeEqual.
 */
export function bearerCheck (token: string): (metadata: Metadata) => void {
  const expected = tokenDigest(token)
  return (metadata) => {
    const values = metadata.get('authorization')
    const value = values[0]
    if (value === undefined || value === '') {
      throw new GrpcStatusError(status.UNAUTHENTICATED, 'missing authorization metadata; send "authorization: Bearer <token>" with the token set in grpc.token')
    }
    const verdict = typeof value === 'string' && values.length === 1 ? matchBearer(expected, value) : 'malformed'
    if (verdict === 'malformed') {
      throw new GrpcStatusError(status.UNAUTHENTICATED, 'authorization metadata is not one entry of the form "Bearer <token>"; send "authorization: Bearer <token>" with the token set in grpc.token')
    }
    if (verdict === 'mismatch') {
      throw new GrpcStatusError(status.UNAUTHENTICATED, 'invalid bearer token; send the token set in grpc.token')
    }
  }
}
