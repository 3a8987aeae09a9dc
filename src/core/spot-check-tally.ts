import { toHex } from './hash.js'

/**
 * Result of one spot check of a holder. A failure (not_held, wrong_proof,
 * bad_signature, malformed) was signed by the holder's key or sent by its
 * proven peer. unreachable means no peer running the key responded in time.
 */
export type SpotCheckResult = 'pass' | 'not_held' | 'wrong_proof' | 'bad_signature' | 'malformed' | 'unreachable'

export const SPOT_CHECK_RESULTS: readonly SpotCheckResult[] = ['pass', 'not_held', 'wrong_proof', 'bad_signature', 'malformed', 'unreachable']

/** Counts of one holder's spot checks, as status shows them. */
export interface HolderSpotChecks {
  holder_id: string
  pass: number
  fail: number
  unreachable: number
  last_result: SpotCheckResult
  last_checked_ms: number
}

/**
 * Default number of holders whose counts are kept. A closed holder set is
 * usually far smaller; an open set can grow without limit, so the holder
 * checked least recently is dropped first.
 */
export const DEFAULT_MAX_TALLIED_HOLDERS = 1024

/** Per-holder counts of spot-check results, bounded in size. */
export class SpotCheckTally {
  private readonly maxHolders: number
  /** Entries in least recently checked order: every record moves an entry to the end. */
  private readonly byHolder = new Map<string, HolderSpotChecks>()

  constructor (maxHolders = DEFAULT_MAX_TALLIED_HOLDERS) {
    if (!Number.isInteger(maxHolders) || maxHolders < 1) {
      throw new RangeError(`maxHolders must be a whole number of at least 1, got ${maxHolders}`)
    }
    this.maxHolders = maxHolders
  }

  record (holderId: Uint8Array, result: SpotCheckResult, nowMs: number): void {
    const key = toHex(holderId)
    const entry = this.byHolder.get(key) ?? { holder_id: key, pass: 0, fail: 0, unreachable: 0, last_result: result, last_checked_ms: nowMs }
    if (result === 'pass') {
      entry.pass++
    } else if (result === 'unreachable') {
      entry.unreachable++
    } else {
      entry.fail++
    }
    entry.last_result = result
    entry.last_checked_ms = nowMs

    this.byHolder.delete(key)
    this.byHolder.set(key, entry)
    for (const oldest of this.byHolder.keys()) {
      if (this.byHolder.size <= this.maxHolders) {
        break
      }
      this.byHolder.delete(oldest)
    }
  }

  /** Returns a copy of every kept entry, ordered by holder_id. */
  list (): HolderSpotChecks[] {
    return [...this.byHolder.values()].map(entry => ({ ...entry })).sort((a, b) => a.holder_id.localeCompare(b.holder_id))
  }
}
