/**
 * Route handlers of the REST API, one per operationId of the OpenAPI
 * document. Parameters reach them already checked against the document's
 * schemas, so the handlers check only what a schema cannot: ranges whose
 * bounds depend on each other or on the node config.
 */

import { computeTxId, toHex } from '../core/hash.js'
import { ApiError, emptyBody, payloadTooLarge, submitError } from './errors.js'
import { openApiDocument } from './openapi.js'
import type { PohConfig } from '../config/index.js'
import type { HistoryItem } from '../node/queries.js'
import type { PohNode, TxStatus } from '../node/poh-node.js'
import type { FastifyReply, FastifyRequest } from 'fastify'

export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

export interface RouteDeps {
  node: PohNode
  config: PohConfig
}

/** The JSON form of GET /v1/tx/{id}. */
export interface TxJson {
  tx_id: string
  state: string
  ack_count: number
  holders: string[]
  held_at_ms: number | null
  expires_at_ms: number | null
  payload_bytes: number | null
}

interface HistoryPageJson {
  items: HistoryItem[]
  next_cursor: string | null
}

interface PageQuery {
  cursor?: string
  limit: number
}

export function txToJson (status: TxStatus): TxJson {
  return {
    tx_id: status.txId,
    state: status.state,
    ack_count: status.ackCount,
    holders: status.holders,
    held_at_ms: status.heldAtMs ?? null,
    expires_at_ms: status.expiresAtMs ?? null,
    payload_bytes: status.payloadBytes ?? null
  }
}

/**
 * Runs a range query and turns a RangeError of the node (a cursor it did not
 * return, a range past the safe integer limit) into a 400.
 */
async function queryPage (query: () => Promise<HistoryPageJson>): Promise<HistoryPageJson> {
  try {
    return await query()
  } catch (err) {
    if (err instanceof RangeError) {
      throw new ApiError(400, 'invalid_parameter', `${err.message}. Pass next_cursor of the previous page unchanged, or omit cursor for the first page.`)
    }
    throw err
  }
}

function checkRangeOrder (kind: 'time' | 'slot', from: number, to: number): void {
  if (from > to) {
    throw new ApiError(400, 'invalid_parameter', `invalid ${kind} range: from (${from}) is after to (${to}); set from to at most to`)
  }
}

/** Reads the payload and TTL of POST /v1/tx from a raw or a JSON body. */
function readSubmission (request: FastifyRequest, config: PohConfig): { payload: Uint8Array, ttlSeconds?: number } {
  const body = request.body
  const queryTtl = (request.query as { ttl_seconds?: number }).ttl_seconds
  let payload: Uint8Array
  let ttlSeconds: number | undefined
  let ttlSource: string
  if (body === undefined || body === null) {
    throw emptyBody()
  } else if (Buffer.isBuffer(body)) {
    payload = body
    ttlSeconds = queryTtl
    ttlSource = 'query parameter ttl_seconds'
  } else {
    // The JSON schema has already checked payload_hex: non-empty, even length, hex only.
    const json = body as { payload_hex: string, ttl_seconds?: number }
    if (queryTtl !== undefined) {
      throw new ApiError(400, 'invalid_parameter', 'query parameter ttl_seconds applies only to application/octet-stream bodies; with a JSON body, set ttl_seconds in the body')
    }
    payload = Buffer.from(json.payload_hex, 'hex')
    ttlSeconds = json.ttl_seconds
    ttlSource = 'body field ttl_seconds'
  }

  if (payload.length === 0) {
    throw emptyBody()
  }
  if (payload.length > config.max_payload_bytes) {
    throw payloadTooLarge(config.max_payload_bytes, payload.length)
  }
  if (ttlSeconds !== undefined && ttlSeconds > config.max_ttl_seconds) {
    const code = Buffer.isBuffer(body) ? 'invalid_parameter' : 'invalid_body'
    throw new ApiError(400, code, `${ttlSource} ${ttlSeconds} is above max_ttl_seconds (${config.max_ttl_seconds}); send a TTL from 1 to ${config.max_ttl_seconds}, or omit it for the default of ${config.ttl_seconds}`)
  }
  return { payload, ttlSeconds }
}

/** Creates the handler of every operation, keyed by operationId. */
export function createHandlers ({ node, config }: RouteDeps): Record<string, RouteHandler> {
  return {
    getStatus: async () => await node.view.status(),

    getPeers: async () => ({ peers: node.view.peers() }),

    submitTx: async (request, reply) => {
      const { payload, ttlSeconds } = readSubmission(request, config)
      let txId: string
      try {
        txId = await node.submit(payload, { ttlSeconds })
      } catch (err) {
        const mapped = submitError(err, toHex(computeTxId(payload)), config.max_payload_bytes)
        if (mapped !== undefined) {
          throw mapped
        }
        throw err
      }
      reply.code(202).header('Location', `/v1/tx/${txId}`)
      return { tx_id: txId }
    },

    getTx: async (request) => {
      const { id } = request.params as { id: string }
      const status = await node.view.getTx(id)
      if (status === undefined) {
        throw new ApiError(404, 'not_found', `this node has no transaction ${id}; check the tx_id, or retry once the request has reached this node`)
      }
      return txToJson(status)
    },

    getCertificate: async (request) => {
      const { id } = request.params as { id: string }
      const certificate = await node.view.certificate(id)
      if (certificate === undefined) {
        throw new ApiError(404, 'not_found', `this node has no certificate for transaction ${id}: it is unknown here, not held yet, or its ACKs were deleted after it expired. GET /v1/tx/${id} returns its state`)
      }
      return certificate
    },

    queryTxsByTime: async (request) => {
      const { from, to, cursor, limit } = request.query as PageQuery & { from: number, to: number }
      checkRangeOrder('time', from, to)
      return await queryPage(async () => await node.view.queryTime(from, to, { limit, cursor }))
    },

    queryTxsBySlot: async (request) => {
      const { from, to } = request.params as { from: number, to: number }
      const { cursor, limit } = request.query as PageQuery
      checkRangeOrder('slot', from, to)
      const maxSlot = Math.floor((Number.MAX_SAFE_INTEGER + 1) / config.slot_duration_ms) - 1
      if (to > maxSlot) {
        throw new ApiError(400, 'invalid_parameter', `invalid path parameter to "${to}": with slot_duration_ms ${config.slot_duration_ms} the last slot is ${maxSlot}; set to at most ${maxSlot}`)
      }
      return await queryPage(async () => await node.view.querySlots(from, to, { limit, cursor }))
    },

    getOpenApi: async () => openApiDocument
  }
}
