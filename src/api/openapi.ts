/**
 * The OpenAPI 3.1 document of the REST API. It lives in a TypeScript module so
 * that it ships in dist/ with the code. The server validates path, query and
 * body parameters with the schemas written here, `GET /v1/openapi.json` serves
 * it, and the API tests check every response against it.
 */

import { SPOT_CHECK_RESULTS } from '../core/spot-check-tally.js'

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>

export interface ParameterObject {
  name: string
  in: 'path' | 'query'
  required: boolean
  /** Expected form of the value; error messages for this parameter quote it. */
  description: string
  schema: JsonSchema
}

export interface MediaTypeObject {
  schema: JsonSchema
}

export interface ResponseObject {
  description: string
  headers?: Record<string, { description: string, schema: JsonSchema }>
  content?: Record<string, MediaTypeObject>
}

export interface OperationObject {
  operationId: string
  summary: string
  description?: string
  parameters?: ParameterObject[]
  requestBody?: { required: boolean, description?: string, content: Record<string, MediaTypeObject> }
  /** Responses by status code; `$ref` entries point into components.responses. */
  responses: Record<string, ResponseObject | { $ref: string }>
}

export type HttpMethod = 'get' | 'post'

export interface OpenApiDocument {
  openapi: string
  info: { title: string, version: string, description: string, license: { name: string, identifier: string } }
  servers: Array<{ url: string, description: string }>
  security: Array<Record<string, string[]>>
  paths: Record<string, Partial<Record<HttpMethod, OperationObject>>>
  components: {
    securitySchemes: Record<string, Record<string, string>>
    schemas: Record<string, JsonSchema>
    responses: Record<string, ResponseObject>
  }
}

/** Largest page a range query returns; the same as MAX_HISTORY_PAGE in storage. */
export const MAX_PAGE_LIMIT = 1000

/** Page size when the request sets no limit. */
export const DEFAULT_PAGE_LIMIT = 100

/** Error codes of the `error.code` field. */
export const ERROR_CODES = [
  'invalid_parameter',
  'invalid_body',
  'unauthorized',
  'not_found',
  'route_not_found',
  'already_stored',
  'already_expired',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error'
] as const

export type ErrorCode = typeof ERROR_CODES[number]

const HEX_32_BYTES = '^[0-9a-fA-F]{64}$'
const hex32 = (description: string): JsonSchema => ({ type: 'string', pattern: HEX_32_BYTES, description })
const unixMs = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description })
const nullableUnixMs = (description: string): JsonSchema => ({ type: ['integer', 'null'], minimum: 0, description })
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/json': { schema } })
const errorRef = (name: string): { $ref: string } => ({ $ref: `#/components/responses/${name}` })

const txIdParameter: ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'tx_id of the transaction: 64 hex characters, as POST /v1/tx returns it.',
  schema: { type: 'string', pattern: HEX_32_BYTES }
}

const cursorParameter: ParameterObject = {
  name: 'cursor',
  in: 'query',
  required: false,
  description: 'next_cursor of the previous page (80 hex characters). Omit it for the first page.',
  schema: { type: 'string', pattern: '^[0-9a-fA-F]{80}$' }
}

const limitParameter: ParameterObject = {
  name: 'limit',
  in: 'query',
  required: false,
  description: `Page size: an integer from 1 to ${MAX_PAGE_LIMIT}. The default is ${DEFAULT_PAGE_LIMIT}.`,
  schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT }
}

const unixMsParameter = (name: 'from' | 'to', description: string): ParameterObject => ({
  name,
  in: 'query',
  required: true,
  description,
  schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }
})

const slotParameter = (name: 'from' | 'to', description: string): ParameterObject => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }
})

