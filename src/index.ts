/**
 * poh-node as a library.
 *
 * - `PohNode` runs a full node: storage, gossip, quorum counting and repair,
 *   with typed `request`, `ack` and `held` events.
 * - `LightClient` joins the PoH topics to submit transactions and count their
 *   ACKs without storing anything.
 * - The core functions build and verify the wire messages, for applications
 *   that speak the protocol themselves.
 *
 * @example
 * ```ts
 * import { PohNode, loadConfig, createLogger } from 'poh-node'
 *
 * const { config } = loadConfig({ file: 'poh.toml' })
 * const node = new PohNode({ config, logger: createLogger({ level: 'info', format: 'json' }) })
 * node.addEventListener('held', (evt) => { console.log('held', evt.detail.txId) })
 * await node.start()
 * const txId = await node.submit(new TextEncoder().encode('hello'))
 * ```
 */

export { PohNode } from './node/poh-node.js'
export type { PohNodeInit, PohNodeEvents, RequestEvent, AckEvent, HeldEvent, ExpiredEvent, TxStatus } from './node/poh-node.js'
export { NodeView } from './node/node-view.js'
export type { NodeStatus, PeerInfo, Certificate, HistoryItem, AckJson } from './node/queries.js'
export { LightClient } from './client/light-client.js'
export type { LightClientInit, LightClientEvents, ClientAckEvent, ClientHeldEvent } from './client/light-client.js'
export { loadConfig, defaultConfig, renderConfigToml } from './config/index.js'
export type { PohConfig } from './config/index.js'
export { createLogger, childLogger } from './log/logger.js'
export type { Logger } from './log/logger.js'
export { buildPohRequest, buildPohAck, holderSignerFromKeyPair } from './core/builders.js'
export { AckVerifier, validateRequest, checkAckShape } from './core/validate.js'
export { HolderSet } from './core/holder-set.js'
export { ACK_POLICIES, policyCounts } from './core/ack-policy.js'
export type { AckPolicy } from './core/ack-policy.js'
export { QuorumTracker } from './core/quorum.js'
export { computeTxId, computeHolderId, computeStorageHash, ackSignedBytes, toHex, fromHex } from './core/hash.js'
export { encodeRequest, decodeRequest, encodeAckBatch, decodeAckBatch, encodeAck, decodeAck } from './core/codec.js'
export { getScheme, nodeSupports } from './core/crypto/index.js'
export { PohError, ConfigError, DecodeError, StorageError, KeyError, GossipValidationError, GossipAction, GossipErrorCode } from './core/errors.js'
export { SigAlg, TxState, PROTOCOL_VERSION } from './core/types.js'
export type { Clock, KeyPair, HolderKey } from './core/types.js'
export { requestTopic, ackTopic, repairProtocol } from './network/topics.js'
export { PohRequest, PohAck, PohAckBatch, RepairRequest, RepairResponse, RepairItem } from './core/proto/poh.js'
export { createGrpcClient, PohGrpcClient, GrpcCallError, TransactionWatch, GrpcJsonClient, startGrpcServer, checkGrpcConfig } from './grpc/index.js'
export type { GrpcClientInit, GrpcServer, GrpcServerInit, NodeQueryClient, PohNodeClient, RangeInput, PageInput, WatchOptions } from './grpc/index.js'
