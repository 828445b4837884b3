import { describe, expect, it } from 'vitest';
import {
  decodeRecord, encodeRecord, InvalidRecordError, RecordReader, varintSize, writeVarint,
} from '../../../broker/protocol/record.js';

describe('record varints', () => {
  it('zigzag-encodes small values into the bytes the Kafka layout specifies', () => {
    const cases: Array<[number, number[]]> = [
      [0, [0x00]], [-1, [0x01]], [1, [0x02]], [-2, [0x03]], [63, [0x7e]], [-64, [0x7f]],
      [64, [0x80, 0x01]], [300, [0xd8, 0x04]], [2147483647, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
      [-2147483648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [value, bytes] of cases) {
      const buf = Buffer.alloc(10);
      expect(writeVarint(buf, 0, value)).toBe(bytes.length);
      expect([...buf.subarray(0, bytes.length)]).toEqual(bytes);
      expect(varintSize(value)).toBe(bytes.length);
      expect(new RecordReader(buf, 0, bytes.length).varint()).toBe(value);
    }
  });

  it('round-trips 64-bit timestamp deltas beyond 32 bits as varlongs', () => {
    for (const value of [2 ** 31, -(2 ** 31) - 1, 2 ** 40 + 3, -(2 ** 45), 1_700_000_000_000, Number.MAX_SAFE_INTEGER >> 1]) {
      const buf = Buffer.alloc(10);
      const end = writeVarint(buf, 0, value);
      expect(end).toBe(varintSize(value));
      const reader = new RecordReader(buf, 0, end);
      expect(reader.varlong()).toBe(value);
      expect(reader.pos).toBe(end);
    }
  });

  it('rejects a varint that runs off the end of the data', () => {
    expect(() => new RecordReader(Buffer.from([0x80, 0x80]), 0, 2).varint()).toThrow(InvalidRecordError);
  });
});

describe('single record encoding', () => {
  it('lays out a keyed record with one header byte by byte', () => {
    const bytes = encodeRecord({ key: Buffer.from('k'), value: Buffer.from('vv'), headers: [{ key: 'h', value: Buffer.from('x') }] }, 3, -1);
    expect(bytes.toString('hex')).toBe(
      '1a' + '00' + '01' + '06' + '02' + '6b' + '04' + '7676' + '02' + '02' + '68' + '02' + '78',
    );
  });

  it('decodes what it encodes, with absolute offset and timestamp', () => {
    const input = {
      key: null,
      value: Buffer.from('payload'),
      headers: [{ key: 'trace-id', value: Buffer.from('abc') }, { key: 'empty', value: null }, { key: 'ünïcode', value: Buffer.alloc(0) }],
    };
    const bytes = encodeRecord(input, 7, 250);
    const { record, next } = decodeRecord(bytes, 0, 1000, 1_700_000_000_000);
    expect(next).toBe(bytes.length);
    expect(record).toEqual({ offset: 1007, timestamp: 1_700_000_000_250, ...input });
  });

  it('rejects a record whose length prefix disagrees with its fields', () => {
    const bytes = encodeRecord({ key: Buffer.from('k'), value: null }, 0, 0);
    bytes[0] = bytes[0]! + 2;
    expect(() => decodeRecord(Buffer.concat([bytes, Buffer.alloc(2)]), 0, 0, 0)).toThrow(InvalidRecordError);
  });
});
