/**
 * The node's configuration schema. Keys are snake_case, the same in config
 * files, in `POH_<KEY>` environment variables and in the docs. Every key has a
 * default, so an empty file is a valid config.
 *
 * Each key's description (its `.describe()` text) states its meaning and unit.
 * `renderConfigToml` writes that text and the default into the commented
 * config file that `poh-node init` creates.
 */

import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { z } from 'zod'
import { ACK_POLICIES } from '../core/ack-policy.js'
import { NETWORK_ID_PATTERN, SIG_ALG_LENGTHS, SigAlg } from '../core/types.js'
import { LOG_FORMATS, LOG_LEVELS } from '../log/logger.js'

/**
 * Default maximum length of one gossipsub RPC frame, in bytes. @libp2p/gossipsub
 * 17.1 decodes inbound RPC frames with it-length-prefixed, whose default limit
 * is 4 MiB.
 */
export const GOSSIP_FRAME_MAX_BYTES = 4 * 1024 * 1024

/**
 * Bytes of each frame kept free for everything around the payload: the other
 * PohRequest fields, the gossipsub RPC envelope and topic name, and in repair
 * responses the holder's ACK. This is an estimate from the field sizes, and a
 * hybrid ACK with its public key takes about 5.5 KB of it.
 */
export const FRAMING_RESERVE_BYTES = 16 * 1024

/** Largest value `max_payload_bytes` may take: 4177920 bytes. */
export const MAX_PAYLOAD_BYTES_LIMIT = GOSSIP_FRAME_MAX_BYTES - FRAMING_RESERVE_BYTES

/**
 * Largest value `ack_batch_max_size` may take. 512 ACKs of about 5.5 KB each
 * (an estimate for the largest, hybrid Ed25519 + ML-DSA-65 ACK) still fit in
 * one 4 MiB gossipsub frame.
 */
export const ACK_BATCH_MAX_SIZE_LIMIT = 512

/** Largest value `verify_pool.workers` may take. */
export const MAX_VERIFY_WORKERS = 64

/**
 * Default of `verify_pool.min_batch`. On a 2-core EPYC VM a hand-off to a
 * worker and back took at least 42 µs, and one Ed25519 verification 116 µs.
 * So with 2 workers a batch of 2 finished sooner pooled (178 against 214 µs)
 * and a single ACK did not, and ML-DSA-65 crossed at 2 as well.
 * `npm run bench -- --section verify-pool` prints the crossover of the
 * machine at hand.
 */
export const DEFAULT_VERIFY_POOL_MIN_BATCH = 2

/** Maximum number of transaction ids one RepairRequest may carry on the wire. */
export const REPAIR_MAX_IDS_LIMIT = 64

/** Largest TTL the wire format can carry: PohRequest.ttl_seconds is a uint32. */
export const TTL_SECONDS_LIMIT = 0xffff_ffff

/** Signature algorithms a holder key may use, by their SigAlg enum names. */
export const HOLDER_ALGORITHMS = ['ED25519', 'ML_DSA_65', 'HYBRID_ED25519_ML_DSA_65'] as const
export type HolderAlgorithm = typeof HOLDER_ALGORITHMS[number]

/** Value of `holders` that counts the ACK of any key. */
export const OPEN_HOLDER_SET = 'open'

const HEX_PATTERN = /^[0-9a-fA-F]*$/

/** Host and port parsed from a `host:port` listen address. */
export interface ListenAddress {
  /** Host name, IPv4 address, or IPv6 address without its brackets. */
  host: string
  port: number
}

const LISTEN_ADDRESS_PATTERN = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/]+)):(\d{1,5})$/

/**
 * Parses a `host:port` listen address such as `127.0.0.1:8080` or `[::1]:8080`.
 * Returns undefined when the string is not of that form or the port is above
 * 65535. Port 0 is accepted and means any free port.
 */
