import { describe, expect, it } from 'vitest';
import {
  OffsetFormatError,
  decodeOffsetKey,
  decodeOffsetValue,
  encodeOffsetKey,
  encodeOffsetValue,
} from '../../../../runtime/stores/topic/offset-records.js';

const text = (b: Buffer | null) => b && b.toString('utf8');

describe('offset records', () => {
  it('writes the key as [connector, partition] exactly as Kafka Connect does', () => {
    expect(text(encodeOffsetKey('my-source', { filename: 'test.txt' }))).toBe('["my-source",{"filename":"test.txt"}]');
    expect(text(encodeOffsetKey('db', { server: 'mysql', db: 'inventory', shard: 3 }))).toBe(
      '["db",{"server":"mysql","db":"inventory","shard":3}]',
    );
  });

  it('writes the offset map as compact JSON and null as a tombstone', () => {
    expect(text(encodeOffsetValue({ position: 30 }))).toBe('{"position":30}');
    expect(text(encodeOffsetValue({ file: 'binlog.000003', pos: 154, snapshot: false, gtid: null }))).toBe(
      '{"file":"binlog.000003","pos":154,"snapshot":false,"gtid":null}',
    );
    expect(encodeOffsetValue(null)).toBeNull();
  });

  it('reads keys and values Kafka Connect wrote, integers as numbers, keeping member order', () => {
    const key = decodeOffsetKey(Buffer.from('["local-file-source",{"filename":"/tmp/test.txt"}]'));
    expect(key).toEqual({ connector: 'local-file-source', partition: { filename: '/tmp/test.txt' } });
    const value = decodeOffsetValue(Buffer.from('{"position":9007199254740991,"z":1,"a":2}'));
    expect(value).toEqual({ position: 9007199254740991, z: 1, a: 2 });
    expect(Object.keys(value!)).toEqual(['position', 'z', 'a']);
    expect(decodeOffsetValue(null)).toBeNull();
  });

  it('round-trips a Kafka-written key to the same bytes', () => {
    const bytes = '["mm2-source",{"cluster":"primary","partition":0,"topic":"orders"}]';
    const key = decodeOffsetKey(Buffer.from(bytes))!;
    expect(text(encodeOffsetKey(key.connector, key.partition))).toBe(bytes);
  });

  it('ignores keys that are not a 2-element [string, object]', () => {
    for (const bad of ['["c"]', '["c",{"a":1},1]', '[1,{"a":1}]', '["c",null]', '["c",[1]]', '{"c":1}', 'nope', '["c",{"a":{"b":1}}]']) {
      expect(decodeOffsetKey(Buffer.from(bad))).toBeUndefined();
    }
    expect(decodeOffsetKey(null)).toBeUndefined();
  });

  it('reports stored values that are not maps of primitives as undefined', () => {
    expect(decodeOffsetValue(Buffer.from('{"a":{"b":1}}'))).toBeUndefined();
    expect(decodeOffsetValue(Buffer.from('[1]'))).toBeUndefined();
    expect(decodeOffsetValue(Buffer.from('{bad'))).toBeUndefined();
  });

  it('refuses to write nested values, as Kafka Connect does', () => {
    expect(() => encodeOffsetValue({ a: { b: 1 } } as never)).toThrow(OffsetFormatError);
    expect(() => encodeOffsetKey('c', { a: [1] } as never)).toThrow(/primitive values, but 'a' holds an array/);
    expect(() => encodeOffsetValue({ a: Number.NaN })).toThrow(OffsetFormatError);
  });
});
