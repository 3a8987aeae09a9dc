/**
 * Bearer-token authentication of the REST API.
 */

import { createHash, timingSafeEqual } from 'node:crypto'
import { ConfigError } from '../core/errors.js'
import { isLoopbackHost, parseListenAddress } from '../config/schema.js'
import { ApiError } from './errors.js'
import type { ListenAddress, PohConfig } from '../config/schema.js'
import type { FastifyRequest } from 'fastify'

/**
 * Parses api.listen and checks that a token is set when the address is not
 * loopback. Throws ConfigError naming api.listen and api.token otherwise.
 * Call it before starting the node, so a bad config stops the start-up early.
 */
export function checkApiConfig (api: PohConfig['api']): ListenAddress {
  const listen = parseListenAddress(api.listen)
  if (listen === undefined) {
    throw new ConfigError(`api.listen "${api.listen}" is not a host:port address; set it to an address such as 127.0.0.1:8080`)
  }
  if (!isLoopbackHost(listen.host) && api.token === undefined) {
    throw new ConfigError(`api.listen ${api.listen} is not a loopback address and api.token is unset, so anyone who can reach it could use the REST API. Set api.token (or POH_API_TOKEN), or set api.listen to a loopback address such as 127.0.0.1:8080`)
  }
  return listen
}

/** SHA-256 of a string, so tokens of any length compare in constant time. */
function digest (text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/**
 * Creates the check of the `Authorization: Bearer <token>` header. It throws
 * a 401 ApiError for a missing or wrong token. The comparison takes the same
 * time for every wrong token, because it compares SHA-256 digests with
 * timingSafeEqual.
 */
export function bearerAuth (token: string): (request: FastifyRequest) => void {
  const expected = digest(token)
  return (request) => {
    const header = request.headers.authorization
    if (header === undefined || header === '') {
      throw new ApiError(401, 'unauthorized', 'missing Authorization header; send "Authorization: Bearer <token>" with the token set in api.token')
    }
    const match = /^Bearer +(.+)$/i.exec(header)
    if (match?.[1] === undefined) {
      throw new ApiError(401, 'unauthorized', 'Authorization header is not of the form "Bearer <token>"; send "Authorization: Bearer <token>" with the token set in api.token')
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      throw new ApiError(401, 'unauthorized', 'invalid bearer token; send the token set in api.token')
    }
  }
}
