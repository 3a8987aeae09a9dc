import { decodeAck } from '../core/codec.js'
import { bytesEqual, toHex } from '../core/hash.js'
import { holderKeyFromPublicKey } from '../core/holder-set.js'
import { judgeSpotCheck } from '../core/spot-check.js'
import type { HolderSet } from '../core/holder-set.js'
import type { SpotCheckResult, SpotCheckTally } from '../core/spot-check-tally.js'
import type { SpotCheckVerdict } from '../core/spot-check.js'
import type { Clock, HolderKey } from '../core/types.js'
import type { Logger } from '../log/logger.js'
import type { ChallengeOutcome, SpotCheckClient } from '../network/spot-check/client.js'
import type { PohStore } from '../storage/store.js'
import type { Libp2p, PeerId } from '@libp2p/interface'

/** Label of one peer's response to one challenge: a verdict, or why there was none. */
export type SpotCheckPeerResult = SpotCheckVerdict | 'timeout' | 'unsupported' | 'error'

export const SPOT_CHECK_PEER_RESULTS: readonly SpotCheckPeerResult[] = [
  'pass', 'not_held', 'wrong_proof', 'bad_signature', 'not_holder', 'rate_limited', 'unavailable', 'malformed', 'timeout', 'unsupported', 'error'
]

export interface SpotCheckerInit {
  networkId: string
  client: Pick<SpotCheckClient, 'challenge'>
  libp2p: Pick<Libp2p, 'getPeers'>
  store: () => PohStore | undefined
  holderSet: HolderSet
  /** This node's holder_id, never challenged. */
  ownHolderId?: Uint8Array
  tally: SpotCheckTally
  clock: Clock
  /** A check picks only transactions that expire later than now plus this margin, in milliseconds. */
  expiryMarginMs: number
  logger: Logger
  /** Counts one holder's result. */
  onResult?: (holderId: Uint8Array, result: SpotCheckResult) => void
  /** Counts one peer's response to one challenge. */
  onPeerResult?: (result: SpotCheckPeerResult) => void
  /**
   * Maximum number of peers challenged to find the named holder in one check.
   * @default 16
   */
  maxPeersPerCheck?: number
}

/** One completed check. */
export interface SpotCheckRun {
  txId: string
  holderId: string
  result: SpotCheckResult
  /** Peer whose response decided the result, unset when it is unreachable. */
  peer?: string
}

const DEFAULT_MAX_PEERS_PER_CHECK = 16

/** Random transactions tried per check before giving up for lack of a holder to check. */
const MAX_PICKS_PER_CHECK = 8

/**
 * Maximum number of holder → peer pairs remembered. Beyond it, the pair
 * learned earliest is forgotten and found again by asking peers.
 */
const MAX_KNOWN_HOLDER_PEERS = 4096

/** Outcome of one challenge for the check it belongs to. */
type Step = { done: true, result: SpotCheckResult } | { done: false }

/**
 * Runs spot checks. Gossip is unsigned at the libp2p layer, so this node
 * cannot tell which peer runs which holder key. It challenges the peer that
 * last proved to be the holder first, then other connected peers, naming the
 * holder_id. A response counts against the holder only when the holder key
 * signed it, or when it comes from the peer that earlier proved to be the
 * holder, because any other peer could lie in the holder's name.
 */
export class SpotChecker {
  private readonly init: SpotCheckerInit
  /** Map from holder_id hex to the peer id whose signed response proved it runs that holder key. */
  private readonly holderPeers = new Map<string, string>()

  constructor (init: SpotCheckerInit) {
    this.init = init
  }

  /**
   * Picks a random stored transaction that other holders have ACKed, picks
   * one of them at random and checks it. Returns undefined when no stored
   * transaction has such an ACK.
   */
  async checkRandom (): Promise<SpotCheckRun | undefined> {
    for (let pick = 0; pick < MAX_PICKS_PER_CHECK; pick++) {
      const target = await this.pickTarget()
      if (target === 'empty') {
        return undefined
      }
      if (target !== undefined) {
        return await this.checkHolder(target.txId, target.holder)
      }
    }
    return undefined
  }

  /** Picks one stored transaction and one of its other holders; undefined when the pick has none to check. */
  private async pickTarget (): Promise<{ txId: Uint8Array, holder: HolderKey } | 'empty' | undefined> {
    const store = this.requireStore()
    const txId = await store.txIdAtOrAfter(crypto.getRandomValues(new Uint8Array(32)))
    if (txId === undefined) {
      return 'empty'
    }
    const tx = await store.getTx(txId)
    // A record kept without its payload (replication_factor) gives nothing to compare a proof with.
    if (tx === undefined || tx.payloadOmitted === true || tx.expiresAtMs <= this.init.clock.now() + this.init.expiryMarginMs) {
      return undefined
    }
    const holders: HolderKey[] = []
    for (const stored of await store.getAcks(txId)) {
      const holder = this.holderOf(stored.ack)
      if (holder !== undefined && (this.init.ownHolderId === undefined || !bytesEqual(holder.holderId, this.init.ownHolderId))) {
        holders.push(holder)
      }
    }
    const holder = holders[Math.floor(Math.random() * holders.length)]
    return holder === undefined ? undefined : { txId, holder }
  }

