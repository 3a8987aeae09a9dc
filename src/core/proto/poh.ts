import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum SigAlg {
  SIG_ALG_UNSPECIFIED = 'SIG_ALG_UNSPECIFIED',
  ED25519 = 'ED25519',
  ML_DSA_65 = 'ML_DSA_65',
  HYBRID_ED25519_ML_DSA_65 = 'HYBRID_ED25519_ML_DSA_65'
}

enum __SigAlgValues {
  SIG_ALG_UNSPECIFIED = 0,
  ED25519 = 1,
  ML_DSA_65 = 2,
  HYBRID_ED25519_ML_DSA_65 = 3
}

export namespace SigAlg {
  export const codec = (): Codec<SigAlg> => {
    return enumeration<SigAlg>(__SigAlgValues)
  }
}

export interface PohRequest {
  version: number
  txId: Uint8Array<ArrayBuffer>
  payload: Uint8Array<ArrayBuffer>
  timestampMs: bigint
  ttlSeconds: number
}

export namespace PohRequest {
  let _codec: Codec<PohRequest>

  export const codec = (): Codec<PohRequest> => {
    if (_codec == null) {
      _codec = message<PohRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.txId != null && obj.txId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.txId)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.payload)
        }

        if ((obj.timestampMs != null && obj.timestampMs !== 0n)) {
          w.uint32(32)
          w.uint64(obj.timestampMs)
        }

        if ((obj.ttlSeconds != null && obj.ttlSeconds !== 0)) {
          w.uint32(40)
          w.uint32(obj.ttlSeconds)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          txId: uint8ArrayAlloc(0),
          payload: uint8ArrayAlloc(0),
          timestampMs: 0n,
          ttlSeconds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.txId = reader.bytes()
              break
            }
            case 3: {
              obj.payload = reader.bytes()
              break
            }
            case 4: {
              obj.timestampMs = reader.uint64()
              break
            }
            case 5: {
              obj.ttlSeconds = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.txId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.timestampMs`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.ttlSeconds`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PohRequestVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface PohRequestTxIdFieldEvent {
    field: '$.txId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PohRequestPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PohRequestTimestampMsFieldEvent {
    field: '$.timestampMs'
    value: bigint
  }

  export interface PohRequestTtlSecondsFieldEvent {
    field: '$.ttlSeconds'
    value: number
  }

  export function encode (obj: Partial<PohRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PohRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PohRequest>): PohRequest {
    return decodeMessage(buf, PohRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PohRequest>): Generator<PohRequestVersionFieldEvent | PohRequestTxIdFieldEvent | PohRequestPayloadFieldEvent | PohRequestTimestampMsFieldEvent | PohRequestTtlSecondsFieldEvent> {
    return streamMessage(buf, PohRequest.codec(), opts)
  }
}

export interface PohAck {
  version: number
  txId: Uint8Array<ArrayBuffer>
  storageHash: Uint8Array<ArrayBuffer>
  timestampMs: bigint
  holderId: Uint8Array<ArrayBuffer>
  sigAlg: SigAlg
  signature: Uint8Array<ArrayBuffer>
  signaturePq?: Uint8Array<ArrayBuffer>
  publicKey?: Uint8Array<ArrayBuffer>
}

export namespace PohAck {
  let _codec: Codec<PohAck>

  export const codec = (): Codec<PohAck> => {
    if (_codec == null) {
      _codec = message<PohAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.txId != null && obj.txId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.txId)
        }

        if ((obj.storageHash != null && obj.storageHash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.storageHash)
        }

        if ((obj.timestampMs != null && obj.timestampMs !== 0n)) {
          w.uint32(32)
          w.uint64(obj.timestampMs)
        }

        if ((obj.holderId != null && obj.holderId.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.holderId)
        }

        if (obj.sigAlg != null && __SigAlgValues[obj.sigAlg] !== 0) {
          w.uint32(48)
          SigAlg.codec().encode(obj.sigAlg, w)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.signature)
        }

        if (obj.signaturePq != null) {
          w.uint32(66)
          w.bytes(obj.signaturePq)
        }

        if (obj.publicKey != null) {
          w.uint32(74)
          w.bytes(obj.publicKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          txId: uint8ArrayAlloc(0),
          storageHash: uint8ArrayAlloc(0),
          timestampMs: 0n,
          holderId: uint8ArrayAlloc(0),
          sigAlg: SigAlg.SIG_ALG_UNSPECIFIED,
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.txId = reader.bytes()
              break
            }
            case 3: {
              obj.storageHash = reader.bytes()
              break
            }
            case 4: {
              obj.timestampMs = reader.uint64()
              break
            }
            case 5: {
              obj.holderId = reader.bytes()
              break
            }
            case 6: {
              obj.sigAlg = SigAlg.codec().decode(reader)
              break
            }
            case 7: {
              obj.signature = reader.bytes()
              break
            }
            case 8: {
              obj.signaturePq = reader.bytes()
              break
            }
            case 9: {
              obj.publicKey = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.txId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.storageHash`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.timestampMs`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.holderId`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.sigAlg`,
                value: SigAlg.codec().decode(reader)
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.signaturePq`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PohAckVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface PohAckTxIdFieldEvent {
    field: '$.txId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PohAckStorageHashFieldEvent {
    field: '$.storageHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PohAckTimestampMsFieldEvent {
    field: '$.timestampMs'
    value: bigint
  }

  export interface PohAckHolderIdFieldEvent {
    field: '$.holderId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PohAckSigAlgFieldEvent {
    field: '$.sigAlg'
    value: SigAlg
  }

  export interface PohAckSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PohAckSignaturePqFieldEvent {
    field: '$.signaturePq'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PohAckPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PohAck>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PohAck.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PohAck>): PohAck {
    return decodeMessage(buf, PohAck.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PohAck>): Generator<PohAckVersionFieldEvent | PohAckTxIdFieldEvent | PohAckStorageHashFieldEvent | PohAckTimestampMsFieldEvent | PohAckHolderIdFieldEvent | PohAckSigAlgFieldEvent | PohAckSignatureFieldEvent | PohAckSignaturePqFieldEvent | PohAckPublicKeyFieldEvent> {
    return streamMessage(buf, PohAck.codec(), opts)
  }
}

export interface PohAckBatch {
  acks: PohAck[]
}

export namespace PohAckBatch {
  let _codec: Codec<PohAckBatch>

  export const codec = (): Codec<PohAckBatch> => {
    if (_codec == null) {
      _codec = message<PohAckBatch>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.acks != null && obj.acks.length > 0) {
          for (const value of obj.acks) {
            w.uint32(10)
            PohAck.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          acks: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.acks != null && obj.acks.length === opts.limits.acks) {
                throw new MaxLengthError('Decode error - repeated field "acks" had too many elements')
              }

              obj.acks.push(PohAck.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.acks$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          acks: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.acks != null && obj.acks === opts.limits.acks) {
                throw new MaxLengthError('Streaming decode error - repeated field "acks" had too many elements')
              }

              for (const evt of PohAck.codec().stream(reader, reader.uint32(), `${prefix}.acks[]`, {
                limits: opts.limits?.acks$
              })) {
                yield {
                  ...evt,
                  index: obj.acks
                }
              }

              obj.acks++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PohAckBatchAcksVersionFieldEvent {
    field: '$.acks[].version'
    value: number
    index: number
  }

  export interface PohAckBatchAcksTxIdFieldEvent {
    field: '$.acks[].txId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PohAckBatchAcksStorageHashFieldEvent {
    field: '$.acks[].storageHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PohAckBatchAcksTimestampMsFieldEvent {
    field: '$.acks[].timestampMs'
    value: bigint
    index: number
  }

  export interface PohAckBatchAcksHolderIdFieldEvent {
    field: '$.acks[].holderId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PohAckBatchAcksSigAlgFieldEvent {
    field: '$.acks[].sigAlg'
    value: SigAlg
    index: number
  }

  export interface PohAckBatchAcksSignatureFieldEvent {
    field: '$.acks[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PohAckBatchAcksSignaturePqFieldEvent {
    field: '$.acks[].signaturePq'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PohAckBatchAcksPublicKeyFieldEvent {
    field: '$.acks[].publicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<PohAckBatch>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PohAckBatch.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PohAckBatch>): PohAckBatch {
    return decodeMessage(buf, PohAckBatch.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PohAckBatch>): Generator<PohAckBatchAcksVersionFieldEvent | PohAckBatchAcksTxIdFieldEvent | PohAckBatchAcksStorageHashFieldEvent | PohAckBatchAcksTimestampMsFieldEvent | PohAckBatchAcksHolderIdFieldEvent | PohAckBatchAcksSigAlgFieldEvent | PohAckBatchAcksSignatureFieldEvent | PohAckBatchAcksSignaturePqFieldEvent | PohAckBatchAcksPublicKeyFieldEvent> {
    return streamMessage(buf, PohAckBatch.codec(), opts)
  }
}

export enum RepairStatus {
  REPAIR_STATUS_UNSPECIFIED = 'REPAIR_STATUS_UNSPECIFIED',
  OK = 'OK',
  INVALID_REQUEST = 'INVALID_REQUEST',
  RESOURCE_UNAVAILABLE = 'RESOURCE_UNAVAILABLE',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVER_ERROR = 'SERVER_ERROR'
}

enum __RepairStatusValues {
  REPAIR_STATUS_UNSPECIFIED = 0,
  OK = 1,
  INVALID_REQUEST = 2,
  RESOURCE_UNAVAILABLE = 3,
  RATE_LIMITED = 4,
  SERVER_ERROR = 5
}

export namespace RepairStatus {
  export const codec = (): Codec<RepairStatus> => {
    return enumeration<RepairStatus>(__RepairStatusValues)
  }
}

export interface RepairRange {
  fromMs: bigint
  toMs: bigint
  limit: number
  cursor: Uint8Array<ArrayBuffer>
}

export namespace RepairRange {
  let _codec: Codec<RepairRange>

  export const codec = (): Codec<RepairRange> => {
    if (_codec == null) {
      _codec = message<RepairRange>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.fromMs != null && obj.fromMs !== 0n)) {
          w.uint32(8)
          w.uint64(obj.fromMs)
        }

        if ((obj.toMs != null && obj.toMs !== 0n)) {
          w.uint32(16)
          w.uint64(obj.toMs)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(24)
          w.uint32(obj.limit)
        }

        if ((obj.cursor != null && obj.cursor.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.cursor)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          fromMs: 0n,
          toMs: 0n,
          limit: 0,
          cursor: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.fromMs = reader.uint64()
              break
            }
            case 2: {
              obj.toMs = reader.uint64()
              break
            }
            case 3: {
              obj.limit = reader.uint32()
              break
            }
            case 4: {
              obj.cursor = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.fromMs`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.toMs`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.cursor`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RepairRangeFromMsFieldEvent {
    field: '$.fromMs'
    value: bigint
  }

  export interface RepairRangeToMsFieldEvent {
    field: '$.toMs'
    value: bigint
  }

  export interface RepairRangeLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface RepairRangeCursorFieldEvent {
    field: '$.cursor'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RepairRange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RepairRange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RepairRange>): RepairRange {
    return decodeMessage(buf, RepairRange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RepairRange>): Generator<RepairRangeFromMsFieldEvent | RepairRangeToMsFieldEvent | RepairRangeLimitFieldEvent | RepairRangeCursorFieldEvent> {
    return streamMessage(buf, RepairRange.codec(), opts)
  }
}

export interface RepairRequest {
  requestId: Uint8Array<ArrayBuffer>
  txIds: Uint8Array<ArrayBuffer>[]
  range?: RepairRange
}

export namespace RepairRequest {
  let _codec: Codec<RepairRequest>

  export const codec = (): Codec<RepairRequest> => {
    if (_codec == null) {
      _codec = message<RepairRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requestId != null && obj.requestId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.requestId)
        }

        if (obj.txIds != null && obj.txIds.length > 0) {
          for (const value of obj.txIds) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (obj.range != null) {
          w.uint32(26)
          RepairRange.codec().encode(obj.range, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requestId: uint8ArrayAlloc(0),
          txIds: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requestId = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.txIds != null && obj.txIds.length === opts.limits.txIds) {
                throw new MaxLengthError('Decode error - repeated field "txIds" had too many elements')
              }

              obj.txIds.push(reader.bytes())
              break
            }
            case 3: {
              obj.range = RepairRange.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.range
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          txIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.requestId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.txIds != null && obj.txIds === opts.limits.txIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "txIds" had too many elements')
              }

              yield {
                field: `${prefix}.txIds[]`,
                index: obj.txIds,
                value: reader.bytes()
              }

              obj.txIds++

              break
            }
            case 3: {
              yield * RepairRange.codec().stream(reader, reader.uint32(), `${prefix}.range`, {
                limits: opts.limits?.range
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RepairRequestRequestIdFieldEvent {
    field: '$.requestId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairRequestTxIdsFieldEvent {
    field: '$.txIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairRequestRangeFromMsFieldEvent {
    field: '$.range.fromMs'
    value: bigint
  }

  export interface RepairRequestRangeToMsFieldEvent {
    field: '$.range.toMs'
    value: bigint
  }

  export interface RepairRequestRangeLimitFieldEvent {
    field: '$.range.limit'
    value: number
  }

  export interface RepairRequestRangeCursorFieldEvent {
    field: '$.range.cursor'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RepairRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RepairRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RepairRequest>): RepairRequest {
    return decodeMessage(buf, RepairRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RepairRequest>): Generator<RepairRequestRequestIdFieldEvent | RepairRequestTxIdsFieldEvent | RepairRequestRangeFromMsFieldEvent | RepairRequestRangeToMsFieldEvent | RepairRequestRangeLimitFieldEvent | RepairRequestRangeCursorFieldEvent> {
    return streamMessage(buf, RepairRequest.codec(), opts)
  }
}

export interface RepairItem {
  txId: Uint8Array<ArrayBuffer>
  payload: Uint8Array<ArrayBuffer>
  expiresAtMs: bigint
  holderAck?: PohAck
  acks: PohAck[]
  requestTimestampMs: bigint
  ttlSeconds: number
}

export namespace RepairItem {
  let _codec: Codec<RepairItem>

  export const codec = (): Codec<RepairItem> => {
    if (_codec == null) {
      _codec = message<RepairItem>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.txId != null && obj.txId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.txId)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.payload)
        }

        if ((obj.expiresAtMs != null && obj.expiresAtMs !== 0n)) {
          w.uint32(24)
          w.uint64(obj.expiresAtMs)
        }

        if (obj.holderAck != null) {
          w.uint32(34)
          PohAck.codec().encode(obj.holderAck, w)
        }

        if (obj.acks != null && obj.acks.length > 0) {
          for (const value of obj.acks) {
            w.uint32(42)
            PohAck.codec().encode(value, w)
          }
        }

        if ((obj.requestTimestampMs != null && obj.requestTimestampMs !== 0n)) {
          w.uint32(48)
          w.uint64(obj.requestTimestampMs)
        }

        if ((obj.ttlSeconds != null && obj.ttlSeconds !== 0)) {
          w.uint32(56)
          w.uint32(obj.ttlSeconds)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          txId: uint8ArrayAlloc(0),
          payload: uint8ArrayAlloc(0),
          expiresAtMs: 0n,
          acks: [],
          requestTimestampMs: 0n,
          ttlSeconds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.txId = reader.bytes()
              break
            }
            case 2: {
              obj.payload = reader.bytes()
              break
            }
            case 3: {
              obj.expiresAtMs = reader.uint64()
              break
            }
            case 4: {
              obj.holderAck = PohAck.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.holderAck
              })
              break
            }
            case 5: {
              if (opts.limits?.acks != null && obj.acks.length === opts.limits.acks) {
                throw new MaxLengthError('Decode error - repeated field "acks" had too many elements')
              }

              obj.acks.push(PohAck.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.acks$
              }))
              break
            }
            case 6: {
              obj.requestTimestampMs = reader.uint64()
              break
            }
            case 7: {
              obj.ttlSeconds = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          acks: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.txId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.expiresAtMs`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield * PohAck.codec().stream(reader, reader.uint32(), `${prefix}.holderAck`, {
                limits: opts.limits?.holderAck
              })

              break
            }
            case 5: {
              if (opts.limits?.acks != null && obj.acks === opts.limits.acks) {
                throw new MaxLengthError('Streaming decode error - repeated field "acks" had too many elements')
              }

              for (const evt of PohAck.codec().stream(reader, reader.uint32(), `${prefix}.acks[]`, {
                limits: opts.limits?.acks$
              })) {
                yield {
                  ...evt,
                  index: obj.acks
                }
              }

              obj.acks++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.requestTimestampMs`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.ttlSeconds`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RepairItemTxIdFieldEvent {
    field: '$.txId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairItemPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairItemExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: bigint
  }

  export interface RepairItemHolderAckVersionFieldEvent {
    field: '$.holderAck.version'
    value: number
  }

  export interface RepairItemHolderAckTxIdFieldEvent {
    field: '$.holderAck.txId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairItemHolderAckStorageHashFieldEvent {
    field: '$.holderAck.storageHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairItemHolderAckTimestampMsFieldEvent {
    field: '$.holderAck.timestampMs'
    value: bigint
  }

  export interface RepairItemHolderAckHolderIdFieldEvent {
    field: '$.holderAck.holderId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairItemHolderAckSigAlgFieldEvent {
    field: '$.holderAck.sigAlg'
    value: SigAlg
  }

  export interface RepairItemHolderAckSignatureFieldEvent {
    field: '$.holderAck.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairItemHolderAckSignaturePqFieldEvent {
    field: '$.holderAck.signaturePq'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairItemHolderAckPublicKeyFieldEvent {
    field: '$.holderAck.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairItemAcksVersionFieldEvent {
    field: '$.acks[].version'
    value: number
    index: number
  }

  export interface RepairItemAcksTxIdFieldEvent {
    field: '$.acks[].txId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairItemAcksStorageHashFieldEvent {
    field: '$.acks[].storageHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairItemAcksTimestampMsFieldEvent {
    field: '$.acks[].timestampMs'
    value: bigint
    index: number
  }

  export interface RepairItemAcksHolderIdFieldEvent {
    field: '$.acks[].holderId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairItemAcksSigAlgFieldEvent {
    field: '$.acks[].sigAlg'
    value: SigAlg
    index: number
  }

  export interface RepairItemAcksSignatureFieldEvent {
    field: '$.acks[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairItemAcksSignaturePqFieldEvent {
    field: '$.acks[].signaturePq'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairItemAcksPublicKeyFieldEvent {
    field: '$.acks[].publicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairItemRequestTimestampMsFieldEvent {
    field: '$.requestTimestampMs'
    value: bigint
  }

  export interface RepairItemTtlSecondsFieldEvent {
    field: '$.ttlSeconds'
    value: number
  }

  export function encode (obj: Partial<RepairItem>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RepairItem.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RepairItem>): RepairItem {
    return decodeMessage(buf, RepairItem.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RepairItem>): Generator<RepairItemTxIdFieldEvent | RepairItemPayloadFieldEvent | RepairItemExpiresAtMsFieldEvent | RepairItemHolderAckVersionFieldEvent | RepairItemHolderAckTxIdFieldEvent | RepairItemHolderAckStorageHashFieldEvent | RepairItemHolderAckTimestampMsFieldEvent | RepairItemHolderAckHolderIdFieldEvent | RepairItemHolderAckSigAlgFieldEvent | RepairItemHolderAckSignatureFieldEvent | RepairItemHolderAckSignaturePqFieldEvent | RepairItemHolderAckPublicKeyFieldEvent | RepairItemAcksVersionFieldEvent | RepairItemAcksTxIdFieldEvent | RepairItemAcksStorageHashFieldEvent | RepairItemAcksTimestampMsFieldEvent | RepairItemAcksHolderIdFieldEvent | RepairItemAcksSigAlgFieldEvent | RepairItemAcksSignatureFieldEvent | RepairItemAcksSignaturePqFieldEvent | RepairItemAcksPublicKeyFieldEvent | RepairItemRequestTimestampMsFieldEvent | RepairItemTtlSecondsFieldEvent> {
    return streamMessage(buf, RepairItem.codec(), opts)
  }
}

export interface RepairResponse {
  requestId: Uint8Array<ArrayBuffer>
  status: RepairStatus
  items: RepairItem[]
  nextCursor: Uint8Array<ArrayBuffer>
}

export namespace RepairResponse {
  let _codec: Codec<RepairResponse>

  export const codec = (): Codec<RepairResponse> => {
    if (_codec == null) {
      _codec = message<RepairResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requestId != null && obj.requestId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.requestId)
        }

        if (obj.status != null && __RepairStatusValues[obj.status] !== 0) {
          w.uint32(16)
          RepairStatus.codec().encode(obj.status, w)
        }

        if (obj.items != null && obj.items.length > 0) {
          for (const value of obj.items) {
            w.uint32(26)
            RepairItem.codec().encode(value, w)
          }
        }

        if ((obj.nextCursor != null && obj.nextCursor.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.nextCursor)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requestId: uint8ArrayAlloc(0),
          status: RepairStatus.REPAIR_STATUS_UNSPECIFIED,
          items: [],
          nextCursor: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requestId = reader.bytes()
              break
            }
            case 2: {
              obj.status = RepairStatus.codec().decode(reader)
              break
            }
            case 3: {
              if (opts.limits?.items != null && obj.items.length === opts.limits.items) {
                throw new MaxLengthError('Decode error - repeated field "items" had too many elements')
              }

              obj.items.push(RepairItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.items$
              }))
              break
            }
            case 4: {
              obj.nextCursor = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          items: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.requestId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: RepairStatus.codec().decode(reader)
              }
              break
            }
            case 3: {
              if (opts.limits?.items != null && obj.items === opts.limits.items) {
                throw new MaxLengthError('Streaming decode error - repeated field "items" had too many elements')
              }

              for (const evt of RepairItem.codec().stream(reader, reader.uint32(), `${prefix}.items[]`, {
                limits: opts.limits?.items$
              })) {
                yield {
                  ...evt,
                  index: obj.items
                }
              }

              obj.items++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.nextCursor`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RepairResponseRequestIdFieldEvent {
    field: '$.requestId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RepairResponseStatusFieldEvent {
    field: '$.status'
    value: RepairStatus
  }

  export interface RepairResponseItemsTxIdFieldEvent {
    field: '$.items[].txId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsPayloadFieldEvent {
    field: '$.items[].payload'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsExpiresAtMsFieldEvent {
    field: '$.items[].expiresAtMs'
    value: bigint
    index: number
  }

  export interface RepairResponseItemsHolderAckVersionFieldEvent {
    field: '$.items[].holderAck.version'
    value: number
    index: number
  }

  export interface RepairResponseItemsHolderAckTxIdFieldEvent {
    field: '$.items[].holderAck.txId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsHolderAckStorageHashFieldEvent {
    field: '$.items[].holderAck.storageHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsHolderAckTimestampMsFieldEvent {
    field: '$.items[].holderAck.timestampMs'
    value: bigint
    index: number
  }

  export interface RepairResponseItemsHolderAckHolderIdFieldEvent {
    field: '$.items[].holderAck.holderId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsHolderAckSigAlgFieldEvent {
    field: '$.items[].holderAck.sigAlg'
    value: SigAlg
    index: number
  }

  export interface RepairResponseItemsHolderAckSignatureFieldEvent {
    field: '$.items[].holderAck.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsHolderAckSignaturePqFieldEvent {
    field: '$.items[].holderAck.signaturePq'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsHolderAckPublicKeyFieldEvent {
    field: '$.items[].holderAck.publicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsAcksVersionFieldEvent {
    field: '$.items[].acks[].version'
    value: number
    index: number
  }

  export interface RepairResponseItemsAcksTxIdFieldEvent {
    field: '$.items[].acks[].txId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsAcksStorageHashFieldEvent {
    field: '$.items[].acks[].storageHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsAcksTimestampMsFieldEvent {
    field: '$.items[].acks[].timestampMs'
    value: bigint
    index: number
  }

  export interface RepairResponseItemsAcksHolderIdFieldEvent {
    field: '$.items[].acks[].holderId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsAcksSigAlgFieldEvent {
    field: '$.items[].acks[].sigAlg'
    value: SigAlg
    index: number
  }

  export interface RepairResponseItemsAcksSignatureFieldEvent {
    field: '$.items[].acks[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsAcksSignaturePqFieldEvent {
    field: '$.items[].acks[].signaturePq'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsAcksPublicKeyFieldEvent {
    field: '$.items[].acks[].publicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RepairResponseItemsRequestTimestampMsFieldEvent {
    field: '$.items[].requestTimestampMs'
    value: bigint
    index: number
  }

  export interface RepairResponseItemsTtlSecondsFieldEvent {
    field: '$.items[].ttlSeconds'
    value: number
    index: number
  }

  export interface RepairResponseNextCursorFieldEvent {
    field: '$.nextCursor'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RepairResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RepairResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RepairResponse>): RepairResponse {
    return decodeMessage(buf, RepairResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RepairResponse>): Generator<RepairResponseRequestIdFieldEvent | RepairResponseStatusFieldEvent | RepairResponseItemsTxIdFieldEvent | RepairResponseItemsPayloadFieldEvent | RepairResponseItemsExpiresAtMsFieldEvent | RepairResponseItemsHolderAckVersionFieldEvent | RepairResponseItemsHolderAckTxIdFieldEvent | RepairResponseItemsHolderAckStorageHashFieldEvent | RepairResponseItemsHolderAckTimestampMsFieldEvent | RepairResponseItemsHolderAckHolderIdFieldEvent | RepairResponseItemsHolderAckSigAlgFieldEvent | RepairResponseItemsHolderAckSignatureFieldEvent | RepairResponseItemsHolderAckSignaturePqFieldEvent | RepairResponseItemsHolderAckPublicKeyFieldEvent | RepairResponseItemsAcksVersionFieldEvent | RepairResponseItemsAcksTxIdFieldEvent | RepairResponseItemsAcksStorageHashFieldEvent | RepairResponseItemsAcksTimestampMsFieldEvent | RepairResponseItemsAcksHolderIdFieldEvent | RepairResponseItemsAcksSigAlgFieldEvent | RepairResponseItemsAcksSignatureFieldEvent | RepairResponseItemsAcksSignaturePqFieldEvent | RepairResponseItemsAcksPublicKeyFieldEvent | RepairResponseItemsRequestTimestampMsFieldEvent | RepairResponseItemsTtlSecondsFieldEvent | RepairResponseNextCursorFieldEvent> {
    return streamMessage(buf, RepairResponse.codec(), opts)
  }
}

export enum SpotCheckStatus {
  SPOT_CHECK_STATUS_UNSPECIFIED = 'SPOT_CHECK_STATUS_UNSPECIFIED',
  SPOT_CHECK_OK = 'SPOT_CHECK_OK',
  SPOT_CHECK_NOT_HELD = 'SPOT_CHECK_NOT_HELD',
  SPOT_CHECK_NOT_HOLDER = 'SPOT_CHECK_NOT_HOLDER',
  SPOT_CHECK_INVALID_REQUEST = 'SPOT_CHECK_INVALID_REQUEST',
  SPOT_CHECK_RATE_LIMITED = 'SPOT_CHECK_RATE_LIMITED',
  SPOT_CHECK_UNAVAILABLE = 'SPOT_CHECK_UNAVAILABLE'
}

enum __SpotCheckStatusValues {
  SPOT_CHECK_STATUS_UNSPECIFIED = 0,
  SPOT_CHECK_OK = 1,
  SPOT_CHECK_NOT_HELD = 2,
  SPOT_CHECK_NOT_HOLDER = 3,
  SPOT_CHECK_INVALID_REQUEST = 4,
  SPOT_CHECK_RATE_LIMITED = 5,
  SPOT_CHECK_UNAVAILABLE = 6
}

export namespace SpotCheckStatus {
  export const codec = (): Codec<SpotCheckStatus> => {
    return enumeration<SpotCheckStatus>(__SpotCheckStatusValues)
  }
}

export interface SpotCheckRequest {
  requestId: Uint8Array<ArrayBuffer>
  txId: Uint8Array<ArrayBuffer>
  holderId: Uint8Array<ArrayBuffer>
  nonce: Uint8Array<ArrayBuffer>
}

export namespace SpotCheckRequest {
  let _codec: Codec<SpotCheckRequest>

  export const codec = (): Codec<SpotCheckRequest> => {
    if (_codec == null) {
      _codec = message<SpotCheckRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requestId != null && obj.requestId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.requestId)
        }

        if ((obj.txId != null && obj.txId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.txId)
        }

        if ((obj.holderId != null && obj.holderId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.holderId)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.nonce)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requestId: uint8ArrayAlloc(0),
          txId: uint8ArrayAlloc(0),
          holderId: uint8ArrayAlloc(0),
          nonce: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requestId = reader.bytes()
              break
            }
            case 2: {
              obj.txId = reader.bytes()
              break
            }
            case 3: {
              obj.holderId = reader.bytes()
              break
            }
            case 4: {
              obj.nonce = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.requestId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.txId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.holderId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SpotCheckRequestRequestIdFieldEvent {
    field: '$.requestId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SpotCheckRequestTxIdFieldEvent {
    field: '$.txId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SpotCheckRequestHolderIdFieldEvent {
    field: '$.holderId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SpotCheckRequestNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SpotCheckRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SpotCheckRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SpotCheckRequest>): SpotCheckRequest {
    return decodeMessage(buf, SpotCheckRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SpotCheckRequest>): Generator<SpotCheckRequestRequestIdFieldEvent | SpotCheckRequestTxIdFieldEvent | SpotCheckRequestHolderIdFieldEvent | SpotCheckRequestNonceFieldEvent> {
    return streamMessage(buf, SpotCheckRequest.codec(), opts)
  }
}

export interface SpotCheckResponse {
  requestId: Uint8Array<ArrayBuffer>
  status: SpotCheckStatus
  proof: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SpotCheckResponse {
  let _codec: Codec<SpotCheckResponse>

  export const codec = (): Codec<SpotCheckResponse> => {
    if (_codec == null) {
      _codec = message<SpotCheckResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requestId != null && obj.requestId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.requestId)
        }

        if (obj.status != null && __SpotCheckStatusValues[obj.status] !== 0) {
          w.uint32(16)
          SpotCheckStatus.codec().encode(obj.status, w)
        }

        if ((obj.proof != null && obj.proof.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.proof)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requestId: uint8ArrayAlloc(0),
          status: SpotCheckStatus.SPOT_CHECK_STATUS_UNSPECIFIED,
          proof: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requestId = reader.bytes()
              break
            }
            case 2: {
              obj.status = SpotCheckStatus.codec().decode(reader)
              break
            }
            case 3: {
              obj.proof = reader.bytes()
              break
            }
            case 4: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.requestId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: SpotCheckStatus.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.proof`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SpotCheckResponseRequestIdFieldEvent {
    field: '$.requestId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SpotCheckResponseStatusFieldEvent {
    field: '$.status'
    value: SpotCheckStatus
  }

  export interface SpotCheckResponseProofFieldEvent {
    field: '$.proof'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SpotCheckResponseSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SpotCheckResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SpotCheckResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SpotCheckResponse>): SpotCheckResponse {
    return decodeMessage(buf, SpotCheckResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SpotCheckResponse>): Generator<SpotCheckResponseRequestIdFieldEvent | SpotCheckResponseStatusFieldEvent | SpotCheckResponseProofFieldEvent | SpotCheckResponseSignatureFieldEvent> {
    return streamMessage(buf, SpotCheckResponse.codec(), opts)
  }
}
