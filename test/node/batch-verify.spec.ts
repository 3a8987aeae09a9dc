/**
 * ACK batches verified ahead on a VerifyPool get the same verdicts, counts
 * and stored ACKs as with inline verification. Each case runs through two
 * TxProcessors over real stores, one with a pool of 2 workers and one
 * without, and compares what they did.
 */

import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import { computeStorageHash } from '../../src/core/hash.js'
import { GossipValidationError } from '../../src/core/errors.js'
import { requestExpiresAt } from '../../src/core/validate.js'
import { VerifyPool } from '../../src/node/verify-pool.js'
import {
  catchAsync, createDiscardLogger, createProcessorHarness, flipByte, holderFromSeed, OUTSIDER_SEED, signAckWithStorageHash
} from '../helpers/fixtures.js'
import type { HolderSigner } from '../../src/core/builders.js'
import type { PohAck } from '../../src/core/proto/poh.js'
import type { ProcessorHarness } from '../helpers/fixtures.js'

const encoder = new TextEncoder()

function forged (ack: PohAck): PohAck {
  return { ...ack, signature: flipByte(ack.signature) }
}

/** What one batch did: its verdict, and the ACKs counted and stored afterwards. */
interface Outcome {
  verdict: string
  counted: number
  stored: number
  pending: number
}

/** Sets up state on a harness and returns the batch to send and the tx whose ACKs are counted. */
type Scenario = (harness: ProcessorHarness, holders: HolderSigner[]) => Promise<{ batch: PohAck[], txId: Uint8Array }>

async function stored (harness: ProcessorHarness, text: string): Promise<ReturnType<ProcessorHarness['request']>> {
  const request = harness.request(text)
  await harness.processor.onRequestMessage(harness.requestBytes(request))
  return request
}

/** `verifiedAhead`: signature checks left for the pool after the prechecks. */
const SCENARIOS: Array<{ id: string, verifiedAhead: number, scenario: Scenario }> = [
  {
    id: 'valid ACKs of three holders',
    verifiedAhead: 3,
    scenario: async (harness, [a, b, c]) => {
      const request = await stored(harness, 'three')
      return { batch: [harness.ack(request, a as HolderSigner), harness.ack(request, b as HolderSigner), harness.ack(request, c as HolderSigner)], txId: request.txId }
    }
  },
  {
    id: 'bad signature after valid ACK',
    verifiedAhead: 2,
    scenario: async (harness, [a, b]) => {
      const request = await stored(harness, 'forged second')
      return { batch: [harness.ack(request, a as HolderSigner), forged(harness.ack(request, b as HolderSigner))], txId: request.txId }
    }
  },
  {
    id: 'same ACK twice in one batch',
    verifiedAhead: 1,
    scenario: async (harness, [a]) => {
      const request = await stored(harness, 'twice')
      const ack = harness.ack(request, a as HolderSigner)
      return { batch: [ack, ack, forged(ack)], txId: request.txId }
    }
  },
  {
    id: 'forged copy of counted ACK',
    verifiedAhead: 0,
    scenario: async (harness, [a]) => {
      const request = await stored(harness, 'counted then forged')
      const ack = harness.ack(request, a as HolderSigner)
      await harness.processor.onAckBatchMessage(harness.batchBytes(ack))
      return { batch: [forged(ack)], txId: request.txId }
    }
  },
  {
    id: 'forged ACK outside TTL window',
    verifiedAhead: 0,
    scenario: async (harness, [a, b]) => {
      const request = await stored(harness, 'late forged')
      const acks = [forged(harness.ack(request, a as HolderSigner)), harness.ack(request, b as HolderSigner)]
      harness.clock.set(requestExpiresAt(request) + 1)
      return { batch: acks, txId: request.txId }
    }
  },
  {
    id: 'forged ACKs signed before request',
    verifiedAhead: 0,
    scenario: async (harness, [a]) => {
      const request = await stored(harness, 'signed an hour early')
      const early = Number(request.timestampMs) - 3_600_000
      const batch = Array.from({ length: 8 }, () => forged(signAckWithStorageHash(request, a as HolderSigner, randomBytes(32), early)))
      return { batch, txId: request.txId }
    }
  },
  {
    id: 'many forged ACKs, one window',
    verifiedAhead: 64,
    scenario: async (harness, [a]) => {
      const request = await stored(harness, 'forged flood')
      const batch = Array.from({ length: 150 }, () => forged(signAckWithStorageHash(request, a as HolderSigner, randomBytes(32), harness.clock.now())))
      return { batch, txId: request.txId }
    }
  },
  {
    id: 'ACK already waiting for request',
    verifiedAhead: 0,
    scenario: async (harness, [a]) => {
      const request = harness.request('waiting twice')
      await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, a as HolderSigner)))
      return { batch: [forged(harness.ack(request, a as HolderSigner, harness.clock.now() + 1))], txId: request.txId }
    }
  },
  {
    id: 'outsider and valid ACK',
    verifiedAhead: 1,
    scenario: async (harness, [a]) => {
      const request = await stored(harness, 'outsider')
      return { batch: [harness.ack(request, holderFromSeed(OUTSIDER_SEED)), harness.ack(request, a as HolderSigner)], txId: request.txId }
    }
  },
  {
    id: 'early ACKs, one forged',
    verifiedAhead: 2,
    scenario: async (harness, [a, b]) => {
      const request = harness.request('early')
      return { batch: [harness.ack(request, a as HolderSigner), forged(harness.ack(request, b as HolderSigner))], txId: request.txId }
    }
  },
  {
    id: 'early ACKs all valid',
    verifiedAhead: 2,
    scenario: async (harness, [a, b]) => {
      const request = harness.request('early valid')
      return { batch: [harness.ack(request, a as HolderSigner), harness.ack(request, b as HolderSigner)], txId: request.txId }
    }
  },
  {
    id: 'contradicting ACK of counted holder',
    verifiedAhead: 2,
    scenario: async (harness, [a, b]) => {
      const request = await stored(harness, 'contradiction')
      await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, a as HolderSigner)))
      const wrongHash = computeStorageHash((a as HolderSigner).holderId, encoder.encode('another payload'))
      const contradiction = signAckWithStorageHash(request, a as HolderSigner, wrongHash, harness.clock.now())
      return { batch: [harness.ack(request, b as HolderSigner), contradiction], txId: request.txId }
    }
  }
]

