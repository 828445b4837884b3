import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../../connectors/mirror/records/checkpoint.js';
import { decodeHeartbeat, encodeHeartbeat } from '../../../../connectors/mirror/records/heartbeat.js';
import { decodeOffsetSync, encodeOffsetSync } from '../../../../connectors/mirror/records/offset-sync.js';
import { RecordFormatError } from '../../../../connectors/mirror/records/struct-bytes.js';

const hex = (s: string) => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');

describe('Heartbeat bytes', () => {
  it('encodes the reference example A->B at 1718000000000 exactly', () => {
    const { key, value } = encodeHeartbeat({ sourceClusterAlias: 'A', targetClusterAlias: 'B', timestamp: 1718000000000 });
    expect(key.toString('hex')).toBe('000141000142');
    expect(value.toString('hex')).toBe('0000' + '0000019000c79c00');
    expect(value).toHaveLength(10);
  });

  it('decodes the reference example', () => {
    expect(decodeHeartbeat(hex('00 01 41 00 01 42'), hex('00 00 | 00 00 01 90 00 C7 9C 00')))
      .toEqual({ sourceClusterAlias: 'A', targetClusterAlias: 'B', timestamp: 1718000000000 });
  });

  it('round-trips multi-byte UTF-8 aliases and a zero timestamp', () => {
    const h = { sourceClusterAlias: 'région-é', targetClusterAlias: '東京', timestamp: 0 };
    const { key, value } = encodeHeartbeat(h);
    expect(key.readInt16BE(0)).toBe(Buffer.byteLength('région-é'));
    expect(decodeHeartbeat(key, value)).toEqual(h);
  });

  it('refuses an unknown value version, naming it', () => {
    expect(() => decodeHeartbeat(hex('000141000142'), hex('0001 0000019000c79c00'))).toThrow(/Heartbeat value has version 1; only version 0/);
  });

  it('refuses truncated keys and values, saying which field is cut', () => {
    expect(() => decodeHeartbeat(hex('0001410001'), hex('00000000019000c79c00'))).toThrow(/Heartbeat key is truncated: targetClusterAlias needs 1 bytes/);
    expect(() => decodeHeartbeat(hex('000141000142'), hex('0000 00000190'))).toThrow(RecordFormatError);
    expect(() => decodeHeartbeat(hex('000141000142'), hex('00'))).toThrow(/Heartbeat value is truncated: version/);
    expect(() => decodeHeartbeat(Buffer.alloc(0), hex('00000000019000c79c00'))).toThrow(/sourceClusterAlias length needs 2 bytes/);
  });
});

describe('Checkpoint bytes', () => {
  const checkpoint: Checkpoint = { group: 'g', topic: 'A.t', partition: 2, upstreamOffset: 5, downstreamOffset: 7, metadata: '' };

  it('lays out key group/topic/partition and value version/upstreamOffset/offset/metadata', () => {
    const { key, value } = encodeCheckpoint(checkpoint);
    expect(key.toString('hex')).toBe('000167' + '0003412e74' + '00000002');
    expect(value.toString('hex')).toBe('0000' + '0000000000000005' + '0000000000000007' + '0000');
  });

  it('decodes hand-made bytes with metadata', () => {
    const value = hex('0000 0000000000000064 000000000000002a 0002 6f6b');
    expect(decodeCheckpoint(hex('000167 0003412e74 00000002'), value))
      .toEqual({ ...checkpoint, upstreamOffset: 100, downstreamOffset: 42, metadata: 'ok' });
  });

  it('round-trips large offsets, negative partitions and long names', () => {
    const c = { group: 'x'.repeat(300), topic: 'B.A.orders', partition: 2 ** 31 - 1, upstreamOffset: 2 ** 53 - 1, downstreamOffset: 2 ** 40 + 3, metadata: 'ü' };
    const { key, value } = encodeCheckpoint(c);
    expect(decodeCheckpoint(key, value)).toEqual(c);
  });

  it('refuses offsets it cannot hold exactly, both ways', () => {
    expect(() => encodeCheckpoint({ ...checkpoint, upstreamOffset: 2 ** 60 })).toThrow(/upstreamOffset .* is not an integer/);
    expect(() => encodeCheckpoint({ ...checkpoint, partition: 2 ** 31 })).toThrow(/partition/);
    const { key } = encodeCheckpoint(checkpoint);
    expect(() => decodeCheckpoint(key, hex('0000 7fffffffffffffff 0000000000000000 0000'))).toThrow(/upstreamOffset 9223372036854775807 is beyond 2\^53/);
  });

  it('refuses an unknown version, a truncated value and a negative string length', () => {
    const { key, value } = encodeCheckpoint(checkpoint);
    const v1 = Buffer.from(value);
    v1.writeInt16BE(1, 0);
    expect(() => decodeCheckpoint(key, v1)).toThrow(/Checkpoint value has version 1/);
    expect(() => decodeCheckpoint(key, value.subarray(0, value.length - 1))).toThrow(/Checkpoint value is truncated: metadata length/);
    expect(() => decodeCheckpoint(key.subarray(0, 8), value)).toThrow(/Checkpoint key is truncated: partition/);
    expect(() => decodeCheckpoint(hex('ffff'), value)).toThrow(/group has length -1; the field is not nullable/);
  });

  it('refuses a string longer than INT16 can count', () => {
    expect(() => encodeCheckpoint({ ...checkpoint, group: 'g'.repeat(40000) })).toThrow(/group is 40000 bytes/);
  });
});

describe('OffsetSync bytes', () => {
  it('has no version header: key topic/partition, value upstreamOffset/offset', () => {
    const { key, value } = encodeOffsetSync({ topic: 't', partition: 0, upstreamOffset: 100, downstreamOffset: 42 });
    expect(key.toString('hex')).toBe('000174' + '00000000');
    expect(value.toString('hex')).toBe('0000000000000064' + '000000000000002a');
  });

  it('decodes hand-made bytes and round-trips', () => {
    expect(decodeOffsetSync(hex('0006 6f7264657273 00000005'), hex('00000000000003e8 00000000000001f4')))
      .toEqual({ topic: 'orders', partition: 5, upstreamOffset: 1000, downstreamOffset: 500 });
    const s = { topic: 'a-b.c_d', partition: 63, upstreamOffset: 2 ** 50, downstreamOffset: 0 };
    const { key, value } = encodeOffsetSync(s);
    expect(decodeOffsetSync(key, value)).toEqual(s);
  });

  it('refuses truncated bytes', () => {
    expect(() => decodeOffsetSync(hex('000174 000000'), hex('0000000000000064 000000000000002a'))).toThrow(/OffsetSync key is truncated: partition/);
    expect(() => decodeOffsetSync(hex('000174 00000000'), hex('0000000000000064 0000'))).toThrow(/OffsetSync value is truncated: offset/);
  });
});
