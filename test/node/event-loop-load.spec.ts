import { expect } from 'chai'
import { EventLoopLoad } from '../../src/node/event-loop-load.js'
import { until } from '../helpers/network.js'

/** Keeps the event loop busy for `ms` milliseconds, as a saturated node would. */
function blockLoop (ms: number): void {
  const end = Date.now() + ms
  while (Date.now() < end) {
    // Busy wait on purpose.
  }
}

describe('EventLoopLoad', () => {
  let load: EventLoopLoad

  beforeEach(() => {
    load = new EventLoopLoad()
    load.start()
  })

  afterEach(() => {
    load.stop()
  })

  it('starts at zero', () => {
    expect(load.busyShare).to.equal(0)
  })

  it('reports a blocked loop as busy', async () => {
    blockLoop(600)
    await until(() => load.busyShare > 0.5, 'a busy share above 0.5', 2000)
    expect(load.busyShare).to.be.at.most(1)
  })

  it('reports an idle loop again after load', async () => {
    blockLoop(600)
    await until(() => load.busyShare > 0.5, 'a busy share above 0.5', 2000)
    await until(() => load.busyShare < 0.1, 'a busy share below 0.1', 2000)
  })
})
