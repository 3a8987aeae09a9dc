import { expect } from 'chai'
import { AckBatcher } from '../../src/network/ack-batcher.js'
import { SigAlg } from '../../src/core/types.js'
import type { PohAck } from '../../src/core/proto/poh.js'

function ack (signatureBytes: number, fill = 1): PohAck {
  return {
    version: 1,
    txId: new Uint8Array(32).fill(fill),
    storageHash: new Uint8Array(32),
    timestampMs: 1n,
    holderId: new Uint8Array(32),
    sigAlg: SigAlg.ED25519,
    signature: new Uint8Array(signatureBytes)
  }
}

describe('AckBatcher', () => {
  let published: PohAck[][]
  let batcher: AckBatcher

  function create (maxSize: number, maxBytes: number, maxDelayMs = 60_000): AckBatcher {
    return new AckBatcher({
      maxSize,
      maxBytes,
      maxDelayMs,
      publish: async (acks) => { published.push(acks) },
      onError: () => {}
    })
  }

  beforeEach(() => {
    published = []
  })

  afterEach(async () => {
    await batcher?.drain()
  })

  it('flushes at max size', () => {
    batcher = create(3, 1 << 20)

    for (let i = 0; i < 7; i++) {
      batcher.add(ack(64, i))
    }

    expect(published.map(b => b.length)).to.deep.equal([3, 3])
    expect(batcher.pending).to.equal(1)
  })

  it('flushes before max bytes', () => {
    batcher = create(100, 10_000)

    for (let i = 0; i < 5; i++) {
      batcher.add(ack(3309, i))
    }

    expect(published.map(b => b.length)).to.deep.equal([2, 2])
    expect(batcher.pending).to.equal(1)
  })

  it('flushes after max delay', async () => {
    batcher = create(100, 1 << 20, 5)
    const flushed = new Promise<void>((resolve) => {
      batcher = new AckBatcher({ maxSize: 100, maxBytes: 1 << 20, maxDelayMs: 5, publish: async (acks) => { published.push(acks); resolve() }, onError: () => {} })
    })

    batcher.add(ack(64))
    batcher.add(ack(64, 2))
    await flushed

    expect(published.map(b => b.length)).to.deep.equal([2])
  })

  it('reports publish errors', async () => {
    const errors: number[] = []
    batcher = new AckBatcher({ maxSize: 1, maxBytes: 1 << 20, maxDelayMs: 5, publish: async () => { throw new Error('no peers') }, onError: (_err, count) => { errors.push(count) } })

    batcher.add(ack(64))
    await batcher.drain()

    expect(errors).to.deep.equal([1])
  })
  describe('flush delay', () => {
    function withBusyShare (share: number, busyDelayMs = 50): AckBatcher {
      return new AckBatcher({ maxSize: 100, maxBytes: 1 << 20, maxDelayMs: 5, busyDelayMs, busyShare: () => share, publish: async () => {}, onError: () => {} })
    }

    it('is maxDelayMs when idle', () => {
      expect(withBusyShare(0).delayMs()).to.equal(5)
      expect(withBusyShare(0.5).delayMs()).to.equal(5)
    })

    it('rises linearly with busy share', () => {
      expect(withBusyShare(0.8).delayMs()).to.equal(39)
    })

    it('is busyDelayMs when busy', () => {
      expect(withBusyShare(0.9).delayMs()).to.equal(50)
      expect(withBusyShare(1).delayMs()).to.equal(50)
    })

    it('ignores busyDelayMs not above maxDelayMs', () => {
      expect(withBusyShare(1, 5).delayMs()).to.equal(5)
      expect(withBusyShare(1, 0).delayMs()).to.equal(5)
    })

    it('holds a batch longer when busy', async () => {
      let share = 1
      const flushed = new Promise<number>((resolve) => {
        const started = Date.now()
        batcher = new AckBatcher({ maxSize: 100, maxBytes: 1 << 20, maxDelayMs: 1, busyDelayMs: 200, busyShare: () => share, publish: async () => { resolve(Date.now() - started) }, onError: () => {} })
      })

      batcher.add(ack(64))
      share = 0
      expect(await flushed).to.be.at.least(150)
    })
  })
})
