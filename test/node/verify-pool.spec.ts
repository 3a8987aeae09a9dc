/**
 * VerifyPool on real worker threads with real signatures: verdicts equal
 * inline verification, a worker that exits or crashes mid-job, a full
 * queue, and closing with work queued.
 */

import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { expect } from 'chai'
import pWaitFor from 'p-wait-for'
import { getScheme } from '../../src/core/crypto/index.js'
import { SigAlg } from '../../src/core/types.js'
import type { HolderSigAlg } from '../../src/core/types.js'
import { runSignatureCheck } from '../../src/core/validate.js'
import { defaultVerifyWorkers, VerifyPool, VerifyPoolClosedError } from '../../src/node/verify-pool.js'
import type { SignatureCheck } from '../../src/core/validate.js'
import type { VerifyPoolInit } from '../../src/node/verify-pool.js'
import { catchAsync, createDiscardLogger, flipByte } from '../helpers/fixtures.js'
import { startCluster } from '../helpers/network.js'

const CRASHING_WORKER = new URL('./fixtures/crashing-verify-worker.ts', import.meta.url)

/** Signs `count` messages of 40 bytes with the key of `seed`; every third check gets a broken signature. */
function signedChecks (alg: HolderSigAlg, seed: number, count: number): SignatureCheck[] {
  const scheme = getScheme(alg)
  const keyPair = scheme.generateKeyPair(new Uint8Array(scheme.seedLength).fill(seed))
  return Array.from({ length: count }, (_, i) => {
    const message = new Uint8Array(40).fill(i)
    const signature = scheme.sign(message, keyPair.secretKey)
    return { alg, message, publicKey: keyPair.publicKey, signature: i % 3 === 2 ? flipByte(signature) : signature }
  })
}

/** Checks of both algorithms with valid and invalid signatures, a wrong key and a wrong length. */
function mixedChecks (): SignatureCheck[] {
  const ed = signedChecks(SigAlg.ED25519, 1, 24)
  const mlDsa = signedChecks(SigAlg.ML_DSA_65, 2, 6)
  const hybrid = signedChecks(SigAlg.HYBRID_ED25519_ML_DSA_65, 10, 3)
  const wrongKey = { ...ed[0] as SignatureCheck, publicKey: (ed[0] as SignatureCheck).publicKey.map((byte) => byte ^ 0xff) }
  const shortSignature = { ...ed[1] as SignatureCheck, signature: (ed[1] as SignatureCheck).signature.subarray(0, 63) }
  return [...ed, ...mlDsa, ...hybrid, wrongKey, shortSignature]
}

/** Counts the threads of this process that Node names WorkerThread (Linux only, from /proc). */
function workerThreads (): number {
  return readdirSync('/proc/self/task')
    .filter((task) => readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'WorkerThread')
    .length
}

function inlineVerdicts (checks: readonly SignatureCheck[]): boolean[] {
  return checks.map(runSignatureCheck)
}

