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
