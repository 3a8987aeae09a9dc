/**
 * Helpers for scripts/bench.ts: time-boxed measurement, a description of
 * the machine, and plain-text tables.
 */
import { cpus, platform, arch } from 'node:os'
import { performance } from 'node:perf_hooks'
import type { TargetBoard } from './bench-targets.js'

/** Settings every benchmark section receives. */
export interface BenchOptions {
  /** Time spent measuring each operation, in milliseconds. */
  durationMs: number
  /** Time spent running the operation before measuring, in milliseconds. */
  warmupMs: number
  /** Board on which sections record each target ratio they measure. */
  targets: TargetBoard
}

/** One titled part of the benchmark run, which prints its own results. */
export interface BenchSection {
  name: string
  run: (options: BenchOptions) => Promise<void>
}

export interface Measurement {
  operations: number
  seconds: number
  opsPerSecond: number
}

/**
 * Runs `operation` for `warmupMs`, then counts how many calls complete in
 * `durationMs`. The clock is read after every call, so operations should
 * take at least a few microseconds for the overhead to stay small.
 * `operation` gets the call index, so callers can rotate through inputs.
 */
export function measure (operation: (index: number) => void, options: BenchOptions): Measurement {
  let index = 0
  const warmupEnd = performance.now() + options.warmupMs
  while (performance.now() < warmupEnd) {
    operation(index++)
  }

  const start = performance.now()
  const end = start + options.durationMs
  let operations = 0
  let now = start
  while (now < end) {
    operation(index++)
    operations++
    now = performance.now()
  }
  const seconds = (now - start) / 1000
  return { operations, seconds, opsPerSecond: operations / seconds }
}

/** Describes the CPU, core count, OS, Node and OpenSSL versions in one line. */
export function describeMachine (): string {
  const cores = cpus()
  const model = cores[0]?.model.trim() ?? 'unknown CPU'
  return `${model}, ${cores.length} cores, ${platform()}/${arch()}, Node ${process.version}, OpenSSL ${process.versions.openssl ?? 'unknown'}`
}

export function formatRate (opsPerSecond: number): string {
  if (opsPerSecond >= 100) {
    return Math.round(opsPerSecond).toLocaleString('en-US')
  }
  return opsPerSecond.toFixed(1)
}

/** Formats rows as a table with left-aligned text and right-aligned numbers. */
export function formatTable (headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)))
  const isNumeric = (text: string): boolean => /^[\d.,x-]+$/.test(text) || text === 'n/a'
  const formatRow = (row: string[]): string => row.map((cell, column) => {
    const width = widths[column] ?? cell.length
    return column > 0 && isNumeric(cell) ? cell.padStart(width) : cell.padEnd(width)
  }).join('  ')

  const lines = [formatRow(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(formatRow)]
  return lines.join('\n')
}
