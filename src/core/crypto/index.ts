/**
 * Entry point for signatures: picks a SignatureScheme by algorithm and
 * backend. Schemes are created once and shared, so their key caches are too.
 */
import { HOLDER_SIG_ALGS, SigAlg, isHolderSigAlg } from '../types.js'
import type { HolderSigAlg } from '../types.js'
import { createHybridScheme } from './hybrid.js'
import { createNobleEd25519, createNodeEd25519, nodeSupportsEd25519 } from './ed25519.js'
import { createNobleMlDsa65, createNodeMlDsa65, nodeSupportsMlDsa65 } from './ml-dsa.js'
import type { MlDsa65Scheme } from './ml-dsa.js'
import type { CryptoBackend, SignatureScheme } from './scheme.js'

export type { CryptoBackend, SignatureScheme } from './scheme.js'
export type { MlDsa65Scheme } from './ml-dsa.js'
export { MAX_CONTEXT_LENGTH } from './ml-dsa.js'
export { joinHybridSignature, splitHybridSignature } from './hybrid.js'

/** Backends in the order `getScheme` prefers them. */
export const CRYPTO_BACKENDS: readonly CryptoBackend[] = ['node', 'noble']

/** Algorithms that have a SignatureScheme. */
export const SUPPORTED_SIG_ALGS: readonly SigAlg[] = HOLDER_SIG_ALGS

const nodeSupportCache = new Map<SigAlg, boolean>()
const schemes = new Map<string, SignatureScheme>()

/** Reports whether node:crypto on this runtime can sign and verify with `alg`. */
export function nodeSupports (alg: SigAlg): boolean {
  if (!isHolderSigAlg(alg)) {
    return false
  }
  let supported = nodeSupportCache.get(alg)
  if (supported === undefined) {
    supported = alg === SigAlg.ED25519
      ? nodeSupportsEd25519()
      : alg === SigAlg.ML_DSA_65
        ? nodeSupportsMlDsa65()
        : nodeSupports(SigAlg.ED25519) && nodeSupports(SigAlg.ML_DSA_65)
    nodeSupportCache.set(alg, supported)
  }
  return supported
}

/** Lists the backends this runtime can run `alg` on, preferred first. */
export function availableBackends (alg: SigAlg): CryptoBackend[] {
  if (!isHolderSigAlg(alg)) {
    return []
  }
  return CRYPTO_BACKENDS.filter((backend) => backend === 'noble' || nodeSupports(alg))
}

/**
 * Returns the shared scheme for `alg`. Without `backend`, node:crypto is used
 * where the runtime supports the algorithm, else noble.
 * Throws an Error for an algorithm without a scheme (SIG_ALG_UNSPECIFIED)
 * or for the node backend on a runtime that lacks `alg`.
 */
export function getScheme (alg: SigAlg.ML_DSA_65, backend?: CryptoBackend): MlDsa65Scheme
export function getScheme (alg: SigAlg, backend?: CryptoBackend): SignatureScheme
export function getScheme (alg: SigAlg, backend?: CryptoBackend): SignatureScheme {
  if (!isHolderSigAlg(alg)) {
    throw new Error(`unsupported signature algorithm ${String(alg)}: expected one of ${SUPPORTED_SIG_ALGS.join(', ')}`)
  }
  const chosen = backend ?? (nodeSupports(alg) ? 'node' : 'noble')
  if (chosen !== 'node' && chosen !== 'noble') {
    throw new Error(`unknown crypto backend ${String(chosen)}: expected 'node' or 'noble'`)
  }
  if (chosen === 'node' && !nodeSupports(alg)) {
    throw new Error(`node:crypto in Node ${process.version} does not support ${alg}; use the 'noble' backend`)
  }

  const cacheKey = `${alg}/${chosen}`
  let scheme = schemes.get(cacheKey)
  if (scheme === undefined) {
    scheme = createScheme(alg, chosen)
    schemes.set(cacheKey, scheme)
  }
  return scheme
}

function createScheme (alg: HolderSigAlg, backend: CryptoBackend): SignatureScheme {
  if (alg === SigAlg.ED25519) {
    return backend === 'node' ? createNodeEd25519() : createNobleEd25519()
  }
  if (alg === SigAlg.ML_DSA_65) {
    return backend === 'node' ? createNodeMlDsa65() : createNobleMlDsa65()
  }
  return createHybridScheme(getScheme(SigAlg.ED25519, backend), getScheme(SigAlg.ML_DSA_65, backend))
}
