import { expect } from 'chai'
import { availableBackends } from '../../src/core/crypto/index.js'
import { SUITES } from '../../scripts/lib/wycheproof.js'

// The vector files stay outside the repository, so these tests run only when POH_VECTORS_DIR names their directory.
const vectorsDir = process.env.POH_VECTORS_DIR

describe('wycheproof conformance', function () {
  before(function () {
    if (vectorsDir === undefined || vectorsDir === '') {
      this.skip()
    }
  })

  for (const suite of SUITES) {
    for (const backend of availableBackends(suite.alg)) {
      it(`${suite.file} ${backend}`, () => {
        const report = suite.run(vectorsDir ?? '', backend)

        expect(report.cases, 'cases in file').to.be.greaterThan(0)
        expect(report.failed, 'failed cases').to.deep.equal([])
        expect(report.passed + report.skipped.length, 'passed and skipped cases').to.equal(report.cases)
        expect(report.passed, 'passed cases').to.be.greaterThan(report.skipped.length)
      })
    }
  }
})