  /** The key of a stored ACK's holder: the listed key in a closed set, the ACK's own key in an open one. */
  private holderOf (encodedAck: Uint8Array): HolderKey | undefined {
    try {
      const ack = decodeAck(encodedAck)
      if (!this.init.holderSet.open) {
        return this.init.holderSet.get(ack.holderId)
      }
      // Stored ACKs passed validation, so in an open set the key matches holder_id.
      return ack.publicKey === undefined ? undefined : holderKeyFromPublicKey(ack.sigAlg, ack.publicKey)
    } catch {
      return undefined
    }
  }

  /**
   * Checks that `holder` still stores the payload of `txId`, which this node
   * must store too, and records the result. Throws RangeError when this
   * node does not store the payload.
   */
  async checkHolder (txId: Uint8Array, holder: HolderKey): Promise<SpotCheckRun> {
    const tx = await this.requireStore().getTx(txId)
    if (tx === undefined || tx.payloadOmitted === true) {
      throw new RangeError(`the payload of transaction ${toHex(txId)} is not stored on this node, so its holders cannot be checked`)
    }
    const holderHex = toHex(holder.holderId)
    let decided: { result: SpotCheckResult, peer: string } | undefined
    for (const peer of this.candidatePeers(holderHex)) {
      const outcome = await this.init.client.challenge(peer, txId, holder.holderId)
      const step = this.judge(outcome, { txId, holder, payload: tx.payload }, peer)
      if (step.done) {
        decided = { result: step.result, peer: peer.toString() }
        break
      }
    }
    const result = decided?.result ?? 'unreachable'
    this.init.tally.record(holder.holderId, result, this.init.clock.now())
    this.init.onResult?.(holder.holderId, result)
    const run: SpotCheckRun = { txId: toHex(txId), holderId: holderHex, result, peer: decided?.peer }
    const level = result === 'pass' ? 'debug' : 'info'
    this.init.logger[level](run, 'spot check finished')
    return run
  }

  /** Connected peers to challenge: the peer proven to be the holder first, the others in random order. */
  private candidatePeers (holderHex: string): PeerId[] {
    const known = this.holderPeers.get(holderHex)
    const peers = this.init.libp2p.getPeers()
    const first = peers.filter(peer => peer.toString() === known)
    const rest = peers.filter(peer => peer.toString() !== known)
    for (let i = rest.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1))
      ;[rest[i], rest[j]] = [rest[j] as PeerId, rest[i] as PeerId]
    }
    return [...first, ...rest].slice(0, this.init.maxPeersPerCheck ?? DEFAULT_MAX_PEERS_PER_CHECK)
  }

  /**
   * Turns one peer's response into a step of the check. A signed response
   * (pass, not_held, wrong_proof) decides it and records which peer runs the
   * holder key. A bad signature, a malformed response, a timeout or a refusal
   * decides it only when it comes from the peer already proven to be the
   * holder. From any other peer it proves nothing, so the next peer is asked.
   */
  private judge (outcome: ChallengeOutcome, target: { txId: Uint8Array, holder: HolderKey, payload: Uint8Array }, peer: PeerId): Step {
    const holderHex = toHex(target.holder.holderId)
    const proven = this.holderPeers.get(holderHex) === peer.toString()
    const verdict: SpotCheckPeerResult = outcome.kind === 'response'
      ? judgeSpotCheck({ networkId: this.init.networkId, ...target, nonce: outcome.nonce }, outcome.response)
      : outcome.kind
    this.init.onPeerResult?.(verdict)
    this.init.logger.debug({ peer: peer.toString(), txId: toHex(target.txId), holderId: holderHex, verdict, ...detailOf(outcome) }, 'spot-check response judged')

    switch (verdict) {
      case 'pass':
      case 'not_held':
      case 'wrong_proof':
        this.remember(holderHex, peer)
        return { done: true, result: verdict }
      case 'bad_signature':
      case 'malformed':
        return proven ? { done: true, result: verdict } : { done: false }
      case 'not_holder':
      case 'unsupported':
        // The holder key has moved to another peer, or this peer never ran it.
        if (proven) {
          this.holderPeers.delete(holderHex)
        }
        return { done: false }
      default:
        // timeout, error, rate_limited, unavailable: no proof either way.
        return proven ? { done: true, result: 'unreachable' } : { done: false }
    }
  }

  private remember (holderHex: string, peer: PeerId): void {
    this.holderPeers.delete(holderHex)
    this.holderPeers.set(holderHex, peer.toString())
    if (this.holderPeers.size > MAX_KNOWN_HOLDER_PEERS) {
      const oldest = this.holderPeers.keys().next().value
      if (oldest !== undefined) {
        this.holderPeers.delete(oldest)
      }
    }
  }

  private requireStore (): PohStore {
    const store = this.init.store()
    if (store === undefined) {
      throw new Error('node is not started')
    }
    return store
  }
}

function detailOf (outcome: ChallengeOutcome): Record<string, unknown> {
  switch (outcome.kind) {
    case 'malformed':
      return { reason: outcome.reason }
    case 'timeout':
      return { phase: outcome.phase }
    case 'error':
      return { err: outcome.error }
    default:
      return {}
  }
}
