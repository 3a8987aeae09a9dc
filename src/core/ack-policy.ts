/**
 * The node's ACK policy: which signature algorithms count toward quorum.
 *
 * - `classical`: every algorithm counts, Ed25519 included.
 * - `pq`: only ACKs with a post-quantum signature count (ML_DSA_65, hybrid).
 * - `hybrid`: only hybrid ACKs count, so every counted ACK has a classical
 *   and a post-quantum signature that both verified.
 */
import { SigAlg } from './types.js'

export const ACK_POLICIES = ['classical', 'hybrid', 'pq'] as const
export type AckPolicy = typeof ACK_POLICIES[number]

const COUNTED: Readonly<Record<AckPolicy, readonly SigAlg[]>> = {
  classical: [SigAlg.ED25519, SigAlg.ML_DSA_65, SigAlg.HYBRID_ED25519_ML_DSA_65],
  pq: [SigAlg.ML_DSA_65, SigAlg.HYBRID_ED25519_ML_DSA_65],
  hybrid: [SigAlg.HYBRID_ED25519_ML_DSA_65]
}

/** Reports whether an ACK signed with `alg` counts under `policy`. */
export function policyCounts (policy: AckPolicy, alg: SigAlg): boolean {
  return COUNTED[policy].includes(alg)
}

/** Lists the algorithms whose ACKs count under `policy`. */
export function countedAlgorithms (policy: AckPolicy): readonly SigAlg[] {
  return COUNTED[policy]
}
