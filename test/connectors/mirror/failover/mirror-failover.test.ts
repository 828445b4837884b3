/**
 * A region failover as a user lives it: a consumer group reads part of a topic in region regions.A,
 * MirrorMaker replicates the topic and the group's position to region regions.B, region A goes down,
 * and the same group started in region B continues from the translated offsets, reading every
 * record it had not read yet (some again, none skipped).
 */
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, type Checkpoint } from '../../../../connectors/mirror/records/checkpoint.js';
import { collect } from '../../../helpers/kafkajs-clients.js';
import { until } from '../../../helpers/until.js';
import {
  flowConfig, type Region, runConnector, stopRegion, twoRegionsWithWorker,
} from '../mirror-harness.js';
import { createTopic, endOffsetTotal, numberedRecords, produce, readAll } from '../mirror-topics.js';

const TOTAL = 1200;

const regions = twoRegionsWithWorker();

async function committed(region: Region, group: string, topic: string): Promise<Map<number, number>> {
  const admin = region.kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map((entry?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** Commits `positions[p]` for partition p of orders as the group's offsets in region A (as a consumer that read that far would). */
async function commitOnA(group: string, positions: readonly number[]): Promise<void> {
  const admin = regions.A.kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId: group, topic: 'orders', partitions: positions.map((offset, partition) => ({ partition, offset: String(offset) })) });
  } finally {
    await admin.disconnect();
  }
}

/** The newest checkpoint per partition of `group` in the checkpoints topic on regions.B, with the raw bytes of each. */
async function latestCheckpoints(group: string): Promise<Map<number, { checkpoint: Checkpoint; key: Buffer; value: Buffer }>> {
  const latest = new Map<number, { checkpoint: Checkpoint; key: Buffer; value: Buffer }>();
  for (const r of await readAll(regions.B.kafka, 'A.checkpoints.internal')) {
    const checkpoint = decodeCheckpoint(r.key!, r.value!);
    if (checkpoint.group === group) latest.set(checkpoint.partition, { checkpoint, key: r.key!, value: r.value! });
  }
  return latest;
}

function checkpointBytes(c: Checkpoint): { key: Buffer; value: Buffer } {
  const str = (s: string) => {
    const b = Buffer.alloc(2 + Buffer.byteLength(s));
    b.writeInt16BE(Buffer.byteLength(s), 0);
    b.write(s, 2);
    return b;
  };
  const partition = Buffer.alloc(4);
  partition.writeInt32BE(c.partition, 0);
  const offsets = Buffer.alloc(2 + 16);
  offsets.writeInt16BE(0, 0);
  offsets.writeBigInt64BE(BigInt(c.upstreamOffset), 2);
  offsets.writeBigInt64BE(BigInt(c.downstreamOffset), 10);
  return { key: Buffer.concat([str(c.group), str(c.topic), partition]), value: Buffer.concat([offsets, str(c.metadata)]) };
}

describe('failing a consumer group over from region A to region B', () => {
  it('checkpoints the group on B and the group resumes there without skipping a record', async () => {
    await createTopic(regions.A.kafka, 'orders', 6);
    const all = numberedRecords('orders', 0, TOTAL, 6);
    await produce(regions.A.kafka, 'orders', all);
    const flow = flowConfig(regions.A, regions.B);
    await runConnector(regions.worker.rest, 'MirrorSourceConnector', { 'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector', topics: 'orders', 'offset.lag.max': '50', ...flow });
    await runConnector(regions.worker.rest, 'MirrorCheckpointConnector', {
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector', groups: 'billing', 'sync.group.offsets.enabled': 'true', ...flow,
    });
    await until(async () => (await endOffsetTotal(regions.B.kafka, 'A.orders')) === TOTAL, { timeoutMs: 60_000, what: 'orders mirrored' });

    // The group has read part of each partition in region A and committed (a different point in each).
    const positions = [30, 55, 80, 105, 130, 155];
    await commitOnA('billing', positions);
    const onA = await committed(regions.A, 'billing', 'orders');
    expect([...onA.values()]).toEqual(positions);
    // Record i is offset floor(i / 6) of partition i % 6.
    const readOnA = all.filter((_, i) => Math.floor(i / 6) < positions[i % 6]!);

    // Checkpoints arrive on B for every partition the group committed, in MirrorMaker 2's bytes.
    const checkpoints = await until(async () => {
      const latest = await latestCheckpoints('billing');
      return [...onA].every(([p, offset]) => latest.get(p)?.checkpoint.upstreamOffset === offset) ? latest : undefined;
    }, { timeoutMs: 60_000, what: 'checkpoints for every committed partition' });
    for (const { checkpoint, key, value } of checkpoints.values()) {
      expect(checkpoint.topic).toBe('A.orders');
      expect(checkpoint.downstreamOffset).toBeLessThanOrEqual(checkpoint.upstreamOffset);
      expect({ key, value }).toEqual(checkpointBytes(checkpoint));
    }
    // sync.group.offsets.enabled wrote the translated offsets into the (idle) group on regions.B.
    await until(async () => {
      const onB = await committed(regions.B, 'billing', 'A.orders');
      return [...checkpoints].every(([p, c]) => onB.get(p) === c.checkpoint.downstreamOffset);
    }, { timeoutMs: 60_000, what: 'translated offsets committed to billing on B' });

    await stopRegion(regions.A);

    const seenOnA = new Set(readOnA.map((r) => r.key));
    const remaining = all.filter((r) => !seenOnA.has(r.key)).map((r) => r.key);
    const readOnB = await collect(regions.B.kafka, {
      // The consumer's settings are the same as in region A (partitions without a commit start at the beginning).
      topics: ['A.orders'], groupId: 'billing', fromBeginning: true,
      done: (records) => {
        const keys = new Set(records.map((r) => r.key!));
        return remaining.every((k) => keys.has(k));
      },
    });
    const keysOnB = new Set(readOnB.map((r) => r.key!));
    expect(remaining.filter((k) => !keysOnB.has(k))).toEqual([]);
    const reread = readOnB.filter((r) => seenOnA.has(r.key!)).length;
    // Translation rewinds to the last offset sync at most: with offset.lag.max=50, fewer than 51 per partition.
    expect(reread).toBeLessThanOrEqual(6 * 51);
    console.info(`failover: ${readOnA.length} read in region A, ${readOnB.length} on B after failover, ${reread} read again, 0 skipped`);
    expect(readOnB.length).toBeGreaterThanOrEqual(remaining.length);
  }, 180_000);
});
