/**
 * Loads Wycheproof test vector files and runs them against one crypto
 * backend. Shared by scripts/conformance.ts and test/core/conformance.spec.ts.
 *
 * A file that is missing, unreadable or contains no test cases raises an Error,
 * so an empty suite can never count as passing.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KeyError } from '../../src/core/errors.js'
import { bytesEqual, fromHex } from '../../src/core/hash.js'
import { getScheme } from '../../src/core/crypto/index.js'
import type { CryptoBackend } from '../../src/core/crypto/index.js'
import { SigAlg } from '../../src/core/types.js'

export type ExpectedResult = 'valid' | 'invalid' | 'acceptable'

/** One test case, with its group's fields that the runners need. */
interface VectorCase {
  tcId: number
  comment: string
  result: ExpectedResult
  flags: string[]
  fields: Record<string, unknown>
  group: Record<string, unknown>
}

export interface CaseFailure {
  tcId: number
  comment: string
  reason: string
}

/** Outcome of one vector file on one backend. */
export interface SuiteReport {
  file: string
  backend: CryptoBackend
  groups: number
  cases: number
  passed: number
  failed: CaseFailure[]
  /** tcIds whose expected result is 'acceptable', where either verdict counts as passed. */
  acceptable: number[]
  /** Cases that could not run on this backend, with the reason. */
  skipped: CaseFailure[]
  /** Checks that differ from the other backend, printed once per report. */
  notes: string[]
}

export interface SuiteDefinition {
  file: string
  alg: SigAlg
  run: (vectorsDir: string, backend: CryptoBackend) => SuiteReport
}

const RESULTS: readonly string[] = ['valid', 'invalid', 'acceptable']

export const ED25519_VERIFY_FILE = 'wycheproof-ed25519_test.json'
export const ML_DSA_65_VERIFY_FILE = 'wycheproof-mldsa_65_verify_test.json'
export const ML_DSA_65_SIGN_SEED_FILE = 'wycheproof-mldsa_65_sign_seed_test.json'

