import { createHash, timingSafeEqual } from 'node:crypto'
import { ConfigError } from '../core/errors.js'
import { isLoopbackHost, parseListenAddress } from './schema.js'
import type { ListenAddress } from './schema.js'

/** A config section of a server that takes bearer tokens: api or grpc. */
export interface ProtectedListen {
  /** Config section name, such as "api". */
  section: 'api' | 'grpc'
  listen: string
  token?: string
  /** Server name for messages: "REST API" or "gRPC API". */
  service: string
  /** A loopback address to suggest, such as 127.0.0.1:8080. */
  example: string
}

/**
 * Parses `<section>.listen` and checks that a token is set when the address
 * is not loopback. Throws ConfigError naming both keys otherwise, so a bad
 * config stops the start-up before the node runs.
 */
export function checkProtectedListen (config: ProtectedListen): ListenAddress {
  const { section, listen: value, service, example } = config
  const listen = parseListenAddress(value)
  if (listen === undefined) {
    throw new ConfigError(`${section}.listen "${value}" is not a host:port address; set it to an address such as ${example}`)
  }
  if (!isLoopbackHost(listen.host) && config.token === undefined) {
    throw new ConfigError(`${section}.listen ${value} is not a loopback address and ${section}.token is unset, so anyone who can reach it could use the ${service}. Set ${section}.token (or POH_${section.toUpperCase()}_TOKEN), or set ${section}.listen to a loopback address such as ${example}`)
  }
  return listen
}

/** SHA-256 of a token, so tokens of any length compare in constant time. */
export function tokenDigest (text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/**
 * Checks a presented `Bearer <token>` value against the expected digest.
 * Returns 'malformed' when it is not of that form, else whether it matches.
 * Every wrong token takes the same time, because digests are compared.
 */
export function matchBearer (expected: Buffer, presented: string): 'match' | 'mismatch' | 'malformed' {
  const match = /^Bearer +(.+)$/i.exec(presented)
  if (match?.[1] === undefined) {
    return 'malformed'
  }
  return timingSafeEqual(tokenDigest(match[1]), expected) ? 'match' : 'mismatch'
}
