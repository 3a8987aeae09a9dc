import { expect } from 'chai'
import { StorageError } from '../../src/core/errors.js'
import { toHex } from '../../src/core/hash.js'
import {
  ackKey, ackRangeOf, decodeAckKey, decodeExpiryKey, decodeHistoryExpiryKey, decodeHistoryKey,
  decodeTimeKey, decodeTxKey, encodeRangeCursor, encodeU64, expiryKey, expiryRangeUpTo,
  historyExpiryKey, historyExpiryRangeUpTo, historyKey, metaKey, prefixRange, rangeCursorToTimeKey,
  timeKey, timeRangeOf, txKey, KeyPrefix
} from '../../src/storage/keys.js'

const TX_ID = new Uint8Array(32).fill(0xab)
const HOLDER_ID = new Uint8Array(32).fill(0xcd)
const AB32 = 'ab'.repeat(32)
const CD32 = 'cd'.repeat(32)

/** Compares two keys byte by byte, the order LevelDB sorts by. */
function compareBytes (a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b)
}

function expectCorrupt (decode: () => unknown, keyHex: string): void {
  let caught: unknown
  try {
    decode()
  } catch (err) {
    caught = err
  }
  expect(caught).to.be.instanceOf(StorageError)
  expect((caught as StorageError).code).to.equal('ERR_CORRUPT_RECORD')
  expect((caught as StorageError).message).to.include(keyHex)
}

