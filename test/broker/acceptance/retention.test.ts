/**
 * Time-based retention as a user sees it: with a short retention.ms and small segments,
 * the earliest offset (ListOffsets) moves up, the expired segment files leave the
 * partition directory, and a consumer starting from the earliest offset still reads the
 * rest of the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { partitionDir, segmentBases } from '../../helpers/stored-log.js';
import { startTestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const TOPIC = 'click-stream';
const RETENTION_MS = 1000;

describe('time-based retention', () => {
  it('moves the earliest offset up, deletes expired segment files, and consuming from earliest still works', async () => {
    const broker = await startTestBroker({ logSettings: { 'log.retention.check.interval.ms': '100' } });
    const kafka = kafkaClient(broker.bootstrap, 'retention');
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
            { name: 'retention.ms', value: String(RETENTION_MS) },
            { name: 'segment.bytes', value: '1024' },
          ],
        }],
      });
      const firstSegmentFiles = ['log', 'index', 'timeindex'].map((ext) => path.join(dir, `${'0'.repeat(20)}.${ext}`));
      for (let b = 0; b < 40; b++) {
        await producer.send({
          topic: TOPIC,
          messages: Array.from({ length: 5 }, (_, i) => ({ key: `user-${i}`, value: `click ${b * 5 + i} ${'x'.repeat(20)}` })),
        });
        if (b === 0) expect(fs.existsSync(firstSegmentFiles[0]!)).toBe(true);
      }
      const lowOf = async () => Number((await admin.fetchTopicOffsets(TOPIC))[0]!.low);

      const low = await until(async () => {
        const l = await lowOf();
        return l > 0 && segmentBases(dir)[0] === l ? l : 0;
      }, { timeoutMs: 20_000, what: 'the earliest offset to move up' });
      expect(firstSegmentFiles.filter((f) => fs.existsSync(f))).toEqual([]);
      expect(segmentBases(dir).every((base) => base >= low)).toBe(true);
      const end = Number((await admin.fetchTopicOffsets(TOPIC))[0]!.high);
      expect(end).toBe(200);

      const records = await collect(kafka, { topics: [TOPIC], groupId: 'retention-reader', done: (rs) => rs.at(-1)!.offset >= end - 1 });
      const lowAfter = await lowOf();
      const offsets = records.map((r) => r.offset);
      expect(offsets[0]).toBeGreaterThanOrEqual(low);
      expect(offsets[0]).toBeLessThanOrEqual(lowAfter);
      expect(offsets).toEqual(offsets.map((_, i) => offsets[0]! + i));
      expect(records.map((r) => r.value)).toEqual(offsets.map((o) => `click ${o} ${'x'.repeat(20)}`));
      console.log(`retention: earliest offset moved from 0 to ${low} (${lowAfter} after reading); a consumer from earliest read offsets ${offsets[0]}..${offsets.at(-1)}`);
    } finally {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      await broker.close();
    }
  });
});
