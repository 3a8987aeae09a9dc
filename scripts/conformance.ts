/**
 * Runs the Wycheproof vectors for Ed25519 and ML-DSA-65 against every
 * crypto backend this runtime supports and prints one report per file and
 * backend. Exits 1 when any case fails or any file contains no cases.
 *
 * Usage: npm run conformance -- --vectors DIR   (or set POH_VECTORS_DIR)
 */
import { parseArgs } from 'node:util'
import { availableBackends } from '../src/core/crypto/index.js'
import { reportPassed, SUITES } from './lib/wycheproof.js'
import type { SuiteReport } from './lib/wycheproof.js'

const USAGE = `usage: npm run conformance -- --vectors DIR

Options:
  --vectors DIR  directory holding the wycheproof-*.json files
                 (default: the POH_VECTORS_DIR environment variable)
  -h, --help     print this help`

function main (): number {
  const { values } = parseArgs({
    options: {
      vectors: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help === true) {
    console.log(USAGE)
    return 0
  }

  const vectorsDir = values.vectors ?? process.env.POH_VECTORS_DIR
  if (vectorsDir === undefined || vectorsDir === '') {
    console.error('missing vectors directory: pass --vectors DIR or set POH_VECTORS_DIR')
    console.error(USAGE)
    return 2
  }

  console.log(`Wycheproof vectors from ${vectorsDir}, Node ${process.version}, OpenSSL ${process.versions.openssl ?? 'unknown'}`)
  let allPassed = true
  for (const suite of SUITES) {
    for (const backend of availableBackends(suite.alg)) {
      let report: SuiteReport
      try {
        report = suite.run(vectorsDir, backend)
      } catch (err) {
        console.log(`${suite.file} [${backend}] FAILED to load: ${err instanceof Error ? err.message : String(err)}`)
        allPassed = false
        continue
      }
      printReport(report)
      allPassed &&= reportPassed(report)
    }
  }

  console.log(allPassed ? 'all suites passed' : 'conformance FAILED')
  return allPassed ? 0 : 1
}

function printReport (report: SuiteReport): void {
  const status = reportPassed(report) ? 'ok' : 'FAILED'
  console.log(`${report.file} [${report.backend}] ${status}: groups ${report.groups}, cases ${report.cases}, ` +
    `passed ${report.passed}, failed ${report.failed.length}, skipped ${report.skipped.length}, acceptable ${report.acceptable.length}`)
  if (report.acceptable.length > 0) {
    console.log(`  acceptable tcIds (either verdict allowed): ${report.acceptable.join(', ')}`)
  }
  for (const failure of report.failed) {
    console.log(`  failed tcId ${failure.tcId} (${failure.comment}): ${failure.reason}`)
  }
  if (report.skipped.length > 0) {
    const reasons = new Map<string, number[]>()
    for (const skip of report.skipped) {
      reasons.set(skip.reason, [...(reasons.get(skip.reason) ?? []), skip.tcId])
    }
    for (const [reason, tcIds] of reasons) {
      console.log(`  skipped tcIds ${tcIds.join(', ')}: ${reason}`)
    }
  }
  for (const note of report.notes) {
    console.log(`  note: ${note}`)
  }
}

process.exitCode = main()
