import { Command } from 'commander'
import { status as grpcStatus } from '@grpc/grpc-js'
import { parseListenAddress } from '../../config/index.js'
import { RestApiError, RestClient, apiBaseUrl } from '../../client/rest-client.js'
import { GrpcCallError, GrpcJsonClient, createGrpcClient } from '../../grpc/index.js'
import { CliError, printJson, printLine } from '../output.js'
import { loadCliConfig } from '../load.js'
import type { NodeQueryClient } from '../../grpc/index.js'
import type { NodeStatus, PeerInfo } from '../../node/queries.js'

/** Options of every command that reads from a running node's REST API, or with --grpc its gRPC API. */
export interface ApiCommandOptions {
  config?: string
  api?: string
  grpc?: string
  timeout: number
  json?: boolean
}

/** Default time limit of one REST API request, in seconds. */
const DEFAULT_API_TIMEOUT_SECONDS = 10

/** Parses a whole-number option. A bad value is a usage error (exit code 2) that names the flag. */
export function parseCount (flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`
      throw new CliError(`${flag} must be a whole number ${range}, got "${value}"`, 2)
    }
    return Number(value)
  }
}

/** Adds --config, --api, --grpc, --timeout and --json, which every API command takes. */
export function addApiOptions (command: Command): Command {
  return command
    .option('--config <file>', 'config file of the node; its api.listen and api.token locate the API (default: $POH_CONFIG, then ./poh.toml, then built-in defaults)')
    .option('--api <url>', 'base URL of the node\'s REST API, such as http://127.0.0.1:8080; overrides api.listen (default: http://<api.listen>, which defaults to 127.0.0.1:8080)')
    .option('--grpc <address>', 'read the node\'s gRPC API at host:port, such as 127.0.0.1:50051, instead of the REST API; the token comes from grpc.token (or POH_GRPC_TOKEN)')
    .option('--timeout <seconds>', 'time limit of each API request, in seconds', parseCount('--timeout', 1), DEFAULT_API_TIMEOUT_SECONDS)
    .option('--json', 'print the result as one JSON document on stdout')
}

/**
 * Creates a REST client for the node of the config: the URL from --api or
 * api.listen and the bearer token from api.token.
 */
export function openRestClient (options: ApiCommandOptions): RestClient {
  const { config } = loadCliConfig(options, {}, { warnings: false })
  let baseUrl: string
  if (options.api !== undefined) {
    let url: URL
    try {
      url = new URL(options.api)
    } catch {
      throw new CliError(`--api "${options.api}" is not a URL; expected one such as http://127.0.0.1:8080`, 2)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CliError(`--api "${options.api}" must start with http:// or https://`, 2)
    }
    baseUrl = url.toString()
  } else {
    // The config schema has already checked that api.listen parses.
    const listen = parseListenAddress(config.api.listen)
    if (listen === undefined) {
      throw new CliError(`api.listen "${config.api.listen}" is not host:port`, 2)
    }
    baseUrl = apiBaseUrl(listen)
  }
  return new RestClient({ baseUrl, token: config.api.token, timeoutMs: options.timeout * 1000 })
}

/** Turns a failed API request into a one-line CLI error with a hint at the fix. */
export function apiCliError (err: unknown): unknown {
  if (!(err instanceof RestApiError)) {
    return err
  }
  switch (err.kind) {
    case 'unreachable':
      return new CliError(`${err.message}; is \`poh-node start\` running with this config?`)
    case 'timeout':
      return new CliError(`${err.message}; raise --timeout or check the node`)
    case 'http':
      if (err.status === 401 || err.status === 403) {
        return new CliError(`${err.message}; set api.token (or POH_API_TOKEN) to the node's token`, 2)
      }
      // 400 means the node rejected an argument, such as a cursor it did not issue.
      return new CliError(err.message, err.status === 400 ? 2 : 1)
    default:
      return new CliError(err.message)
  }
}

/** Runs the API requests of one command, turning their failures into CLI errors. */
export async function withApi<T> (options: ApiCommandOptions, run: (client: NodeQueryClient) => Promise<T>): Promise<T> {
  if (options.grpc !== undefined) {
    if (options.api !== undefined) {
      throw new CliError('give either --api or --grpc, not both', 2)
    }
    const { config } = loadCliConfig(options, {}, { warnings: false })
    const grpcClient = openGrpcClient(options.grpc, config.grpc.token, options.timeout)
    try {
      return await run(new GrpcJsonClient(grpcClient))
    } catch (err) {
      throw grpcCliError(err)
    } finally {
      grpcClient.close()
    }
  }
  const client = openRestClient(options)
  try {
    return await run(client)
  } catch (err) {
    throw apiCliError(err)
  }
}

