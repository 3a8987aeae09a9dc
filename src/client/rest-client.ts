import type { TxState } from '../core/types.js'
import type { Certificate, HistoryItem, NodeStatus, PeerInfo } from '../node/queries.js'

/** One transaction as `GET /v1/tx/{id}` returns it. */
export interface TxInfo {
  tx_id: string
  state: TxState
  ack_count: number
  /** Hex holder ids whose ACKs the node counted. */
  holders: string[]
  /** Unix ms at which the node counted the quorum, null or absent while the transaction is pending. */
  held_at_ms?: number | null
  expires_at_ms?: number | null
  /** Payload size in bytes, null or absent when the node has no payload stored. */
  payload_bytes?: number | null
}

/** One page of a range query, whose `next_cursor` is null on the last page. */
export interface HistoryPage {
  items: HistoryItem[]
  next_cursor: string | null
}

export interface PageOptions {
  cursor?: string
  limit?: number
}

export interface RestClientInit {
  /** Base URL such as http://127.0.0.1:8080, without the /v1 prefix. */
  baseUrl: string
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string
  /** Time limit of each request, including reading the body, in milliseconds. */
  timeoutMs: number
}

/**
 * Why a request failed: no connection, no response in time, a response that
 * is not the JSON the API sends, or an HTTP error status.
 */
export type RestApiErrorKind = 'unreachable' | 'timeout' | 'invalid_response' | 'http'

/** A failed REST API request, with the URL and, for HTTP errors, the status and error code. */
export class RestApiError extends Error {
  readonly kind: RestApiErrorKind
  readonly url: string
  readonly status?: number
  /** The `error.code` of the response body, when the API sent one. */
  readonly code?: string

  constructor (kind: RestApiErrorKind, url: string, message: string, details: { status?: number, code?: string, cause?: unknown } = {}) {
    super(message, { cause: details.cause })
    this.name = 'RestApiError'
    this.kind = kind
    this.url = url
    this.status = details.status
    this.code = details.code
  }
}

/** Plain-word reasons for the socket error codes a refused or broken connection carries. */
const NETWORK_ERROR_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server'
}

/**
 * Returns the reason a fetch failed before it got a response. Node's fetch
 * (undici) rejects with TypeError("fetch failed") and puts the socket error
 * in `cause`. When it tried several addresses, `cause` is an AggregateError.
 */
function networkErrorReason (err: unknown): string {
  const cause = (err as { cause?: unknown }).cause
  const candidates = cause instanceof AggregateError ? cause.errors : [cause]
  for (const candidate of candidates) {
    const code = (candidate as { code?: unknown } | undefined)?.code
    if (typeof code === 'string') {
      return NETWORK_ERROR_REASONS[code] ?? code
    }
  }
  if (cause instanceof Error && cause.message === 'bad port') {
    return 'the port is on the fetch standard\'s list of blocked ports'
  }
  return cause instanceof Error ? cause.message : (err as Error).message
}

function isTimeout (err: unknown): boolean {
  return err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')
}

/**
 * Builds the API base URL from an `api.listen` value such as 127.0.0.1:8080
 * or [::1]:8080. A wildcard listen host (0.0.0.0 or ::) is replaced by the
 * loopback address of the same family, because a client cannot connect to it.
 */
export function apiBaseUrl (listen: { host: string, port: number }): string {
  let host = listen.host
  if (host === '0.0.0.0') {
    host = '127.0.0.1'
  } else if (host === '::' || host === '[::]') {
    host = '::1'
  }
  return `http://${host.includes(':') ? `[${host}]` : host}:${listen.port}`
}

/** A typed client of the node's REST API (the /v1 routes). */
export class RestClient {
  readonly baseUrl: string
  private readonly token?: string
  private readonly timeoutMs: number

  constructor (init: RestClientInit) {
    this.baseUrl = init.baseUrl.replace(/\/+$/, '')
    this.token = init.token
    this.timeoutMs = init.timeoutMs
  }

  /** GET /v1/status. */
  async status (): Promise<NodeStatus> {
    return await this.getJson<NodeStatus>('/v1/status')
  }