export function parseListenAddress (value: string): ListenAddress | undefined {
  const match = LISTEN_ADDRESS_PATTERN.exec(value)
  if (match == null) {
    return undefined
  }

  const host = match[1] ?? match[2]
  const port = Number(match[3])
  if (host == null || port > 65535) {
    return undefined
  }

  return { host, port }
}

/**
 * Returns true when `host` is a loopback name or address: localhost, an IPv4
 * address in 127.0.0.0/8, ::1, or an IPv4-mapped IPv6 address in 127.0.0.0/8.
 */
export function isLoopbackHost (host: string): boolean {
  const lower = host.toLowerCase()
  const ipv4 = lower.startsWith('::ffff:') ? lower.slice('::ffff:'.length) : lower
  return lower === 'localhost' || lower === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4)
}

/** Returns the error message of `multiaddr(value)`, or undefined if it parses. */
function multiaddrError (value: string): string | undefined {
  try {
    multiaddr(value)
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

const multiaddrSchema = z.string().superRefine((value, ctx) => {
  const error = multiaddrError(value)
  if (error != null) {
    ctx.addIssue({ code: 'custom', input: value, message: `expected a multiaddr such as /ip4/0.0.0.0/tcp/4001 (${error})` })
  }
})

const peerMultiaddrSchema = z.string().superRefine((value, ctx) => {
  const expected = 'expected a multiaddr ending in /p2p/<peer id>, such as /ip4/192.0.2.1/tcp/4001/p2p/12D3KooW...'
  const error = multiaddrError(value)
  if (error != null) {
    ctx.addIssue({ code: 'custom', input: value, message: `${expected} (${error})` })
    return
  }

  const last = multiaddr(value).getComponents().at(-1)
  if (last?.name !== 'p2p' || last.value == null) {
    ctx.addIssue({ code: 'custom', input: value, message: expected })
    return
  }

  try {
    peerIdFromString(last.value)
  } catch {
    // The peer-id parser's own messages talk about multibase decoders, which does not help here.
    ctx.addIssue({ code: 'custom', input: value, message: `${expected} (invalid peer id "${last.value}")` })
  }
})

const listenAddressSchema = z.string().refine((value) => parseListenAddress(value) != null, {
  error: 'expected host:port, such as 127.0.0.1:8080 or [::1]:8080, with a port from 0 to 65535'
})

/** Integer from min to max inclusive. The unit is part of each key's name. */
function count (min: number, max: number = Number.MAX_SAFE_INTEGER): z.ZodNumber {
  return z.number().int().min(min).max(max)
}

const holderEntrySchema = z.strictObject({
  algorithm: z.enum(HOLDER_ALGORITHMS),
  public_key: z.string()
    .regex(HEX_PATTERN, { error: 'expected a public key in hex (characters 0-9, a-f, A-F)' })
    .transform((hex) => hex.toLowerCase())
}).superRefine((entry, ctx) => {
  const bytes = SIG_ALG_LENGTHS[SigAlg[entry.algorithm]].publicKey
  if (entry.public_key.length !== bytes * 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['public_key'],
      input: entry.public_key,
      message: `expected ${bytes * 2} hex characters (${bytes} bytes) for an ${entry.algorithm} public key, got ${entry.public_key.length}`
    })
  }
})

const holdersSchema = z.union([
  z.literal(OPEN_HOLDER_SET),
  z.array(holderEntrySchema)
], { error: 'expected "open" or an array of { algorithm, public_key } entries' })