describe('storage keys', () => {
  it('tx key bytes', () => {
    expect(toHex(txKey(TX_ID))).to.equal('74782f' + AB32)
  })

  it('exp key bytes', () => {
    // "exp/" ‖ u64 1 ‖ "/" ‖ tx_id
    expect(toHex(expiryKey(1, TX_ID))).to.equal('6578702f' + '0000000000000001' + '2f' + AB32)
  })

  it('ack key bytes', () => {
    expect(toHex(ackKey(TX_ID, HOLDER_ID))).to.equal('61636b2f' + AB32 + '2f' + CD32)
  })

  it('hist key bytes', () => {
    expect(toHex(historyKey(TX_ID))).to.equal('686973742f' + AB32)
  })

  it('meta key bytes', () => {
    expect(toHex(metaKey('schema_version'))).to.equal('6d6574612f' + Buffer.from('schema_version').toString('hex'))
  })

  it('u64 big-endian bytes', () => {
    expect(toHex(encodeU64(0))).to.equal('0000000000000000')
    expect(toHex(encodeU64(256))).to.equal('0000000000000100')
    expect(toHex(encodeU64(2 ** 32))).to.equal('0000000100000000')
    expect(toHex(encodeU64(Number.MAX_SAFE_INTEGER))).to.equal('001fffffffffffff')
  })

  it('u64 rejects invalid numbers', () => {
    expect(() => encodeU64(-1)).to.throw(RangeError)
    expect(() => encodeU64(1.5)).to.throw(RangeError)
    expect(() => encodeU64(2 ** 53)).to.throw(RangeError)
    expect(() => encodeU64(Number.NaN)).to.throw(RangeError)
  })

  it('exp keys sort numerically', () => {
    const times = [2 ** 32 + 1, 256, 0, 2 ** 32, 255, 1, 2 ** 32 - 1, 257, Number.MAX_SAFE_INTEGER, 65536]
    const sortedByBytes = times
      .map((time) => expiryKey(time, TX_ID))
      .sort(compareBytes)
      .map((key) => decodeExpiryKey(key).expiresAtMs)
    const sortedByNumber = [...times].sort((a, b) => a - b)
    expect(sortedByBytes).to.deep.equal(sortedByNumber)
  })

  it('exp keys of equal time sort by tx_id', () => {
    const low = new Uint8Array(32).fill(0x01)
    const high = new Uint8Array(32).fill(0xfe)
    expect(compareBytes(expiryKey(255, low), expiryKey(255, high))).to.equal(-1)
    expect(compareBytes(expiryKey(255, high), expiryKey(256, low))).to.equal(-1)
  })

  it('exp range includes its bound', () => {
    const range = expiryRangeUpTo(256)
    const inside = [expiryKey(0, TX_ID), expiryKey(255, TX_ID), expiryKey(256, new Uint8Array(32).fill(0xff))]
    const outside = [expiryKey(257, new Uint8Array(32)), expiryKey(2 ** 32, TX_ID)]
    for (const key of inside) {
      expect(compareBytes(key, range.gte)).to.be.at.least(0)
      expect(compareBytes(key, range.lt)).to.equal(-1)
    }
    for (const key of outside) {
      expect(compareBytes(key, range.lt)).to.be.at.least(0)
    }
  })

  it('prefix range bounds', () => {
    const range = prefixRange(KeyPrefix.TX)
    expect(Buffer.from(range.gte).toString()).to.equal('tx/')
    expect(Buffer.from(range.lt).toString()).to.equal('tx0')
    expect(compareBytes(txKey(new Uint8Array(32).fill(0xff)), range.lt)).to.equal(-1)
  })

  it('ack range of one tx', () => {
    const range = ackRangeOf(TX_ID)
    const other = new Uint8Array(32).fill(0xac)
    expect(compareBytes(ackKey(TX_ID, new Uint8Array(32)), range.gte)).to.be.at.least(0)
    expect(compareBytes(ackKey(TX_ID, new Uint8Array(32).fill(0xff)), range.lt)).to.equal(-1)
    expect(compareBytes(ackKey(other, new Uint8Array(32)), range.lt)).to.be.at.least(0)
  })

  it('decoders round trip', () => {
    expect(decodeTxKey(txKey(TX_ID))).to.deep.equal(TX_ID)
    expect(decodeHistoryKey(historyKey(TX_ID))).to.deep.equal(TX_ID)
    expect(decodeExpiryKey(expiryKey(2 ** 40 + 7, TX_ID))).to.deep.equal({ expiresAtMs: 2 ** 40 + 7, txId: TX_ID })
    expect(decodeAckKey(ackKey(TX_ID, HOLDER_ID))).to.deep.equal({ txId: TX_ID, holderId: HOLDER_ID })
  })

  it('decoders return plain views', () => {
    const fromDisk = Buffer.from(txKey(TX_ID))
    const txId = decodeTxKey(fromDisk)
    expect(Object.getPrototypeOf(txId)).to.equal(Uint8Array.prototype)
  })

  it('decoders reject wrong length', () => {
    const shortTx = txKey(TX_ID).subarray(0, 34)
    expectCorrupt(() => decodeTxKey(shortTx), toHex(shortTx))

    const longExp = new Uint8Array([...expiryKey(1, TX_ID), 0])
    expectCorrupt(() => decodeExpiryKey(longExp), toHex(longExp))

    const shortAck = ackKey(TX_ID, HOLDER_ID).subarray(0, 60)
    expectCorrupt(() => decodeAckKey(shortAck), toHex(shortAck))

    const shortHist = historyKey(TX_ID).subarray(0, 36)
    expectCorrupt(() => decodeHistoryKey(shortHist), toHex(shortHist))
  })

  it('decoders reject bad separator', () => {
    const exp = expiryKey(1, TX_ID)
    exp[12] = 0x2e
    expectCorrupt(() => decodeExpiryKey(exp), toHex(exp))

    const ack = ackKey(TX_ID, HOLDER_ID)
    ack[36] = 0x00
    expectCorrupt(() => decodeAckKey(ack), toHex(ack))
  })

  it('decoders reject wrong prefix', () => {
    const key = historyKey(TX_ID)
    expectCorrupt(() => decodeTxKey(key), toHex(key))
  })

  it('exp decoder rejects unsafe time', () => {
    const key = expiryKey(0, TX_ID)
    key.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 4)
    expectCorrupt(() => decodeExpiryKey(key), toHex(key))
  })

  it('encoders reject wrong id length', () => {
    expect(() => txKey(new Uint8Array(31))).to.throw(RangeError, /tx_id must be 32 bytes, got 31/)
    expect(() => ackKey(TX_ID, new Uint8Array(33))).to.throw(RangeError, /holder_id must be 32 bytes, got 33/)
    expect(() => expiryKey(1, new Uint8Array(0))).to.throw(RangeError)
    expect(() => historyKey(new Uint8Array(64))).to.throw(RangeError)
  })

  it('meta names are validated', () => {
    expect(() => metaKey('')).to.throw(RangeError)
    expect(() => metaKey('a/b')).to.throw(RangeError)
    expect(() => metaKey('with space')).to.throw(RangeError)
    expect(() => metaKey('sync_cursor.peer-1')).not.to.throw()
  })

  describe('time and hexp indexes', () => {
    // 1_700_000_000_000 ms is 0x0000018bcfe56800.
    const TIMESTAMP = 1_700_000_000_000

    it('time key bytes', () => {
      // "time/" ‖ u64 request timestamp ‖ "/" ‖ tx_id
      expect(toHex(timeKey(TIMESTAMP, TX_ID))).to.equal('74696d652f' + '0000018bcfe56800' + '2f' + AB32)
    })

    it('hexp key bytes', () => {
      // "hexp/" ‖ u64 deletion time ‖ "/" ‖ tx_id; the time is 30 days after TIMESTAMP.
      expect(toHex(historyExpiryKey(TIMESTAMP + 2_592_000_000, TX_ID))).to.equal('686578702f' + '0000018c6a643000' + '2f' + AB32)
    })

    it('prefixes differ from hist', () => {
      expect(Buffer.from(KeyPrefix.TIME).toString()).to.equal('time/')
      expect(Buffer.from(KeyPrefix.HISTORY_EXPIRY).toString()).to.equal('hexp/')
      const histRange = prefixRange(KeyPrefix.HISTORY)
      const hexp = historyExpiryKey(Number.MAX_SAFE_INTEGER, new Uint8Array(32).fill(0xff))
      expect(compareBytes(hexp, histRange.gte)).to.equal(-1)
    })

    it('decoders round trip', () => {
      expect(decodeTimeKey(timeKey(TIMESTAMP, TX_ID))).to.deep.equal({ requestTimestampMs: TIMESTAMP, txId: TX_ID })
      expect(decodeHistoryExpiryKey(historyExpiryKey(TIMESTAMP, TX_ID))).to.deep.equal({ deleteAtMs: TIMESTAMP, txId: TX_ID })
    })

    it('decoders reject malformed keys', () => {
      const short = timeKey(TIMESTAMP, TX_ID).subarray(0, 45)
      expectCorrupt(() => decodeTimeKey(short), toHex(short))

      const badSeparator = historyExpiryKey(TIMESTAMP, TX_ID)
      badSeparator[13] = 0x00
      expectCorrupt(() => decodeHistoryExpiryKey(badSeparator), toHex(badSeparator))

      const unsafe = timeKey(0, TX_ID)
      unsafe.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 5)
      expectCorrupt(() => decodeTimeKey(unsafe), toHex(unsafe))

      const wrongPrefix = expiryKey(TIMESTAMP, TX_ID)
      expectCorrupt(() => decodeTimeKey(wrongPrefix), toHex(wrongPrefix))
    })

    it('time range includes both bounds', () => {
      const range = timeRangeOf(256, 512)
      const inside = [timeKey(256, new Uint8Array(32)), timeKey(300, TX_ID), timeKey(512, new Uint8Array(32).fill(0xff))]
      const outside = [timeKey(255, new Uint8Array(32).fill(0xff)), timeKey(513, new Uint8Array(32))]
      for (const key of inside) {
        expect(compareBytes(key, range.gte), toHex(key)).to.be.at.least(0)
        expect(compareBytes(key, range.lt), toHex(key)).to.equal(-1)
      }
      for (const key of outside) {
        const below = compareBytes(key, range.gte) < 0
        const above = compareBytes(key, range.lt) >= 0
        expect(below || above, toHex(key)).to.equal(true)
      }
    })

    it('time range up to max safe time', () => {
      const range = timeRangeOf(0, Number.MAX_SAFE_INTEGER)
      expect(compareBytes(timeKey(Number.MAX_SAFE_INTEGER, new Uint8Array(32).fill(0xff)), range.lt)).to.equal(-1)
    })

    it('hexp range includes its bound', () => {
      const range = historyExpiryRangeUpTo(1_000)
      expect(compareBytes(historyExpiryKey(1_000, new Uint8Array(32).fill(0xff)), range.lt)).to.equal(-1)
      expect(compareBytes(historyExpiryKey(1_001, new Uint8Array(32)), range.lt)).to.equal(1)
    })

    it('cursor bytes and time key', () => {
      const cursor = encodeRangeCursor(TIMESTAMP, TX_ID)
      expect(toHex(cursor)).to.equal('0000018bcfe56800' + AB32)
      expect(toHex(rangeCursorToTimeKey(cursor))).to.equal(toHex(timeKey(TIMESTAMP, TX_ID)))
    })

    it('cursor rejects malformed bytes', () => {
      expect(() => rangeCursorToTimeKey(new Uint8Array(39))).to.throw(RangeError, /40 bytes/)
      expect(() => rangeCursorToTimeKey(new Uint8Array(41))).to.throw(RangeError, /40 bytes/)
      expect(() => rangeCursorToTimeKey(new Uint8Array(0))).to.throw(RangeError, /40 bytes/)
      const unsafe = new Uint8Array(40).fill(0xff)
      expect(() => rangeCursorToTimeKey(unsafe)).to.throw(RangeError, /safe integer/)
    })
  })
})
