import { createHash } from 'node:crypto'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect } from 'chai'
import { buildApiServer, startApiServer } from '../../src/api/server.js'
import { checkApiConfig } from '../../src/api/auth.js'
import { MAX_PAGE_LIMIT, openApiDocument } from '../../src/api/openapi.js'
import { isLoopbackHost } from '../../src/config/schema.js'
import { loadConfig } from '../../src/config/index.js'
import { ConfigError } from '../../src/core/errors.js'
import { createLogger } from '../../src/log/logger.js'
import { startCluster, until } from '../helpers/network.js'
import type { ApiServer } from '../../src/api/server.js'
import type { OperationObject, ResponseObject } from '../../src/api/openapi.js'
import type { PohConfig } from '../../src/config/index.js'
import type { PohNode } from '../../src/node/poh-node.js'
import type { TestCluster } from '../helpers/network.js'
import type { ValidateFunction } from 'ajv/dist/2020.js'

const MAX_PAYLOAD_BYTES = 1024
const TOKEN = 'api-spec-token-5b9f2c'

interface ApiResponse {
  status: number
  headers: Headers
  body: any
}

interface CallOptions {
  body?: string | Uint8Array
  contentType?: string
  authorization?: string
}

/** Finds the documented route whose path template matches `path`, such as /v1/tx/{id} for /v1/tx/ab12. */
function matchRoute (method: string, path: string): { template: string, operation: OperationObject } | undefined {
  for (const [template, operations] of Object.entries(openApiDocument.paths)) {
    const pattern = new RegExp('^' + template.replace(/\{\w+\}/g, '[^/]+') + '$')
    const operation = operations[method.toLowerCase() as 'get' | 'post']
    if (pattern.test(path) && operation !== undefined) {
      return { template, operation }
    }
  }
  return undefined
}

/**
 * Checks responses against the OpenAPI document: the status must be
 * documented for the operation, and the JSON body must match its schema.
 */
class ResponseChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true })
  private readonly validators = new Map<string, ValidateFunction>()
  /** `${METHOD} ${template} ${status}` of every checked response. */
  readonly seen = new Set<string>()

  constructor () {
    this.ajv.addSchema(JSON.parse(JSON.stringify(openApiDocument)), 'openapi.json')
  }

  private validator (pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer)
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `openapi.json#${pointer}` })
      this.validators.set(pointer, validate)
    }
    return validate
  }

  check (method: string, path: string, response: ApiResponse): void {
    const route = matchRoute(method, path)
    let pointer: string
    if (route === undefined) {
      // Unknown routes return 404 with the common error body, or 401 first
      // when a token is configured and missing.
      expect(response.status, `${method} ${path} has no documented route`).to.be.oneOf([401, 404])
      pointer = '/components/schemas/Error'
    } else {
      const documented = route.operation.responses[String(response.status)]
      expect(documented, `${method} ${route.template} returned ${response.status}, which the document does not list`).to.not.equal(undefined)
      const escaped = route.template.replace(/~/g, '~0').replace(/\//g, '~1')
      const ref = (documented as { $ref?: string }).$ref
      pointer = ref === undefined
        ? `/paths/${escaped}/${method.toLowerCase()}/responses/${response.status}/content/application~1json/schema`
        : `${ref.slice(1)}/content/application~1json/schema`
      if (ref !== undefined) {
        expect((openApiDocument.components.responses[ref.split('/').at(-1) as string] as ResponseObject).content).to.have.property('application/json')
      }
      this.seen.add(`${method} ${route.template} ${response.status}`)
    }
    expect(response.headers.get('content-type'), `${method} ${path} content type`).to.match(/^application\/json/)
    const validate = this.validator(pointer)
    const valid = validate(response.body)
    expect(valid, `${method} ${path} ${response.status} body does not match the document: ${JSON.stringify(validate.errors)}`).to.equal(true)
  }
}

const checker = new ResponseChecker()

