import { RepairClient } from '../network/repair/client.js'
import { RepairServer } from '../network/repair/server.js'
import { checkRepairItem } from './repair-items.js'
import { RepairCoordinator } from './repair-coordinator.js'
import { StoreRepairSource } from './repair-source.js'
import type { PohConfig } from '../config/index.js'
import type { AckVerifier } from '../core/validate.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohLibp2p } from '../network/libp2p.js'
import type { PohStore } from '../storage/store.js'
import type { NodeMetrics } from './metrics.js'
import type { TxProcessor } from './tx-processor.js'

export interface RepairWiringInit {
  libp2p: PohLibp2p
  config: PohConfig
  store: () => PohStore | undefined
  processor: TxProcessor
  verifier: AckVerifier
  ownHolderId?: Uint8Array
  clock: Clock
  logger: Logger
  metrics: NodeMetrics
}

export interface RepairParts {
  server: RepairServer
  client: RepairClient
  coordinator: RepairCoordinator
}

/**
 * How long a transaction named by an ACK waits for its own request before it
 * is repaired. Gossip normally delivers the request within milliseconds.
 */
const MISSING_REQUEST_GRACE_MS = 2000

/** Builds the repair server, client and coordinator over the node's store and processor. */
export function createRepair (init: RepairWiringInit): RepairParts {
  const { config, logger, metrics } = init
  const repairLogger = logger.child({ component: 'repair' })
  const repairMetrics = {
    clientResult: (result: string) => { metrics.repairRequests.inc({ side: 'client', result }) },
    serverResponse: (result: string) => { metrics.repairRequests.inc({ side: 'server', result }) }
  }
  const server = new RepairServer({
    libp2p: init.libp2p,
    networkId: config.network_id,
    source: new StoreRepairSource(init.store, init.ownHolderId, repairLogger),
    limits: {
      maxIdsPerRequest: config.repair.max_ids_per_request,
      ratePerSecond: config.repair.rate_limit_per_second,
      maxConcurrentStreams: config.repair.max_concurrent_streams,
      maxResponseBytes: config.repair.max_response_bytes,
      readTimeoutMs: config.repair.request_timeout_ms
    },
    clock: init.clock,
    logger: repairLogger,
    metrics: repairMetrics
  })
  const client = new RepairClient({
    libp2p: init.libp2p,
    networkId: config.network_id,
    timeouts: {
      dialMs: Math.min(5000, config.repair.request_timeout_ms),
      // A silent peer costs one first-byte timeout before the next peer is asked.
      firstByteMs: Math.min(3000, config.repair.request_timeout_ms),
      responseMs: config.repair.request_timeout_ms
    },
    maxResponseBytes: config.repair.max_response_bytes,
    maxIdsPerRequest: config.repair.max_ids_per_request,
    verifyItem: (item, peer) => {
      const problem = checkRepairItem(item, { verifier: init.verifier, maxTtlSeconds: config.max_ttl_seconds }, init.clock.now())
      if (problem !== undefined) {
        repairLogger.debug({ peer: peer.toString(), problem }, 'repair item rejected')
      }
      return problem === undefined
    },
    onBadPeer: (peer, reason) => { repairLogger.warn({ peer: peer.toString(), reason }, 'repair peer sent a bad response') },
    logger: repairLogger,
    metrics: repairMetrics
  })
  const coordinator = new RepairCoordinator({
    libp2p: init.libp2p,
    fetcher: client,
    store: async (item) => await init.processor.acceptRepairedItem(item),
    has: async (txId) => await init.store()?.hasTx(txId) ?? true,
    clock: init.clock,
    logger: repairLogger,
    delayMs: MISSING_REQUEST_GRACE_MS,
    catchUpFromEveryPeer: config.replication_factor != null,
    onResult: (result, count) => { metrics.repairs.inc({ result }, count) }
  })
  return { server, client, coordinator }
}
