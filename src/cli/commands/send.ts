import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { Command } from 'commander'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { LightClient } from '../../client/light-client.js'
import { computeTxId, fromHex, toHex } from '../../core/hash.js'
import { HolderSet } from '../../core/holder-set.js'
import { fromCertificateMessage } from '../../grpc/index.js'
import { ackToJson } from '../../node/queries.js'
import { childLogger } from '../../log/logger.js'
import { CliError, printJson, printLine } from '../output.js'
import { loadCliConfig, parseWholeNumber } from '../load.js'
import { grpcCliError, openGrpcClient, openRestClient } from './status.js'
import type { ClientHeldEvent } from '../../client/light-client.js'
import type { PohConfig } from '../../config/index.js'
import type { Certificate } from '../../node/queries.js'

interface SendOptions {
  config?: string
  hex?: string
  peer: string[]
  grpc?: string
  ttl?: number
  wait?: boolean
  timeout: number
  json?: boolean
}

async function readPayload (file: string | undefined, hex: string | undefined): Promise<Uint8Array> {
  if (hex !== undefined) {
    if (file !== undefined) {
      throw new CliError('give either a FILE or --hex, not both', 2)
    }
    const text = hex.trim()
    const bad = text.search(/[^0-9a-fA-F]/)
    if (bad >= 0) {
      throw new CliError(`--hex value has the non-hex character "${text[bad]}" at position ${bad + 1}`, 2)
    }
    const bytes = fromHex(text)
    if (bytes === undefined || bytes.length === 0) {
      throw new CliError(`--hex value must be an even, non-zero number of hex digits, got ${text.length}`, 2)
    }
    return bytes
  }
  if (file === undefined) {
    throw new CliError('missing payload: give a FILE, - for standard input, or --hex HEX', 2)
  }
  if (file === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer)
    }
    return new Uint8Array(Buffer.concat(chunks))
  }
  try {
    return new Uint8Array(await readFile(file))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message
    throw new CliError(`cannot read payload file ${file}: ${reason}`, 2)
  }
}

/**
 * Returns the addresses to dial. These are the --peer flags when given.
 * Otherwise they are the config's own node (its listen ports on loopback,
 * with the peer id from its peer key) and its broadcast_peers.
 */
async function peersFor (config: PohConfig, flags: string[]): Promise<string[]> {
  if (flags.length > 0) {
    return flags
  }
  const peers = [...config.broadcast_peers]
  const keyFile = isAbsolute(config.peer_key_file) ? config.peer_key_file : join(config.data_dir, config.peer_key_file)
  if (existsSync(keyFile)) {
    const peerId = peerIdFromPrivateKey(privateKeyFromProtobuf(await readFile(keyFile))).toString()
    for (const addr of config.listen) {
      peers.unshift(`${addr.replace('/ip4/0.0.0.0/', '/ip4/127.0.0.1/').replace('/ip6/::/', '/ip6/::1/')}/p2p/${peerId}`)
    }
  }
  if (peers.length === 0) {
    throw new CliError('no node to send to: pass --peer MULTIADDR/p2p/PEER_ID or --config of a node', 2)
  }
  return peers
}

