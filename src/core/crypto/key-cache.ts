/**
 * Key caches of the signature schemes: a least-recently-used map, and on top
 * of it a cache of prepared public keys (imported KeyObjects, decoded points)
 * for the verify path, which runs once per ACK.
 *
 * For public keys, a hex string of the whole key as the map key cost about 7 µs per lookup
 * for a 1952-byte ML-DSA-65 key (building and hashing 3904 characters), more
 * than 3% of a verification. So the map key is only the first bytes of the
 * public key, and a hit counts only when the stored key equals the given one
 * byte for byte. Two keys with the same first bytes then replace each other
 * in the cache, which costs an import but never gives a wrong key.
 */

/**
 * Least-recently-used map with a fixed maximum size, for expanded keys that
 * are costly to rebuild on every signature.
 */
export class KeyCache<V> {
  private readonly entries = new Map<string, V>()

  constructor (readonly maxSize: number) {}

  get (key: string): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }

  set (key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.maxSize) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) {
        this.entries.delete(oldest)
      }
    }
  }

  /** Returns the cached value for `key`, creating and storing it first when absent. */
  getOrCreate (key: string, create: () => V): V {
    let value = this.get(key)
    if (value === undefined) {
      value = create()
      this.set(key, value)
    }
    return value
  }

  get size (): number {
    return this.entries.size
  }
}

/** Bytes of the public key that form the map key: all of an Ed25519 key, ρ of an ML-DSA key. */
const ID_BYTES = 32

interface PublicKeyEntry<V> {
  publicKey: Buffer
  value: V
}

export class PublicKeyCache<V> {
  private readonly entries: KeyCache<PublicKeyEntry<V>>

  constructor (maxSize: number) {
    this.entries = new KeyCache<PublicKeyEntry<V>>(maxSize)
  }

  /**
   * Returns the value prepared for `publicKey`, calling `prepare` on a miss.
   * `prepare` returns undefined for a key that must be rejected, and such a
   * key is not cached.
   */
  getOrPrepare<P extends V | undefined> (publicKey: Uint8Array, prepare: () => P): P {
    const view = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength)
    const id = view.toString('latin1', 0, Math.min(ID_BYTES, view.length))
    const hit = this.entries.get(id)
    if (hit !== undefined && hit.publicKey.equals(view)) {
      return hit.value as P
    }
    const value = prepare()
    if (value !== undefined) {
      this.entries.set(id, { publicKey: Buffer.from(view), value })
    }
    return value
  }

  get size (): number {
    return this.entries.size
  }
}
