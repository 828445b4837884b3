/**
 * MirrorSourceConnector end to end: two bundled brokers as two regions, a `ferry worker` next
 * to the target. What a user checks after setting up replication: every record arrives in the
 * same partition with its key, value, headers and timestamp, the remote topic follows the
 * source's partitions and configs, and the offset syncs consumers fail over with are right.
 */
import { describe, expect, it } from 'vitest';
import { decodeOffsetSync } from '../../../../connectors/mirror/records/offset-sync.js';
import { until } from '../../../helpers/until.js';
import {
  flowConfig, runConnector, twoRegionsWithWorker,
} from '../mirror-harness.js';
import {
  createTopic, endOffsetTotal, numberedRecords, partitionCount, produce, readAll, topicConfig, type ReadRecord,
} from '../mirror-topics.js';

const PARTITIONS = 6;

const regions = twoRegionsWithWorker();

function keyed(list: readonly ReadRecord[]): Map<string, ReadRecord> {
  return new Map(list.map((r) => [r.key!.toString(), r]));
}

describe('MirrorSourceConnector between two regions', () => {
  it('replicates a 6-partition topic with keys, headers and timestamps while it is written, and follows its configs and an added partition', async () => {
    await createTopic(regions.A.kafka, 'orders', PARTITIONS, { 'retention.ms': '86400000', 'unclean.leader.election.enable': 'true' });
    const first = numberedRecords('orders', 0, 1500, PARTITIONS);
    const second = numberedRecords('orders', 1500, 1500, PARTITIONS);
    await produce(regions.A.kafka, 'orders', first);
    await runConnector(regions.worker.rest, 'mirror-orders', {
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
      'tasks.max': '2',
      topics: 'orders',
      ...flowConfig(regions.A, regions.B),
    });
    await produce(regions.A.kafka, 'orders', second);
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.orders')) >= 3000, { timeoutMs: 60_000, what: '3000 records in regions.A.orders on B' });

    const source = await readAll(regions.A.kafka, 'orders');
    const remote = await readAll(regions.B.kafka, 'A.orders');
    expect(remote).toHaveLength(3000);
    const upstream = keyed(source);
    for (const r of remote) {
      const u = upstream.get(r.key!.toString())!;
      expect(u, `record ${r.key} exists upstream`).toBeDefined();
      expect({ partition: r.partition, value: r.value!.toString(), headers: r.headers, timestamp: r.timestamp })
        .toEqual({ partition: u.partition, value: u.value!.toString(), headers: u.headers, timestamp: u.timestamp });
    }
    // Same order within each partition: with nothing else written to the remote topic, offsets match too.
    for (const r of remote) expect(upstream.get(r.key!.toString())!.offset).toBe(r.offset);
    expect(await partitionCount(regions.B.kafka, 'A.orders')).toBe(PARTITIONS);
    // The source topic's own config came along; the excluded unclean.leader.election.enable did not.
    expect(await topicConfig(regions.B.kafka, 'A.orders', 'retention.ms')).toBe('86400000');
    expect(await topicConfig(regions.B.kafka, 'A.orders', 'unclean.leader.election.enable')).toBe('false');

    // An added partition and a config change on the source are followed while running.
    const admin = regions.A.kafka.admin();
    await admin.connect();
    await admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 8 }] });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    await admin.disconnect();
    await produce(regions.A.kafka, 'orders', numberedRecords('grown', 0, 80, 8));
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.orders')) >= 3080, { timeoutMs: 60_000, what: 'records of the added partitions on B' });
    expect(await partitionCount(regions.B.kafka, 'A.orders')).toBe(8);
    const grown = (await readAll(regions.B.kafka, 'A.orders')).filter((r) => r.key!.toString().startsWith('grown-'));
    expect(grown.filter((r) => r.partition >= 6)).toHaveLength(20);
    for (const r of grown) expect(r.partition).toBe(Number(r.key!.toString().slice('grown-k'.length)) % 8);
    await until(async () => (await topicConfig(regions.B.kafka, 'A.orders', 'retention.ms')) === '3600000', { timeoutMs: 30_000, what: 'retention.ms synced' });
  }, 120_000);

  it('writes offset syncs to the source cluster in MirrorMaker 2 bytes, each pointing at the same record downstream', async () => {
    const source = await readAll(regions.A.kafka, 'orders');
    const ends = new Map<number, number>();
    for (const r of source) ends.set(r.partition, Math.max(ends.get(r.partition) ?? -1, r.offset));
    // Every partition ends with an exact sync for its last record (held-back syncs go out at offset commits).
    const syncs = await until(async () => {
      const list = (await readAll(regions.A.kafka, 'mm2-offset-syncs.B.internal')).filter((r) => r.key!.subarray(2, 2 + 'orders'.length).toString() === 'orders');
      const last = new Map<number, number>();
      for (const raw of list) {
        const s = decodeOffsetSync(raw.key!, raw.value!);
        last.set(s.partition, Math.max(last.get(s.partition) ?? -1, s.upstreamOffset));
      }
      return [...ends].every(([partition, end]) => last.get(partition) === end) ? list : undefined;
    }, { timeoutMs: 30_000, what: 'a final offset sync for the last record of every partition' });
    const remote = await readAll(regions.B.kafka, 'A.orders');
    for (const raw of syncs) {
      // Key: topic as INT16-length string, partition INT32; value: upstream INT64, downstream INT64 (no version).
      const sync = decodeOffsetSync(raw.key!, raw.value!);
      const expectedKey = Buffer.alloc(2 + 6 + 4);
      expectedKey.writeInt16BE(6, 0);
      expectedKey.write('orders', 2);
      expectedKey.writeInt32BE(sync.partition, 8);
      expect(raw.key).toEqual(expectedKey);
      const expectedValue = Buffer.alloc(16);
      expectedValue.writeBigInt64BE(BigInt(sync.upstreamOffset), 0);
      expectedValue.writeBigInt64BE(BigInt(sync.downstreamOffset), 8);
      expect(raw.value).toEqual(expectedValue);
      const up = source.find((r) => r.partition === sync.partition && r.offset === sync.upstreamOffset)!;
      const down = remote.find((r) => r.partition === sync.partition && r.offset === sync.downstreamOffset)!;
      expect(down.key).toEqual(up.key);
    }
  }, 60_000);

  it('keeps topic names with IdentityReplicationPolicy', async () => {
    await createTopic(regions.A.kafka, 'payments', 2);
    await produce(regions.A.kafka, 'payments', numberedRecords('payments', 0, 200, 2));
    await runConnector(regions.worker.rest, 'mirror-identity', {
      'connector.class': 'MirrorSourceConnector',
      topics: 'payments',
      'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
      ...flowConfig(regions.A, regions.B),
    });
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'payments')) === 200, { timeoutMs: 60_000, what: 'payments on B' });
    const remote = await readAll(regions.B.kafka, 'payments');
    expect(new Set(remote.map((r) => r.key!.toString()))).toEqual(new Set(numberedRecords('payments', 0, 200, 2).map((r) => r.key)));
    expect(await partitionCount(regions.B.kafka, 'A.payments')).toBe(0);
  }, 90_000);
});
