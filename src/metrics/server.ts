/**
 * The Prometheus scrape endpoint: `GET /metrics` in the text exposition
 * format, on node:http because it serves one route.
 */

import { createServer } from 'node:http'
import { ConfigError } from '../core/errors.js'
import { parseListenAddress } from '../config/schema.js'
import { childLogger } from '../log/logger.js'
import type { Logger } from '../log/logger.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Registry } from 'prom-client'

export interface MetricsServerInit {
  registry: Registry
  /** host:port, as metrics.listen in the config. Port 0 binds a free port. */
  listen: string
  logger: Logger
}

export interface MetricsServer {
  /** Base URL with the port actually bound; the endpoint is `${url}/metrics`. */
  url: string
  close: () => Promise<void>
}

function sendText (response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers })
  response.end(text)
}

/** Starts the metrics endpoint. Throws ConfigError when `listen` is not host:port. */
export async function startMetricsServer ({ registry, listen, logger }: MetricsServerInit): Promise<MetricsServer> {
  const address = parseListenAddress(listen)
  if (address === undefined) {
    throw new ConfigError(`metrics.listen "${listen}" is not a host:port address; set it to an address such as 127.0.0.1:9090`)
  }
  const log = childLogger(logger, 'metrics')

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0]
    if (path !== '/metrics') {
      sendText(response, 404, 'not found; the metrics are at /metrics\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'method not allowed; use GET /metrics\n', { Allow: 'GET, HEAD' })
      return
    }
    try {
      const body = await registry.metrics()
      response.writeHead(200, { 'Content-Type': registry.contentType })
      response.end(request.method === 'HEAD' ? undefined : body)
    } catch (err) {
      log.error({ err }, 'collecting metrics failed')
      sendText(response, 500, 'collecting metrics failed; the node log has the cause\n')
    }
  }

  const server = createServer((request, response) => { void handle(request, response) })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(address.port, address.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = server.address()
  const port = bound !== null && typeof bound === 'object' ? bound.port : address.port
  const url = address.host.includes(':') ? `http://[${address.host}]:${port}` : `http://${address.host}:${port}`
  log.info({ url: `${url}/metrics` }, 'metrics endpoint listening')

  return {
    url,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => {
        server.close((err) => { err === undefined ? resolve() : reject(err) })
      })
      // A scraper's keep-alive connection would hold close() open until it times out.
      server.closeAllConnections()
      await closed
      log.info({ url: `${url}/metrics` }, 'metrics endpoint stopped')
    }
  }
}
