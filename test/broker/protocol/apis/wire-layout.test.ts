/**
 * Byte-exact layouts derived by hand from Kafka's message JSON and the primitive rules
 * (classic: int16 string lengths, int32 array counts; flexible: uvarint length+1, a tag
 * section closing every struct).
 */
import { describe, expect, it } from 'vitest';
import { Fetch } from '../../../../broker/protocol/apis/fetch.js';
import { FindCoordinator } from '../../../../broker/protocol/apis/find-coordinator.js';
import { JoinGroup } from '../../../../broker/protocol/apis/join-group.js';
import { OffsetFetch } from '../../../../broker/protocol/apis/offset-fetch.js';
import { Produce } from '../../../../broker/protocol/apis/produce.js';
import { Reader } from '../../../../broker/protocol/reader.js';
import { Writer } from '../../../../broker/protocol/writer.js';

const hex = (...parts: string[]) => parts.join('').replace(/\s+/g, '');
const ascii = (s: string) => Buffer.from(s).toString('hex');

describe('protocol wire layouts', () => {
  it('lays out a Produce v3 request for one partition with a 3-byte record blob', () => {
    const expected = hex(
      'ffff', // transactionalId: null
      'ffff', // acks: -1
      '00007530', // timeoutMs: 30000
      '00000001', // topicData: 1 topic
      '0001', ascii('a'), // name
      '00000001', // partitionData: 1 partition
      '00000000', // index
      '00000003', '010203', // records
    );
    const value = {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 'a', partitionData: [{ index: 0, records: Buffer.from([1, 2, 3]) }] }],
    };
    expect(Produce.request.encode(new Writer(), 3, value).toBuffer().toString('hex')).toBe(expected);
    expect(Produce.request.decode(new Reader(Buffer.from(expected, 'hex')), 3)).toEqual(value);
  });

  it('lays out a JoinGroup v5 request with a null group instance id', () => {
    const expected = hex(
      '0001', ascii('g'), // groupId
      '00002710', // sessionTimeoutMs: 10000
      '0000ea60', // rebalanceTimeoutMs: 60000
      '0000', // memberId: ''
      'ffff', // groupInstanceId: null
      '0008', ascii('consumer'), // protocolType
      '00000001', // protocols: 1
      '0005', ascii('range'), // name
      '00000002', '0001', // metadata
    );
    const value = {
      groupId: 'g',
      sessionTimeoutMs: 10000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([0, 1]) }],
    };
    expect(JoinGroup.request.encode(new Writer(), 5, value).toBuffer().toString('hex')).toBe(expected);
    expect(JoinGroup.request.decode(new Reader(Buffer.from(expected, 'hex')), 5)).toEqual(value);
  });

  it('batches coordinator keys in FindCoordinator v4 and drops the single-key fields', () => {
    const request = hex(
      '00', // keyType: group
      '03', '03', ascii('g1'), '03', ascii('g2'), // coordinatorKeys: ['g1', 'g2']
      '00', // tags
    );
    expect(FindCoordinator.request.encode(new Writer(), 4, {
      key: 'ignored in v4',
      keyType: 0,
      coordinatorKeys: ['g1', 'g2'],
    }).toBuffer().toString('hex')).toBe(request);
    const decoded = FindCoordinator.request.decode(new Reader(Buffer.from(request, 'hex')), 4);
    expect(decoded.coordinatorKeys).toEqual(['g1', 'g2']);
    expect(decoded.key).toBe('');

    const response = hex(
      '00000000', // throttleTimeMs
      '02', // coordinators: 1
      '03', ascii('g1'), // key
      '00000001', // nodeId
      '0a', ascii('localhost'), // host
      '00002384', // port: 9092
      '0000', // errorCode
      '00', // errorMessage: null
      '00', // coordinator tags
      '00', // tags
    );
    expect(FindCoordinator.response.encode(new Writer(), 4, {
      coordinators: [{ key: 'g1', nodeId: 1, host: 'localhost', port: 9092, errorCode: 0, errorMessage: null }],
    }).toBuffer().toString('hex')).toBe(response);
  });

  it('batches groups in OffsetFetch v8 with a null topic list meaning all partitions', () => {
    const request = hex(
      '03', // groups: 2
      '02', ascii('g'), // groupId
      '02', // topics: 1
      '02', ascii('t'), // name
      '03', '00000000', '00000001', // partitionIndexes: [0, 1]
      '00', // topic tags
      '00', // group tags
      '02', ascii('h'), // groupId
      '00', // topics: null
      '00', // group tags
      '01', // requireStable
      '00', // tags
    );
    const value = {
      groupId: '',
      topics: null,
      groups: [
        { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }] },
        { groupId: 'h', topics: null },
      ],
      requireStable: true,
    };
    expect(OffsetFetch.request.encode(new Writer(), 8, value).toBuffer().toString('hex')).toBe(request);
    expect(OffsetFetch.request.decode(new Reader(Buffer.from(request, 'hex')), 8)).toEqual(value);

    const response = hex(
      '00000000', // throttleTimeMs
      '02', // groups: 1
      '02', ascii('g'), // groupId
      '02', // topics: 1
      '02', ascii('t'), // name
      '02', // partitions: 1
      '00000000', // partitionIndex
      '0000000000000005', // committedOffset
      'ffffffff', // committedLeaderEpoch: -1
      '01', // metadata: ''
      '0000', // errorCode
      '00', '00', // partition and topic tags
      '0000', // group errorCode
      '00', '00', // group and top-level tags
    );
    expect(OffsetFetch.response.encode(new Writer(), 8, {
      groups: [{
        groupId: 'g',
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5, metadata: '', errorCode: 0 }] }],
        errorCode: 0,
      }],
    }).toBuffer().toString('hex')).toBe(response);
  });

  it('reads a flexible Fetch v12 request, keeping a known tag and skipping unknown ones', () => {
    const body = (topLevelTags: string, partitionTags: string) => hex(
      'ffffffff', // replicaId: -1
      '000001f4', // maxWaitMs: 500
      '00000001', // minBytes
      '03200000', // maxBytes: 52428800
      '01', // isolationLevel: read_committed
      '00000000', // sessionId
      'ffffffff', // sessionEpoch: -1
      '02', // topics: 1
      '02', ascii('t'), // topic
      '02', // partitions: 1
      '00000000', // partition
      'ffffffff', // currentLeaderEpoch: -1
      '000000000000002a', // fetchOffset: 42
      'ffffffff', // lastFetchedEpoch: -1
      'ffffffffffffffff', // logStartOffset: -1
      '00100000', // partitionMaxBytes: 1048576
      partitionTags,
      '00', // topic tags
      '01', // forgottenTopicsData: []
      '01', // rackId: ''
      topLevelTags,
    );
    const sent = body(
      hex('02', '00', '03', '03', ascii('ab'), '09', '02', 'beef'), // clusterId 'ab' (tag 0) and unknown tag 9
      hex('01', '05', '01', 'ff'), // unknown tag 5
    );
    const reader = new Reader(Buffer.from(sent, 'hex'));
    const decoded = Fetch.request.decode(reader, 12);
    expect(reader.remaining).toBe(0);
    expect(decoded).toEqual({
      clusterId: 'ab',
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{
        topic: 't',
        partitions: [{
          partition: 0,
          currentLeaderEpoch: -1,
          fetchOffset: 42,
          lastFetchedEpoch: -1,
          logStartOffset: -1,
          partitionMaxBytes: 1048576,
        }],
      }],
      forgottenTopicsData: [],
      rackId: '',
    });
    const reencoded = Fetch.request.encode(new Writer(), 12, decoded).toBuffer().toString('hex');
    expect(reencoded).toBe(body(hex('01', '00', '03', '03', ascii('ab')), '00'));
  });

  it('fills fields an older version lacks with Kafka\'s defaults', () => {
    const fetch = Fetch.request.encode(new Writer(), 4, {
      replicaId: -1,
      maxWaitMs: 100,
      minBytes: 1,
      maxBytes: 1024,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 7, partitionMaxBytes: 512 }] }],
    }).toBuffer();
    const decoded = Fetch.request.decode(new Reader(fetch), 4);
    expect(decoded.sessionEpoch).toBe(-1);
    expect(decoded.clusterId).toBeNull();
    expect(decoded.topics[0]!.partitions[0]).toEqual({
      partition: 0, currentLeaderEpoch: -1, fetchOffset: 7, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 512,
    });

    const produced = Produce.response.encode(new Writer(), 3, {
      responses: [{ name: 't', partitionResponses: [{ index: 0, baseOffset: 10, logAppendTimeMs: -1 }] }],
    }).toBuffer();
    const partition = Produce.response.decode(new Reader(produced), 3).responses[0]!.partitionResponses[0]!;
    expect(partition.logStartOffset).toBe(-1);
    expect(partition.recordErrors).toEqual([]);
    expect(partition.errorMessage).toBeNull();
  });
});
