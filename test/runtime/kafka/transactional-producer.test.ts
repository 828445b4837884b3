/**
 * ferry's transactional producer against the bundled broker's transaction coordinator, read
 * back with kcat (librdkafka) in both isolation levels: what a read_committed consumer sees is
 * what a user of exactly-once relies on.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient, forcedSettingWarning } from '../../../runtime/kafka/create-kafka-client.js';
import type { KafkaClient, OutgoingRecord, TopicAdmin, TransactionalProducer } from '../../../runtime/kafka/kafka-client.js';
import {
  AbortableTransactionError, ProducerFencedError, TransactionStateError,
} from '../../../runtime/kafka/wire/kafka-error.js';
import { TransactionAbortedError } from '../../../runtime/kafka/wire/wire-transactional-producer.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { createTopic, kcatLines, testClient, topicName } from './kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'txn-producer-test-admin', role: 'internal' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

const record = (topic: string, value: string, partition = 0): OutgoingRecord => ({
  topic, partition, key: Buffer.from(`k-${value}`), value: Buffer.from(value), headers: [],
});

/** Values of every record kcat reads to the end of `topic`, sorted. */
async function readValues(topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  return (await kcatLines(broker.bootstrap, topic, '%s\n', isolation)).sort();
}

let idSeq = 0;
function producer(overrides: Record<string, string> = {}, transactionalId = `txn-test-${process.pid}-${++idSeq}`): TransactionalProducer {
  return client.transactionalProducer({ clientId: 'txn-producer-test', role: 'connector', transactionalId, overrides });
}

describe('transactional producer', () => {
  it('makes committed records visible to read_committed readers and aborted ones never', async () => {
    const topic = await createTopic(admin, topicName('txn-commit'), 2);
    const p = producer();
    await p.initTransactions();

    p.beginTransaction();
    const sent = p.send([record(topic, 'a', 0), record(topic, 'b', 1)]);
    await p.commitTransaction();
    expect((await sent).map((m) => m.partition)).toEqual([0, 1]);

    p.beginTransaction();
    await p.send([record(topic, 'c', 0)]);
    await p.abortTransaction();

    p.beginTransaction();
    await p.send([record(topic, 'd', 1)]);
    await p.commitTransaction();
    await p.close();

    expect(await readValues(topic, 'read_committed')).toEqual(['a', 'b', 'd']);
    expect(await readValues(topic, 'read_uncommitted')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives read_committed topic readers only committed records, and readToEnd waits for open transactions to end', async () => {
    const topic = await createTopic(admin, topicName('txn-reader'), 1);
    const p = producer();
    await p.initTransactions();
    p.beginTransaction();
    await p.send([record(topic, 'aborted')]);
    await p.abortTransaction();
    p.beginTransaction();
    await p.send([record(topic, 'committed')]);

    const reader = client.topicReader({ topic, clientId: 'txn-reader', readCommitted: true });
    const seen: string[] = [];
    reader.onRecord((r) => seen.push(r.value!.toString()));
    await reader.start();
    let reachedEnd = false;
    const toEnd = reader.readToEnd().then(() => { reachedEnd = true; });
    await p.flush();
    // While the transaction is open, librdkafka sees nothing either and the reader has not reached the end.
    expect(await readValues(topic, 'read_committed')).toEqual([]);
    expect(reachedEnd).toBe(false);
    await p.commitTransaction();
    await toEnd;
    await reader.stop();
    await p.close();
    expect(seen).toEqual(['committed']);
  });

  it('warns, as Kafka Connect does, when the user sets enable.idempotence or transactional.id, and uses the forced values', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => { lines.push(line); } });
    const own = createKafkaClient({
      bootstrapServers: broker.bootstrap, clientId: 'txn-warn', producer: { 'enable.idempotence': 'false' }, logger,
    });
    const topic = await createTopic(admin, topicName('txn-warn'), 1);
    const p = own.transactionalProducer({
      clientId: 'txn-warn', role: 'connector', transactionalId: `txn-warn-${process.pid}`,
      overrides: { 'transactional.id': 'mine' },
    });
    await p.initTransactions();
    p.beginTransaction();
    await p.send([record(topic, 'forced')]);
    await p.commitTransaction();
    await own.close();
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain(forcedSettingWarning('enable.idempotence', 'false', 'true'));
    expect(messages).toContain(forcedSettingWarning('transactional.id', 'mine', `txn-warn-${process.pid}`));
    expect(forcedSettingWarning('transactional.id', 'mine', 'g-c-0')).toBe("The value 'mine' for the 'transactional.id' property will be "
      + "ignored as it cannot be overridden for connectors when exactly-once source support is enabled. The value 'g-c-0' will be used instead.");
    expect(await readValues(topic, 'read_committed')).toEqual(['forced']);
  });

  it('refuses records outside a transaction and rejects unsent records of an aborted one', async () => {
    const topic = await createTopic(admin, topicName('txn-state'), 1);
    const p = producer();
    await expect(p.send([record(topic, 'early')])).rejects.toBeInstanceOf(TransactionStateError);
    await p.initTransactions();
    await expect(p.send([record(topic, 'outside')])).rejects.toBeInstanceOf(TransactionStateError);
    await expect(p.commitTransaction()).rejects.toBeInstanceOf(TransactionStateError);

    p.beginTransaction();
    // Sent and aborted in the same turn: the partition was never added, nothing was written.
    const unsent = p.send([record(topic, 'never')]);
    const aborted = p.abortTransaction();
    await expect(unsent).rejects.toBeInstanceOf(TransactionAbortedError);
    await aborted;

    p.beginTransaction();
    await p.send([record(topic, 'kept')]);
    await p.commitTransaction();
    await p.close();
    expect(await readValues(topic, 'read_uncommitted')).toEqual(['kept']);
  });

  it('is fenced by a newer producer with the same transactional id, whose initTransactions aborts the open transaction', async () => {
    const topic = await createTopic(admin, topicName('txn-fenced'), 1);
    const id = `txn-zombie-${process.pid}`;
    const zombie = producer({}, id);
    await zombie.initTransactions();
    zombie.beginTransaction();
    await zombie.send([record(topic, 'zombie-1')]);

    const successor = producer({}, id);
    await successor.initTransactions();

    const commit = zombie.commitTransaction();
    await expect(commit).rejects.toBeInstanceOf(ProducerFencedError);
    // Fatal: every later call fails the same way.
    expect(() => zombie.beginTransaction()).toThrow(ProducerFencedError);
    await expect(zombie.send([record(topic, 'zombie-3')])).rejects.toBeInstanceOf(ProducerFencedError);
    await zombie.close();

    successor.beginTransaction();
    await successor.send([record(topic, 'successor')]);
    await successor.commitTransaction();
    await successor.close();

    expect(await readValues(topic, 'read_committed')).toEqual(['successor']);
  });

  it('fenceProducers fences a live producer and aborts its open transaction', async () => {
    const topic = await createTopic(admin, topicName('txn-fence-admin'), 1);
    const id = `txn-fence-admin-${process.pid}`;
    const live = producer({}, id);
    await live.initTransactions();
    live.beginTransaction();
    await live.send([record(topic, 'open')]);

    await admin.fenceProducers([id, `txn-never-used-${process.pid}`]);

    await expect(live.commitTransaction()).rejects.toBeInstanceOf(ProducerFencedError);
    await live.close();
    expect(await readValues(topic, 'read_committed')).toEqual([]);
    expect(await readValues(topic, 'read_uncommitted')).toEqual(['open']);
  });

  it('fails only the transaction when a record cannot be written, and goes on after the abort', async () => {
    const topic = await createTopic(admin, topicName('txn-abortable'), 1, { 'max.message.bytes': '2048' });
    const p = producer();
    await p.initTransactions();

    p.beginTransaction();
    await p.send([record(topic, 'before')]);
    await expect(p.send([record(topic, 'x'.repeat(8192))])).rejects.toThrow(/MESSAGE_TOO_LARGE/);
    await expect(p.commitTransaction()).rejects.toBeInstanceOf(AbortableTransactionError);
    await expect(p.send([record(topic, 'refused')])).rejects.toBeInstanceOf(AbortableTransactionError);
    await p.abortTransaction();

    // The epoch was bumped (sequence numbers start again) and the next transaction commits.
    p.beginTransaction();
    await p.send([record(topic, 'after')]);
    await p.commitTransaction();
    await p.close();

    expect(await readValues(topic, 'read_committed')).toEqual(['after']);
  });
});