/** Checks a --grpc address (host:port) and creates a gRPC client for it; a bad address is a usage error. */
export function openGrpcClient (address: string, token: string | undefined, timeoutSeconds: number): ReturnType<typeof createGrpcClient> {
  const listen = parseListenAddress(address)
  if (listen === undefined || listen.port === 0) {
    throw new CliError(`--grpc "${address}" is not host:port; expected an address such as 127.0.0.1:50051 or [::1]:50051`, 2)
  }
  return createGrpcClient({ address, token, timeoutMs: timeoutSeconds * 1000 })
}

/** Turns a failed gRPC call into a one-line CLI error with a hint at the fix. */
export function grpcCliError (err: unknown): unknown {
  if (err instanceof RangeError) {
    return new CliError(err.message, 2)
  }
  if (!(err instanceof GrpcCallError)) {
    return err
  }
  switch (err.code) {
    case grpcStatus.UNAVAILABLE:
      return new CliError(`${err.message}; is \`poh-node start\` running with grpc.enabled = true?`)
    case grpcStatus.DEADLINE_EXCEEDED:
      return new CliError(`${err.message}; raise --timeout or check the node`)
    case grpcStatus.UNAUTHENTICATED:
      return new CliError(`${err.message}; set grpc.token (or POH_GRPC_TOKEN) to the node's token`, 2)
    case grpcStatus.INVALID_ARGUMENT:
    case grpcStatus.RESOURCE_EXHAUSTED:
      return new CliError(err.message, 2)
    default:
      return new CliError(err.message)
  }
}

/** Formats a count with its noun, such as "1 holder" or "3 holders". */
export function countOf (count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** Formats Unix ms as ISO 8601 UTC, or "-" when absent. */
export function formatTime (ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : new Date(ms).toISOString()
}

/** Formats a duration in seconds as "3d 4h 5m 6s", leaving out leading zero units. */
function formatDuration (totalSeconds: number): string {
  const units: Array<[string, number]> = [['d', 86_400], ['h', 3_600], ['m', 60]]
  const parts: string[] = []
  let rest = totalSeconds
  for (const [name, size] of units) {
    if (rest >= size || parts.length > 0) {
      parts.push(`${Math.floor(rest / size)}${name}`)
      rest %= size
    }
  }
  parts.push(`${rest}s`)
  return parts.join(' ')
}

/** The `status --json` document: NodeStatus plus the connected peers. */
export interface StatusJson extends NodeStatus {
  connected_peers: PeerInfo[]
}

function printRow (label: string, value: string): void {
  printLine(`${(label + ':').padEnd(13)}${value}`)
}

function printStatus (status: NodeStatus, peers: PeerInfo[]): void {
  const holderSet = status.holder_set.open
    ? `open (any key counts), hash ${status.holder_set.hash}`
    : `${countOf(status.holder_set.size, 'holder')}, hash ${status.holder_set.hash}`
  const rows: Array<[string, string]> = [
    ['network', status.network_id],
    ['peer id', status.peer_id],
    ['holder id', status.holder_id ?? 'none (this node does not hold transactions)'],
    ['holder set', holderSet],
    ['quorum', `${countOf(status.min_poh_required, 'ACK')} (min_poh_required)`],
    ['stored', `${countOf(status.transactions_stored, 'transaction')}, ${countOf(status.stored_bytes, 'byte')}`],
    ['pending', `${countOf(status.pending_transactions, 'transaction')} waiting for a quorum`],
    ['uptime', formatDuration(status.uptime_seconds)],
    ['peers', String(peers.length)]
  ]
  for (const [label, value] of rows) {
    printRow(label, value)
  }
  for (const peer of peers) {
    printLine(`  ${peer.peer_id}  score ${peer.score.toFixed(1)}  ${peer.addresses.join(' ')}`)
  }
  const spotChecks = status.spot_checks
  printRow('spot checks', `${spotChecks.enabled ? 'on' : 'off'}, ${countOf(spotChecks.holders.length, 'holder')} checked`)
  for (const holder of spotChecks.holders) {
    printLine(`  ${holder.holder_id}  pass ${holder.pass}  fail ${holder.fail}  unreachable ${holder.unreachable}  last ${holder.last_result} at ${formatTime(holder.last_checked_ms)}`)
  }
  printLine('addresses:')
  for (const address of status.addresses) {
    printLine(`  ${address}`)
  }
}

async function showStatus (options: ApiCommandOptions): Promise<void> {
  const [status, peers] = await withApi(options, async (client) => await Promise.all([client.status(), client.peers()]))
  if (options.json === true) {
    const json: StatusJson = { ...status, connected_peers: peers }
    printJson(json)
    return
  }
  printStatus(status, peers)
}

export function statusCommand (): Command {
  return addApiOptions(new Command('status'))
    .description('show a running node\'s identity, holder set, storage and connected peers, read from its REST API (or with --grpc its gRPC API)')
    .action(showStatus)
}
