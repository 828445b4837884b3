import { describe, expect, it } from 'vitest';
import type { ClusterOutgoingRecord, ClusterPartitionOffset, ClusterProducer } from '../../../../connectors/sdk/kafka-clusters.js';
import { decodeOffsetSync, type OffsetSync } from '../../../../connectors/mirror/records/offset-sync.js';
import { OffsetSyncWriter } from '../../../../connectors/mirror/source/offset-sync-writer.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A producer that records what was sent and acknowledges when the test says so. */
class HeldProducer implements ClusterProducer {
  readonly sent: { records: readonly ClusterOutgoingRecord[]; ack: () => void; fail: (e: Error) => void }[] = [];
  send(records: readonly ClusterOutgoingRecord[]): Promise<ClusterPartitionOffset[]> {
    return new Promise((resolve, reject) => {
      this.sent.push({ records, ack: () => resolve(records.map(() => ({ topic: 't', partition: 0, offset: 0 }))), fail: reject });
    });
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  syncs(): OffsetSync[] {
    return this.sent.flatMap((s) => s.records.map((r) => decodeOffsetSync(r.key!, r.value!)));
  }
  ackAll(): void {
    for (const s of this.sent) s.ack();
  }
}

function writer(producer: ClusterProducer, offsetLagMax = 100): OffsetSyncWriter {
  return new OffsetSyncWriter(producer, { topic: 'mm2-offset-syncs.B.internal', offsetLagMax, logger: quiet });
}

describe('OffsetSyncWriter', () => {
  it('sends the first record of a partition at once and holds the following ones until a commit', () => {
    const producer = new HeldProducer();
    const w = writer(producer);
    w.recordWritten('t:0', 't', 0, 10, 0);
    w.recordWritten('t:0', 't', 0, 11, 1);
    w.recordWritten('t:0', 't', 0, 12, 2);
    expect(producer.syncs()).toEqual([{ topic: 't', partition: 0, upstreamOffset: 10, downstreamOffset: 0 }]);
    expect(producer.sent[0]!.records[0]!.topic).toBe('mm2-offset-syncs.B.internal');
    expect(producer.sent[0]!.records[0]!.partition).toBe(0);
    w.flushDelayed();
    expect(producer.syncs().at(-1)).toEqual({ topic: 't', partition: 0, upstreamOffset: 12, downstreamOffset: 2 });
  });

  it('sends at once when translation would lag by offset.lag.max, on an upstream gap, and when downstream went back', () => {
    const producer = new HeldProducer();
    const w = writer(producer, 5);
    w.recordWritten('t:0', 't', 0, 0, 0);
    for (let i = 1; i <= 6; i++) w.recordWritten('t:0', 't', 0, i, i);
    expect(producer.syncs().map((s) => s.upstreamOffset)).toEqual([0, 6]);
    w.recordWritten('t:0', 't', 0, 9, 7);
    expect(producer.syncs().map((s) => s.upstreamOffset)).toEqual([0, 6, 9]);
    w.recordWritten('t:0', 't', 0, 10, 3);
    expect(producer.syncs().map((s) => s.upstreamOffset)).toEqual([0, 6, 9, 10]);
  });

  it('keeps partitions apart', () => {
    const producer = new HeldProducer();
    const w = writer(producer);
    w.recordWritten('t:0', 't', 0, 0, 0);
    w.recordWritten('t:1', 't', 1, 0, 0);
    expect(producer.syncs().map((s) => s.partition)).toEqual([0, 1]);
  });

  it('has at most ten sends in flight and sends every sync queued meanwhile, oldest first, when one completes', async () => {
    const producer = new HeldProducer();
    const w = writer(producer, 1);
    for (let i = 0; i < 30; i++) w.recordWritten('t:0', 't', 0, i * 2, i * 2);
    expect(producer.sent).toHaveLength(10);
    producer.sent[0]!.ack();
    await new Promise((resolve) => setImmediate(resolve));
    expect(producer.sent).toHaveLength(11);
    // None of the urgent syncs was dropped: a lagging group can still be translated near its position.
    expect(producer.syncs().map((s) => s.upstreamOffset)).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
  });

  it('a failed send only delays: close() still sends the newest sync', async () => {
    const producer = new HeldProducer();
    const w = writer(producer);
    w.recordWritten('t:0', 't', 0, 0, 0);
    producer.sent[0]!.fail(new Error('broker down'));
    w.recordWritten('t:0', 't', 0, 1, 1);
    const closing = w.close();
    await new Promise((resolve) => setImmediate(resolve));
    producer.ackAll();
    await closing;
    expect(producer.syncs().at(-1)).toEqual({ topic: 't', partition: 0, upstreamOffset: 1, downstreamOffset: 1 });
  });
});
