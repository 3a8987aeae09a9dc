import { expect } from 'chai'
import { RepairRequest } from '../../src/core/proto/poh.js'
import { ITEM_FRAMING_BYTES, checkRequest, sourceBudgetBytes } from '../../src/network/repair/codec.js'

const requestId = new Uint8Array(16).fill(7)

function request (fields: Partial<RepairRequest>): RepairRequest {
  return { requestId, txIds: [], ...fields }
}

describe('repair checkRequest', () => {
  it('accepts 64 ids of 32 bytes', () => {
    const txIds = Array.from({ length: 64 }, (_, i) => new Uint8Array(32).fill(i))

    const check = checkRequest(request({ txIds }), 64)

    expect(check.valid).to.equal(true)
    if (check.valid) {
      expect(check.request.kind).to.equal('ids')
    }
  })

  it('rejects more ids than the configured maximum', () => {
    const txIds = Array.from({ length: 9 }, () => new Uint8Array(32))

    const check = checkRequest(request({ txIds }), 8)

    expect(check.valid).to.equal(false)
    if (!check.valid) {
      expect(check.reason).to.include('9 tx_ids')
    }
  })

  it('accepts a range and drops an empty cursor', () => {
    const check = checkRequest(request({ range: { fromMs: 5n, toMs: 5n, limit: 1000, cursor: new Uint8Array(0) } }), 64)

    expect(check).to.deep.equal({
      valid: true,
      request: { kind: 'range', requestId, fromMs: 5, toMs: 5, limit: 1000, cursor: undefined }
    })
  })

  it('rejects a range past the safe integer limit', () => {
    const huge = BigInt(Number.MAX_SAFE_INTEGER) + 1n

    const check = checkRequest(request({ range: { fromMs: 0n, toMs: huge, limit: 1, cursor: new Uint8Array(0) } }), 64)

    expect(check.valid).to.equal(false)
  })
})

describe('repair sourceBudgetBytes', () => {
  it('reserves framing per item', () => {
    expect(sourceBudgetBytes(10_000, 10)).to.equal(10_000 - 128 - 10 * ITEM_FRAMING_BYTES)
  })

  it('never goes below zero', () => {
    expect(sourceBudgetBytes(100, 1000)).to.equal(0)
  })
})
