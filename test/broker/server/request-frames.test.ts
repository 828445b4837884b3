/**
 * Requests larger than a connection's landing buffer are read into buffers borrowed from the
 * broker's pool, and a Produce request's buffer is reused as soon as its batch is in the log.
 * What a client would notice if that reuse were wrong: records read back with another
 * request's bytes, or a group member whose metadata or assignment (kept by the coordinator from the
 * request that carried them) changes under it once produce traffic follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeGroups, Fetch, JoinGroup, Produce, SyncGroup } from '../../../broker/protocol/apis/index.js';
import { batchesIn, decodeBatch, encodeBatch } from '../../../broker/protocol/record-batch.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';

const TOPIC = 'large-frames';
const GROUP = 'large-frames-group';
const REQUESTS = 24;
const RECORDS_PER_REQUEST = 300;
const RECORD_BYTES = 1000;
const KiB = 1024;
const MiB = 1024 * KiB;

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
  const admin = kafkaClient(broker.bootstrap, 'large-frames').admin();
  await admin.connect();
  // flush.messages=1: every produce waits for its fsync, so the requests behind it queue up
  // in their buffers meanwhile.
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, configEntries: [{ name: 'flush.messages', value: '1' }] }] });
  await admin.disconnect();
});

afterAll(async () => {
  await broker.close();
});

/** Bytes whose content says which request and position they came from. */
function pattern(label: string, bytes: number): Buffer {
  return Buffer.from(`${label}|`.repeat(Math.ceil(bytes / (label.length + 1))).slice(0, bytes));
}

const recordValue = (request: number, i: number) => pattern(`r${request}-${i}`, RECORD_BYTES);

function sendProduce(sock: RawKafkaSocket, request: number): number {
  const batch = encodeBatch({
    records: Array.from({ length: RECORDS_PER_REQUEST }, (_, i) => ({ key: null, value: recordValue(request, i) })),
  });
  return sock.sendRequest(Produce, 8, {
    transactionalId: null, acks: -1, timeoutMs: 30_000,
    topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: batch }] }],
  });
}

async function readAll(sock: RawKafkaSocket, total: number): Promise<Buffer[]> {
  const values: Buffer[] = [];
  while (values.length < total) {
    sock.sendRequest(Fetch, 11, {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 50 * MiB, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: TOPIC, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: values.length, logStartOffset: -1, partitionMaxBytes: MiB }] }],
      forgottenTopicsData: [], rackId: '',
    });
    const records = (await sock.readResponse(Fetch, 11)).body.responses[0]!.partitions[0]!.records!;
    for (const { at } of batchesIn(records)) {
      for (const r of decodeBatch(records, at).records) if (r.offset === values.length) values.push(r.value!);
    }
  }
  return values;
}

describe('request frames that span socket reads', () => {
  it('keeps every produced record and the group state of large requests intact while produce buffers are reused', async () => {
    const sock = await RawKafkaSocket.connect(broker.port);
    try {
      // A member whose metadata and assignment (each larger than one socket read) the coordinator keeps.
      const metadata = pattern('member-metadata', 200 * KiB);
      const assignment = pattern('member-assignment', 300 * KiB);
      sock.sendRequest(JoinGroup, 5, {
        groupId: GROUP, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: '', groupInstanceId: 'static-1',
        protocolType: 'consumer', protocols: [{ name: 'range', metadata }],
      });
      const join = (await sock.readResponse(JoinGroup, 5)).body;
      expect(join.errorCode).toBe(0);
      sock.sendRequest(SyncGroup, 3, {
        groupId: GROUP, generationId: join.generationId, memberId: join.memberId, groupInstanceId: 'static-1',
        assignments: [{ memberId: join.memberId, assignment }],
      });
      expect((await sock.readResponse(SyncGroup, 3)).body).toMatchObject({ errorCode: 0, assignment });

      // Produce requests of ~300 KB each, all in flight at once.
      for (let r = 0; r < REQUESTS; r++) sendProduce(sock, r);
      const baseOffsets: number[] = [];
      for (let r = 0; r < REQUESTS; r++) {
        const part = (await sock.readResponse(Produce, 8)).body.responses[0]!.partitionResponses[0]!;
        expect(part.errorCode).toBe(0);
        baseOffsets.push(Number(part.baseOffset));
      }
      expect(baseOffsets).toEqual(Array.from({ length: REQUESTS }, (_, r) => r * RECORDS_PER_REQUEST));

      const values = await readAll(sock, REQUESTS * RECORDS_PER_REQUEST);
      for (let r = 0; r < REQUESTS; r++) {
        for (let i = 0; i < RECORDS_PER_REQUEST; i++) {
          const value = values[r * RECORDS_PER_REQUEST + i]!;
          if (!value.equals(recordValue(r, i))) expect.fail(`record ${i} of request ${r} came back as ${value.subarray(0, 24).toString()}…`);
        }
      }

      sock.sendRequest(DescribeGroups, 5, { groups: [GROUP], includeAuthorizedOperations: false });
      const member = (await sock.readResponse(DescribeGroups, 5)).body.groups[0]!.members[0]!;
      expect(member.memberMetadata.equals(metadata)).toBe(true);
      expect(member.memberAssignment.equals(assignment)).toBe(true);
    } finally {
      sock.destroy();
    }
  });
});