describe('VerifyPool', () => {
  const pools: VerifyPool[] = []

  function createPool (init: Partial<VerifyPoolInit> = {}): VerifyPool {
    const pool = new VerifyPool({ size: 2, logger: createDiscardLogger(), ...init })
    pools.push(pool)
    return pool
  }

  afterEach(async () => {
    await Promise.all(pools.splice(0).map(async (pool) => pool.close()))
  })

  it('pool verdicts equal inline', async () => {
    const checks = mixedChecks()
    const expected = inlineVerdicts(checks)
    const pool = createPool({ jobChecks: 8 })

    expect(await pool.verify(checks)).to.deep.equal(expected)
    expect(expected.filter((valid) => !valid).length, 'invalid checks in the input').to.be.greaterThan(5)
    expect(pool.stats.pooled).to.equal(checks.length)
    expect(pool.stats.inline).to.equal(0)
  })

  it('concurrent calls keep their order', async () => {
    const first = signedChecks(SigAlg.ED25519, 3, 20)
    const second = signedChecks(SigAlg.ED25519, 4, 7)
    const pool = createPool({ jobChecks: 4 })

    const [firstVerdicts, secondVerdicts] = await Promise.all([pool.verify(first), pool.verify(second)])
    expect(firstVerdicts).to.deep.equal(inlineVerdicts(first))
    expect(secondVerdicts).to.deep.equal(inlineVerdicts(second))
  })

  it('empty input returns no verdicts', async () => {
    expect(await createPool().verify([])).to.deep.equal([])
  })

  it('exited worker job recovered', async () => {
    const checks = signedChecks(SigAlg.ED25519, 5, 12)
    checks[4] = { ...checks[4] as SignatureCheck, message: new Uint8Array(0) }
    const pool = createPool({ size: 1, workerUrl: CRASHING_WORKER })

    expect(await pool.verify(checks)).to.deep.equal(inlineVerdicts(checks))
    expect(pool.stats.recovered).to.equal(12)
    expect(pool.stats.restarts).to.equal(1)

    const later = signedChecks(SigAlg.ED25519, 6, 5)
    expect(await pool.verify(later)).to.deep.equal(inlineVerdicts(later))
    expect(pool.stats.pooled).to.equal(5)
    expect(pool.stats.workers).to.equal(1)
  })

  it('crashed worker job recovered', async () => {
    const checks = signedChecks(SigAlg.ML_DSA_65, 7, 6)
    checks[1] = { ...checks[1] as SignatureCheck, message: new Uint8Array(1) }
    const pool = createPool({ size: 2, jobChecks: 3, workerUrl: CRASHING_WORKER })

    expect(await pool.verify(checks)).to.deep.equal(inlineVerdicts(checks))
    expect(pool.stats.recovered).to.equal(3)
    expect(pool.stats.pooled).to.equal(3)
    expect(pool.stats.restarts).to.equal(1)
  })

  it('worker failing to start verifies inline', async () => {
    const pool = createPool({ size: 1, workerUrl: new URL('./fixtures/no-such-worker.js', import.meta.url) })
    const checks = signedChecks(SigAlg.ED25519, 8, 6)

    const verdicts = await pool.verify(checks)
    expect(verdicts).to.deep.equal(inlineVerdicts(checks))
    // Each failed start is replaced until MAX_FAILED_STARTS (3) exits in a row.
    await pWaitFor(() => pool.stats.workers === 0, { timeout: 10_000 })
    expect(pool.stats.restarts).to.equal(2)
    expect(await pool.verify(checks)).to.deep.equal(inlineVerdicts(checks))
  })

  it('full queue verifies inline', async () => {
    const checks = signedChecks(SigAlg.ED25519, 9, 20)
    const pool = createPool({ maxQueuedChecks: 6, jobChecks: 2 })

    expect(await pool.verify(checks)).to.deep.equal(inlineVerdicts(checks))
    expect(pool.stats.pooled).to.equal(6)
    expect(pool.stats.inline).to.equal(14)
  })

  it('queue frees room after jobs', async () => {
    const checks = signedChecks(SigAlg.ED25519, 10, 6)
    const pool = createPool({ maxQueuedChecks: 6 })

    await pool.verify(checks)
    await pool.verify(checks)
    expect(pool.stats.pooled).to.equal(12)
    expect(pool.stats.inline).to.equal(0)
  })

  it('close rejects queued work', async () => {
    const pool = createPool({ size: 1, jobChecks: 1 })
    const pending = catchAsync(async () => pool.verify(signedChecks(SigAlg.ML_DSA_65, 11, 12)))

    await pool.close()
    expect(await pending).to.be.instanceOf(VerifyPoolClosedError)
    expect(pool.stats.workers).to.equal(0)
    const late = await catchAsync(async () => pool.verify(signedChecks(SigAlg.ED25519, 12, 1)))
    expect(late).to.be.instanceOf(VerifyPoolClosedError)
    expect((late as VerifyPoolClosedError).code).to.equal('ERR_VERIFY_POOL_CLOSED')
  })

  it('workers start on first checks', async () => {
    const pool = createPool({ size: 2 })
    expect(pool.stats.workers).to.equal(0)

    expect(await pool.verify([])).to.deep.equal([])
    expect(pool.stats.workers).to.equal(0)

    const checks = signedChecks(SigAlg.ED25519, 15, 4)
    expect(await pool.verify(checks)).to.deep.equal(inlineVerdicts(checks))
    expect(pool.stats.workers).to.equal(2)
    expect(pool.stats.pooled).to.equal(4)
  })

  it('close twice resolves', async () => {
    const pool = createPool()
    await pool.close()
    await pool.close()
    expect(pool.stats.workers).to.equal(0)
  })

  it('pool size 0 rejected', () => {
    expect(() => new VerifyPool({ size: 0, logger: createDiscardLogger() })).to.throw(RangeError, /pool size 0/)
  })

  it('default workers per core count', () => {
    expect(defaultVerifyWorkers(1)).to.equal(0)
    expect(defaultVerifyWorkers(2)).to.equal(2)
    expect(defaultVerifyWorkers(6)).to.equal(6)
    expect(defaultVerifyWorkers(64)).to.equal(8)
  })

  it('compiled pool runs its worker', async function () {
    // bin/ and `npm test` run dist/, where the worker entry is the compiled .js file.
    const compiled = new URL('../../dist/src/node/verify-pool.js', import.meta.url)
    if (!existsSync(compiled)) {
      throw new Error(`${compiled.pathname} is missing: run npx tsc -p . first`)
    }
    const module = await import(compiled.href) as typeof import('../../src/node/verify-pool.js')
    const pool = new module.VerifyPool({ size: 1, logger: createDiscardLogger() })
    try {
      const checks = signedChecks(SigAlg.ED25519, 13, 6)
      expect(await pool.verify(checks)).to.deep.equal(inlineVerdicts(checks))
      expect(pool.stats.pooled).to.equal(6)
    } finally {
      await pool.close()
    }
  })

  it('idle pool lets process exit', async () => {
    // A process that never closes its pool must still end once its work is done.
    const compiled = new URL('../../dist/src/node/verify-pool.js', import.meta.url)
    const script = `import { VerifyPool } from '${compiled.href}'
      const pool = new VerifyPool({ size: 2, logger: { error () {}, warn () {}, info () {} } })
      const verdicts = await pool.verify([{ alg: 'ED25519', signature: new Uint8Array(64), message: new Uint8Array(1), publicKey: new Uint8Array(32) }])
      console.log(JSON.stringify(verdicts))`
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 })
    expect(stdout.trim()).to.equal('[false]')
  })

  it('node stop terminates workers', async function () {
    if (!existsSync('/proc/self/task')) {
      this.skip()
    }
    const before = workerThreads()
    const cluster = await startCluster({ size: 1, minPohRequired: 1, adjust: (config) => { config.verify_pool = { workers: 2, min_batch: 2 } } })
    try {
      expect(workerThreads()).to.equal(before)
      // The workers start with the first pooled batch, which the test hands to the node's pool itself.
      const pool = (cluster.nodes[0] as unknown as { verifyPool: VerifyPool }).verifyPool
      const checks = signedChecks(SigAlg.ED25519, 14, 4)
      expect(await pool.verify(checks)).to.deep.equal(inlineVerdicts(checks))
      await pWaitFor(() => workerThreads() === before + 2, { timeout: 10_000 })
    } finally {
      await cluster.stop()
    }
    await pWaitFor(() => workerThreads() === before, { timeout: 10_000 })
    expect(workerThreads()).to.equal(before)
  })
})
