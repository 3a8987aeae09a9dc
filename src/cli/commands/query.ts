import { Command } from 'commander'
import { MAX_HISTORY_PAGE } from '../../storage/history-query.js'
import { CliError, printJson, printLine } from '../output.js'
import { addApiOptions, countOf, formatTime, parseCount, withApi } from './status.js'
import type { ApiCommandOptions } from './status.js'
import type { HistoryPage, PageOptions } from '../../client/rest-client.js'
import type { NodeQueryClient } from '../../grpc/index.js'
import type { HistoryItem } from '../../node/queries.js'

interface QueryOptions extends ApiCommandOptions {
  from?: string
  to?: string
  slots?: string
  limit: number
  cursor?: string
  all?: boolean
}

/** The range to query: request times in Unix ms, or slot numbers, both inclusive. */
export type QueryRange =
  | { kind: 'time', fromMs: number, toMs: number }
  | { kind: 'slots', fromSlot: number, toSlot: number }

/** Default page size when --limit is not given. */
const DEFAULT_PAGE_SIZE = 100

/**
 * ISO 8601 date, optionally with a time and a zone: 2025-06-01,
 * 2025-06-01T12:00, 2025-06-01T12:00:30.250Z, 2025-06-01 12:00+02:00.
 */
const ISO_8601_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/

function invalidTime (flag: string, value: string, reason: string): CliError {
  return new CliError(`${flag} "${value}" is invalid: ${reason}`, 2)
}

/** Returns the offset of an ISO 8601 zone designator (Z, +02, +0200, -05:30) in minutes east of UTC. */
function zoneOffsetMinutes (zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') {
    return 0
  }
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'))
}

/**
 * Parses a --from or --to value: Unix time in milliseconds, or ISO 8601.
 * A date alone is midnight UTC, and a time without a zone is UTC too.
 * Digits beyond milliseconds are dropped.
 */
export function parseTimeArgument (flag: string, value: string): number {
  if (/^\d+$/.test(value)) {
    const ms = Number(value)
    if (!Number.isSafeInteger(ms)) {
      throw invalidTime(flag, value, 'too large for Unix milliseconds')
    }
    return ms
  }

  const match = ISO_8601_PATTERN.exec(value)
  if (match === null) {
    throw invalidTime(flag, value, 'expected Unix milliseconds (1735689600000) or ISO 8601 (2025-01-01T00:00:00Z)')
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(part => Number(part ?? '0')) as [number, number, number, number, number, number]
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3))
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis)
  const check = new Date(local)
  // Date.UTC rolls over out-of-range fields (February 30 becomes March 1), so compare them back.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day ||
      check.getUTCHours() !== hour || check.getUTCMinutes() !== minute || check.getUTCSeconds() !== second) {
    throw invalidTime(flag, value, 'no such date or time')
  }
  const ms = local - zoneOffsetMinutes(match[8]) * 60_000
  if (ms < 0) {
    throw invalidTime(flag, value, 'before 1970-01-01T00:00:00Z')
  }
  return ms
}

/** Parses --slots A..B, two slot numbers with A <= B. */
export function parseSlotRange (value: string): { fromSlot: number, toSlot: number } {
  const match = /^(\d+)\.\.(\d+)$/.exec(value)
  if (match === null) {
    throw new CliError(`--slots "${value}" is invalid: expected FROM..TO with two slot numbers, such as 100..200`, 2)
  }
  const fromSlot = Number(match[1])
  const toSlot = Number(match[2])
  if (!Number.isSafeInteger(fromSlot) || !Number.isSafeInteger(toSlot)) {
    throw new CliError(`--slots "${value}" is invalid: slot numbers must be at most ${Number.MAX_SAFE_INTEGER}`, 2)
  }
  if (fromSlot > toSlot) {
    throw new CliError(`--slots "${value}" is invalid: the first slot ${fromSlot} is after the last slot ${toSlot}`, 2)
  }
  return { fromSlot, toSlot }
}

