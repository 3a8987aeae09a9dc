/**
 * The REST API server, on Fastify 5. The OpenAPI document in openapi.ts
 * defines the routes: each operation becomes one route whose path, query and
 * JSON body schemas come from the document, and whose handler is the one in
 * routes.ts with the same operationId.
 */

import { fastify } from 'fastify'
import { Counter } from 'prom-client'
import { childLogger } from '../log/logger.js'
import { bearerAuth, checkApiConfig } from './auth.js'
import { ApiError, errorBody, fastifyRequestError, validationError } from './errors.js'
import { openApiDocument } from './openapi.js'
import { createHandlers } from './routes.js'
import type { PohConfig } from '../config/index.js'
import type { Logger } from '../log/logger.js'
import type { PohNode } from '../node/poh-node.js'
import type { ValidationContext } from './errors.js'
import type { RouteHandler } from './routes.js'
import type { HttpMethod, JsonSchema, OperationObject, ParameterObject } from './openapi.js'
import type { FastifyError, FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'

export interface ApiServerInit {
  node: PohNode
  config: PohConfig
  logger: Logger
}

/** One route of the server, with its path in OpenAPI form (`/v1/tx/{id}`). */
export interface RouteInfo {
  method: Uppercase<HttpMethod>
  path: string
}

export interface ApiServer {
  /** Base URL with the port actually bound, such as http://127.0.0.1:8080. */
  url: string
  /** Every route the server registered. */
  routes: RouteInfo[]
  close: () => Promise<void>
}

/**
 * Room for the JSON around payload_hex in a POST /v1/tx body: the field names,
 * ttl_seconds and whitespace. The hex itself takes two characters per byte.
 */
const JSON_BODY_OVERHEAD_BYTES = 4096

/** Query and path values of integer parameters: decimal digits only. */
const DECIMAL_PATTERN = /^\d+$/

/** Per-route data the error handler reads, by Fastify route URL. */
type RouteContexts = Map<string, Omit<ValidationContext, 'params' | 'query'>>

/** Inlines `#/components/schemas/...` references, because Fastify validates each schema on its own. */
function inlineRefs (schema: JsonSchema): JsonSchema {
  const target = typeof schema.$ref === 'string' ? /^#\/components\/schemas\/(\w+)$/.exec(schema.$ref)?.[1] : undefined
  if (target !== undefined) {
    const resolved = openApiDocument.components.schemas[target]
    if (resolved === undefined) {
      throw new Error(`OpenAPI document refers to a missing schema ${target}`)
    }
    return inlineRefs(resolved)
  }
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(schema)) {
    out[key] = value !== null && typeof value === 'object' && !Array.isArray(value) ? inlineRefs(value as JsonSchema) : value
  }
  return out
}

/** Builds the Fastify params or querystring schema from the operation's parameters in one location. */
function parameterSchema (parameters: ParameterObject[], location: 'path' | 'query'): JsonSchema | undefined {
  const selected = parameters.filter(p => p.in === location)
  if (selected.length === 0) {
    return undefined
  }
  return {
    type: 'object',
    additionalProperties: true,
    required: selected.filter(p => p.required).map(p => p.name),
    properties: Object.fromEntries(selected.map(p => [p.name, p.schema]))
  }
}

/**
 * Turns decimal strings of integer parameters into numbers before validation.
 * Ajv's own coercion is off, because it also accepts " " as 0 and "0x10" as 16.
 */
function decimalsToNumbers (values: unknown, names: string[]): void {
  if (values === null || typeof values !== 'object') {
    return
  }
  const record = values as Record<string, unknown>
  for (const name of names) {
    const value = record[name]
    if (typeof value === 'string' && DECIMAL_PATTERN.test(value)) {
      record[name] = Number(value)
    }
  }
}

/** The message of a server-side failure, which names no internal detail. */
const INTERNAL_ERROR_MESSAGE = 'the node failed to process the request; the node log has the cause'

/** Counts API responses by route template and status code, both from small fixed sets. */
function apiRequestCounter (registry: Registry): Counter<'route' | 'status'> {
  const name = 'poh_api_requests_total'
  const existing = registry.getSingleMetric(name)
  if (existing !== undefined) {
    return existing as Counter<'route' | 'status'>
  }
  return new Counter({ name, help: 'REST API responses by route and HTTP status code', labelNames: ['route', 'status'] as const, registers: [registry] })
}

function registerRoute (app: FastifyInstance, path: string, method: HttpMethod, operation: OperationObject, handler: RouteHandler, contexts: RouteContexts): void {
  const url = path.replace(/\{(\w+)\}/g, ':$1')
  const parameters = operation.parameters ?? []
  const jsonBody = operation.requestBody?.content['application/json']?.schema
  const bodySchema = jsonBody === undefined ? undefined : inlineRefs(jsonBody)
  const integerNames = (location: 'path' | 'query'): string[] => parameters.filter(p => p.in === location && p.schema.type === 'integer').map(p => p.name)
  const pathIntegers = integerNames('path')
  const queryIntegers = integerNames('query')

  const bodyProperties = (bodySchema?.properties ?? {}) as Record<string, { description?: string }>
  contexts.set(url, {
    parameters: new Map(parameters.map(p => [`${p.in}:${p.name}`, p])),
    bodyFields: new Map(Object.entries(bodyProperties).map(([name, schema]) => [name, schema.description ?? name]))
  })

  // Fastify warns about schema keys whose value is undefined, so only set keys are listed.
  const schema: Record<string, JsonSchema> = {}
  const params = parameterSchema(parameters, 'path')
  const querystring = parameterSchema(parameters, 'query')
  if (params !== undefined) {
    schema.params = params
  }
  if (querystring !== undefined) {
    schema.querystring = querystring
  }
  if (bodySchema !== undefined) {
    // Only the JSON body has a schema; the handler checks a raw body.
    schema.body = { content: { 'application/json': { schema: bodySchema } } }
  }

  app.route({
    method: method.toUpperCase() as Uppercase<HttpMethod>,
    url,
    schema,
    preValidation: async (request) => {
      decimalsToNumbers(request.params, pathIntegers)
      decimalsToNumbers(request.query, queryIntegers)
    },
    handler: async (request, reply) => await handler(request, reply)
  })
}