export const configSchema = z.strictObject({
  network_id: z.string()
    .regex(NETWORK_ID_PATTERN, { error: 'expected 1 to 32 characters of a-z, 0-9 and "-", starting with a letter or digit' })
    .default('poh-local')
    .describe('Network this node joins. Topic names, protocol ids and signed ACK bytes contain it, so nodes with different network ids never exchange messages.'),

  data_dir: z.string().min(1)
    .default('./data')
    .describe('Directory of the LevelDB database and the key files. A relative path set in a config file is resolved against the directory of that file, otherwise against the working directory.'),

  listen: z.array(multiaddrSchema)
    .default(['/ip4/0.0.0.0/tcp/4001', '/ip4/0.0.0.0/udp/4001/quic-v1'])
    .describe('Multiaddrs the libp2p node listens on.'),

  broadcast_peers: z.array(peerMultiaddrSchema)
    .default([])
    .describe('Bootstrap peers dialled at start-up, as multiaddrs ending in /p2p/<peer id>.'),

  min_poh_required: count(1)
    .default(3)
    .describe('Number of distinct holders whose valid ACKs make a transaction held.'),

  ttl_seconds: count(1, TTL_SECONDS_LIMIT)
    .default(86_400)
    .describe('TTL, in seconds, of a transaction submitted through this node when the caller sets none.'),

  max_ttl_seconds: count(1, TTL_SECONDS_LIMIT)
    .default(604_800)
    .describe('Maximum TTL, in seconds, that this node accepts in a request. Requests with a longer TTL are rejected. Must be at least ttl_seconds.'),

  history_retention_seconds: count(0)
    .default(2_592_000)
    .describe('Time, in seconds, that a history record (quorum time, holders, certificate) is kept after its transaction expires.'),

  // Node.js timers overflow above 2^31 − 1 ms and then fire every millisecond.
  gc_interval_seconds: count(1, 2_147_483)
    .default(60)
    .describe('Interval, in seconds, between garbage-collection runs that delete expired payloads.'),

  max_stored_bytes: count(0)
    .default(0)
    .describe('Payload bytes this node stores at most. Requests that would pass it are ignored until garbage collection frees room, so a flood of requests cannot fill the disk. 0 means no limit.'),

  max_payload_bytes: count(1, MAX_PAYLOAD_BYTES_LIMIT)
    .default(262_144)
    .describe(`Maximum payload size, in bytes, of a request. At most ${MAX_PAYLOAD_BYTES_LIMIT}, which keeps ${FRAMING_RESERVE_BYTES} bytes of each 4 MiB gossipsub frame for the other fields and framing.`),

  max_clock_skew_ms: count(0, 3_600_000)
    .default(30_000)
    .describe('Maximum time, in milliseconds, that a request or ACK timestamp may be ahead of the local clock. Messages further ahead are ignored.'),

  slot_duration_ms: count(1)
    .default(1_000)
    .describe('Slot length, in milliseconds, for slot-range queries. A message with timestamp t is in slot floor(t / slot_duration_ms).'),

  holder: z.strictObject({
    enabled: z.boolean()
      .default(true)
      .describe('Whether this node stores transactions and signs ACKs. If false, the node only observes and counts ACKs.'),
    key_file: z.string().min(1)
      .default('holder.key')
      .describe('Holder signing key file. A relative path is resolved against data_dir.'),
    algorithm: z.enum(HOLDER_ALGORITHMS)
      .default('ED25519')
      .describe('Signature algorithm of the holder key: ED25519, ML_DSA_65, or HYBRID_ED25519_ML_DSA_65 (an Ed25519 and an ML-DSA-65 signature on every ACK, both required).')
  }).prefault({})
    .describe('Holder role of this node.'),

  holders: holdersSchema
    .default([])
    .describe('Holder set whose ACKs count toward min_poh_required: an array of { algorithm, public_key } entries with the public key in hex (32 bytes for ED25519, 1952 bytes for ML_DSA_65, 1984 bytes for HYBRID_ED25519_ML_DSA_65: the Ed25519 key followed by the ML-DSA-65 key). "open" counts the ACK of any key and is meant only for development.'),

  ack_policy: z.enum(ACK_POLICIES)
    .default('classical')
    .describe('Which ACK signature algorithms count toward min_poh_required. classical: all of them. pq: only ACKs with a post-quantum signature (ML_DSA_65, HYBRID_ED25519_ML_DSA_65). hybrid: only HYBRID_ED25519_ML_DSA_65. Other ACKs are ignored without penalty.'),

  replication_factor: count(1)
    .optional()
    .meta({
      description: 'Number of holders that store and ACK each transaction: the ones ranked highest by SHA-256(tx_id ‖ holder_id). Needs a closed holder set, and must be at least min_poh_required and at most the number of holders. If unset, every holder stores every transaction.',
      examples: [3]
    }),

  failover_after_ms: count(1)
    .default(5_000)
    .describe('Time, in milliseconds, that the assigned holders have to ACK before the next-ranked holder stores the transaction in place of a missing one. The holder ranked k places below the assigned ones steps in after k times this. Used only with replication_factor.'),

  ack_batch_max_size: count(1, ACK_BATCH_MAX_SIZE_LIMIT)
    .default(64)
    .describe(`Maximum number of ACKs in one published batch, at most ${ACK_BATCH_MAX_SIZE_LIMIT}.`),

  // 5 ms rather than 20: in the macro-load benchmark the held ceiling did not
  // change, and held p99 at half that load fell from 47 ms to 19 ms.
  ack_batch_max_delay_ms: count(0, 60_000)
    .default(5)
    .describe('Maximum time, in milliseconds, that an ACK waits for its batch to be published while the node is not busy. 0 publishes every ACK at once.'),

  // On the 5-process macro-load testnet at 130 tx/s, past its ceiling, the
  // nodes used 14 to 23% less CPU per held transaction with 50 ms than with 5 ms.
  ack_batch_busy_delay_ms: count(0, 60_000)
    .default(50)
    .describe('Time, in milliseconds, that an ACK waits for its batch while the event loop is busy 90% of the time or more. From 50% busy the wait rises linearly from ack_batch_max_delay_ms to this value, so a loaded node sends fewer, fuller ACK messages. A value not above ack_batch_max_delay_ms turns this off.'),

  verify_pool: z.strictObject({
    workers: count(0, MAX_VERIFY_WORKERS)
      .optional()
      .meta({
        description: `Worker threads that verify the ACK signatures of large batches, at most ${MAX_VERIFY_WORKERS}. 0 verifies every signature on the main thread. If unset, one per CPU core, at most 8, and none on a single-core machine.`,
        examples: [2]
      }),
    min_batch: count(1, ACK_BATCH_MAX_SIZE_LIMIT)
      .default(DEFAULT_VERIFY_POOL_MIN_BATCH)
      .describe('Fewest signature checks an ACK batch must have left after the cheap checks (shape, clock skew, holder set, duplicates) to go to the workers. Smaller batches verify inline, where handing them to a thread would cost more than it saves.')
  }).prefault({})
    .describe('Verification of ACK signatures on worker threads.'),

  repair: z.strictObject({
    max_ids_per_request: count(1, REPAIR_MAX_IDS_LIMIT)
      .default(64)
      .describe(`Maximum number of transaction ids in one repair request, sent or served. At most ${REPAIR_MAX_IDS_LIMIT}, the wire format limit.`),
    request_timeout_ms: count(1)
      .default(10_000)
      .describe('Time, in milliseconds, allowed for a whole repair response to arrive.'),
    rate_limit_per_second: count(1)
      .default(4096)
      .describe('Per-peer token-bucket rate for served repair requests, in requested transaction ids per second.'),
    max_concurrent_streams: count(1)
      .default(8)
      .describe('Maximum number of inbound repair streams open at once.'),
    max_response_bytes: count(1)
      .default(8_388_608)
      .describe(`Maximum size, in bytes, of one repair response. Must be at least max_payload_bytes + ${FRAMING_RESERVE_BYTES} so that one item fits.`)
  }).prefault({})
    .describe('Limits of the repair protocol, which fetches missing payloads from peers.'),

  spot_check: z.strictObject({
    enabled: z.boolean()
      .default(true)
      .describe('Whether this node challenges other holders to prove that they still store the payloads they ACKed. Holders answer challenges whatever this key says.'),
    // Node.js timers overflow above 2^31 − 1 ms and then fire every millisecond.
    interval_ms: count(100, 2_147_483_647)
      .default(60_000)
      .describe('Time, in milliseconds, between two spot checks. Each check challenges one holder about one stored transaction.'),
    timeout_ms: count(1, 600_000)
      .default(5_000)
      .describe('Time, in milliseconds, that one peer has to answer a spot-check challenge, including the dial. A peer that does not answer in time counts as unreachable, not as failed.'),
    rate_limit_per_second: count(1, 10_000)
      .default(10)
      .describe('Per-peer token-bucket rate, in challenges per second, at which a holder answers spot checks. Each answer costs one holder-key signature.')
  }).prefault({})
    .describe('Spot checks: challenges with a random nonce that a holder answers with a hash of nonce and payload, signed with its holder key.'),

  api: z.strictObject({
    listen: listenAddressSchema
      .default('127.0.0.1:8080')
      .describe('host:port the REST API listens on. On an address other than loopback the node does not start unless api.token is set.'),
    token: z.string().min(1)
      .optional()
      .meta({
        description: 'Bearer token that every REST API request must send as "Authorization: Bearer <token>". If unset, the API accepts requests without authentication, which the node allows only on a loopback api.listen address.',
        examples: ['change-me']
      })
  }).prefault({})
    .describe('REST API server (JSON over HTTP). GET /v1/openapi.json returns its OpenAPI document.'),

  grpc: z.strictObject({
    enabled: z.boolean()
      .default(false)
      .describe('Whether the node serves the gRPC API that src/core/proto/poh_service.proto defines.'),
    listen: listenAddressSchema
      .default('127.0.0.1:50051')
      .describe('host:port the gRPC API listens on. On an address other than loopback the node does not start unless grpc.token is set.'),
    token: z.string().min(1)
      .optional()
      .meta({
        description: 'Bearer token that every gRPC call must send in the metadata entry "authorization: Bearer <token>". If unset, the gRPC API accepts calls without authentication, which the node allows only on a loopback grpc.listen address.',
        examples: ['change-me']
      })
  }).prefault({})
    .describe('gRPC API server (HTTP/2 without TLS), off by default. It takes submissions up to max_payload_bytes.'),

  metrics: z.strictObject({
    listen: listenAddressSchema
      .default('127.0.0.1:9090')
      .describe('host:port of the Prometheus metrics endpoint, which serves GET /metrics without authentication.')
  }).prefault({})
    .describe('Prometheus metrics endpoint.'),

  log: z.strictObject({
    level: z.enum(LOG_LEVELS)
      .default('info')
      .describe('Minimum level of log records written: trace, debug, info, warn, error or fatal.'),
    format: z.enum(LOG_FORMATS)
      .default('json')
      .describe('Format of the log on stderr: json (one object per line) or pretty (human-readable).')
  }).prefault({})
    .describe('Logging.'),

  holders_file: z.string().min(1)
    .optional()
    .meta({
      description: 'File (TOML, JSON or YAML) whose `holders` array is the holder set, in place of holders in this file, so every node can share one list. If it also has holder_set_hash, the node checks that the list matches it. A relative path is resolved against the directory of this config file.',
      examples: ['holders.toml']
    }),

  peer_key_file: z.string().min(1)
    .default('peer.key')
    .describe("libp2p identity key file, which fixes this node's peer id. A relative path is resolved against data_dir.")
}).superRefine((config, ctx) => {
  if (config.max_ttl_seconds < config.ttl_seconds) {
    ctx.addIssue({
      code: 'custom',
      path: ['max_ttl_seconds'],
      input: config.max_ttl_seconds,
      message: `expected max_ttl_seconds to be at least ttl_seconds (${config.ttl_seconds})`
    })
  }

  const minResponseBytes = config.max_payload_bytes + FRAMING_RESERVE_BYTES
  if (config.repair.max_response_bytes < minResponseBytes) {
    ctx.addIssue({
      code: 'custom',
      path: ['repair', 'max_response_bytes'],
      input: config.repair.max_response_bytes,
      message: `expected at least max_payload_bytes (${config.max_payload_bytes}) + ${FRAMING_RESERVE_BYTES} = ${minResponseBytes}, so that one repair item fits`
    })
  }

  if (config.repair.rate_limit_per_second < config.repair.max_ids_per_request) {
    // The bucket contains one second of tokens, and a request costs one per id.
    ctx.addIssue({
      code: 'custom',
      path: ['repair', 'rate_limit_per_second'],
      input: config.repair.rate_limit_per_second,
      message: `expected at least repair.max_ids_per_request (${config.repair.max_ids_per_request}), or a full-size repair request could never be served`
    })
  }

  checkReplicationFactor(config, ctx)
  checkServerPorts(config, ctx)

  if (Array.isArray(config.holders)) {
    const seen = new Map<string, number>()
    config.holders.forEach((entry, index) => {
      const key = `${entry.algorithm}:${entry.public_key}`
      const first = seen.get(key)
      if (first != null) {
        ctx.addIssue({
          code: 'custom',
          path: ['holders', index, 'public_key'],
          input: entry.public_key,
          message: `expected each holder once, but this ${entry.algorithm} key is also holders[${first}]`
        })
      } else {
        seen.set(key, index)
      }
    })
  }
})

