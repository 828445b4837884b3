/**
 * Crash safety as a producer sees it: the broker runs as a child process, a kafkajs
 * producer (acks -1) streams numbered records, the broker is SIGKILLed mid-stream and
 * restarted on the same data directory and port. Every acknowledged record must be there
 * exactly once and in order; unacknowledged ones may or may not be.
 */
import { describe, expect, it } from 'vitest';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { spawnBroker, type BrokerProcess } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const TOPIC = 'ledger';
const PARTITIONS = [0, 1];
const PER_BATCH = 5;
const KILL_AFTER_ACKS = 1500;

interface SenderState {
  acked: number[];
  attempted: number;
}

async function stop(broker: BrokerProcess | undefined): Promise<void> {
  if (!broker || broker.child.exitCode !== null || broker.child.signalCode !== null) return;
  broker.child.kill('SIGTERM');
  await broker.exited;
}

describe('SIGKILL during produce', () => {
  it('keeps every acknowledged record exactly once and in order after the broker is killed and restarted', async () => {
    const dataDir = tempDir('ferry-sigkill-');
    let broker: BrokerProcess | undefined = await spawnBroker(dataDir);
    const port = broker.port;
    const states = new Map<number, SenderState>(PARTITIONS.map((p) => [p, { acked: [], attempted: 0 }]));
    try {
      const kafka = kafkaClient(broker.bootstrap, 'sigkill-producer', { retry: { retries: 0 } });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS.length, configEntries: [{ name: 'segment.bytes', value: '16384' }] }] });
      await admin.disconnect();

      const producer = kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      let killed = false;
      const senders = PARTITIONS.map(async (partition) => {
        const state = states.get(partition)!;
        for (let seq = 0; ; seq += PER_BATCH) {
          const numbers = Array.from({ length: PER_BATCH }, (_, i) => seq + i);
          state.attempted = seq + PER_BATCH;
          try {
            await producer.send({
              topic: TOPIC,
              acks: -1,
              messages: numbers.map((n) => ({ partition, key: `p${partition}`, value: `${partition}:${n}:${'x'.repeat(n % 40)}` })),
            });
            state.acked.push(...numbers);
          } catch (err) {
            if (killed) return;
            throw err;
          }
        }
      });
      await until(() => [...states.values()].reduce((n, s) => n + s.acked.length, 0) >= KILL_AFTER_ACKS, { what: 'acks before the kill' });
      killed = true;
      broker.child.kill('SIGKILL');
      await broker.exited;
      await Promise.all(senders);
      await producer.disconnect().catch(() => undefined);

      broker = await spawnBroker(dataDir, port);
      const kafka2 = kafkaClient(broker.bootstrap, 'sigkill-reader');
      const admin2 = kafka2.admin();
      await admin2.connect();
      const offsets = await admin2.fetchTopicOffsets(TOPIC);
      await admin2.disconnect();
      const total = offsets.reduce((n, o) => n + Number(o.high), 0);
      const records = await collect(kafka2, { topics: [TOPIC], groupId: 'sigkill-audit', done: (rs) => rs.length >= total });

      const report: string[] = [];
      for (const partition of PARTITIONS) {
        const state = states.get(partition)!;
        const got = records.filter((r) => r.partition === partition);
        expect(got.map((r) => r.offset)).toEqual(got.map((_, i) => i));
        const numbers = got.map((r) => {
          const [p, n] = r.value!.split(':');
          expect(Number(p)).toBe(partition);
          return Number(n);
        });
        const strictlyIncreasing = numbers.every((n, i) => i === 0 || n > numbers[i - 1]!);
        expect(strictlyIncreasing, `partition ${partition} numbers in order without duplicates`).toBe(true);
        const present = new Set(numbers);
        const missing = state.acked.filter((n) => !present.has(n));
        expect(missing, `acknowledged records missing from partition ${partition}`).toEqual([]);
        expect(numbers.slice(0, state.acked.length)).toEqual(state.acked);
        report.push(`partition ${partition}: attempted ${state.attempted}, acknowledged ${state.acked.length}, ` +
          `recovered ${numbers.length} (${numbers.length - state.acked.length} unacknowledged but present)`);
      }
      console.log(`SIGKILL test: ${report.join('; ')}`);
    } catch (err) {
      if (broker) console.error(broker.output());
      throw err;
    } finally {
      await stop(broker);
    }
  });
});