async function send (file: string | undefined, options: SendOptions): Promise<void> {
  const payload = await readPayload(file, options.hex)
  if (payload.length === 0) {
    throw new CliError('payload is empty; a transaction needs at least one byte', 2)
  }
  const { config, logger } = loadCliConfig(options, {}, { warnings: false })
  if (payload.length > config.max_payload_bytes) {
    throw new CliError(`payload is ${payload.length} bytes, over max_payload_bytes ${config.max_payload_bytes}`, 2)
  }
  const ttlSeconds = options.ttl ?? config.ttl_seconds
  if (ttlSeconds < 1 || ttlSeconds > config.max_ttl_seconds) {
    throw new CliError(`--ttl ${ttlSeconds} is outside 1..${config.max_ttl_seconds} seconds (max_ttl_seconds); nodes would reject the transaction`, 2)
  }
  if (options.timeout < 1) {
    throw new CliError(`--timeout must be at least 1 second, got ${options.timeout}`, 2)
  }
  if (options.grpc !== undefined) {
    if (options.peer.length > 0) {
      throw new CliError('give either --peer or --grpc, not both', 2)
    }
    await sendOverGrpc(options.grpc, payload, ttlSeconds, config, options)
    return
  }
  if (options.wait === true && config.holders !== 'open' && config.holders.length === 0) {
    throw new CliError('--wait needs the holder set to count ACKs: pass --config of a node whose holders lists the holder keys', 2)
  }
  if (options.wait === true) {
    // Nodes ignore a request for a transaction they already store, so no ACK
    // would come. The config's node returns its certificate when its API is up.
    const known = await heldCertificate(options, payload)
    if (known !== undefined) {
      process.stderr.write(`${known.tx_id} is already held; it was not sent again\n`)
      options.json === true ? printHeldJson(known) : printHeld(known, config.min_poh_required)
      return
    }
  }
  const client = new LightClient({
    networkId: config.network_id,
    peers: await peersFor(config, options.peer),
    holders: config.holders,
    minPohRequired: config.min_poh_required,
    maxClockSkewMs: config.max_clock_skew_ms,
    maxPayloadBytes: config.max_payload_bytes,
    ackPolicy: config.ack_policy,
    logger: childLogger(logger, 'client')
  })

  const signal = AbortSignal.timeout(options.timeout * 1000)
  let txId: string | undefined
  try {
    await client.start({ signal })
    await client.waitForSubscribers(1, { signal })
    const held = options.wait === true ? waitHeld(client, signal, config.min_poh_required) : undefined
    // A timeout during submit rejects `held` before it is awaited, which would otherwise be an unhandled rejection.
    held?.catch(() => {})
    txId = await client.submit(payload, { ttlSeconds, signal })
    if (held === undefined) {
      options.json === true ? printJson({ tx_id: txId, bytes: payload.length }) : printLine(txId)
      return
    }

    const required = config.min_poh_required
    process.stderr.write(`sent ${txId}; waiting for ${required} ${required === 1 ? 'ACK' : 'ACKs'} (timeout ${options.timeout} s)\n`)
    const certificate = certificateOf(config, txId, await held)
    options.json === true ? printHeldJson(certificate) : printHeld(certificate, required)
  } catch (err) {
    if (signal.aborted) {
      const progress = txId === undefined ? 'before the transaction was sent' : `with ${client.count(txId)}/${config.min_poh_required} ACKs`
      throw new CliError(`timed out after ${options.timeout} s ${progress}; raise --timeout or check that ${config.min_poh_required} holders run`)
    }
    throw err
  } finally {
    await client.stop()
  }
}

/**
 * Submits through a node's gRPC API. With --wait the watch on the tx_id (the
 * SHA-256 of the payload) opens before the submission, so no ACK is missed,
 * and the certificate comes from the node once it counts the quorum.
 */
async function sendOverGrpc (address: string, payload: Uint8Array, ttlSeconds: number, config: PohConfig, options: SendOptions): Promise<void> {
  const client = openGrpcClient(address, config.grpc.token, options.timeout)
  const deadline = AbortSignal.timeout(options.timeout * 1000)
  const watch = options.wait === true ? client.watch({ txIds: [computeTxId(payload)], kinds: ['TX_EVENT_KIND_ACK', 'TX_EVENT_KIND_HELD'] }) : undefined
  let txId: string | undefined
  let acks = 0
  try {
    if (watch === undefined) {
      txId = await client.submit(payload, { ttlSeconds })
      options.json === true ? printJson({ tx_id: txId, bytes: payload.length }) : printLine(txId)
      return
    }

    const { minPohRequired: required } = await client.status()
    await abortable(watch.ready, deadline)
    const held = watch.next((event) => {
      if (event.ack != null) {
        acks = event.ack.count
        process.stderr.write(`ACK ${acks}/${required} from holder ${toHex(event.ack.holderId).slice(0, 16)}…\n`)
      }
      return event.held != null
    })
    // A timeout during submit rejects `held` before it is awaited, which would otherwise be an unhandled rejection.
    held.catch(() => {})
    txId = await client.submit(payload, { ttlSeconds })
    process.stderr.write(`sent ${txId}; waiting for ${required} ${required === 1 ? 'ACK' : 'ACKs'} (timeout ${options.timeout} s)\n`)
    await abortable(held, deadline)
    const certificate = await client.getCertificate(txId)
    if (certificate === undefined) {
      throw new CliError(`transaction ${txId} is held, but the node at ${address} returned no certificate for it; \`poh-node get ${txId} --grpc ${address}\` shows its state`)
    }
    const json = fromCertificateMessage(certificate)
    options.json === true ? printHeldJson(json) : printHeld(json, required)
  } catch (err) {
    if (deadline.aborted) {
      const progress = txId === undefined ? 'before the transaction was sent' : `with ${acks} ACKs counted`
      throw new CliError(`timed out after ${options.timeout} s ${progress}; raise --timeout or check the node at ${address}`)
    }
    throw grpcCliError(err)
  } finally {
    watch?.cancel()
    client.close()
  }
}

