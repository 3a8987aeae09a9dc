/**
 * Typed errors. Every error carries a stable string `code` that callers and
 * tests match on; gossip validation errors also carry the gossipsub verdict.
 */

export class PohError extends Error {
  readonly code: string

  constructor (code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'PohError'
    this.code = code
  }
}

/** Raised for a config value or CLI argument that cannot be used. */
export class ConfigError extends PohError {
  constructor (message: string, options?: ErrorOptions) {
    super('ERR_CONFIG', message, options)
    this.name = 'ConfigError'
  }
}

/** Raised when bytes cannot be decoded into a wire message. */
export class DecodeError extends PohError {
  constructor (message: string, options?: ErrorOptions) {
    super('ERR_DECODE', message, options)
    this.name = 'DecodeError'
  }
}

/** Raised by the storage layer: schema mismatch, lock held, corrupt record. */
export class StorageError extends PohError {
  constructor (code: 'ERR_SCHEMA_VERSION' | 'ERR_DB_LOCKED' | 'ERR_CORRUPT_RECORD' | 'ERR_DB_CLOSED' | 'ERR_DB_OPEN', message: string, options?: ErrorOptions) {
    super(code, message, options)
    this.name = 'StorageError'
  }
}

/** Raised for a key file or key material that cannot be used. */
export class KeyError extends PohError {
  constructor (message: string, options?: ErrorOptions) {
    super('ERR_KEY', message, options)
    this.name = 'KeyError'
  }
}

/** The gossipsub verdict an invalid message earns. */
export enum GossipAction {
  /** Drop and lower the sender's peer score. */
  REJECT = 'REJECT',
  /** Drop without penalty. */
  IGNORE = 'IGNORE'
}

/**
 * Reasons a gossip message fails validation. Each value is also the `reason`
 * label of the verdict metric, so the set stays small and fixed.
 */
export enum GossipErrorCode {
  UNDECODABLE = 'undecodable',
  WRONG_VERSION = 'wrong_version',
  BAD_LENGTH = 'bad_length',
  PAYLOAD_TOO_LARGE = 'payload_too_large',
  TX_ID_MISMATCH = 'tx_id_mismatch',
  TTL_TOO_LONG = 'ttl_too_long',
  TTL_ZERO = 'ttl_zero',
  FUTURE_TIMESTAMP = 'future_timestamp',
  STALE_TIMESTAMP = 'stale_timestamp',
  ACK_EXPIRED = 'ack_expired',
  ACK_BEFORE_REQUEST = 'ack_before_request',
  TX_EXPIRED = 'tx_expired',
  UNKNOWN_HOLDER = 'unknown_holder',
  UNSUPPORTED_ALGORITHM = 'unsupported_algorithm',
  ALGORITHM_NOT_ALLOWED = 'algorithm_not_allowed',
  HOLDER_ID_MISMATCH = 'holder_id_mismatch',
  BAD_SIGNATURE = 'bad_signature',
  BAD_STORAGE_HASH = 'bad_storage_hash',
  DUPLICATE_ACK = 'duplicate_ack',
  CONFLICTING_ACK = 'conflicting_ack',
  DUPLICATE_REQUEST = 'duplicate_request',
  STORE_FULL = 'store_full',
  EMPTY_BATCH = 'empty_batch',
  BATCH_TOO_LARGE = 'batch_too_large'
}

export class GossipValidationError extends PohError {
  readonly action: GossipAction
  readonly reason: GossipErrorCode

  constructor (action: GossipAction, reason: GossipErrorCode, message: string) {
    super(`ERR_GOSSIP_${reason.toUpperCase()}`, message)
    this.name = 'GossipValidationError'
    this.action = action
    this.reason = reason
  }
}

export function reject (reason: GossipErrorCode, message: string): GossipValidationError {
  return new GossipValidationError(GossipAction.REJECT, reason, message)
}

export function ignore (reason: GossipErrorCode, message: string): GossipValidationError {
  return new GossipValidationError(GossipAction.IGNORE, reason, message)
}