async function call (base: string, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = {}
  if (options.contentType !== undefined) {
    headers['content-type'] = options.contentType
  }
  if (options.authorization !== undefined) {
    headers.authorization = options.authorization
  }
  const response = await fetch(base + path, { method, headers, body: options.body })
  const text = await response.text()
  const result: ApiResponse = { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) }
  checker.check(method, path.split('?')[0] as string, result)
  return result
}

function sha256Hex (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function apiConfig (node: PohNode, api: PohConfig['api']): PohConfig {
  return { ...node.config, api }
}

/** Creates a logger that keeps every line, to check what the API logs. */
function captureLogs (): { lines: string[], logger: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', format: 'json', destination: { write: (line: string) => { lines.push(line) } } })
  return { lines, logger }
}

describe('REST API', function () {
  let cluster: TestCluster
  let node: PohNode
  let server: ApiServer
  let base: string
  const logs = captureLogs()
  /** Hex of every payload submitted, to check that none reaches the log. */
  const payloadHexes: string[] = []
  let heldTxId: string

  const submitJson = async (payload: Uint8Array, ttlSeconds?: number): Promise<ApiResponse> => {
    payloadHexes.push(Buffer.from(payload).toString('hex'))
    const body = ttlSeconds === undefined ? { payload_hex: Buffer.from(payload).toString('hex') } : { payload_hex: Buffer.from(payload).toString('hex'), ttl_seconds: ttlSeconds }
    return await call(base, 'POST', '/v1/tx', { contentType: 'application/json', body: JSON.stringify(body) })
  }

  before(async function () {
    cluster = await startCluster({ size: 2, minPohRequired: 1, adjust: (config) => { config.max_payload_bytes = MAX_PAYLOAD_BYTES } })
    node = cluster.nodes[0] as PohNode
    server = await startApiServer({ node, config: apiConfig(node, { listen: '127.0.0.1:0' }), logger: logs.logger })
    base = server.url
  })

  after(async function () {
    await server?.close()
    await cluster?.stop()
  })

  describe('document', function () {
    it('is a valid OpenAPI 3.1 document', async function () {
      const result = await new Validator().validate(JSON.parse(JSON.stringify(openApiDocument)))

      expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined)
      expect(result.valid).to.equal(true)
    })

    it('routes equal the documented paths', async function () {
      const documented = Object.entries(openApiDocument.paths).flatMap(([path, operations]) => Object.keys(operations).map(method => `${method.toUpperCase()} ${path}`))
      const served = server.routes.map(route => `${route.method} ${route.path}`)

      expect([...served].sort()).to.deep.equal([...documented].sort())
      const { app } = buildApiServer({ node, config: apiConfig(node, { listen: '127.0.0.1:0' }), logger: logs.logger })
      try {
        await app.ready()
        for (const route of server.routes) {
          expect(app.hasRoute({ method: route.method, url: route.path.replace(/\{(\w+)\}/g, ':$1') }), `${route.method} ${route.path}`).to.equal(true)
        }
      } finally {
        await app.close()
      }
    })

    it('GET /v1/openapi.json returns the document', async function () {
      const response = await call(base, 'GET', '/v1/openapi.json')

      expect(response.status).to.equal(200)
      expect(response.body).to.deep.equal(JSON.parse(JSON.stringify(openApiDocument)))
    })
  })

  describe('status and peers', function () {
    it('GET /v1/status returns the node status', async function () {
      const response = await call(base, 'GET', '/v1/status')

      expect(response.status).to.equal(200)
      expect(response.body.peer_id).to.equal(node.libp2p.peerId.toString())
      expect(response.body.network_id).to.equal('poh-test')
      expect(response.body.min_poh_required).to.equal(1)
      expect(response.body.holder_id).to.equal(node.holderId)
    })

    it('GET /v1/peers lists the other node', async function () {
      const response = await call(base, 'GET', '/v1/peers')

      expect(response.status).to.equal(200)
      const ids = (response.body.peers as Array<{ peer_id: string }>).map(peer => peer.peer_id)
      expect(ids).to.include(cluster.nodes[1]?.libp2p.peerId.toString())
    })
  })

  describe('POST /v1/tx', function () {
    it('JSON body is stored, held, and certified', async function () {
      const payload = Buffer.from('api spec: json body')
      const response = await submitJson(payload)

      expect(response.status).to.equal(202)
      expect(response.body.tx_id).to.equal(sha256Hex(payload))
      expect(response.headers.get('location')).to.equal(`/v1/tx/${sha256Hex(payload)}`)
      heldTxId = response.body.tx_id

      let tx: ApiResponse | undefined
      await until(async () => {
        tx = await call(base, 'GET', `/v1/tx/${heldTxId}`)
        return tx.body.state === 'HELD'
      }, 'the submitted transaction to be held')
      expect(tx?.status).to.equal(200)
      expect(tx?.body.payload_bytes).to.equal(payload.length)
      expect(tx?.body.ack_count).to.be.at.least(1)
      expect(tx?.body.held_at_ms).to.be.a('number')

      const certificate = await call(base, 'GET', `/v1/tx/${heldTxId}/certificate`)
      expect(certificate.status).to.equal(200)
      expect(certificate.body.tx_id).to.equal(heldTxId)
      expect(certificate.body.network_id).to.equal('poh-test')
      expect(certificate.body.acks.length).to.be.at.least(1)
      // The other node's ACK may be counted between the two requests, so the
      // holders are read again after the certificate.
      const holders = (await call(base, 'GET', `/v1/tx/${heldTxId}`)).body.holders
      for (const ack of certificate.body.acks as Array<{ holder_id: string, tx_id: string }>) {
        expect(ack.tx_id).to.equal(heldTxId)
        expect(holders).to.include(ack.holder_id)
      }
    })

    it('raw body is stored with the query TTL', async function () {
      const payload = Buffer.from('api spec: raw body')
      payloadHexes.push(payload.toString('hex'))
      const before = Date.now()
      const response = await call(base, 'POST', '/v1/tx?ttl_seconds=600', { contentType: 'application/octet-stream', body: payload })

      expect(response.status).to.equal(202)
      expect(response.body.tx_id).to.equal(sha256Hex(payload))
      const tx = await call(base, 'GET', `/v1/tx/${response.body.tx_id as string}`)
      expect(tx.body.expires_at_ms).to.be.within(before + 600_000, Date.now() + 600_000)
    })

    it('payload of max_payload_bytes is accepted', async function () {
      const payload = Buffer.alloc(MAX_PAYLOAD_BYTES, 7)
      payloadHexes.push(payload.toString('hex'))
      const response = await call(base, 'POST', '/v1/tx', { contentType: 'application/octet-stream', body: payload })

      expect(response.status).to.equal(202)
    })

    it('raw body over max_payload_bytes is 413', async function () {
      const response = await call(base, 'POST', '/v1/tx', { contentType: 'application/octet-stream', body: Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 1) })

      expect(response.status).to.equal(413)
      expect(response.body.error.code).to.equal('payload_too_large')
      expect(response.body.error.message).to.include(`max_payload_bytes (${MAX_PAYLOAD_BYTES} bytes)`)
    })

    it('JSON payload over max_payload_bytes is 413', async function () {
      const response = await submitJson(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 2))

      expect(response.status).to.equal(413)
      expect(response.body.error.code).to.equal('payload_too_large')
      expect(response.body.error.message).to.include(`max_payload_bytes (${MAX_PAYLOAD_BYTES} bytes)`)
      expect(response.body.error.message).to.include(`${MAX_PAYLOAD_BYTES + 1} bytes`)
    })

    it('JSON body over the body limit is 413', async function () {
      const hex = 'ab'.repeat(MAX_PAYLOAD_BYTES * 4)
      const response = await call(base, 'POST', '/v1/tx', { contentType: 'application/json', body: JSON.stringify({ payload_hex: hex }) })

      expect(response.status).to.equal(413)
      expect(response.body.error.message).to.include('max_payload_bytes')
    })

    it('duplicate payload is 409', async function () {
      const payload = Buffer.from('api spec: duplicate')
      expect((await submitJson(payload)).status).to.equal(202)

      const again = await submitJson(payload)

      expect(again.status).to.equal(409)
      expect(again.body.error.code).to.equal('already_stored')
      expect(again.body.error.message).to.include(sha256Hex(payload))
    })

    const badBodies: Array<{ id: string, contentType?: string, body?: string | Uint8Array, status: number, code: string, includes: string }> = [
      { id: 'empty raw body', contentType: 'application/octet-stream', body: new Uint8Array(0), status: 400, code: 'invalid_body', includes: 'empty' },
      { id: 'empty JSON body', contentType: 'application/json', body: '', status: 400, code: 'invalid_body', includes: 'empty' },
      { id: 'malformed JSON', contentType: 'application/json', body: '{"payload_hex": ', status: 400, code: 'invalid_body', includes: 'not valid JSON' },
      { id: 'JSON array', contentType: 'application/json', body: '[1]', status: 400, code: 'invalid_body', includes: 'must be object' },
      { id: 'odd-length hex', contentType: 'application/json', body: '{"payload_hex": "abc"}', status: 400, code: 'invalid_body', includes: 'payload_hex' },
      { id: 'non-hex payload', contentType: 'application/json', body: '{"payload_hex": "zz11"}', status: 400, code: 'invalid_body', includes: 'payload_hex' },
      { id: 'empty payload_hex', contentType: 'application/json', body: '{"payload_hex": ""}', status: 400, code: 'invalid_body', includes: 'payload_hex' },
      { id: 'missing payload_hex', contentType: 'application/json', body: '{"ttl_seconds": 60}', status: 400, code: 'invalid_body', includes: 'missing body field payload_hex' },
      { id: 'unknown field', contentType: 'application/json', body: '{"payload_hex": "01", "ttl": 5}', status: 400, code: 'invalid_body', includes: '"ttl"' },
      { id: 'TTL as string', contentType: 'application/json', body: '{"payload_hex": "01", "ttl_seconds": "60"}', status: 400, code: 'invalid_body', includes: 'ttl_seconds' },
      { id: 'TTL zero', contentType: 'application/json', body: '{"payload_hex": "01", "ttl_seconds": 0}', status: 400, code: 'invalid_body', includes: 'ttl_seconds' },
      { id: 'TTL over max_ttl_seconds', contentType: 'application/json', body: '{"payload_hex": "02", "ttl_seconds": 604801}', status: 400, code: 'invalid_body', includes: 'max_ttl_seconds (604800)' },
      { id: 'text/plain body', contentType: 'text/plain', body: 'hello', status: 415, code: 'unsupported_media_type', includes: 'Content-Type "text/plain' },
      { id: 'no content type', body: undefined, status: 400, code: 'invalid_body', includes: 'empty' }
    ]
    for (const bad of badBodies) {
      it(`${bad.id} is ${bad.status}`, async function () {
        const response = await call(base, 'POST', '/v1/tx', { contentType: bad.contentType, body: bad.body })

        expect(response.status).to.equal(bad.status)
        expect(response.body.error.code).to.equal(bad.code)
        expect(response.body.error.message).to.include(bad.includes)
      })
    }

    it('raw body TTL over max_ttl_seconds is 400', async function () {
      const response = await call(base, 'POST', '/v1/tx?ttl_seconds=604801', { contentType: 'application/octet-stream', body: Buffer.from('x') })

      expect(response.status).to.equal(400)
      expect(response.body.error.code).to.equal('invalid_parameter')
      expect(response.body.error.message).to.include('max_ttl_seconds (604800)')
    })

    it('query TTL with JSON body is 400', async function () {
      const response = await call(base, 'POST', '/v1/tx?ttl_seconds=60', { contentType: 'application/json', body: '{"payload_hex": "03"}' })

      expect(response.status).to.equal(400)
      expect(response.body.error.message).to.include('set ttl_seconds in the body')
    })
  })

  describe('GET /v1/tx/{id}', function () {
    const unknownId = 'ab'.repeat(32)

    it('unknown tx is 404', async function () {
      const response = await call(base, 'GET', `/v1/tx/${unknownId}`)

      expect(response.status).to.equal(404)
      expect(response.body.error.code).to.equal('not_found')
      expect(response.body.error.message).to.include(unknownId)
    })

    it('unknown certificate is 404', async function () {
      const response = await call(base, 'GET', `/v1/tx/${unknownId}/certificate`)

      expect(response.status).to.equal(404)
      expect(response.body.error.code).to.equal('not_found')
    })

    for (const bad of ['xyz', 'ab'.repeat(31), 'gg'.repeat(32), 'ab'.repeat(33)]) {
      it(`malformed id of ${bad.length} characters is 400`, async function () {
        for (const path of [`/v1/tx/${bad}`, `/v1/tx/${bad}/certificate`]) {
          const response = await call(base, 'GET', path)

          expect(response.status, path).to.equal(400)
          expect(response.body.error.code).to.equal('invalid_parameter')
          expect(response.body.error.message).to.include(`"${bad}"`)
          expect(response.body.error.message).to.include('64 hex characters')
        }
      })
    }

    it('upper-case id finds the tx', async function () {
      const response = await call(base, 'GET', `/v1/tx/${heldTxId.toUpperCase()}`)

      expect(response.status).to.equal(200)
      expect(response.body.tx_id).to.equal(heldTxId)
    })
  })

  describe('range queries', function () {
    const ids: string[] = []
    let fromMs: number
    let toMs: number

    before(async function () {
      // Request timestamps come from the node clock, so a window around these
      // submissions holds only them.
      await new Promise(resolve => setTimeout(resolve, 5))
      fromMs = Date.now()
      for (let i = 0; i < 5; i++) {
        const response = await submitJson(Buffer.from(`api spec: range ${i}`))
        ids.push(response.body.tx_id)
      }
      toMs = Date.now()
      await new Promise(resolve => setTimeout(resolve, 5))
    })

    it('time range pages with a cursor', async function () {
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const query: string = `/v1/tx?from=${fromMs}&to=${toMs}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`
        const response = await call(base, 'GET', query)
        expect(response.status).to.equal(200)
        expect(response.body.items.length).to.be.at.most(2)
        seen.push(...(response.body.items as Array<{ tx_id: string }>).map(item => item.tx_id))
        cursor = response.body.next_cursor
        pages++
      } while (cursor !== null && pages < 10)

      expect(pages).to.equal(3)
      expect([...seen].sort()).to.deep.equal([...ids].sort())
    })

    it('time range items carry slot and state', async function () {
      const response = await call(base, 'GET', `/v1/tx?from=${fromMs}&to=${toMs}`)

      expect(response.status).to.equal(200)
      expect(response.body.items).to.have.length(5)
      expect(response.body.next_cursor).to.equal(null)
      for (const item of response.body.items as Array<{ slot: number, request_timestamp_ms: number, state: string }>) {
        expect(item.slot).to.equal(Math.floor(item.request_timestamp_ms / node.config.slot_duration_ms))
        expect(item.state).to.be.oneOf(['PENDING', 'HELD'])
      }
    })

    it('slot range pages with a cursor', async function () {
      const fromSlot = Math.floor(fromMs / node.config.slot_duration_ms)
      const toSlot = Math.floor(toMs / node.config.slot_duration_ms)
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const path: string = `/v1/slots/${fromSlot}/${toSlot}?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`
        const response = await call(base, 'GET', path)
        expect(response.status).to.equal(200)
        seen.push(...(response.body.items as Array<{ tx_id: string }>).map(item => item.tx_id))
        cursor = response.body.next_cursor
        pages++
      } while (cursor !== null && pages < 20)

      expect(pages).to.be.at.least(3)
      expect(seen).to.include.members(ids)
    })

    const badQueries: Array<{ id: string, query: string, includes: string }> = [
      { id: 'non-numeric from', query: 'from=abc&to=10', includes: 'parameter from "abc"' },
      { id: 'blank from', query: 'from=%20&to=10', includes: 'parameter from' },
      { id: 'hex from', query: 'from=0x10&to=10', includes: 'parameter from "0x10"' },
      { id: 'negative from', query: 'from=-1&to=10', includes: 'parameter from "-1"' },
      { id: 'missing to', query: 'from=1', includes: 'missing query parameter to' },
      { id: 'from after to', query: 'from=10&to=5', includes: 'from (10) is after to (5)' },
      { id: 'limit zero', query: 'from=0&to=10&limit=0', includes: 'parameter limit "0"' },
      { id: 'limit above the cap', query: `from=0&to=10&limit=${MAX_PAGE_LIMIT + 1}`, includes: `from 1 to ${MAX_PAGE_LIMIT}` },
      { id: 'fractional limit', query: 'from=0&to=10&limit=1.5', includes: 'parameter limit "1.5"' },
      { id: 'malformed cursor', query: 'from=0&to=10&cursor=zz', includes: 'parameter cursor "zz"' },
      { id: 'to beyond safe integers', query: 'from=0&to=9007199254740992', includes: 'parameter to' }
    ]
    for (const bad of badQueries) {
      it(`time range with ${bad.id} is 400`, async function () {
        const response = await call(base, 'GET', `/v1/tx?${bad.query}`)

        expect(response.status).to.equal(400)
        expect(response.body.error.code).to.equal('invalid_parameter')
        expect(response.body.error.message).to.include(bad.includes)
      })
    }

    const badSlots: Array<{ id: string, path: string, includes: string }> = [
      { id: 'from after to', path: '/v1/slots/9/3', includes: 'from (9) is after to (3)' },
      { id: 'non-numeric slot', path: '/v1/slots/a/3', includes: 'parameter from "a"' },
      { id: 'slot past the last', path: `/v1/slots/0/${Number.MAX_SAFE_INTEGER}`, includes: 'the last slot is' },
      { id: 'limit above the cap', path: `/v1/slots/0/1?limit=${MAX_PAGE_LIMIT + 1}`, includes: 'parameter limit' }
    ]
    for (const bad of badSlots) {
      it(`slot range with ${bad.id} is 400`, async function () {
        const response = await call(base, 'GET', bad.path)

        expect(response.status).to.equal(400)
        expect(response.body.error.code).to.equal('invalid_parameter')
        expect(response.body.error.message).to.include(bad.includes)
      })
    }
  })

  describe('unknown routes', function () {
    for (const [method, path] of [['GET', '/v1/nothing'], ['POST', '/v1/status'], ['GET', '/']]) {
      it(`${method} ${path} is 404 JSON`, async function () {
        const response = await call(base, method as string, path as string)

        expect(response.status).to.equal(404)
        expect(response.body.error.code).to.equal('route_not_found')
        expect(response.body.error.message).to.include(`${method} ${path}`)
      })
    }
  })

  describe('logging', function () {
    it('log names no payload', async function () {
      const text = logs.lines.join('\n')

      expect(logs.lines.length).to.be.greaterThan(0)
      expect(text).to.include('"component":"api"')
      for (const hex of payloadHexes) {
        expect(text).to.not.include(hex)
      }
    })
  })

  describe('authentication', function () {
    let secured: ApiServer
    const authLogs = captureLogs()

    before(async function () {
      secured = await startApiServer({ node, config: apiConfig(node, { listen: '127.0.0.1:0', token: TOKEN }), logger: authLogs.logger })
    })

    after(async function () {
      await secured?.close()
    })

    it('missing token is 401', async function () {
      const response = await call(secured.url, 'GET', '/v1/status')

      expect(response.status).to.equal(401)
      expect(response.body.error.code).to.equal('unauthorized')
      expect(response.body.error.message).to.include('Authorization: Bearer')
      expect(response.headers.get('www-authenticate')).to.match(/^Bearer/)
    })

    for (const [id, authorization] of [['wrong token', `Bearer ${TOKEN}x`], ['short token', 'Bearer a'], ['Basic scheme', `Basic ${TOKEN}`], ['empty bearer', 'Bearer ']]) {
      it(`${id as string} is 401`, async function () {
        const response = await call(secured.url, 'GET', '/v1/status', { authorization })

        expect(response.status).to.equal(401)
        expect(response.body.error.code).to.equal('unauthorized')
      })
    }

    it('token is required on every route', async function () {
      for (const [method, path] of [['GET', '/v1/peers'], ['POST', '/v1/tx'], ['GET', '/v1/openapi.json'], ['GET', `/v1/tx/${'00'.repeat(32)}`], ['GET', '/v1/nothing']]) {
        const response = await call(secured.url, method as string, path as string, { contentType: 'application/json', body: method === 'POST' ? '{"payload_hex": "0a"}' : undefined })

        expect(response.status, `${method as string} ${path as string}`).to.equal(401)
      }
    })

    it('right token is accepted', async function () {
      const response = await call(secured.url, 'GET', '/v1/status', { authorization: `Bearer ${TOKEN}` })

      expect(response.status).to.equal(200)
    })

    it('log names no token', async function () {
      await call(secured.url, 'GET', '/v1/status', { authorization: `Bearer ${TOKEN}-wrong` })
      const text = authLogs.lines.join('\n')

      expect(text).to.include('API request rejected')
      expect(text).to.not.include(TOKEN)
    })
  })

  describe('listen address check', function () {
    it('non-loopback without token is rejected', async function () {
      const config = apiConfig(node, { listen: '0.0.0.0:0' })

      expect(() => checkApiConfig(config.api)).to.throw(ConfigError, /api\.listen 0\.0\.0\.0:0 .*api\.token is unset/)
      let error: unknown
      try {
        const started = await startApiServer({ node, config, logger: logs.logger })
        await started.close()
      } catch (err) {
        error = err
      }
      expect(error).to.be.instanceOf(ConfigError)
      expect((error as Error).message).to.include('api.token')
    })

    it('non-loopback with token starts', async function () {
      const started = await startApiServer({ node, config: apiConfig(node, { listen: '0.0.0.0:0', token: TOKEN }), logger: logs.logger })
      await started.close()

      expect(started.url).to.match(/^http:\/\/0\.0\.0\.0:\d+$/)
    })

    it('loopback hosts are recognised', function () {
      for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '::ffff:127.0.0.1']) {
        expect(isLoopbackHost(host), host).to.equal(true)
      }
      for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', '128.0.0.1', 'example.com', '127.0.0.1.example.com']) {
        expect(isLoopbackHost(host), host).to.equal(false)
      }
    })

    it('open API without a token is an error, not a warning', function () {
      const { warnings } = loadConfig({ env: { POH_API_LISTEN: '0.0.0.0:8080', POH_HOLDERS: 'open' } })

      expect(warnings.some(text => text.startsWith('api.listen'))).to.equal(false)
    })
  })

  describe('coverage', function () {
    it('every operation was called', function () {
      const called = new Set([...checker.seen].map(entry => entry.split(' ').slice(0, 2).join(' ')))
      for (const [path, operations] of Object.entries(openApiDocument.paths)) {
        for (const method of Object.keys(operations)) {
          expect(called.has(`${method.toUpperCase()} ${path}`), `${method.toUpperCase()} ${path}`).to.equal(true)
        }
      }
    })
  })
})
