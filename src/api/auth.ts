/**
 * Bearer-token authentication of the REST API.
 */

import { checkProtectedListen, matchBearer, tokenDigest } from '../config/protected-listen.js'
import { ApiError } from './errors.js'
import type { ListenAddress, PohConfig } from '../config/schema.js'
import type { FastifyRequest } from 'fastify'

/** Checks api.listen and api.token; see checkProtectedListen. */
export function checkApiConfig (api: PohConfig['api']): ListenAddress {
  return checkProtectedListen({ section: 'api', listen: api.listen, token: api.token, service: 'REST API', example: '127.0.0.1:8080' })
}

/**
 * Creates the check of the `Authorization: Bearer <token>` header. It throws
 * a 401 ApiError for a missing or wrong token. The comparison takes the same
 * time for every wrong token, because it compares SHA-256 digests with
 * timingSafeEqual.
 */
export function bearerAuth (token: string): (request: FastifyRequest) => void {
  const expected = tokenDigest(token)
  return (request) => {
    const header = request.headers.authorization
    if (header === undefined || header === '') {
      throw new ApiError(401, 'unauthorized', 'missing Authorization header; send "Authorization: Bearer <token>" with the token set in api.token')
    }
    const verdict = matchBearer(expected, header)
    if (verdict === 'malformed') {
      throw new ApiError(401, 'unauthorized', 'Authorization header is not of the form "Bearer <token>"; send "Authorization: Bearer <token>" with the token set in api.token')
    }
    if (verdict === 'mismatch') {
      throw new ApiError(401, 'unauthorized', 'invalid bearer token; send the token set in api.token')
    }
  }
}