/** Hosts that accept connections on every address, so they overlap any other host. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::'])

/**
 * Rejects a REST API, metrics endpoint or enabled gRPC API that shares a
 * port with another of them, which would fail at start with "address in
 * use" and name no key.
 */
function checkServerPorts (config: { api: { listen: string }, metrics: { listen: string }, grpc: { enabled: boolean, listen: string } }, ctx: z.RefinementCtx): void {
  const servers: Array<[string, string]> = [['api', config.api.listen], ['metrics', config.metrics.listen]]
  if (config.grpc.enabled) {
    servers.push(['grpc', config.grpc.listen])
  }
  servers.forEach(([name, listen], index) => {
    const address = parseListenAddress(listen)
    for (const [otherName, otherListen] of servers.slice(0, index)) {
      const other = parseListenAddress(otherListen)
      if (address === undefined || other === undefined || address.port === 0 || address.port !== other.port) {
        continue
      }
      if (address.host === other.host || WILDCARD_HOSTS.has(address.host) || WILDCARD_HOSTS.has(other.host)) {
        ctx.addIssue({
          code: 'custom',
          path: [name, 'listen'],
          input: listen,
          message: `expected a port other than that of ${otherName}.listen (${otherListen}), since each server needs its own port`
        })
      }
    }
  })
}