/** Resolves or rejects with `promise`, or rejects once `signal` aborts. */
async function abortable<T> (promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted()
  return await new Promise<T>((resolve, reject) => {
    const onAbort = (): void => { reject(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => { signal.removeEventListener('abort', onAbort) })
  })
}

/** Resolves with the held event once the quorum is reached, writing one progress line per counted ACK to stderr. */
function waitHeld (client: LightClient, signal: AbortSignal, required: number): Promise<ClientHeldEvent> {
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true })
    client.addEventListener('ack', (evt) => {
      process.stderr.write(`ACK ${evt.detail.count}/${required} from holder ${evt.detail.holderId.slice(0, 16)}…\n`)
    })
    client.addEventListener('held', (evt) => { resolve(evt.detail) })
  })
}

/** Builds the quorum certificate from the ACKs the light client counted, in the shape GET /v1/tx/{id}/certificate returns. */
function certificateOf (config: PohConfig, txId: string, held: ClientHeldEvent): Certificate {
  return {
    network_id: config.network_id,
    tx_id: txId,
    holder_set_hash: toHex(HolderSet.fromConfig(config.holders).hash),
    acks: held.acks.map(ackToJson)
  }
}

/**
 * Returns the certificate of the payload's transaction from the REST API of
 * the config's node when it is held there, or undefined when it is not held
 * or the API cannot be reached within two seconds.
 */
async function heldCertificate (options: SendOptions, payload: Uint8Array): Promise<Certificate | undefined> {
  if (options.config === undefined && process.env.POH_CONFIG === undefined) {
    return undefined
  }
  try {
    return await openRestClient({ config: options.config, timeout: 2 }).certificate(toHex(computeTxId(payload)))
  } catch {
    return undefined
  }
}

function printHeldJson (certificate: Certificate): void {
  // Scripts written before the certificate fields read held and count, so both stay.
  printJson({ ...certificate, held: true, count: certificate.acks.length })
}

function printHeld (certificate: Certificate, required: number): void {
  const holders = certificate.acks.length
  printLine(`${certificate.tx_id} held by ${holders} ${holders === 1 ? 'holder' : 'holders'} (min_poh_required ${required})`)
  printLine(`  network:         ${certificate.network_id}`)
  printLine(`  holder set hash: ${certificate.holder_set_hash}`)
  for (const ack of certificate.acks) {
    printLine(`  ACK from holder ${ack.holder_id.slice(0, 16)}… ${ack.sig_alg}, signed at ${new Date(ack.timestamp_ms).toISOString()}`)
  }
}

export function sendCommand (): Command {
  return new Command('send')
    .description('publish a transaction: the bytes of FILE, of standard input (-), or of --hex')
    .argument('[file]', 'payload file, or - for standard input')
    .option('--hex <hex>', 'payload as hex instead of a file (at most max_payload_bytes bytes)')
    .option('--config <file>', 'config file of a node (network id, holder set, peers)')
    .option('--peer <multiaddr>', 'node to connect to, ending in /p2p/<peer id>; give the flag once per node', (value: string, list: string[]) => [...list, value], [])
    .option('--grpc <address>', 'submit through the node\'s gRPC API at host:port, such as 127.0.0.1:50051, instead of joining the network over libp2p; the token comes from grpc.token (or POH_GRPC_TOKEN)')
    .option('--ttl <seconds>', 'time to hold the transaction, in seconds (default: ttl_seconds of the config)', parseWholeNumber('--ttl'))
    .option('--wait', 'wait until min_poh_required holders of the config\'s holder set have acknowledged it, printing each ACK on stderr, then print the quorum certificate (network_id, tx_id, holder_set_hash, acks)')
    .option('--timeout <seconds>', 'give up after this many seconds', parseWholeNumber('--timeout'), 30)
    .option('--json', 'print the result as one JSON object')
    .action(send)
}
