/**
 * Log compaction as a consumer sees it: many updates over a few keys and a tombstone go
 * into a compacted topic with tiny segments; once the cleaner has run, reading from the
 * beginning yields the latest value per key at its original offset, the superseded values
 * in closed segments are gone, and the tombstoned key disappears after delete.retention.ms.
 */
import { describe, expect, it } from 'vitest';
import { collect, kafkaClient, type ConsumedRecord } from '../../helpers/kafkajs-clients.js';
import { partitionDir, readStoredRecords, segmentBases } from '../../helpers/stored-log.js';
import { startTestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const TOPIC = 'customer-profiles';
const KEYS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const TOMBSTONED = 'alice';
const ROUNDS = 60;
const TAIL_ROUNDS = 6;
const DELETE_RETENTION_MS = 5000;
const PAD = 'p'.repeat(24);

interface Produced {
  offset: number;
  key: string;
  value: string | null;
  timestamp: number;
}

describe('log compaction', () => {
  it('keeps the latest value per key at its original offset, drops superseded values, and removes a tombstoned key after delete.retention.ms', async () => {
    const broker = await startTestBroker({ logSettings: { 'log.cleaner.backoff.ms': '100' } });
    const kafka = kafkaClient(broker.bootstrap, 'compaction');
    const admin = kafka.admin();
    const producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    const dir = partitionDir(broker.dataDir, TOPIC, 0);
    try {
      await admin.createTopics({
        topics: [{
          topic: TOPIC,
          numPartitions: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.bytes', value: '1024' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
            { name: 'delete.retention.ms', value: String(DELETE_RETENTION_MS) },
          ],
        }],
      });

      const produced: Produced[] = [];
      const t0 = Date.now() - 10_000;
      const send = async (messages: { key: string; value: string | null }[]) => {
        const timestamp = t0 + produced.length;
        const [meta] = await producer.send({
          topic: TOPIC,
          acks: -1,
          messages: messages.map((m, i) => ({ key: m.key, value: m.value, timestamp: String(timestamp + i) })),
        });
        const base = Number(meta!.baseOffset);
        expect(base).toBe(produced.length);
        messages.forEach((m, i) => produced.push({ offset: base + i, key: m.key, value: m.value, timestamp: timestamp + i }));
      };
      for (let r = 0; r < ROUNDS; r++) await send(KEYS.map((key) => ({ key, value: `${key}@${r} ${PAD}` })));
      await send([{ key: TOMBSTONED, value: null }]);
      const tombstoneAckedAt = Date.now();
      const tombstoneOffset = produced.length - 1;
      for (let r = ROUNDS; r < ROUNDS + TAIL_ROUNDS; r++) {
        await send(KEYS.filter((k) => k !== TOMBSTONED).map((key) => ({ key, value: `${key}@${r} ${PAD}` })));
      }

      const latest = new Map<string, Produced>();
      for (const p of produced) latest.set(p.key, p);
      const byOffset = new Map(produced.map((p) => [p.offset, p]));
      const activeBase = () => segmentBases(dir).at(-1)!;
      expect(activeBase()).toBeGreaterThan(tombstoneOffset);

      await until(() => {
        const base = activeBase();
        return readStoredRecords(dir).every((r) => r.offset >= base || latest.get(r.key!)!.offset === r.offset);
      }, { timeoutMs: 20_000, what: 'the cleaner to drop every superseded record below the active segment' });

      const readAll = async (group: string): Promise<ConsumedRecord[]> => {
        const [end] = await admin.fetchTopicOffsets(TOPIC);
        const high = Number(end!.high);
        return collect(kafka, { topics: [TOPIC], groupId: group, done: (rs) => rs.at(-1)!.offset >= high - 1 });
      };
      const checkSurvivors = (records: ConsumedRecord[]) => {
        expect(records.length).toBeLessThan(produced.length / 5);
        for (const r of records) {
          const original = byOffset.get(r.offset)!;
          expect({ key: r.key, value: r.value, timestamp: r.timestamp }, `record at offset ${r.offset}`)
            .toEqual({ key: original.key, value: original.value, timestamp: original.timestamp });
        }
        const offsets = records.map((r) => r.offset);
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
        const lastSeen = new Map<string, number>();
        for (const r of records) lastSeen.set(r.key!, r.offset);
        for (const key of KEYS.filter((k) => k !== TOMBSTONED)) expect(lastSeen.get(key), key).toBe(latest.get(key)!.offset);
      };

      const beforeHorizon = await readAll('compaction-reader-1');
      const readBeforeHorizonAt = Date.now();
      checkSurvivors(beforeHorizon);
      expect(readBeforeHorizonAt - tombstoneAckedAt, 'first read finished before delete.retention.ms passed').toBeLessThan(DELETE_RETENTION_MS);
      expect(beforeHorizon.filter((r) => r.key === TOMBSTONED).map((r) => [r.offset, r.value])).toEqual([[tombstoneOffset, null]]);
      console.log(`compaction: produced ${produced.length} records over ${KEYS.length} keys; ` +
        `a consumer read ${beforeHorizon.length} after cleaning (tombstone still present)`);

      await until(() => readStoredRecords(dir).every((r) => r.key !== TOMBSTONED),
        { timeoutMs: DELETE_RETENTION_MS + 15_000, what: 'the tombstone to be removed' });
      expect(Date.now() - tombstoneAckedAt).toBeGreaterThanOrEqual(DELETE_RETENTION_MS);

      const afterHorizon = await readAll('compaction-reader-2');
      checkSurvivors(afterHorizon);
      expect(afterHorizon.filter((r) => r.key === TOMBSTONED)).toEqual([]);
      console.log(`compaction: after delete.retention.ms a consumer read ${afterHorizon.length} records, none for the tombstoned key`);
    } finally {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      await broker.close();
    }
  });
});