describe('transactional producer and the coordinator\'s transaction timeout', () => {
  it('is fenced with INVALID_PRODUCER_EPOCH once the coordinator aborted a transaction that outlived transaction.timeout.ms', async () => {
    const quick = await startTestBroker({ transactionAbortTimedOutCleanupIntervalMs: 50 });
    const own = testClient(quick.bootstrap);
    try {
      const topic = await createTopic(own.admin({ clientId: 'txn-timeout-admin', role: 'internal' }), topicName('txn-timeout'), 1);
      const p = own.transactionalProducer({
        clientId: 'txn-timeout', role: 'connector', transactionalId: `txn-timeout-${process.pid}`, overrides: { 'transaction.timeout.ms': '200' },
      });
      await p.initTransactions();
      p.beginTransaction();
      let sent = 0;
      // Keeps writing into the open transaction until the coordinator has aborted it and bumped the epoch.
      const failure = await until(async () => {
        try {
          await p.send([record(topic, `slow-${++sent}`)]);
          return undefined;
        } catch (error) {
          return error as Error;
        }
      }, { timeoutMs: 10_000, what: 'the transaction timing out' });
      expect(failure).toBeInstanceOf(ProducerFencedError);
      expect((failure as ProducerFencedError).code).toBe(47);
      await expect(p.commitTransaction()).rejects.toBe(failure);
      await p.close();
      expect(await kcatLines(quick.bootstrap, topic, '%s\n', 'read_committed')).toEqual([]);
      expect((await kcatLines(quick.bootstrap, topic, '%s\n', 'read_uncommitted')).length).toBeGreaterThan(0);
    } finally {
      await own.close();
      await quick.close();
    }
  });
});
