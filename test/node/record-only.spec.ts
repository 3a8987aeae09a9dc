import { expect } from 'chai'
import { decodeAckBatch } from '../../src/core/codec.js'
import { GossipAction, GossipErrorCode } from '../../src/core/errors.js'
import { TxState } from '../../src/core/types.js'
import { catchAsync, createProcessorHarness, expectVerdict, signAckWithStorageHash } from '../helpers/fixtures.js'
import type { PohRequest } from '../../src/core/proto/poh.js'
import type { ProcessorHarness } from '../helpers/fixtures.js'

/** Builds the assignment of a holder that replication_factor assigns no transaction to; it records each request it gets. */
function standbyAssignment (recorded: PohRequest[]): { stores: () => boolean, recorded: (request: PohRequest) => void } {
  return { stores: () => false, recorded: (request) => { recorded.push(request) } }
}

describe('record without payload', () => {
  let harness: ProcessorHarness
  let recorded: PohRequest[]

  beforeEach(async () => {
    recorded = []
    harness = await createProcessorHarness({ minPohRequired: 2, assignment: standbyAssignment(recorded) })
  })

  afterEach(async () => {
    await harness.close()
  })

  it('stores timing but no payload', async () => {
    const request = harness.request('left to other holders')

    await harness.processor.onRequestMessage(harness.requestBytes(request))

    const tx = await harness.store.getTx(request.txId)
    expect(tx?.payloadOmitted).to.equal(true)
    expect(tx?.payload).to.have.length(0)
    expect(tx?.expiresAtMs).to.equal(Number(request.timestampMs) + 60_000)
    expect((await harness.store.getHistory(request.txId))?.state).to.equal(TxState.PENDING)
    expect(harness.events.requests).to.deep.equal([{ txId: request.txId, payloadBytes: request.payload.length, local: false, payloadOmitted: true }])
    expect(recorded).to.deep.equal([request])
  })

  it('counts ACKs and reaches quorum', async () => {
    const request = harness.request('held elsewhere')
    await harness.processor.onRequestMessage(harness.requestBytes(request))

    await harness.processor.onAckBatchMessage(harness.batchBytes(
      harness.ack(request, harness.holders[0]!),
      harness.ack(request, harness.holders[1]!)
    ))

    expect(harness.quorum.count(request.txId)).to.equal(2)
    expect(harness.events.held).to.have.length(1)
    expect((await harness.store.getHistory(request.txId))?.state).to.equal(TxState.HELD)
  })

  it('step-in stores the payload', async () => {
    const request = harness.request('stepped in')
    await harness.processor.onRequestMessage(harness.requestBytes(request))
    expect(await harness.store.storedTotals()).to.deep.equal({ count: 0, bytes: 0 })

    expect(await harness.processor.stepIn(request)).to.equal(true)
    expect(await harness.store.storedTotals()).to.deep.equal({ count: 1, bytes: request.payload.length })

    const tx = await harness.store.getTx(request.txId)
    expect(tx?.payloadOmitted).to.equal(undefined)
    expect(tx?.payload).to.deep.equal(request.payload)
    expect(harness.events.requests.at(-1)?.payloadOmitted).to.equal(false)
    expect(await harness.processor.stepIn(request)).to.equal(false)
  })

  it('step-in keeps the quorum time', async () => {
    const request = harness.request('held before the step-in')
    await harness.processor.onRequestMessage(harness.requestBytes(request))
    await harness.processor.onAckBatchMessage(harness.batchBytes(
      harness.ack(request, harness.holders[0]!),
      harness.ack(request, harness.holders[1]!)
    ))
    const heldAtMs = harness.clock.now()

    harness.clock.advance(5_000)
    await harness.processor.stepIn(request)

    const history = await harness.store.getHistory(request.txId)
    expect(history?.state).to.equal(TxState.HELD)
    expect(history?.quorumAtMs).to.equal(heldAtMs)
  })

  it('step-in without a record does nothing', async () => {
    const request = harness.request('never recorded')

    expect(await harness.processor.stepIn(request)).to.equal(false)
    expect(await harness.store.getTx(request.txId)).to.equal(undefined)
  })

  it('step-in checks earlier ACKs', async () => {
    const request = harness.request('checked on step-in')
    await harness.processor.onRequestMessage(harness.requestBytes(request))
    const [honest, faulty] = harness.holders as [typeof harness.holders[0], typeof harness.holders[0]]
    const wrong = signAckWithStorageHash(request, faulty, new Uint8Array(32).fill(0x55), harness.clock.now())
    // Without the payload the wrong storage_hash cannot be seen, so both ACKs count.
    await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, honest), wrong))
    expect(harness.quorum.count(request.txId)).to.equal(2)

    await harness.processor.stepIn(request)

    expect(harness.quorum.count(request.txId)).to.equal(1)
    const evidence = await harness.store.getEvidence(request.txId, faulty.holderId)
    expect(decodeAckBatch(evidence as Uint8Array).acks).to.have.length(1)
  })

  describe('with a standby copy', () => {
    let standby: ProcessorHarness

    beforeEach(async () => {
      const copies = new Map<string, Uint8Array>()
      standby = await createProcessorHarness({
        minPohRequired: 2,
        assignment: {
          stores: () => false,
          recorded: (request) => { copies.set(Buffer.from(request.txId).toString('hex'), request.payload) },
          standbyPayload: (txId) => copies.get(Buffer.from(txId).toString('hex'))
        }
      })
    })

    afterEach(async () => {
      await standby.close()
    })

    it('wrong storage_hash rejected', async () => {
      const request = standby.request('checked against the standby copy')
      await standby.processor.onRequestMessage(standby.requestBytes(request))
      const wrong = signAckWithStorageHash(request, standby.holders[0]!, new Uint8Array(32).fill(7), standby.clock.now())

      const err = await catchAsync(async () => standby.processor.onAckBatchMessage(standby.batchBytes(wrong)))

      expectVerdict(err, GossipAction.REJECT, GossipErrorCode.BAD_STORAGE_HASH)
      expect(standby.quorum.count(request.txId)).to.equal(0)
    })

    it('right storage_hash counted', async () => {
      const request = standby.request('matches the standby copy')
      await standby.processor.onRequestMessage(standby.requestBytes(request))

      await standby.processor.onAckBatchMessage(standby.batchBytes(standby.ack(request, standby.holders[0]!)))

      expect(standby.quorum.count(request.txId)).to.equal(1)
    })
  })
})