  /** GET /v1/peers: the connected peers. */
  async peers (): Promise<PeerInfo[]> {
    const body = await this.getJson<{ peers: PeerInfo[] }>('/v1/peers')
    if (!Array.isArray(body.peers)) {
      throw this.invalidResponse('/v1/peers', 'has no "peers" array')
    }
    return body.peers
  }

  /** Fetches GET /v1/tx/{id}, or returns undefined when the node has no such transaction (404). */
  async getTx (txId: string): Promise<TxInfo | undefined> {
    return await this.getJson<TxInfo>(`/v1/tx/${encodeURIComponent(txId)}`, { notFound: true })
  }

  /** Fetches GET /v1/tx/{id}/certificate, or returns undefined when the node has no certificate for it (404). */
  async certificate (txId: string): Promise<Certificate | undefined> {
    return await this.getJson<Certificate>(`/v1/tx/${encodeURIComponent(txId)}/certificate`, { notFound: true })
  }

  /** GET /v1/tx?from=&to=: one page of transactions by request time, bounds in Unix ms. */
  async queryTime (fromMs: number, toMs: number, page: PageOptions = {}): Promise<HistoryPage> {
    const params = new URLSearchParams({ from: String(fromMs), to: String(toMs) })
    return await this.getPage('/v1/tx', params, page)
  }

  /** GET /v1/slots/{from}/{to}: one page of transactions by slot number. */
  async querySlots (fromSlot: number, toSlot: number, page: PageOptions = {}): Promise<HistoryPage> {
    return await this.getPage(`/v1/slots/${fromSlot}/${toSlot}`, new URLSearchParams(), page)
  }

  private async getPage (path: string, params: URLSearchParams, page: PageOptions): Promise<HistoryPage> {
    if (page.cursor !== undefined) {
      params.set('cursor', page.cursor)
    }
    if (page.limit !== undefined) {
      params.set('limit', String(page.limit))
    }
    const query = params.size > 0 ? `?${params.toString()}` : ''
    const body = await this.getJson<HistoryPage>(path + query)
    if (!Array.isArray(body.items) || (body.next_cursor !== null && typeof body.next_cursor !== 'string')) {
      throw this.invalidResponse(path, 'is not a page of { items, next_cursor }')
    }
    return body
  }

  private async getJson<T> (path: string, options: { notFound: true }): Promise<T | undefined>
  private async getJson<T> (path: string): Promise<T>
  private async getJson<T> (path: string, options: { notFound?: true } = {}): Promise<T | undefined> {
    const url = this.baseUrl + path
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.token !== undefined) {
      headers.authorization = `Bearer ${this.token}`
    }

    let response: Response
    let text: string
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) })
      text = await response.text()
    } catch (err) {
      if (isTimeout(err)) {
        throw new RestApiError('timeout', url, `the node API at ${this.baseUrl} did not respond within ${this.timeoutMs / 1000} s`, { cause: err })
      }
      throw new RestApiError('unreachable', url, `cannot reach the node API at ${this.baseUrl}: ${networkErrorReason(err)}`, { cause: err })
    }

    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw this.invalidResponse(path, `is not JSON (HTTP ${response.status})`)
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: unknown, message?: unknown } } | null)?.error
      const code = typeof error?.code === 'string' ? error.code : undefined
      // A 404 of a missing route (code route_not_found) is an error even where a missing resource is not.
      if (response.status === 404 && options.notFound === true && (code === undefined || code === 'not_found')) {
        return undefined
      }
      const message = typeof error?.message === 'string' ? error.message : response.statusText
      throw new RestApiError('http', url, `the node API returned HTTP ${response.status}${code !== undefined ? ` ${code}` : ''}: ${message}`, { status: response.status, code })
    }
    if (typeof body !== 'object' || body === null) {
      throw this.invalidResponse(path, 'is not a JSON object')
    }
    return body as T
  }

  private invalidResponse (path: string, problem: string): RestApiError {
    return new RestApiError('invalid_response', this.baseUrl + path, `the response of the node API at ${this.baseUrl}${path.split('?')[0] ?? ''} ${problem}; is that address a poh-node API?`)
  }
}
