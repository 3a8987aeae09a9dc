// Original file: src/core/proto/poh.proto

/**
 * Signature algorithm of an ACK. Values are part of the signed ACK record
 * through holder_id, so they never change once released.
 */
export const SigAlg = {
  SIG_ALG_UNSPECIFIED: 'SIG_ALG_UNSPECIFIED',
  ED25519: 'ED25519',
  ML_DSA_65: 'ML_DSA_65',
  HYBRID_ED25519_ML_DSA_65: 'HYBRID_ED25519_ML_DSA_65',
} as const;

/**
 * Signature algorithm of an ACK. Values are part of the signed ACK record
 * through holder_id, so they never change once released.
 */
export type SigAlg =
  | 'SIG_ALG_UNSPECIFIED'
  | 0
  | 'ED25519'
  | 1
  | 'ML_DSA_65'
  | 2
  | 'HYBRID_ED25519_ML_DSA_65'
  | 3

/**
 * Signature algorithm of an ACK. Values are part of the signed ACK record
 * through holder_id, so they never change once released.
 */
export type SigAlg__Output = typeof SigAlg[keyof typeof SigAlg]