/** Reads a vector file and flattens its groups into cases. Throws when it contains no cases. */
export function loadVectorFile (vectorsDir: string, file: string): { groups: number, cases: VectorCase[] } {
  const path = join(vectorsDir, file)
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
  const testGroups = isRecord(parsed) ? parsed.testGroups : undefined
  if (!Array.isArray(testGroups) || testGroups.length === 0) {
    throw new Error(`${path}: no test groups found`)
  }

  const cases: VectorCase[] = []
  for (const group of testGroups) {
    if (!isRecord(group) || !Array.isArray(group.tests)) {
      throw new Error(`${path}: a test group has no tests array`)
    }
    for (const test of group.tests) {
      if (!isRecord(test) || typeof test.tcId !== 'number' || typeof test.result !== 'string' || !RESULTS.includes(test.result)) {
        throw new Error(`${path}: malformed test case ${JSON.stringify(test).slice(0, 120)}`)
      }
      const flags = Array.isArray(test.flags) ? test.flags.filter((flag): flag is string => typeof flag === 'string') : []
      const comment = typeof test.comment === 'string' ? test.comment : ''
      cases.push({ tcId: test.tcId, comment, result: test.result as ExpectedResult, flags, fields: test, group })
    }
  }
  if (cases.length === 0) {
    throw new Error(`${path}: test groups contain no test cases`)
  }
  return { groups: testGroups.length, cases }
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Decodes a hex field, or returns undefined when it is absent. Throws on a malformed value. */
function hexField (source: Record<string, unknown>, key: string, tcId: number): Uint8Array | undefined {
  const value = source[key]
  if (value === undefined || value === null) {
    return undefined
  }
  const bytes = typeof value === 'string' ? fromHex(value) : undefined
  if (bytes === undefined) {
    throw new Error(`tcId ${tcId}: field ${key} is not a hex string`)
  }
  return bytes
}

function requireHex (source: Record<string, unknown>, key: string, tcId: number): Uint8Array {
  const bytes = hexField(source, key, tcId)
  if (bytes === undefined) {
    throw new Error(`tcId ${tcId}: field ${key} is missing`)
  }
  return bytes
}

/**
 * Runs `check` on every case of `file` and tallies the verdicts. `check`
 * returns undefined when the case passed, a failure reason, or a skip.
 */
function runSuite (
  vectorsDir: string,
  file: string,
  backend: CryptoBackend,
  check: (testCase: VectorCase) => string | { skip: string } | undefined
): SuiteReport {
  const { groups, cases } = loadVectorFile(vectorsDir, file)
  const report: SuiteReport = { file, backend, groups, cases: cases.length, passed: 0, failed: [], acceptable: [], skipped: [], notes: [] }

  for (const testCase of cases) {
    let outcome: string | { skip: string } | undefined
    try {
      outcome = check(testCase)
    } catch (err) {
      outcome = `threw ${err instanceof Error ? err.message : String(err)}`
    }

    if (testCase.result === 'acceptable') {
      report.acceptable.push(testCase.tcId)
    }
    if (outcome === undefined) {
      report.passed++
    } else if (typeof outcome === 'string') {
      report.failed.push({ tcId: testCase.tcId, comment: testCase.comment, reason: outcome })
    } else {
      report.skipped.push({ tcId: testCase.tcId, comment: testCase.comment, reason: outcome.skip })
    }
  }
  return report
}

/** Compares a verify verdict with the expected result, where 'acceptable' allows both. */
function judgeVerdict (verdict: boolean, expected: ExpectedResult): string | undefined {
  if (expected === 'acceptable' || verdict === (expected === 'valid')) {
    return undefined
  }
  return `verify returned ${verdict}, expected ${expected}`
}

export function runEd25519Verify (vectorsDir: string, backend: CryptoBackend): SuiteReport {
  const scheme = getScheme(SigAlg.ED25519, backend)
  return runSuite(vectorsDir, ED25519_VERIFY_FILE, backend, (testCase) => {
    const publicKeyRecord = testCase.group.publicKey
    if (!isRecord(publicKeyRecord)) {
      throw new Error(`tcId ${testCase.tcId}: group has no publicKey object`)
    }
    const publicKey = requireHex(publicKeyRecord, 'pk', testCase.tcId)
    const message = requireHex(testCase.fields, 'msg', testCase.tcId)
    const signature = requireHex(testCase.fields, 'sig', testCase.tcId)
    return judgeVerdict(scheme.verify(signature, message, publicKey), testCase.result)
  })
}

export function runMlDsaVerify (vectorsDir: string, backend: CryptoBackend): SuiteReport {
  const scheme = getScheme(SigAlg.ML_DSA_65, backend)
  return runSuite(vectorsDir, ML_DSA_65_VERIFY_FILE, backend, (testCase) => {
    const publicKey = requireHex(testCase.group, 'publicKey', testCase.tcId)
    const message = requireHex(testCase.fields, 'msg', testCase.tcId)
    const signature = requireHex(testCase.fields, 'sig', testCase.tcId)
    const context = hexField(testCase.fields, 'ctx', testCase.tcId) ?? new Uint8Array(0)
    return judgeVerdict(scheme.verifyWithContext(signature, message, publicKey, context), testCase.result)
  })
}

/**
 * Runs the keygen-from-seed and signing vectors. Every backend must derive
 * the expected public key, accept the expected signature and verify its own
 * fresh signature. The noble backend must also reproduce the signature bytes
 * from the given randomness (all zeros when the case gives none).
 */
export function runMlDsaSignSeed (vectorsDir: string, backend: CryptoBackend): SuiteReport {
  const scheme = getScheme(SigAlg.ML_DSA_65, backend)
  const report = runSuite(vectorsDir, ML_DSA_65_SIGN_SEED_FILE, backend, (testCase) => {
    const seed = requireHex(testCase.group, 'privateSeed', testCase.tcId)
    const message = hexField(testCase.fields, 'msg', testCase.tcId)
    const context = hexField(testCase.fields, 'ctx', testCase.tcId) ?? new Uint8Array(0)

    if (testCase.result === 'invalid') {
      const expectedError = testCase.flags.includes('IncorrectPrivateKeyLength') ? KeyError : RangeError
      const thrown = catchError(() => scheme.signWithContext(message ?? new Uint8Array(0), seed, context))
      return thrown instanceof expectedError ? undefined : `sign did not throw ${expectedError.name}`
    }

    const publicKey = requireHex(testCase.group, 'publicKey', testCase.tcId)
    if (!bytesEqual(scheme.publicKeyFromSecret(seed), publicKey)) {
      return 'public key derived from the seed differs'
    }
    if (message === undefined) {
      return { skip: 'public key checked, signing skipped: the case gives only the precomputed mu, and the scheme signs messages' }
    }

    const expected = requireHex(testCase.fields, 'sig', testCase.tcId)
    if (!scheme.verifyWithContext(expected, message, publicKey, context)) {
      return 'expected signature did not verify'
    }
    if (backend === 'noble') {
      const randomness = hexField(testCase.fields, 'rnd', testCase.tcId) ?? new Uint8Array(32)
      const signature = scheme.signWithContext(message, seed, context, randomness)
      return bytesEqual(signature, expected) ? undefined : 'signature bytes differ from the expected signature'
    }
    const fresh = scheme.signWithContext(message, seed, context)
    return scheme.verifyWithContext(fresh, message, publicKey, context) ? undefined : 'fresh signature did not verify'
  })
  if (backend === 'node') {
    report.notes.push('signature bytes not compared: node:crypto always draws its own signing randomness, so each fresh signature was verified instead')
  }
  return report
}

function catchError (action: () => unknown): unknown {
  try {
    action()
  } catch (err) {
    return err
  }
  return undefined
}

export const SUITES: readonly SuiteDefinition[] = [
  { file: ED25519_VERIFY_FILE, alg: SigAlg.ED25519, run: runEd25519Verify },
  { file: ML_DSA_65_VERIFY_FILE, alg: SigAlg.ML_DSA_65, run: runMlDsaVerify },
  { file: ML_DSA_65_SIGN_SEED_FILE, alg: SigAlg.ML_DSA_65, run: runMlDsaSignSeed }
]

/** Reports whether no case failed and at least one case passed. */
export function reportPassed (report: SuiteReport): boolean {
  return report.failed.length === 0 && report.passed > 0
}
