/**
 * Bearer-token authentication of the gRPC API, with the same rule as the
 * REST API: a token is required on a non-loopback address, and once set it
 * is required on every call.
 */

import { createHash, timingSafeEqual } from 'node:crypto'
import { status } from '@grpc/grpc-js'
import { ConfigError } from '../core/errors.js'
import { isLoopbackHost, parseListenAddress } from '../config/schema.js'
import { GrpcStatusError } from './errors.js'
import type { ListenAddress, PohConfig } from '../config/schema.js'
import type { Metadata } from '@grpc/grpc-js'

/**
 * Parses grpc.listen and checks that a token is set when the address is not
 * loopback. Throws ConfigError naming grpc.listen and grpc.token otherwise.
 * Call it before starting the node, so a bad config stops the start-up early.
 */
export function checkGrpcConfig (grpc: PohConfig['grpc']): ListenAddress {
  const listen = parseListenAddress(grpc.listen)
  if (listen === undefined) {
    throw new ConfigError(`grpc.listen "${grpc.listen}" is not a host:port address; set it to an address such as 127.0.0.1:50051`)
  }
  if (!isLoopbackHost(listen.host) && grpc.token === undefined) {
    throw new ConfigError(`grpc.listen ${grpc.listen} is not a loopback address and grpc.token is unset, so anyone who can reach it could use the gRPC API. Set grpc.token (or POH_GRPC_TOKEN), or set grpc.listen to a loopback address such as 127.0.0.1:50051`)
  }
  return listen
}

/** SHA-256 of a string, so tokens of any length compare in constant time. */
function digest (text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/**
 * Creates the check of the `authorization: Bearer <token>` metadata entry.
 * It throws an UNAUTHENTICATED GrpcStatusError for a missing or wrong token.
 * The comparison takes the same time for every wrong token, because it
 * compares SHA-256 digests with timingSafeEqual.
 */
export function bearerCheck (token: string): (metadata: Metadata) => void {
  const expected = digest(token)
  return (metadata) => {
    const values = metadata.get('authorization')
    const value = values[0]
    if (value === undefined || value === '') {
      throw new GrpcStatusError(status.UNAUTHENTICATED, 'missing authorization metadata; send "authorization: Bearer <token>" with the token set in grpc.token')
    }
    const match = typeof value === 'string' ? /^Bearer +(.+)$/i.exec(value) : null
    if (values.length > 1 || match?.[1] === undefined) {
      throw new GrpcStatusError(status.UNAUTHENTICATED, 'authorization metadata is not one entry of the form "Bearer <token>"; send "authorization: Bearer <token>" with the token set in grpc.token')
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      throw new GrpcStatusError(status.UNAUTHENTICATED, 'invalid bearer token; send the token set in grpc.token')
    }
  }
}
