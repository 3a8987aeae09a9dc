/**
 * The gRPC API server, on @grpc/grpc-js. It serves the PohNode service of
 * src/core/proto/poh_service.proto with the handlers in handlers.ts and the
 * watch streams in watch.ts, behind the same bearer-token rule as the REST
 * API.
 */

import { Server, ServerCredentials, status } from '@grpc/grpc-js'
import { Counter } from 'prom-client'
import { systemClock } from '../core/types.js'
import { childLogger } from '../log/logger.js'
import { bearerCheck, checkGrpcConfig } from './auth.js'
import { GrpcStatusError, INTERNAL_ERROR_MESSAGE } from './errors.js'
import { getCertificate, getStatus, getTransaction, listPeers, pageMessages, queryPage, submitTransaction } from './handlers.js'
import { loadPohService } from './proto.js'
import { WatchHub, parseWatchRequest } from './watch.js'
import type { Metadata, ServerUnaryCall, ServerWritableStream, handleServerStreamingCall, handleUnaryCall, sendUnaryData } from '@grpc/grpc-js'
import type { Registry } from 'prom-client'
import type { PohConfig } from '../config/index.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohNode } from '../node/poh-node.js'
import type { PohNodeHandlers } from './generated/poh/v1/PohNode.js'
import type { HandlerDeps } from './handlers.js'

export interface GrpcServerInit {
  node: PohNode
  config: PohConfig
  logger: Logger
  /** Time source of the expiry checks; the system clock by default. Pass the node's clock when it has its own. */
  clock?: Clock
  /** Interval between checks for expired transactions of watch streams, in milliseconds; 1000 by default. */
  expiryCheckIntervalMs?: number
}

export interface GrpcServer {
  /** host:port with the port actually bound, such as 127.0.0.1:50051 or [::1]:50051. */
  address: string
  port: number
  /** Ends open watch streams with UNAVAILABLE, then stops the server. */
  close: () => Promise<void>
}

/**
 * Room for the fields around the payload in a SubmitTransactionRequest, and
 * the size of the largest other request: a WatchTransactionsRequest with 1024
 * tx ids takes about 35 KB. A submission up to this much over
 * max_payload_bytes reaches the handler, which names both sizes; a larger one
 * is rejected by grpc-js before decoding. Both return RESOURCE_EXHAUSTED.
 */
export const REQUEST_OVERHEAD_BYTES = 64 * 1024

/** Time that close() waits for calls in flight before it cancels them. */
const SHUTDOWN_GRACE_MS = 5_000

const DEFAULT_EXPIRY_CHECK_INTERVAL_MS = 1_000

/** Name of each gRPC status code, such as NOT_FOUND, for logs and metric labels. */
const STATUS_NAMES = new Map<number, string>(Object.entries(status).filter(([, code]) => typeof code === 'number').map(([name, code]) => [code as number, name]))

function statusName (code: number): string {
  return STATUS_NAMES.get(code) ?? String(code)
}

/** Counts finished gRPC calls by method and status name, both from small fixed sets. */
function grpcCallCounter (registry: Registry): Counter<'method' | 'code'> {
  const name = 'poh_grpc_requests_total'
  const existing = registry.getSingleMetric(name)
  if (existing !== undefined) {
    return existing as Counter<'method' | 'code'>
  }
  return new Counter({ name, help: 'gRPC API calls by method and gRPC status code', labelNames: ['method', 'code'] as const, registers: [registry] })
}

