import { sha256 } from '@noble/hashes/sha2.js'
import { computeHolderId, fromHex, toHex } from './hash.js'
import { HOLDER_SIG_ALGS, SIG_ALG_LENGTHS, SigAlg, isHolderSigAlg } from './types.js'
import type { HolderKey, HolderSigAlg } from './types.js'

/** A holder as listed in config: algorithm name and public key in hex. */
export interface HolderEntry {
  algorithm: HolderAlgorithmName
  public_key: string
}

/** Names of the holder signature algorithms, as config files and key files spell them. */
export type HolderAlgorithmName = 'ED25519' | 'ML_DSA_65' | 'HYBRID_ED25519_ML_DSA_65'

/** Turns a configured algorithm name into the wire enum. */
export function sigAlgFromName (name: string): HolderSigAlg {
  const alg = (SigAlg as Record<string, unknown>)[name]
  if (typeof name !== 'string' || !isHolderSigAlg(alg)) {
    throw new RangeError(`unsupported signature algorithm "${name}"; expected one of ${HOLDER_SIG_ALGS.join(', ')}`)
  }
  return alg
}

export function holderKeyFromPublicKey (alg: SigAlg, publicKey: Uint8Array): HolderKey {
  return { alg, publicKey, holderId: computeHolderId(alg, publicKey) }
}

/**
 * The holders whose ACKs count. A closed set lists public keys; an open set
 * accepts any key that the ACK carries, for development networks only.
 */
export class HolderSet {
  readonly open: boolean
  private readonly byId: Map<string, HolderKey>

  private constructor (open: boolean, holders: HolderKey[]) {
    this.open = open
    this.byId = new Map(holders.map(h => [toHex(h.holderId), h]))
  }

  static openSet (): HolderSet {
    return new HolderSet(true, [])
  }

  static closedSet (holders: HolderKey[]): HolderSet {
    return new HolderSet(false, holders)
  }

  /** Builds the set from config entries; throws RangeError naming a bad entry. */
  static fromConfig (holders: 'open' | HolderEntry[]): HolderSet {
    if (holders === 'open') {
      return HolderSet.openSet()
    }
    const keys = holders.map((entry, index) => {
      const alg = sigAlgFromName(entry.algorithm)
      const publicKey = fromHex(entry.public_key)
      const expected = SIG_ALG_LENGTHS[alg].publicKey
      if (publicKey === undefined || publicKey.length !== expected) {
        throw new RangeError(`holders[${index}].public_key must be ${expected} bytes of hex for ${entry.algorithm}`)
      }
      return holderKeyFromPublicKey(alg, publicKey)
    })
    return HolderSet.closedSet(keys)
  }

  /**
   * holder_set_hash: SHA-256 of "poh/holder-set/v1" followed by the sorted
   * holder_ids, so two nodes with the same holders get the same hash in
   * any listing order. An open set hashes "poh/holder-set/open".
   */
  get hash (): Uint8Array {
    const hash = sha256.create()
    if (this.open) {
      return hash.update(new TextEncoder().encode('poh/holder-set/open')).digest()
    }
    hash.update(new TextEncoder().encode('poh/holder-set/v1'))
    for (const id of [...this.byId.keys()].sort()) {
      hash.update(fromHex(id) as Uint8Array)
    }
    return hash.digest()
  }

  /** Number of listed holders; 0 for an open set. */
  get size (): number {
    return this.byId.size
  }

  /** Returns the listed holder with this id, or undefined. */
  get (holderId: Uint8Array): HolderKey | undefined {
    return this.byId.get(toHex(holderId))
  }

  list (): HolderKey[] {
    return [...this.byId.values()]
  }
}
