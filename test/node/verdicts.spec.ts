/**
 * The gossip verdict table, row by row, through TxProcessor with real
 * encoded messages, real signatures, a real PohStore and a fake clock.
 */

import { expect } from 'chai'
import { decodeAckBatch } from '../../src/core/codec.js'
import { computeStorageHash, computeTxId, toHex } from '../../src/core/hash.js'
import { GossipAction, GossipErrorCode } from '../../src/core/errors.js'
import { TxState } from '../../src/core/types.js'
import { requestExpiresAt } from '../../src/core/validate.js'
import {
  catchAsync, createProcessorHarness, expectVerdict, flipByte, holderFromSeed, OUTSIDER_SEED, signAckWithStorageHash
} from '../helpers/fixtures.js'
import { holdNextBatch } from '../storage/helpers.js'
import type { HolderSigner } from '../../src/core/builders.js'
import type { PohAck, PohRequest } from '../../src/core/proto/poh.js'
import type { ProcessorHarness } from '../helpers/fixtures.js'

const encoder = new TextEncoder()

function hex (value: string): Uint8Array {
  return Uint8Array.from(Buffer.from(value, 'hex'))
}

describe('TxProcessor verdicts', () => {
  let harness: ProcessorHarness
  let holderA: HolderSigner
  let holderB: HolderSigner
  let holderC: HolderSigner
  let outsider: HolderSigner

  beforeEach(async () => {
    harness = await createProcessorHarness({ minPohRequired: 2 })
    ;[holderA, holderB, holderC] = harness.holders as [HolderSigner, HolderSigner, HolderSigner]
    outsider = holderFromSeed(OUTSIDER_SEED)
  })

  afterEach(async () => {
    await harness.close()
  })

  /** Sends a request through the request topic handler and expects it accepted. */
  async function acceptRequest (request: PohRequest): Promise<void> {
    await harness.processor.onRequestMessage(harness.requestBytes(request))
  }

  async function sendRequest (request: PohRequest): Promise<unknown> {
    return catchAsync(async () => harness.processor.onRequestMessage(harness.requestBytes(request)))
  }

  async function sendBatch (...acks: PohAck[]): Promise<unknown> {
    return catchAsync(async () => harness.processor.onAckBatchMessage(harness.batchBytes(...acks)))
  }

  async function storedAckCount (request: PohRequest): Promise<number> {
    return (await harness.store.getAcks(request.txId)).length
  }

  describe('request rows', () => {
    it('valid request stored', async () => {
      const request = harness.request('valid')

      expect(await sendRequest(request)).to.equal(undefined)
      const stored = await harness.store.getTx(request.txId)
      expect(stored?.payload).to.deep.equal(request.payload)
      expect(stored?.expiresAtMs).to.equal(requestExpiresAt(request))
      expect((await harness.store.getHistory(request.txId))?.state).to.equal(TxState.PENDING)
      expect(harness.events.requests).to.have.length(1)
    })

    it('undecodable request rejected', async () => {
      // Field 2 declares 5 bytes where only 1 follows.
      const err = await catchAsync(async () => harness.processor.onRequestMessage(hex('120501')))

      expectVerdict(err, GossipAction.REJECT, GossipErrorCode.UNDECODABLE)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('wrong version rejected', async () => {
      const request = { ...harness.request('v2'), version: 2 }

      expectVerdict(await sendRequest(request), GossipAction.REJECT, GossipErrorCode.WRONG_VERSION)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('31-byte tx_id rejected', async () => {
      const valid = harness.request('short id')
      const request = { ...valid, txId: valid.txId.slice(0, 31) }

      expectVerdict(await sendRequest(request), GossipAction.REJECT, GossipErrorCode.BAD_LENGTH)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('payload over max_payload_bytes rejected', async () => {
      const request = harness.request('x'.repeat(harness.limits.maxPayloadBytes + 1))

      expectVerdict(await sendRequest(request), GossipAction.REJECT, GossipErrorCode.PAYLOAD_TOO_LARGE)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('payload at max_payload_bytes accepted', async () => {
      const request = harness.request('x'.repeat(harness.limits.maxPayloadBytes))

      expect(await sendRequest(request)).to.equal(undefined)
      expect(await harness.store.countTxs()).to.equal(1)
    })

    it('tx_id mismatch rejected', async () => {
      const request = { ...harness.request('claimed'), txId: computeTxId(encoder.encode('actual')) as Uint8Array<ArrayBuffer> }

      expectVerdict(await sendRequest(request), GossipAction.REJECT, GossipErrorCode.TX_ID_MISMATCH)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('ttl over max_ttl_seconds rejected', async () => {
      const request = harness.request('long', { ttlSeconds: harness.limits.maxTtlSeconds + 1 })

      expectVerdict(await sendRequest(request), GossipAction.REJECT, GossipErrorCode.TTL_TOO_LONG)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('ttl 0 rejected', async () => {
      const request = { ...harness.request('zero'), ttlSeconds: 0 }

      expectVerdict(await sendRequest(request), GossipAction.REJECT, GossipErrorCode.TTL_ZERO)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('future timestamp ignored', async () => {
      const request = harness.request('future', { timestampMs: harness.clock.now() + harness.limits.maxClockSkewMs + 1 })

      expectVerdict(await sendRequest(request), GossipAction.IGNORE, GossipErrorCode.FUTURE_TIMESTAMP)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('stale request ignored', async () => {
      const request = harness.request('old', { timestampMs: harness.clock.now() - 61_000, ttlSeconds: 60 })

      expectVerdict(await sendRequest(request), GossipAction.IGNORE, GossipErrorCode.STALE_TIMESTAMP)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('expired request ignored', async () => {
      const request = harness.request('old but within skew', { timestampMs: harness.clock.now() - 4000, ttlSeconds: 1 })

      expectVerdict(await sendRequest(request), GossipAction.IGNORE, GossipErrorCode.TX_EXPIRED)
      expect(await harness.store.countTxs()).to.equal(0)
    })

    it('duplicate request ignored', async () => {
      const request = harness.request('twice')
      await acceptRequest(request)

      expectVerdict(await sendRequest(request), GossipAction.IGNORE, GossipErrorCode.DUPLICATE_REQUEST)
      expect(await harness.store.countTxs()).to.equal(1)
      expect(harness.events.requests).to.have.length(1)
    })

    it('concurrent duplicate request ignored', async () => {
      const request = harness.request('racing')
      const bytes = harness.requestBytes(request)

      const results = await Promise.all([
        catchAsync(async () => harness.processor.onRequestMessage(bytes)),
        catchAsync(async () => harness.processor.onRequestMessage(bytes))
      ])

      expect(results.filter((result) => result === undefined)).to.have.length(1)
      expectVerdict(results.find((result) => result !== undefined), GossipAction.IGNORE, GossipErrorCode.DUPLICATE_REQUEST)
      expect(harness.events.requests).to.have.length(1)
    })
  })

  describe('ACK rows', () => {
    it('valid ACK counted and stored', async () => {
      const request = harness.request('counted')
      await acceptRequest(request)

      expect(await sendBatch(harness.ack(request, holderA))).to.equal(undefined)
      expect(harness.quorum.count(request.txId)).to.equal(1)
      expect(await storedAckCount(request)).to.equal(1)
      expect((await harness.store.getHistory(request.txId))?.ackCount).to.equal(1)
    })

    it('second holder reaches quorum', async () => {
      const request = harness.request('quorum')
      await acceptRequest(request)

      await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, holderA)))
      await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, holderB)))

      expect(harness.quorum.count(request.txId)).to.equal(2)
      expect(harness.events.held).to.have.length(1)
      expect(harness.events.held[0]?.txId).to.deep.equal(request.txId)
      const history = await harness.store.getHistory(request.txId)
      expect(history?.state).to.equal(TxState.HELD)
      expect(history?.quorumAtMs).to.equal(harness.clock.now())
    })

    it('undecodable batch rejected', async () => {
      // Field 1 as a varint whose continuation bit promises a missing byte.
      const err = await catchAsync(async () => harness.processor.onAckBatchMessage(hex('0880')))

      expectVerdict(err, GossipAction.REJECT, GossipErrorCode.UNDECODABLE)
    })

    it('empty batch rejected', async () => {
      const err = await catchAsync(async () => harness.processor.onAckBatchMessage(harness.batchBytes()))

      expectVerdict(err, GossipAction.REJECT, GossipErrorCode.EMPTY_BATCH)
    })

    it('ACK after tx TTL window ignored', async () => {
      const request = harness.request('late')
      await acceptRequest(request)
      const ack = harness.ack(request, holderA)

      // Past expiry but before garbage collection, so the payload is still stored.
      harness.clock.set(requestExpiresAt(request) + 1)

      expectVerdict(await sendBatch(ack), GossipAction.IGNORE, GossipErrorCode.ACK_EXPIRED)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(await storedAckCount(request)).to.equal(0)
    })

    it('ACK signed after tx expiry ignored', async () => {
      const request = harness.request('signed late')
      await acceptRequest(request)
      const expiresAt = requestExpiresAt(request)

      // The clock is before expiry, and the ACK timestamp is after it but within the allowed skew.
      harness.clock.set(expiresAt - 1000)
      const ack = harness.ack(request, holderA, expiresAt + 1000)

      expectVerdict(await sendBatch(ack), GossipAction.IGNORE, GossipErrorCode.ACK_EXPIRED)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(await storedAckCount(request)).to.equal(0)
    })

    it('ACK signed before its request ignored', async () => {
      const request = harness.request('signed early')
      await acceptRequest(request)
      const ack = harness.ack(request, holderA, Number(request.timestampMs) - 60 * 60 * 1000)

      expectVerdict(await sendBatch(ack), GossipAction.IGNORE, GossipErrorCode.ACK_BEFORE_REQUEST)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(await storedAckCount(request)).to.equal(0)
    })

    it('ACK for collected tx ignored', async () => {
      const request = harness.request('collected')
      await acceptRequest(request)
      const ack = harness.ack(request, holderA)

      harness.clock.set(requestExpiresAt(request))
      const chunk = await harness.store.deleteExpired(harness.clock.now(), 100)
      expect(chunk.deleted.map(toHex)).to.deep.equal([toHex(request.txId)])
      expect((await harness.store.getHistory(request.txId))?.state).to.equal(TxState.EXPIRED)

      expectVerdict(await sendBatch(ack), GossipAction.IGNORE, GossipErrorCode.TX_EXPIRED)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(harness.pending.size).to.equal(0)
      expect(await storedAckCount(request)).to.equal(0)
    })

    it('ACK collected while stored ignored', async () => {
      const request = harness.request('collected meanwhile')
      await acceptRequest(request)
      const ack = harness.ack(request, holderA)

      // A write occupies the store's queue, so the sweep's delete batch waits behind it.
      const slowBatch = holdNextBatch(harness.store)
      const backlog = harness.store.putMeta('backlog', Uint8Array.of(1))
      const sweep = harness.store.deleteExpired(requestExpiresAt(request), 100)
      await new Promise((resolve) => setTimeout(resolve, 50))
      const verdict = sendBatch(ack)
      slowBatch.release()

      await backlog
      expect((await sweep).deleted.map(toHex)).to.deep.equal([toHex(request.txId)])
      expectVerdict(await verdict, GossipAction.IGNORE, GossipErrorCode.TX_EXPIRED)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(harness.events.acks).to.have.length(0)
      expect(await storedAckCount(request)).to.equal(0)
      expect((await harness.store.getHistory(request.txId))?.state).to.equal(TxState.EXPIRED)
    })

    it('request for collected tx ignored', async () => {
      const request = harness.request('collected request')
      await acceptRequest(request)
      harness.clock.set(requestExpiresAt(request))
      await harness.store.deleteExpired(harness.clock.now(), 100)

      expectVerdict(await sendRequest(request), GossipAction.IGNORE, GossipErrorCode.STALE_TIMESTAMP)
      expect(await harness.store.hasTx(request.txId)).to.equal(false)
    })

    it('new request after expiry stored again', async () => {
      const first = harness.request('held twice')
      await acceptRequest(first)
      harness.clock.set(requestExpiresAt(first) + 1)
      await harness.store.deleteExpired(harness.clock.now(), 100)
      const second = harness.request('held twice', { timestampMs: harness.clock.now() })

      expect(await sendRequest(second)).to.equal(undefined)
      expect(await harness.store.hasTx(second.txId)).to.equal(true)
    })

    it('ACK with signature_pq rejected', async () => {
      const request = harness.request('padded')
      await acceptRequest(request)
      const ack = { ...harness.ack(request, holderA), signaturePq: new Uint8Array(1024) as Uint8Array<ArrayBuffer> }

      expectVerdict(await sendBatch(ack), GossipAction.REJECT, GossipErrorCode.BAD_LENGTH)
      expect(harness.quorum.count(request.txId)).to.equal(0)
    })

    it('ACK from holder outside set ignored', async () => {
      const request = harness.request('outsider')
      await acceptRequest(request)

      expectVerdict(await sendBatch(harness.ack(request, outsider)), GossipAction.IGNORE, GossipErrorCode.UNKNOWN_HOLDER)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(await storedAckCount(request)).to.equal(0)
    })

    it('ACK with future timestamp ignored', async () => {
      const request = harness.request('ack future')
      await acceptRequest(request)
      const ack = harness.ack(request, holderA, harness.clock.now() + harness.limits.maxClockSkewMs + 1)

      expectVerdict(await sendBatch(ack), GossipAction.IGNORE, GossipErrorCode.FUTURE_TIMESTAMP)
      expect(harness.quorum.count(request.txId)).to.equal(0)
    })

    it('ACK with bad signature rejected', async () => {
      const request = harness.request('forged')
      await acceptRequest(request)
      const ack = harness.ack(request, holderA)

      expectVerdict(await sendBatch({ ...ack, signature: flipByte(ack.signature) }), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(await storedAckCount(request)).to.equal(0)
    })

    it('ACK with bad signature before request rejected', async () => {
      const request = harness.request('forged early')
      const ack = harness.ack(request, holderA)

      expectVerdict(await sendBatch({ ...ack, signature: flipByte(ack.signature) }), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
      expect(harness.pending.size).to.equal(0)
    })

    it('ACK for other network rejected', async () => {
      const request = harness.request('replayed')
      await acceptRequest(request)
      const replayed = signAckWithStorageHash(request, holderA, computeStorageHash(holderA.holderId, request.payload), harness.clock.now(), 'poh-other')

      expectVerdict(await sendBatch(replayed), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
      expect(harness.quorum.count(request.txId)).to.equal(0)
    })

    it('wrong storage_hash for known payload rejected', async () => {
      const request = harness.request('stored payload')
      await acceptRequest(request)
      const wrongHash = computeStorageHash(holderA.holderId, encoder.encode('some other payload'))
      const ack = signAckWithStorageHash(request, holderA, wrongHash, harness.clock.now())

      expectVerdict(await sendBatch(ack), GossipAction.REJECT, GossipErrorCode.BAD_STORAGE_HASH)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(await storedAckCount(request)).to.equal(0)
    })

    it('contradicting ACK revokes counted holder', async () => {
      const request = harness.request('two stories')
      await acceptRequest(request)
      await sendBatch(harness.ack(request, holderA))
      expect(harness.quorum.count(request.txId)).to.equal(1)
      const wrongHash = computeStorageHash(holderA.holderId, encoder.encode('a different payload'))
      const contradiction = signAckWithStorageHash(request, holderA, wrongHash, harness.clock.now())

      expectVerdict(await sendBatch(contradiction), GossipAction.REJECT, GossipErrorCode.BAD_STORAGE_HASH)
      expect(harness.quorum.count(request.txId)).to.equal(0)
      expect(await storedAckCount(request)).to.equal(0)
      const evidence = await harness.store.getEvidence(request.txId, holderA.holderId)
      expect(evidence).to.not.equal(undefined)
      expect(decodeAckBatch(evidence as Uint8Array).acks).to.have.length(2)
      expectVerdict(await sendBatch(harness.ack(request, holderA)), GossipAction.IGNORE, GossipErrorCode.CONFLICTING_ACK)
    })

    it('request over max_stored_bytes ignored', async () => {
      await harness.close()
      harness = await createProcessorHarness({ maxStoredBytes: 20 })
      const first = harness.request('twelve bytes')
      await acceptRequest(first)
      const second = harness.request('twelve again')

      expectVerdict(await sendRequest(second), GossipAction.IGNORE, GossipErrorCode.STORE_FULL)
      expect(await harness.store.hasTx(second.txId)).to.equal(false)
      expect(await harness.store.hasTx(first.txId)).to.equal(true)
    })

    it('duplicate ACK ignored', async () => {
      const request = harness.request('dup')
      await acceptRequest(request)
      const ack = harness.ack(request, holderA)
      await harness.processor.onAckBatchMessage(harness.batchBytes(ack))

      expectVerdict(await sendBatch(ack), GossipAction.IGNORE, GossipErrorCode.DUPLICATE_ACK)
      expect(harness.quorum.count(request.txId)).to.equal(1)
      expect(await storedAckCount(request)).to.equal(1)
    })

    it('re-signed ACK from counted holder ignored', async () => {
      const request = harness.request('resigned')
      await acceptRequest(request)
      await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, holderA)))
      harness.clock.advance(1000)

      expectVerdict(await sendBatch(harness.ack(request, holderA)), GossipAction.IGNORE, GossipErrorCode.DUPLICATE_ACK)
      expect(harness.quorum.count(request.txId)).to.equal(1)
      expect(await storedAckCount(request)).to.equal(1)
    })

    describe('ACK before its request', () => {
      it('early ACK kept in pending buffer', async () => {
        const request = harness.request('early')

        expect(await sendBatch(harness.ack(request, holderA))).to.equal(undefined)
        expect(harness.pending.size).to.equal(1)
        expect(harness.quorum.count(request.txId)).to.equal(0)
        expect(await storedAckCount(request)).to.equal(0)
      })

      it('duplicate early ACK ignored', async () => {
        const request = harness.request('early twice')
        const ack = harness.ack(request, holderA)
        await sendBatch(ack)

        expectVerdict(await sendBatch(ack), GossipAction.IGNORE, GossipErrorCode.DUPLICATE_ACK)
        expect(harness.pending.size).to.equal(1)
      })

      it('early ACK counted once request arrives', async () => {
        const request = harness.request('early counted')
        await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, holderA)))

        await acceptRequest(request)

        expect(harness.pending.size).to.equal(0)
        expect(harness.quorum.count(request.txId)).to.equal(1)
        expect(harness.events.acks).to.have.length(1)
        expect(harness.events.held).to.have.length(0)
        expect(await storedAckCount(request)).to.equal(1)
      })

      it('early ACKs reach quorum on request', async () => {
        const request = harness.request('early quorum')
        await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, holderA), harness.ack(request, holderB)))
        expect(harness.events.held).to.have.length(0)

        await acceptRequest(request)

        expect(harness.quorum.count(request.txId)).to.equal(2)
        expect(harness.events.held).to.have.length(1)
        expect(harness.events.held[0]?.count).to.equal(2)
        expect(await storedAckCount(request)).to.equal(2)
        const history = await harness.store.getHistory(request.txId)
        expect(history?.state).to.equal(TxState.HELD)
        expect(history?.ackCount).to.equal(2)
      })

      it('early ACK with wrong storage_hash not counted', async () => {
        const request = harness.request('early wrong hash')
        const wrongHash = computeStorageHash(holderA.holderId, encoder.encode('not the payload'))
        const ack = signAckWithStorageHash(request, holderA, wrongHash, harness.clock.now())

        // The payload is unknown when the ACK arrives, so only its signature can be checked.
        expect(await sendBatch(ack)).to.equal(undefined)
        await acceptRequest(request)

        expect(harness.quorum.count(request.txId)).to.equal(0)
        expect(await storedAckCount(request)).to.equal(0)
      })

      it('early ACK over pending limit dropped', async () => {
        await harness.close()
        harness = await createProcessorHarness({ minPohRequired: 2, pendingMaxAcks: 1 })
        const request = harness.request('early overflow')
        const [first, second] = harness.holders as [HolderSigner, HolderSigner]
        await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, first)))

        // The buffer is full, so the ACK is dropped but its message is still accepted.
        expect(await sendBatch(harness.ack(request, second))).to.equal(undefined)
        expect(harness.pending.size).to.equal(1)
        expect(harness.pending.overflowed).to.equal(1)
        expect((await harness.metrics.pendingAckOverflow.get()).values[0]?.value).to.equal(1)

        await acceptRequest(request)
        expect(harness.quorum.count(request.txId)).to.equal(1)
        expect(harness.quorum.has(request.txId, second.holderId)).to.equal(false)
      })

      it('early ACK from outsider ignored', async () => {
        const request = harness.request('early outsider')

        expectVerdict(await sendBatch(harness.ack(request, outsider)), GossipAction.IGNORE, GossipErrorCode.UNKNOWN_HOLDER)
        expect(harness.pending.size).to.equal(0)
      })
    })

    describe('mixed batches', () => {
      it('valid and REJECT ACK rejected', async () => {
        const request = harness.request('mixed reject')
        await acceptRequest(request)
        const forged = harness.ack(request, holderB)

        const err = await sendBatch(harness.ack(request, holderA), { ...forged, signature: flipByte(forged.signature) })

        expectVerdict(err, GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
        expect(harness.quorum.has(request.txId, holderB.holderId)).to.equal(false)
      })

      it('REJECT and valid ACK rejected', async () => {
        const request = harness.request('mixed reject first')
        await acceptRequest(request)
        const forged = harness.ack(request, holderB)

        const err = await sendBatch({ ...forged, signature: flipByte(forged.signature) }, harness.ack(request, holderA))

        expectVerdict(err, GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
        expect(harness.quorum.has(request.txId, holderB.holderId)).to.equal(false)
      })

      it('valid and IGNORE ACK accepted', async () => {
        const request = harness.request('mixed ignore')
        await acceptRequest(request)

        expect(await sendBatch(harness.ack(request, outsider), harness.ack(request, holderA))).to.equal(undefined)
        expect(harness.quorum.count(request.txId)).to.equal(1)
        expect(harness.quorum.has(request.txId, outsider.holderId)).to.equal(false)
        expect(await storedAckCount(request)).to.equal(1)
      })

      it('only IGNORE ACKs ignored', async () => {
        const request = harness.request('all ignore')
        await acceptRequest(request)

        const err = await sendBatch(harness.ack(request, outsider), harness.ack(request, holderA, harness.clock.now() + 60_000))

        expectVerdict(err, GossipAction.IGNORE, GossipErrorCode.UNKNOWN_HOLDER)
        expect(harness.quorum.count(request.txId)).to.equal(0)
      })
    })
  })

  describe('ACKs not counted', () => {
    let request: PohRequest

    beforeEach(async () => {
      request = harness.request('not counted')
      await acceptRequest(request)
      await harness.processor.onAckBatchMessage(harness.batchBytes(harness.ack(request, holderA)))
      expect(harness.quorum.count(request.txId)).to.equal(1)
    })

    async function expectCountUnchanged (): Promise<void> {
      expect(harness.quorum.count(request.txId)).to.equal(1)
      expect(harness.events.acks).to.have.length(1)
      expect(harness.events.held).to.have.length(0)
      expect(await storedAckCount(request)).to.equal(1)
      expect((await harness.store.getHistory(request.txId))?.ackCount).to.equal(1)
    }

    it('bad-signature ACK not counted', async () => {
      const ack = harness.ack(request, holderB)

      expectVerdict(await sendBatch({ ...ack, signature: flipByte(ack.signature) }), GossipAction.REJECT, GossipErrorCode.BAD_SIGNATURE)
      await expectCountUnchanged()
      expect(harness.quorum.has(request.txId, holderB.holderId)).to.equal(false)
    })

    it('unknown-holder ACK not counted', async () => {
      expectVerdict(await sendBatch(harness.ack(request, outsider)), GossipAction.IGNORE, GossipErrorCode.UNKNOWN_HOLDER)
      await expectCountUnchanged()
    })

    it('duplicate ACK not counted', async () => {
      expectVerdict(await sendBatch(harness.ack(request, holderA)), GossipAction.IGNORE, GossipErrorCode.DUPLICATE_ACK)
      await expectCountUnchanged()
    })

    it('wrong-storage-hash ACK not counted', async () => {
      const wrongHash = computeStorageHash(holderC.holderId, encoder.encode('not the payload'))
      const ack = signAckWithStorageHash(request, holderC, wrongHash, harness.clock.now())

      expectVerdict(await sendBatch(ack), GossipAction.REJECT, GossipErrorCode.BAD_STORAGE_HASH)
      await expectCountUnchanged()
    })
  })
})