/**
 * replication_factor R picks R holders per transaction from the holder list,
 * so it needs a closed set, and R holders must be able to reach the quorum.
 */
function checkReplicationFactor (config: { replication_factor?: number | undefined, min_poh_required: number, holders: unknown }, ctx: z.RefinementCtx): void {
  const factor = config.replication_factor
  if (factor == null) {
    return
  }
  const issue = (message: string): void => {
    ctx.addIssue({ code: 'custom', path: ['replication_factor'], input: factor, message })
  }
  if (!Array.isArray(config.holders)) {
    issue(`expected a closed holder set: replication_factor ranks the listed holders, and holders is "${OPEN_HOLDER_SET}". List the holders' public keys in holders, or remove replication_factor`)
  } else if (factor > config.holders.length) {
    issue(`expected at most the number of holders (${config.holders.length}). Lower replication_factor, list more holders, or remove replication_factor so every holder stores every transaction`)
  }
  if (factor < config.min_poh_required) {
    issue(`expected at least min_poh_required (${config.min_poh_required}), or fewer holders store a transaction than its quorum needs and none is ever held. Raise replication_factor or lower min_poh_required`)
  }
}

/** Validated configuration, with the same snake_case keys as config files. */
export type PohConfig = z.output<typeof configSchema>

/** Configuration as written in a file or passed as overrides: every key optional. */
export type PohConfigInput = z.input<typeof configSchema>