function formatAddress (host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** Authentication, status mapping, logging and counting shared by every method. */
class CallContext {
  private readonly log: Logger
  private readonly calls: Counter<'method' | 'code'>
  private readonly authorize: (metadata: Metadata) => void

  constructor (log: Logger, calls: Counter<'method' | 'code'>, token: string | undefined) {
    this.log = log
    this.calls = calls
    this.authorize = token === undefined ? () => {} : bearerCheck(token)
  }

  check (metadata: Metadata): void {
    this.authorize(metadata)
  }

  succeeded (method: string): void {
    this.calls.inc({ method, code: 'OK' })
  }

  /**
   * Turns a thrown error into the status sent to the client and logs it.
   * Messages of GrpcStatusError quote ids, times and cursors but never the
   * payload or the token, so they are safe to log.
   */
  failed (method: string, err: unknown): { code: status, details: string } {
    let code: status
    let details: string
    if (err instanceof GrpcStatusError) {
      code = err.code
      details = err.message
      const level = code === status.UNAUTHENTICATED ? 'warn' : 'info'
      this.log[level]({ method, code: statusName(code), reason: details }, 'gRPC call rejected')
    } else {
      code = status.INTERNAL
      details = INTERNAL_ERROR_MESSAGE
      this.log.error({ err, method }, 'gRPC call failed')
    }
    this.calls.inc({ method, code: statusName(code) })
    return { code, details }
  }
}

function unary<Request, Response> (context: CallContext, method: string, handler: (request: Request) => Promise<Response> | Response): handleUnaryCall<Request, Response> {
  return (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => {
    const run = async (): Promise<void> => {
      try {
        context.check(call.metadata)
        const response = await handler(call.request)
        context.succeeded(method)
        callback(null, response)
      } catch (err) {
        callback(context.failed(method, err))
      }
    }
    void run()
  }
}

function serverStream<Request, Response> (context: CallContext, method: string, handler: (call: ServerWritableStream<Request, Response>) => Promise<void>): handleServerStreamingCall<Request, Response> {
  return (call: ServerWritableStream<Request, Response>) => {
    const run = async (): Promise<void> => {
      try {
        context.check(call.metadata)
        await handler(call)
        context.succeeded(method)
      } catch (err) {
        const error = context.failed(method, err)
        if (!call.cancelled && !call.writableEnded) {
          call.emit('error', error)
        }
      }
    }
    void run()
  }
}

function createHandlers (deps: HandlerDeps, context: CallContext, hub: WatchHub): PohNodeHandlers {
  return {
    GetStatus: unary(context, 'GetStatus', async () => await getStatus(deps)),
    ListPeers: unary(context, 'ListPeers', () => listPeers(deps)),
    SubmitTransaction: unary(context, 'SubmitTransaction', async (request) => await submitTransaction(deps, request)),
    GetTransaction: unary(context, 'GetTransaction', async (request) => await getTransaction(deps, request.txId)),
    GetCertificate: unary(context, 'GetCertificate', async (request) => await getCertificate(deps, request.txId)),
    QueryRange: serverStream(context, 'QueryRange', async (call) => {
      const page = await queryPage(deps, call.request)
      for (const message of pageMessages(page)) {
        if (call.cancelled) {
          return
        }
        call.write(message)
      }
      call.end()
    }),
    WatchTransactions: serverStream(context, 'WatchTransactions', async (call) => {
      await hub.open(call, parseWatchRequest(call.request))
    })
  }
}

/**
 * Starts the gRPC API on grpc.listen, whether or not grpc.enabled is set:
 * the caller decides. Port 0 binds a free port; `address` then names the
 * bound one. Throws ConfigError when grpc.listen is not loopback and
 * grpc.token is unset.
 */
export async function startGrpcServer (init: GrpcServerInit): Promise<GrpcServer> {
  const { node, config } = init
  const listen = checkGrpcConfig(config.grpc)
  const log = childLogger(init.logger, 'grpc')
  const context = new CallContext(log, grpcCallCounter(node.registry), config.grpc.token)
  const hub = new WatchHub({
    node,
    clock: init.clock ?? systemClock,
    logger: log,
    expiryCheckIntervalMs: init.expiryCheckIntervalMs ?? DEFAULT_EXPIRY_CHECK_INTERVAL_MS
  })

  const server = new Server({ 'grpc.max_receive_message_length': config.max_payload_bytes + REQUEST_OVERHEAD_BYTES })
  server.addService(loadPohService().poh.v1.PohNode.service, createHandlers({ node, config }, context, hub))
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(formatAddress(listen.host, listen.port), ServerCredentials.createInsecure(), (err, bound) => {
      if (err !== null) {
        server.forceShutdown()
        reject(new Error(`cannot listen on grpc.listen ${config.grpc.listen}: ${err.message}`, { cause: err }))
      } else {
        resolve(bound)
      }
    })
  })
  hub.start()
  const address = formatAddress(listen.host, port)
  log.info({ address, authentication: config.grpc.token === undefined ? 'none' : 'bearer' }, 'gRPC API listening')

  return {
    address,
    port,
    close: async () => {
      hub.stop()
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          log.warn({ address, graceMs: SHUTDOWN_GRACE_MS }, 'gRPC calls still open after the grace time; cancelling them')
          server.forceShutdown()
          resolve()
        }, SHUTDOWN_GRACE_MS)
        server.tryShutdown(() => {
          clearTimeout(timer)
          resolve()
        })
      })
      log.info({ address }, 'gRPC API stopped')
    }
  }
}
