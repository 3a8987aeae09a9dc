import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum TxState {
  TX_STATE_UNSPECIFIED = 'TX_STATE_UNSPECIFIED',
  PENDING = 'PENDING',
  HELD = 'HELD',
  EXPIRED = 'EXPIRED'
}

enum __TxStateValues {
  TX_STATE_UNSPECIFIED = 0,
  PENDING = 1,
  HELD = 2,
  EXPIRED = 3
}

export namespace TxState {
  export const codec = (): Codec<TxState> => {
    return enumeration<TxState>(__TxStateValues)
  }
}

export interface StoredTx {
  payload: Uint8Array<ArrayBuffer>
  receivedAtMs: number
  expiresAtMs: number
  ttlSeconds: number
  requestTimestampMs: number
  payloadOmitted: boolean
}

export namespace StoredTx {
  let _codec: Codec<StoredTx>

  export const codec = (): Codec<StoredTx> => {
    if (_codec == null) {
      _codec = message<StoredTx>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.payload)
        }

        if ((obj.receivedAtMs != null && obj.receivedAtMs !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.receivedAtMs)
        }

        if ((obj.expiresAtMs != null && obj.expiresAtMs !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.expiresAtMs)
        }

        if ((obj.ttlSeconds != null && obj.ttlSeconds !== 0)) {
          w.uint32(32)
          w.uint32(obj.ttlSeconds)
        }

        if ((obj.requestTimestampMs != null && obj.requestTimestampMs !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.requestTimestampMs)
        }

        if ((obj.payloadOmitted != null && obj.payloadOmitted !== false)) {
          w.uint32(48)
          w.bool(obj.payloadOmitted)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          payload: uint8ArrayAlloc(0),
          receivedAtMs: 0,
          expiresAtMs: 0,
          ttlSeconds: 0,
          requestTimestampMs: 0,
          payloadOmitted: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.payload = reader.bytes()
              break
            }
            case 2: {
              obj.receivedAtMs = reader.uint64Number()
              break
            }
            case 3: {
              obj.expiresAtMs = reader.uint64Number()
              break
            }
            case 4: {
              obj.ttlSeconds = reader.uint32()
              break
            }
            case 5: {
              obj.requestTimestampMs = reader.uint64Number()
              break
            }
            case 6: {
              obj.payloadOmitted = reader.bool()
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
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.receivedAtMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.expiresAtMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.ttlSeconds`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.requestTimestampMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.payloadOmitted`,
                value: reader.bool()
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

  export interface StoredTxPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredTxReceivedAtMsFieldEvent {
    field: '$.receivedAtMs'
    value: number
  }

  export interface StoredTxExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: number
  }

  export interface StoredTxTtlSecondsFieldEvent {
    field: '$.ttlSeconds'
    value: number
  }

  export interface StoredTxRequestTimestampMsFieldEvent {
    field: '$.requestTimestampMs'
    value: number
  }

  export interface StoredTxPayloadOmittedFieldEvent {
    field: '$.payloadOmitted'
    value: boolean
  }

  export function encode (obj: Partial<StoredTx>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoredTx.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredTx>): StoredTx {
    return decodeMessage(buf, StoredTx.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredTx>): Generator<StoredTxPayloadFieldEvent | StoredTxReceivedAtMsFieldEvent | StoredTxExpiresAtMsFieldEvent | StoredTxTtlSecondsFieldEvent | StoredTxRequestTimestampMsFieldEvent | StoredTxPayloadOmittedFieldEvent> {
    return streamMessage(buf, StoredTx.codec(), opts)
  }
}

export interface HistoryRecord {
  firstSeenMs: number
  quorumAtMs: number
  ackCount: number
  state: TxState
  expiresAtMs: number
}

export namespace HistoryRecord {
  let _codec: Codec<HistoryRecord>

  export const codec = (): Codec<HistoryRecord> => {
    if (_codec == null) {
      _codec = message<HistoryRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.firstSeenMs != null && obj.firstSeenMs !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.firstSeenMs)
        }

        if ((obj.quorumAtMs != null && obj.quorumAtMs !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.quorumAtMs)
        }

        if ((obj.ackCount != null && obj.ackCount !== 0)) {
          w.uint32(24)
          w.uint32(obj.ackCount)
        }

        if (obj.state != null && __TxStateValues[obj.state] !== 0) {
          w.uint32(32)
          TxState.codec().encode(obj.state, w)
        }

        if ((obj.expiresAtMs != null && obj.expiresAtMs !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.expiresAtMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          firstSeenMs: 0,
          quorumAtMs: 0,
          ackCount: 0,
          state: TxState.TX_STATE_UNSPECIFIED,
          expiresAtMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.firstSeenMs = reader.uint64Number()
              break
            }
            case 2: {
              obj.quorumAtMs = reader.uint64Number()
              break
            }
            case 3: {
              obj.ackCount = reader.uint32()
              break
            }
            case 4: {
              obj.state = TxState.codec().decode(reader)
              break
            }
            case 5: {
              obj.expiresAtMs = reader.uint64Number()
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
                field: `${prefix}.firstSeenMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.quorumAtMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ackCount`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.state`,
                value: TxState.codec().decode(reader)
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.expiresAtMs`,
                value: reader.uint64Number()
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

  export interface HistoryRecordFirstSeenMsFieldEvent {
    field: '$.firstSeenMs'
    value: number
  }

  export interface HistoryRecordQuorumAtMsFieldEvent {
    field: '$.quorumAtMs'
    value: number
  }

  export interface HistoryRecordAckCountFieldEvent {
    field: '$.ackCount'
    value: number
  }

  export interface HistoryRecordStateFieldEvent {
    field: '$.state'
    value: TxState
  }

  export interface HistoryRecordExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: number
  }

  export function encode (obj: Partial<HistoryRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, HistoryRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistoryRecord>): HistoryRecord {
    return decodeMessage(buf, HistoryRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistoryRecord>): Generator<HistoryRecordFirstSeenMsFieldEvent | HistoryRecordQuorumAtMsFieldEvent | HistoryRecordAckCountFieldEvent | HistoryRecordStateFieldEvent | HistoryRecordExpiresAtMsFieldEvent> {
    return streamMessage(buf, HistoryRecord.codec(), opts)
  }
}
