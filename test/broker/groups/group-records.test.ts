import { describe, expect, it } from 'vitest';
import {
  decodeGroupRecord,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from '../../../broker/groups/group-records.js';
import { Writer } from '../../../broker/protocol/writer.js';

describe('__consumer_offsets record formats', () => {
  it('writes OffsetCommitKey v1 and OffsetCommitValue v3 byte for byte as Kafka does', () => {
    expect(encodeOffsetCommitKey({ group: 'g', topic: 't', partition: 2 }).toString('hex')).toBe('0001' + '00016' + '7' + '000174' + '00000002');
    const value = encodeOffsetCommitValue({ offset: 300, leaderEpoch: 4, metadata: 'ab', commitTimestamp: 1000, expireTimestamp: -1 });
    expect(value.toString('hex')).toBe('0003' + '000000000000012c' + '00000004' + '00026162' + '00000000000003e8');
  });

  it('round-trips group metadata with static and dynamic members', () => {
    const value = {
      protocolType: 'consumer',
      generation: 7,
      protocol: 'range',
      leader: 'm1',
      currentStateTimestamp: 1_700_000_000_000,
      members: [
        {
          memberId: 'm1',
          groupInstanceId: 'i1',
          clientId: 'c1',
          clientHost: '/10.0.0.1',
          rebalanceTimeout: 60_000,
          sessionTimeout: 10_000,
          subscription: Buffer.from([1, 2]),
          assignment: Buffer.from([3]),
        },
        {
          memberId: 'm2',
          groupInstanceId: null,
          clientId: 'c2',
          clientHost: '/10.0.0.2',
          rebalanceTimeout: 30_000,
          sessionTimeout: 6_000,
          subscription: Buffer.alloc(0),
          assignment: Buffer.alloc(0),
        },
      ],
    };
    const key = encodeGroupMetadataKey('grp');
    expect(key.toString('hex')).toBe('0002' + '0003' + Buffer.from('grp').toString('hex'));
    const encoded = encodeGroupMetadataValue(value);
    expect(encoded.readInt16BE(0)).toBe(3);
    expect(decodeGroupRecord(key, encoded)).toEqual({ type: 'group', group: 'grp', value });
    expect(decodeGroupRecord(key, null)).toEqual({ type: 'group', group: 'grp', value: null });
  });

  it('reads older OffsetCommitValue versions, including v1 with an expire timestamp, and flexible v4', () => {
    const key = encodeOffsetCommitKey({ group: 'g', topic: 't', partition: 0 });
    const v1 = new Writer().int16(1).int64(5).string('md').int64(100).int64(200).toBuffer();
    expect(decodeGroupRecord(key, v1)).toMatchObject({ type: 'offset', value: { offset: 5, leaderEpoch: -1, metadata: 'md', expireTimestamp: 200 } });
    const v4 = new Writer().int16(4).int64(6).int32(2).compactString('x').int64(300).uvarint(1).uvarint(0).uvarint(1).uint8(9).toBuffer();
    expect(decodeGroupRecord(key, v4)).toMatchObject({ value: { offset: 6, leaderEpoch: 2, metadata: 'x', commitTimestamp: 300 } });
  });

  it('reports key versions it does not know as unknown', () => {
    expect(decodeGroupRecord(Buffer.from([0, 5, 0, 0]), null)).toEqual({ type: 'unknown', keyVersion: 5 });
  });
});