/** Sends every error as `{ "error": { "code", "message" } }` and logs it. */
function setErrorHandlers (app: FastifyInstance, log: Logger, contexts: RouteContexts, maxPayloadBytes: number): void {
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const truncated = path.length > 120 ? `${path.slice(0, 120)}…` : path
    log.info({ method: request.method, status: 404 }, 'API request for an unknown route')
    return await reply.code(404).send(errorBody('route_not_found', `no route ${request.method} ${truncated}; GET /v1/openapi.json lists the routes`))
  })

  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const route = request.routeOptions.url
    let apiError: ApiError | undefined
    if (err instanceof ApiError) {
      apiError = err
    } else if (err.validation !== undefined) {
      const context = route === undefined ? undefined : contexts.get(route)
      apiError = validationError(err, {
        parameters: context?.parameters ?? new Map(),
        bodyFields: context?.bodyFields ?? new Map(),
        params: request.params,
        query: request.query
      })
    } else {
      apiError = fastifyRequestError(err, { maxPayloadBytes, contentType: request.headers['content-type'] })
    }

    if (apiError === undefined) {
      log.error({ err, method: request.method, route, params: request.params }, 'API request failed')
      return await reply.code(500).send(errorBody('internal_error', INTERNAL_ERROR_MESSAGE))
    }

    // The message may quote path and query values (ids, times, cursors) and
    // ttl_seconds, but never the payload or the token, so it is safe to log.
    const level = apiError.statusCode === 401 ? 'warn' : 'info'
    log[level]({ method: request.method, route, status: apiError.statusCode, code: apiError.code, reason: apiError.message }, 'API request rejected')
    if (apiError.statusCode === 401) {
      reply.header('WWW-Authenticate', 'Bearer realm="poh-node"')
    }
    return await reply.code(apiError.statusCode).send(errorBody(apiError.code, apiError.message))
  })
}

/** Registers a route for each operation of the OpenAPI document. Throws when an operation and the handlers do not match. */
function registerOperations (app: FastifyInstance, handlers: Record<string, RouteHandler>, contexts: RouteContexts): RouteInfo[] {
  const routes: RouteInfo[] = []
  const unused = new Set(Object.keys(handlers))
  for (const [path, operations] of Object.entries(openApiDocument.paths)) {
    for (const [method, operation] of Object.entries(operations) as Array<[HttpMethod, OperationObject]>) {
      const handler = handlers[operation.operationId]
      if (handler === undefined) {
        throw new Error(`OpenAPI operation ${operation.operationId} (${method.toUpperCase()} ${path}) has no handler in routes.ts`)
      }
      unused.delete(operation.operationId)
      registerRoute(app, path, method, operation, handler, contexts)
      routes.push({ method: method.toUpperCase() as Uppercase<HttpMethod>, path })
    }
  }
  if (unused.size > 0) {
    throw new Error(`handlers ${[...unused].join(', ')} have no operation in the OpenAPI document`)
  }
  return routes
}

/**
 * Builds the API server without binding it. Throws ConfigError when api.listen
 * is not loopback and api.token is unset, and Error when the OpenAPI document
 * and the handlers do not match.
 */
export function buildApiServer ({ node, config, logger }: ApiServerInit): { app: FastifyInstance, routes: RouteInfo[] } {
  checkApiConfig(config.api)
  const log = childLogger(logger, 'api')
  const maxPayloadBytes = config.max_payload_bytes
  const requests = apiRequestCounter(node.registry)

  const app = fastify({
    logger: false,
    // The JSON parser's limit. A raw body gets max_payload_bytes below.
    bodyLimit: maxPayloadBytes * 2 + JSON_BODY_OVERHEAD_BYTES,
    exposeHeadRoutes: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } }
  })
  const contexts: RouteContexts = new Map()

  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: maxPayloadBytes }, (_request, body, done) => {
    done(null, body)
  })

  if (config.api.token !== undefined) {
    const check = bearerAuth(config.api.token)
    app.addHook('onRequest', async (request) => { check(request) })
  }

  app.addHook('onResponse', async (request, reply) => {
    requests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) })
  })

  setErrorHandlers(app, log, contexts, maxPayloadBytes)

  const handlers = createHandlers({ node, config })
  const routes = registerOperations(app, handlers, contexts)
  return { app, routes }
}

function formatUrl (host: string, port: number): string {
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`
}

/**
 * Starts the REST API on api.listen. Port 0 binds a free port; `url` then
 * names the bound one. Throws ConfigError when api.listen is not loopback and
 * api.token is unset.
 */
export async function startApiServer (init: ApiServerInit): Promise<ApiServer> {
  const listen = checkApiConfig(init.config.api)
  const { app, routes } = buildApiServer(init)
  await app.listen({ host: listen.host, port: listen.port })
  const address = app.server.address()
  const port = address !== null && typeof address === 'object' ? address.port : listen.port
  const url = formatUrl(listen.host, port)
  const log = childLogger(init.logger, 'api')
  log.info({ url, authentication: init.config.api.token === undefined ? 'none' : 'bearer' }, 'REST API listening')
  return {
    url,
    routes,
    close: async () => {
      await app.close()
      log.info({ url }, 'REST API stopped')
    }
  }
}