/** One entry of a closed holder set. */
export type HolderEntry = z.output<typeof holderEntrySchema>

/** Conversion rule for a key's environment variable, chosen by the key's type. */
export type ConfigValueKind = 'integer' | 'boolean' | 'string' | 'list' | 'json'

/** One settable key of the schema: a value that is not itself a table. */
export interface ConfigKey {
  /** Key path, such as ['holder', 'key_file']. */
  path: string[]
  /** Dotted key path, such as 'holder.key_file'. */
  name: string
  /** Environment variable that sets the key, such as POH_HOLDER_KEY_FILE. */
  envVar: string
  kind: ConfigValueKind
  description: string
  /** The schema of the key, including its default and optional wrappers. */
  schema: z.ZodType
}

/** One table of the schema, such as `repair`. */
export interface ConfigSection {
  name: string
  description: string
  keys: ConfigKey[]
}

/** Removes default, prefault, optional and transform wrappers from a schema. */
export function unwrapSchema (schema: z.ZodType): z.ZodType {
  let inner: z.ZodType = schema
  for (;;) {
    if (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) {
      inner = inner.unwrap() as z.ZodType
    } else if (inner instanceof z.ZodPipe) {
      inner = inner.in as z.ZodType
    } else {
      return inner
    }
  }
}