/** Checks that exactly one of --from/--to and --slots is given and returns the range. */
export function parseQueryRange (options: { from?: string, to?: string, slots?: string }): QueryRange {
  const hasTimeBound = options.from !== undefined || options.to !== undefined
  if (hasTimeBound && options.slots !== undefined) {
    throw new CliError(`give either --from/--to or --slots, not both (got --slots "${options.slots}")`, 2)
  }
  if (options.slots !== undefined) {
    return { kind: 'slots', ...parseSlotRange(options.slots) }
  }
  if (!hasTimeBound) {
    throw new CliError('missing range: give --from T --to T (Unix ms or ISO 8601) or --slots A..B', 2)
  }
  if (options.from === undefined || options.to === undefined) {
    const present = options.from !== undefined ? `--from "${options.from}"` : `--to "${options.to ?? ''}"`
    throw new CliError(`${present} needs ${options.from === undefined ? '--from' : '--to'} as well`, 2)
  }
  const fromMs = parseTimeArgument('--from', options.from)
  const toMs = parseTimeArgument('--to', options.to)
  if (fromMs > toMs) {
    throw new CliError(`--from "${options.from}" (${formatTime(fromMs)}) is after --to "${options.to}" (${formatTime(toMs)})`, 2)
  }
  return { kind: 'time', fromMs, toMs }
}

function parseCursor (value: string): string {
  if (!/^[0-9a-fA-F]{80}$/.test(value)) {
    throw new CliError(`--cursor "${value}" is invalid: expected the next_cursor of a previous page, 80 hex characters`, 2)
  }
  return value
}

async function fetchPage (client: NodeQueryClient, range: QueryRange, page: PageOptions): Promise<HistoryPage> {
  return range.kind === 'time'
    ? await client.queryTime(range.fromMs, range.toMs, page)
    : await client.querySlots(range.fromSlot, range.toSlot, page)
}

const TABLE_HEADER = `${'TX_ID'.padEnd(64)}  ${'STATE'.padEnd(8)}  ${'SLOT'.padStart(10)}  ${'ACKS'.padStart(4)}  ${'REQUESTED'.padEnd(24)}  EXPIRES`

function tableRow (item: HistoryItem): string {
  return `${item.tx_id.padEnd(64)}  ${item.state.padEnd(8)}  ${String(item.slot).padStart(10)}  ${String(item.ack_count).padStart(4)}  ${formatTime(item.request_timestamp_ms).padEnd(24)}  ${formatTime(item.expires_at_ms)}`
}

async function query (options: QueryOptions): Promise<void> {
  const range = parseQueryRange(options)
  let cursor = options.cursor === undefined ? undefined : parseCursor(options.cursor)
  const json = options.json === true
  // With --json the items are collected and printed as one document at the end.
  const items: HistoryItem[] = []
  let count = 0

  await withApi(options, async (client) => {
    for (;;) {
      const page = await fetchPage(client, range, { cursor, limit: options.limit })
      if (json) {
        items.push(...page.items)
      } else {
        if (count === 0 && page.items.length > 0) {
          printLine(TABLE_HEADER)
        }
        page.items.forEach(item => { printLine(tableRow(item)) })
      }
      count += page.items.length

      if (options.all !== true || page.next_cursor === null) {
        if (json) {
          printJson({ items, next_cursor: page.next_cursor })
        } else if (page.next_cursor !== null) {
          printLine(`next cursor: ${page.next_cursor}  (pass --cursor ${page.next_cursor} for the next page, or --all)`)
        } else if (count === 0) {
          printLine('no transactions in this range')
        } else if (options.all === true) {
          printLine(countOf(count, 'transaction'))
        }
        return
      }
      if (page.next_cursor === cursor) {
        throw new CliError(`the node returned the cursor ${cursor} again, so --all would never end`)
      }
      cursor = page.next_cursor
    }
  })
}

export function queryCommand (): Command {
  const command = new Command('query')
    .description('list the transactions a running node has seen by request time or slot, oldest first, one page or (--all) every page')
    .option('--from <time>', 'first request time included: Unix ms (1735689600000) or ISO 8601 (2025-01-01, 2025-01-01T12:00:00Z, 2025-01-01T14:00+02:00); without a zone the time is UTC')
    .option('--to <time>', 'last request time included, in the same forms as --from')
    .option('--slots <from..to>', 'first and last slot included, such as 100..200; a slot is floor(request time in ms / slot_duration_ms). Use instead of --from/--to')
    .option('--limit <count>', `transactions per page, 1 to ${MAX_HISTORY_PAGE}`, parseCount('--limit', 1, MAX_HISTORY_PAGE), DEFAULT_PAGE_SIZE)
    .option('--cursor <cursor>', 'start after this cursor, the next_cursor of a previous page')
    .option('--all', 'follow the cursors to the end of the range; with --json, print every item in one items array')
  return addApiOptions(command).action(query)
}