async function run (harness: ProcessorHarness, scenario: Scenario, pool?: VerifyPool): Promise<Outcome & { verifiedAhead: number }> {
  const { batch, txId } = await scenario(harness, harness.holders)
  const pooledBefore = pool?.stats.pooled ?? 0
  const err = await catchAsync(async () => harness.processor.onAckBatchMessage(harness.batchBytes(...batch)))
  const verifiedAhead = (pool?.stats.pooled ?? 0) - pooledBefore
  if (err !== undefined && !(err instanceof GossipValidationError)) {
    throw err
  }
  return {
    verdict: err === undefined ? 'ACCEPT' : `${err.action} ${err.reason}`,
    counted: harness.quorum.count(txId),
    stored: (await harness.store.getAcks(txId)).length,
    pending: harness.pending.size,
    verifiedAhead
  }
}

describe('TxProcessor with VerifyPool', () => {
  let pool: VerifyPool
  const harnesses: ProcessorHarness[] = []

  before(() => {
    pool = new VerifyPool({ size: 2, logger: createDiscardLogger() })
  })

  after(async () => {
    await pool.close()
  })

  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map(async (harness) => harness.close()))
  })

  for (const { id, verifiedAhead, scenario } of SCENARIOS) {
    it(`${id}: same outcome as inline`, async () => {
      const inline = await createProcessorHarness({ minPohRequired: 2 })
      harnesses.push(inline)
      const pooled = await createProcessorHarness({ minPohRequired: 2, verifyPool: pool })
      harnesses.push(pooled)

      const expected = await run(inline, scenario)
      const actual = await run(pooled, scenario, pool)

      expect({ ...actual, verifiedAhead: 0 }).to.deep.equal(expected)
      expect(actual.verifiedAhead, 'checks the pool verified').to.equal(verifiedAhead)
    })
  }
})