const pageResponse: ResponseObject = {
  description: 'One page of transactions in request-time order, then tx_id order.',
  content: json(ref('HistoryPage'))
}

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'poh-node REST API',
    version: '1.0.0',
    description: 'Submit transactions to a Proof-of-Holding node and read its state: status, peers, transactions, quorum certificates and time or slot ranges. ' +
      'Every field is snake_case and every byte string is lower-case hex. Every error response has the body { "error": { "code", "message" } }.',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' }
  },
  servers: [{ url: 'http://127.0.0.1:8080', description: 'The default api.listen address.' }],
  // The bearer token is required whenever api.token is set, and a node that
  // listens on a non-loopback address does not start without one. A node on
  // loopback with no token accepts requests without authentication.
  security: [{ bearerAuth: [] }, {}],
  paths: {
    '/v1/status': {
      get: {
        operationId: 'getStatus',
        summary: 'Node status',
        responses: {
          200: { description: 'Identity, peers, holder set and storage of this node.', content: json(ref('NodeStatus')) },
          401: errorRef('Unauthorized'),
          500: errorRef('InternalError')
        }
      }
    },
    '/v1/peers': {
      get: {
        operationId: 'getPeers',
        summary: 'Connected peers',
        responses: {
          200: {
            description: 'Every connected peer with its addresses and gossipsub score.',
            content: json({ type: 'object', required: ['peers'], additionalProperties: false, properties: { peers: { type: 'array', items: ref('PeerInfo') } } })
          },
          401: errorRef('Unauthorized'),
          500: errorRef('InternalError')
        }
      }
    },
    '/v1/tx': {
      post: {
        operationId: 'submitTx',
        summary: 'Submit a transaction',
        description: 'Stores the payload on this node and publishes the request to the network. ' +
          'The response returns as soon as this node has stored it; GET /v1/tx/{id} shows when it is held. ' +
          'The payload may be sent as raw bytes (application/octet-stream) or in hex inside JSON.',
        parameters: [{
          name: 'ttl_seconds',
          in: 'query',
          required: false,
          description: 'TTL in seconds for a raw application/octet-stream body: an integer from 1 to max_ttl_seconds. The default is ttl_seconds of the node config. A JSON body sets ttl_seconds in the body instead.',
          schema: { type: 'integer', minimum: 1, maximum: 0xffff_ffff }
        }],
        requestBody: {
          required: true,
          description: 'At most max_payload_bytes of payload (262144 by default).',
          content: {
            'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The payload bytes.' } },
            'application/json': { schema: ref('SubmitTxRequest') }
          }
        },
        responses: {
          202: {
            description: 'This node stored the transaction and published it.',
            headers: { Location: { description: 'Path of the transaction: /v1/tx/{tx_id}.', schema: { type: 'string' } } },
            content: json({ type: 'object', required: ['tx_id'], additionalProperties: false, properties: { tx_id: hex32('SHA-256 of the payload.') } })
          },
          400: errorRef('BadRequest'),
          401: errorRef('Unauthorized'),
          409: errorRef('Conflict'),
          413: errorRef('PayloadTooLarge'),
          415: errorRef('UnsupportedMediaType'),
          500: errorRef('InternalError')
        }
      },
      get: {
        operationId: 'queryTxsByTime',
        summary: 'Transactions by request time',
        description: 'Pages through the transactions whose request timestamp is from `from` to `to` inclusive, held, pending or expired, for as long as their history is kept.',
        parameters: [
          unixMsParameter('from', 'First request timestamp included, in Unix milliseconds: an integer from 0 to 9007199254740991.'),
          unixMsParameter('to', 'Last request timestamp included, in Unix milliseconds: an integer from `from` to 9007199254740991.'),
          cursorParameter,
          limitParameter
        ],
        responses: {
          200: pageResponse,
          400: errorRef('BadRequest'),
          401: errorRef('Unauthorized'),
          500: errorRef('InternalError')
        }
      }
    },
    '/v1/tx/{id}': {
      get: {
        operationId: 'getTx',
        summary: 'One transaction',
        parameters: [txIdParameter],
        responses: {
          200: { description: 'What this node knows of the transaction.', content: json(ref('TxStatus')) },
          400: errorRef('BadRequest'),
          401: errorRef('Unauthorized'),
          404: errorRef('NotFound'),
          500: errorRef('InternalError')
        }
      }
    },
    '/v1/tx/{id}/certificate': {
      get: {
        operationId: 'getCertificate',
        summary: 'Quorum certificate of a held transaction',
        parameters: [txIdParameter],
        responses: {
          200: { description: 'The ACKs that made the transaction held.', content: json(ref('Certificate')) },
          400: errorRef('BadRequest'),
          401: errorRef('Unauthorized'),
          404: errorRef('NotFound'),
          500: errorRef('InternalError')
        }
      }
    },
    '/v1/slots/{from}/{to}': {
      get: {
        operationId: 'queryTxsBySlot',
        summary: 'Transactions by slot',
        description: 'Pages through the transactions of slots `from` to `to` inclusive. A request with timestamp t is in slot floor(t / slot_duration_ms).',
        parameters: [
          slotParameter('from', 'First slot included: an integer from 0 to 9007199254740991.'),
          slotParameter('to', 'Last slot included: an integer from `from` to 9007199254740991.'),
          cursorParameter,
          limitParameter
        ],
        responses: {
          200: pageResponse,
          400: errorRef('BadRequest'),
          401: errorRef('Unauthorized'),
          500: errorRef('InternalError')
        }
      }
    },
    '/v1/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This OpenAPI document',
        responses: {
          200: { description: 'The OpenAPI 3.1 document of this API.', content: json({ type: 'object', required: ['openapi', 'paths'] }) },
          401: errorRef('Unauthorized'),
          500: errorRef('InternalError')
        }
      }
    }
  },
  components: {
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        description: 'The value of api.token in the node config, sent as `Authorization: Bearer <token>`.'
      }
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        additionalProperties: false,
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            additionalProperties: false,
            properties: {
              code: { type: 'string', enum: [...ERROR_CODES], description: 'Stable code to match on.' },
              message: { type: 'string', description: 'What failed, on which value, and how to fix the request.' }
            }
          }
        }
      },
      TxState: { type: 'string', enum: ['PENDING', 'HELD', 'EXPIRED'] },
      NodeStatus: {
        type: 'object',
        additionalProperties: false,
        required: ['network_id', 'peer_id', 'holder_id', 'addresses', 'peers', 'holder_set', 'min_poh_required', 'transactions_stored', 'stored_bytes', 'pending_transactions', 'uptime_seconds', 'spot_checks'],
        properties: {
          network_id: { type: 'string' },
          peer_id: { type: 'string', description: 'libp2p peer id.' },
          holder_id: { type: ['string', 'null'], pattern: HEX_32_BYTES, description: 'holder_id of this node, or null when it signs no ACKs.' },
          addresses: { type: 'array', items: { type: 'string' }, description: 'Multiaddrs this node listens on.' },
          peers: { type: 'integer', minimum: 0, description: 'Number of connected peers.' },
          holder_set: {
            type: 'object',
            additionalProperties: false,
            required: ['open', 'size', 'hash'],
            properties: {
              open: { type: 'boolean', description: 'True when the ACK of any key counts.' },
              size: { type: 'integer', minimum: 0 },
              hash: hex32('Hash of the configured holder set.')
            }
          },
          min_poh_required: { type: 'integer', minimum: 1 },
          transactions_stored: { type: 'integer', minimum: 0 },
          stored_bytes: { type: 'integer', minimum: 0, description: 'Sum of stored payload lengths.' },
          pending_transactions: { type: 'integer', minimum: 0, description: 'Transactions seen but not yet held.' },
          uptime_seconds: { type: 'integer', minimum: 0 },
          spot_checks: {
            type: 'object',
            additionalProperties: false,
            required: ['enabled', 'holders'],
            properties: {
              enabled: { type: 'boolean', description: 'Value of spot_check.enabled: whether this node challenges other holders on a schedule.' },
              holders: { type: 'array', items: ref('HolderSpotChecks'), description: 'Counts per checked holder, ordered by holder_id.' }
            }
          }
        }
      },
      HolderSpotChecks: {
        type: 'object',
        additionalProperties: false,
        required: ['holder_id', 'pass', 'fail', 'unreachable', 'last_result', 'last_checked_ms'],
        properties: {
          holder_id: hex32('holder_id of the checked holder.'),
          pass: { type: 'integer', minimum: 0, description: 'Checks whose response carried a valid signed proof.' },
          fail: { type: 'integer', minimum: 0, description: 'Checks whose response was a signed NOT_HELD, a wrong proof, a bad signature or malformed.' },
          unreachable: { type: 'integer', minimum: 0, description: 'Checks in which no peer running the holder key responded in time.' },
          last_result: { type: 'string', enum: [...SPOT_CHECK_RESULTS], description: 'Result of the latest check.' },
          last_checked_ms: { type: 'integer', minimum: 0, description: 'Time of the latest check, Unix ms.' }
        }
      },
      PeerInfo: {
        type: 'object',
        additionalProperties: false,
        required: ['peer_id', 'addresses', 'score'],
        properties: {
          peer_id: { type: 'string' },
          addresses: { type: 'array', items: { type: 'string' }, description: 'Remote multiaddrs of the open connections.' },
          score: { type: 'number', description: 'Gossipsub score; below -80 the node disconnects the peer.' }
        }
      },
      SubmitTxRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['payload_hex'],
        properties: {
          payload_hex: {
            type: 'string',
            pattern: '^(?:[0-9a-fA-F]{2})+$',
            description: 'The payload in hex: a non-empty, even number of hex characters.'
          },
          ttl_seconds: {
            type: 'integer',
            minimum: 1,
            maximum: 0xffff_ffff,
            description: 'TTL in seconds: an integer from 1 to max_ttl_seconds. The default is ttl_seconds of the node config.'
          }
        }
      },
      TxStatus: {
        type: 'object',
        additionalProperties: false,
        required: ['tx_id', 'state', 'ack_count', 'holders', 'held_at_ms', 'expires_at_ms', 'payload_bytes'],
        properties: {
          tx_id: hex32('SHA-256 of the payload.'),
          state: ref('TxState'),
          ack_count: { type: 'integer', minimum: 0, description: 'Valid ACKs from distinct holders counted so far.' },
          holders: { type: 'array', items: hex32('holder_id'), description: 'holder_ids whose ACKs this node counted.' },
          held_at_ms: nullableUnixMs('Time the transaction became held, or null while it is pending.'),
          expires_at_ms: nullableUnixMs('Time the payload expires, or null when unknown.'),
          payload_bytes: { type: ['integer', 'null'], minimum: 1, description: 'Payload length, or null when this node does not store the payload: it expired, or replication_factor left it to other holders.' }
        }
      },
      Ack: {
        type: 'object',
        additionalProperties: false,
        required: ['tx_id', 'holder_id', 'storage_hash', 'timestamp_ms', 'sig_alg', 'signature'],
        properties: {
          tx_id: hex32('SHA-256 of the payload.'),
          holder_id: hex32('SHA-256 of the algorithm tag byte and the holder public key.'),
          storage_hash: hex32('SHA-256("poh/storage/v1" ‖ holder_id ‖ payload).'),
          timestamp_ms: unixMs('Signing time.'),
          sig_alg: { type: 'string', enum: ['ED25519', 'ML_DSA_65', 'HYBRID_ED25519_ML_DSA_65'] },
          signature: { type: 'string', pattern: '^[0-9a-f]+$', description: 'The signature; for HYBRID_ED25519_ML_DSA_65, its Ed25519 half.' },
          signature_pq: { type: 'string', pattern: '^[0-9a-f]+$', description: 'The ML-DSA-65 half of a HYBRID_ED25519_ML_DSA_65 signature; absent for other algorithms.' },
          public_key: { type: 'string', pattern: '^[0-9a-f]+$', description: 'Present when the holder set is open.' }
        }
      },
      Certificate: {
        type: 'object',
        additionalProperties: false,
        required: ['network_id', 'tx_id', 'holder_set_hash', 'acks'],
        properties: {
          network_id: { type: 'string' },
          tx_id: hex32('SHA-256 of the payload.'),
          holder_set_hash: hex32('Hash of the holder set the ACKs were counted against.'),
          acks: { type: 'array', minItems: 1, items: ref('Ack') }
        }
      },
      HistoryItem: {
        type: 'object',
        additionalProperties: false,
        required: ['tx_id', 'state', 'request_timestamp_ms', 'slot', 'first_seen_ms', 'held_at_ms', 'ack_count', 'expires_at_ms'],
        properties: {
          tx_id: hex32('SHA-256 of the payload.'),
          state: ref('TxState'),
          request_timestamp_ms: unixMs('Timestamp of the request, set by its submitter.'),
          slot: { type: 'integer', minimum: 0, description: 'floor(request_timestamp_ms / slot_duration_ms).' },
          first_seen_ms: unixMs('Time this node first stored the request.'),
          held_at_ms: nullableUnixMs('Time the transaction became held, or null.'),
          ack_count: { type: 'integer', minimum: 0 },
          expires_at_ms: unixMs('Time the payload expires.')
        }
      },
      HistoryPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'next_cursor'],
        properties: {
          items: { type: 'array', items: ref('HistoryItem') },
          next_cursor: {
            type: ['string', 'null'],
            pattern: '^[0-9a-f]{80}$',
            description: 'Cursor of the next page, or null on the last page.'
          }
        }
      }
    },
    responses: {
      BadRequest: { description: 'A path or query parameter or the body is invalid (codes invalid_parameter, invalid_body).', content: json(ref('Error')) },
      Unauthorized: {
        description: 'The bearer token is missing or wrong (code unauthorized).',
        headers: { 'WWW-Authenticate': { description: 'The authentication scheme: Bearer.', schema: { type: 'string' } } },
        content: json(ref('Error'))
      },
      NotFound: { description: 'This node has no such transaction, or no certificate for it (code not_found).', content: json(ref('Error')) },
      Conflict: { description: 'This node already stores the transaction, or stored it and it has expired (codes already_stored, already_expired).', content: json(ref('Error')) },
      PayloadTooLarge: { description: 'The payload is longer than max_payload_bytes (code payload_too_large).', content: json(ref('Error')) },
      UnsupportedMediaType: { description: 'The Content-Type is neither application/octet-stream nor application/json (code unsupported_media_type).', content: json(ref('Error')) },
      InternalError: { description: 'The node failed to process a valid request (code internal_error). The node log has the cause.', content: json(ref('Error')) }
    }
  }
}
