import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { defaultConfig } from '../../src/config/index.js'
import { HolderSet } from '../../src/core/holder-set.js'
import { QuorumTracker } from '../../src/core/quorum.js'
import { systemClock } from '../../src/core/types.js'
import { NodeView } from '../../src/node/node-view.js'
import { PohStore } from '../../src/storage/store.js'
import { makeHistory, makeTx } from '../storage/helpers.js'

describe('NodeView.recount', () => {
  let dir: string
  let store: PohStore
  let view: NodeView
  let scans: number

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-node-view-'))
    store = await PohStore.open({ path: join(dir, 'db'), clock: systemClock })
    // Counts full scans of the stored payloads; the real scan still runs.
    scans = 0
    const storedTotals = store.storedTotals.bind(store)
    store.storedTotals = async () => { scans++; return await storedTotals() }
    const config = defaultConfig()
    view = new NodeView({
      config,
      store: () => store,
      libp2p: () => undefined,
      quorum: new QuorumTracker(1),
      holderSet: HolderSet.fromConfig(config.holders),
      holderId: () => undefined,
      clock: systemClock,
      startedAtMs: () => 0,
      spotChecks: () => []
    })
  })

  afterEach(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('counts stored bytes', async () => {
    const tx = makeTx('twelve bytes')
    await store.putTx(tx, makeHistory(tx))
    await view.recount()
    expect(view.storedBytesEstimate).to.equal(12)
  })

  it('concurrent calls share one follow-up', async () => {
    const tx = makeTx('twelve bytes')
    await store.putTx(tx, makeHistory(tx))
    // The first call scans; the three made while it runs wait for one more scan.
    await Promise.all([view.recount(), view.recount(), view.recount(), view.recount()])
    expect(scans).to.equal(2)
    expect(view.storedBytesEstimate).to.equal(12)
  })

  it('later call scans again', async () => {
    await view.recount()
    await view.recount()
    expect(scans).to.equal(2)
  })
})
