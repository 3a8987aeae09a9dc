/**
 * API errors and their JSON form `{ "error": { "code", "message" } }`, and the
 * translation of Fastify's own errors (validation, body limit, media type)
 * into that form.
 */

import { GossipErrorCode, GossipValidationError } from '../core/errors.js'
import type { FastifyError } from 'fastify'
import type { ErrorCode, ParameterObject } from './openapi.js'

/** Maximum length of a request value quoted in an error message. */
const MAX_QUOTED_LENGTH = 80

/** An error the API returns to the client as is: status, code and message. */
export class ApiError extends Error {
  readonly statusCode: number
  readonly code: ErrorCode

  constructor (statusCode: number, code: ErrorCode, message: string) {
    super(message)
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.code = code
  }
}

export interface ErrorBody {
  error: { code: ErrorCode, message: string }
}

export function errorBody (code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } }
}

/** Quotes a request value for an error message, cut to MAX_QUOTED_LENGTH characters. */
export function quote (value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  const truncated = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}… (${text.length} characters)` : text
  return `"${truncated}"`
}

/** Route data and request values that a validation error message quotes. */
export interface ValidationContext {
  /** Path and query parameters of the route, by `${in}:${name}`. */
  parameters: Map<string, ParameterObject>
  /** Descriptions of the JSON body fields, by field name. */
  bodyFields: Map<string, string>
  params: unknown
  query: unknown
}

type AjvError = NonNullable<FastifyError['validation']>[number]

/** Builds the message of a failed path or query parameter check: name, value, problem, expected form. */
function parameterMessage (where: 'path' | 'query', error: AjvError, context: ValidationContext): string {
  const missing = error.keyword === 'required' ? String(error.params.missingProperty) : undefined
  const name = missing ?? error.instancePath.replace(/^\//, '')
  const parameter = context.parameters.get(`${where}:${name}`)
  const expected = parameter === undefined ? '' : ` Expected: ${parameter.description}`
  if (missing !== undefined) {
    return `missing ${where} parameter ${name}.${expected}`
  }
  const values = (where === 'path' ? context.params : context.query) as Record<string, unknown> | undefined
  return `invalid ${where} parameter ${name} ${quote(values?.[name])}: ${error.message ?? 'invalid value'}.${expected}`
}

/**
 * Builds the message of a failed JSON body check. Body values are not quoted,
 * because payload_hex carries the payload.
 */
function bodyMessage (error: AjvError, context: ValidationContext): string {
  if (error.keyword === 'required') {
    const name = String(error.params.missingProperty)
    return `missing body field ${name}. Expected: ${context.bodyFields.get(name) ?? 'see GET /v1/openapi.json'}`
  }
  if (error.keyword === 'additionalProperties') {
    const name = String(error.params.additionalProperty)
    return `unknown body field ${quote(name)}. The body accepts only ${[...context.bodyFields.keys()].join(' and ')}.`
  }
  const name = error.instancePath.replace(/^\//, '')
  if (name === '') {
    return `invalid JSON body: ${error.message ?? 'invalid value'}. Send an object such as {"payload_hex": "68656c6c6f"}.`
  }
  return `invalid body field ${name}: ${error.message ?? 'invalid value'}. Expected: ${context.bodyFields.get(name) ?? 'see GET /v1/openapi.json'}`
}

/** Turns a Fastify schema validation error into a 400 ApiError that names the value and the fix. */
export function validationError (err: FastifyError, context: ValidationContext): ApiError {
  const first = err.validation?.[0]
  if (first === undefined) {
    return new ApiError(400, 'invalid_parameter', err.message)
  }
  switch (err.validationContext) {
    case 'params':
      return new ApiError(400, 'invalid_parameter', parameterMessage('path', first, context))
    case 'querystring':
      return new ApiError(400, 'invalid_parameter', parameterMessage('query', first, context))
    default:
      return new ApiError(400, 'invalid_body', bodyMessage(first, context))
  }
}

/**
 * Translates the errors Fastify raises before a handler runs (body parsing,
 * body limit, media type) into ApiErrors. Returns undefined for other errors.
 */
export function fastifyRequestError (err: FastifyError, request: { maxPayloadBytes: number, contentType?: string }): ApiError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(request.maxPayloadBytes)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'unsupported_media_type', `unsupported Content-Type ${quote(request.contentType ?? '')}; send the payload as application/octet-stream, or as {"payload_hex": "..."} with application/json`)
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return emptyBody()
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'invalid_body', 'request body is not valid JSON; send an object such as {"payload_hex": "68656c6c6f"}')
  }
  // Fastify 5 gives other client errors (a Content-Length that does not match
  // the body, an aborted upload) a 4xx status. Their messages quote no body data.
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError(400, 'invalid_body', `invalid request: ${err.message}`)
  }
  return undefined
}

export function payloadTooLarge (maxPayloadBytes: number, actualBytes?: number): ApiError {
  const size = actualBytes === undefined ? 'is' : `of ${actualBytes} bytes is`
  return new ApiError(413, 'payload_too_large', `payload ${size} larger than max_payload_bytes (${maxPayloadBytes} bytes); send at most ${maxPayloadBytes} bytes`)
}

export function emptyBody (): ApiError {
  return new ApiError(400, 'invalid_body', 'request body is empty; send the payload as application/octet-stream, or as {"payload_hex": "..."} with application/json')
}

/** Maps the node's rejection of a submitted request to the matching API error. */
export function submitError (err: unknown, txIdHex: string, maxPayloadBytes: number): ApiError | undefined {
  if (err instanceof GossipValidationError) {
    switch (err.reason) {
      case GossipErrorCode.DUPLICATE_REQUEST:
        return new ApiError(409, 'already_stored', `transaction ${txIdHex} is already stored on this node; GET /v1/tx/${txIdHex} returns its state`)
      case GossipErrorCode.TX_EXPIRED:
        return new ApiError(409, 'already_expired', `transaction ${txIdHex} was stored earlier and has expired; GET /v1/tx/${txIdHex} returns its history`)
      case GossipErrorCode.PAYLOAD_TOO_LARGE:
        return payloadTooLarge(maxPayloadBytes)
      default:
        return new ApiError(400, 'invalid_body', `the node rejected the request: ${err.message}`)
    }
  }
  if (err instanceof RangeError) {
    return new ApiError(400, 'invalid_body', err.message)
  }
  return undefined
}