function valueKind (schema: z.ZodType): ConfigValueKind {
  const inner = unwrapSchema(schema)
  if (inner instanceof z.ZodNumber) {
    return 'integer'
  }
  if (inner instanceof z.ZodBoolean) {
    return 'boolean'
  }
  if (inner instanceof z.ZodString || inner instanceof z.ZodEnum || inner instanceof z.ZodLiteral) {
    return 'string'
  }
  if (inner instanceof z.ZodArray && unwrapSchema(inner.element as z.ZodType) instanceof z.ZodString) {
    return 'list'
  }
  return 'json'
}

function describeKey (path: string[], schema: z.ZodType): ConfigKey {
  return {
    path,
    name: path.join('.'),
    envVar: `POH_${path.join('_').toUpperCase()}`,
    kind: valueKind(schema),
    description: schema.description ?? '',
    schema
  }
}

function listKeys (): { topLevel: ConfigKey[], sections: ConfigSection[] } {
  const topLevel: ConfigKey[] = []
  const sections: ConfigSection[] = []
  for (const [name, schema] of Object.entries(configSchema.shape) as Array<[string, z.ZodType]>) {
    const inner = unwrapSchema(schema)
    if (inner instanceof z.ZodObject) {
      const keys = Object.entries(inner.shape as Record<string, z.ZodType>)
        .map(([child, childSchema]) => describeKey([name, child], childSchema))
      sections.push({ name, description: schema.description ?? '', keys })
    } else {
      topLevel.push(describeKey([name], schema))
    }
  }
  return { topLevel, sections }
}

const schemaKeys = listKeys()

/** Top-level keys that are not tables, in schema order. */
export const TOP_LEVEL_KEYS: readonly ConfigKey[] = schemaKeys.topLevel

/** Tables of the schema, such as `repair`, in schema order. */
export const CONFIG_SECTIONS: readonly ConfigSection[] = schemaKeys.sections

/** Every settable key: the top-level keys, then the keys of each table. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  ...TOP_LEVEL_KEYS,
  ...CONFIG_SECTIONS.flatMap((section) => section.keys)
]
