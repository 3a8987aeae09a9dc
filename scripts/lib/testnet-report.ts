import type { NodeState } from '../testnet.js'

export interface SummaryInput {
  states: NodeState[]
  /** tx_id hex → time the client published it (Unix ms). */
  submittedAt: Map<string, number>
  txs: Uint8Array[]
  summary: { count: number, totalBytes: number, minBytes: number, medianBytes: number, maxBytes: number }
  started: number
  finished: number
}

function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN
  }
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)] as number
}

function pad (value: string | number, width: number): string {
  return String(value).padStart(width)
}

/** Prints the run's table: held per node, latency from submit to held, throughput and bytes. */
export function printSummary (input: SummaryInput): void {
  const { states, submittedAt, summary } = input
  const total = submittedAt.size
  const latencies: number[] = []
  let lastHeld = input.started
  console.log('')
  console.log(`${'node'.padEnd(8)} ${pad('held', 10)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('stored B', 10)} ${pad('rejected', 9)} ${pad('ignored', 8)}`)
  for (const state of states) {
    const own: number[] = []
    for (const [txId, heldAt] of state.heldAt) {
      const sent = submittedAt.get(txId)
      if (sent === undefined) {
        continue
      }
      own.push(Math.max(0, heldAt - sent))
      lastHeld = Math.max(lastHeld, heldAt)
    }
    own.sort((a, b) => a - b)
    latencies.push(...own)
    const count = (verdict: string): number => state.verdicts.filter(v => v.verdict === verdict).reduce((sum, v) => sum + v.count, 0)
    console.log(`${state.node.name.padEnd(8)} ${pad(`${state.heldAt.size}/${total}`, 10)} ${pad(percentile(own, 50), 8)} ${pad(percentile(own, 99), 8)} ${pad(state.requestBytes, 10)} ${pad(count('reject'), 9)} ${pad(count('ignore'), 8)}`)
  }
  latencies.sort((a, b) => a - b)
  const heldEverywhere = [...submittedAt.keys()].filter(txId => states.every(s => s.heldAt.has(txId))).length
  const seconds = Math.max(1, lastHeld - input.started) / 1000
  console.log('')
  console.log(`transactions:  ${total} (${summary.totalBytes} bytes; sizes min ${summary.minBytes}, median ${summary.medianBytes}, max ${summary.maxBytes})`)
  console.log(`held:          ${heldEverywhere} of ${total} on all ${states.length} nodes`)
  console.log(`throughput:    ${(heldEverywhere / seconds).toFixed(1)} tx/s held on every node (${seconds.toFixed(2)} s from first submit to last held)`)
  console.log(`latency:       p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, submit to held, over all nodes`)
  console.log(`bytes:         ${summary.totalBytes} payload bytes submitted, ${states.reduce((s, n) => s + n.requestBytes, 0)} payload bytes stored across nodes`)
  console.log('')
  console.log('endpoints the nodes served during the run, now stopped (REST API, Prometheus metrics):')
  for (const state of states) {
    console.log(`  ${state.node.name.padEnd(8)} ${state.api ?? '-'}  ${state.metrics ?? '-'}`)
  }
}
