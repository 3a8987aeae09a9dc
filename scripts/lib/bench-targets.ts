/**
 * Collects the performance targets that benchmark sections measure, so
 * the run ends with one table of every ratio next to its target.
 */
import { formatTable } from './bench-util.js'

/** One target: a ratio of two measurements taken in the same run. */
export interface TargetResult {
  /** Label of the compared pair, e.g. "ACK verify per core / node:crypto". */
  name: string
  /** The measured ratio, or NaN when the section could not measure it. */
  ratio: number
  /** The bound the ratio must meet. */
  bound: number
  /** Whether the ratio must be at least or at most the bound. */
  direction: 'at-least' | 'at-most'
  /** Short note with the measured numbers behind the ratio, or the bottleneck. */
  note?: string
}

export class TargetBoard {
  private readonly results: TargetResult[] = []

  record (result: TargetResult): void {
    this.results.push(result)
  }

  list (): readonly TargetResult[] {
    return this.results
  }

  /** Formats every recorded target as a table, or undefined when none was recorded. */
  format (): string | undefined {
    if (this.results.length === 0) {
      return undefined
    }
    const rows = this.results.map((result) => [
      result.name,
      Number.isNaN(result.ratio) ? 'n/a' : `${result.ratio.toFixed(2)}x`,
      `${result.direction === 'at-least' ? '>=' : '<='} ${result.bound}x`,
      verdict(result),
      result.note ?? ''
    ])
    return formatTable(['target', 'measured', 'bound', 'result', 'note'], rows)
  }
}

function verdict (result: TargetResult): string {
  if (Number.isNaN(result.ratio)) {
    return 'not measured'
  }
  const met = result.direction === 'at-least' ? result.ratio >= result.bound : result.ratio <= result.bound
  return met ? 'met' : 'NOT MET'
}
