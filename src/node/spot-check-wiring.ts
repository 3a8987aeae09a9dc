import { SpotCheckTally } from '../core/spot-check-tally.js'
import { SpotCheckClient } from '../network/spot-check/client.js'
import { SpotCheckServer } from '../network/spot-check/server.js'
import { holderLabeler } from './metrics.js'
import { SpotChecker } from './spot-checker.js'
import type { PohConfig } from '../config/index.js'
import type { HolderSigner } from '../core/builders.js'
import type { HolderSet } from '../core/holder-set.js'
import type { HolderSpotChecks } from '../core/spot-check-tally.js'
import type { Clock } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { PohLibp2p } from '../network/libp2p.js'
import type { PohStore } from '../storage/store.js'
import type { NodeMetrics } from './metrics.js'

export interface SpotCheckWiringInit {
  libp2p: PohLibp2p
  config: PohConfig
  store: () => PohStore | undefined
  holderSet: HolderSet
  /** This node's holder key; without one the node serves no challenges. */
  signer?: HolderSigner
  clock: Clock
  logger: Logger
  metrics: NodeMetrics
}

/** Spot checks of one node: the server a holder runs, the checker every node runs and its schedule. */
export class SpotChecks {
  readonly checker: SpotChecker
  private readonly server?: SpotCheckServer
  private readonly tally = new SpotCheckTally()
  private readonly init: SpotCheckWiringInit
  private readonly logger: Logger
  private timer?: NodeJS.Timeout
  private running?: Promise<unknown>

  constructor (init: SpotCheckWiringInit) {
    const { config, metrics } = init
    this.init = init
    this.logger = init.logger.child({ component: 'spot-check' })
    const timeoutMs = config.spot_check.timeout_ms
    const labelOf = holderLabeler()
    this.checker = new SpotChecker({
      networkId: config.network_id,
      client: new SpotCheckClient({
        libp2p: init.libp2p,
        networkId: config.network_id,
        // One deadline for the whole challenge: signing and hashing one payload take milliseconds.
        timeouts: { dialMs: timeoutMs, firstByteMs: timeoutMs, responseMs: timeoutMs }
      }),
      libp2p: init.libp2p,
      store: init.store,
      holderSet: init.holderSet,
      ownHolderId: init.signer?.holderId,
      tally: this.tally,
      clock: init.clock,
      // The holder's garbage collection may delete the payload as soon as it
      // expires by its own clock, which may run ahead by max_clock_skew_ms.
      expiryMarginMs: config.max_clock_skew_ms + timeoutMs,
      logger: this.logger,
      onResult: (holderId, result) => { metrics.spotChecks.inc({ holder: labelOf(holderId), result }) },
      onPeerResult: (result) => { metrics.spotCheckAnswers.inc({ result }) }
    })
    if (init.signer !== undefined) {
      this.server = new SpotCheckServer({
        libp2p: init.libp2p,
        networkId: config.network_id,
        signer: init.signer,
        payload: async (txId) => {
          const tx = await this.requireStore().getTx(txId)
          return tx === undefined || tx.payloadOmitted === true ? undefined : tx.payload
        },
        limits: { ratePerSecond: config.spot_check.rate_limit_per_second, readTimeoutMs: timeoutMs },
        clock: init.clock,
        logger: this.logger,
        onResponse: (result) => { metrics.spotCheckServed.inc({ result }) }
      })
    }
  }

  /** Per-holder counts for status, ordered by holder_id. */
  holders (): HolderSpotChecks[] {
    return this.tally.list()
  }

  /** Starts serving challenges (holders only) and, when spot_check.enabled, the schedule. */
  async start (): Promise<void> {
    await this.server?.start()
    if (this.init.config.spot_check.enabled) {
      this.schedule()
      this.logger.info({ intervalMs: this.init.config.spot_check.interval_ms }, 'spot checks scheduled')
    }
  }

  /** Stops the schedule, waits for a check under way, and stops serving. */
  async stop (): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    await this.running
    await this.server?.stop()
  }

  private schedule (): void {
    this.timer = setTimeout(() => {
      this.running = this.checker.checkRandom()
        .catch((err: unknown) => { this.logger.warn({ err }, 'spot check failed to run; trying again at the next interval') })
        .finally(() => {
          this.running = undefined
          if (this.timer !== undefined) {
            this.schedule()
          }
        })
    }, this.init.config.spot_check.interval_ms)
    this.timer.unref()
  }

  private requireStore (): PohStore {
    const store = this.init.store()
    if (store === undefined) {
      throw new Error('node is stopping')
    }
    return store
  }
}
