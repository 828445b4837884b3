/** A KafkaClient against the in-process broker, tuned for quick tests (fast heartbeats, short waits). */
import { pino } from 'pino';
import { runProcess } from '../../helpers/run-process.js';
import { createKafkaClient } from '../../../runtime/kafka/create-kafka-client.js';
import type { ConsumedRecord, KafkaClient, TopicAdmin } from '../../../runtime/kafka/kafka-client.js';

export const quietLogger = pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' });

const FAST_CONSUMER = {
  'session.timeout.ms': '6000',
  'heartbeat.interval.ms': '100',
  'fetch.max.wait.ms': '100',
  'max.poll.interval.ms': '10000',
  'retry.backoff.ms': '50',
};

export function testClient(bootstrap: string, extra: { consumer?: Record<string, string>; producer?: Record<string, string> } = {}): KafkaClient {
  return createKafkaClient({
    bootstrapServers: bootstrap,
    clientId: 'ferry-test',
    properties: { 'fetch.max.wait.ms': '100', 'retry.backoff.ms': '50', 'linger.ms': '0' },
    producer: { 'linger.ms': '0', ...extra.producer },
    consumer: { ...FAST_CONSUMER, ...extra.consumer },
    logger: quietLogger,
  });
}

let topicSeq = 0;

/** A fresh topic name per call (tests in one file share a broker). */
export function topicName(prefix: string): string {
  return `${prefix}-${process.pid}-${++topicSeq}`;
}

export async function createTopic(admin: TopicAdmin, name: string, partitions: number, configs: Record<string, string> = {}): Promise<string> {
  await admin.ensureTopic({ name, partitions, replicationFactor: 1, configs });
  return name;
}

export const text = (b: Buffer | null) => (b === null ? null : b.toString());

export function summary(records: readonly ConsumedRecord[]): string[] {
  return records.map((r) => `${r.partition}:${r.offset}:${text(r.key)}=${text(r.value)}`);
}

/**
 * One line per record of `topic` (kcat -f `format`, e.g. '%s\n' for values, '%k\n' for keys),
 * read from the beginning to the end by kcat (librdkafka) in the given isolation level.
 */
export async function kcatLines(bootstrap: string, topic: string, format: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const result = await runProcess('kcat', ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q',
    '-X', `isolation.level=${isolation}`, '-f', format], { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`kcat exited with ${result.code}: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '');
}
