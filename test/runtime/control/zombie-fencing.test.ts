/**
 * Zombie fencing through PUT /connectors/{c}/fence on a leader (WorkerControl over in-memory
 * internal topics), fencing real transactional producers on the bundled broker: what the
 * previous task generation's producers notice, and what the config topic holds afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FENCING_CONFLICT, fenceWithConnectorAdmin, type ZombieFencingOptions } from '../../../runtime/control/zombie-fencing.js';
import type { KafkaClient, TopicAdmin, TransactionalProducer } from '../../../runtime/kafka/kafka-client.js';
import { ProducerFencedError } from '../../../runtime/kafka/wire/kafka-error.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { createTopic, testClient, topicName } from '../kafka/kafka-test-kit.js';
import { inMemoryWorker } from './in-memory-worker.js';

let broker: TestBroker;
let kafka: KafkaClient;
let admin: TopicAdmin;
let topic: string;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = testClient(broker.bootstrap);
  admin = kafka.admin({ clientId: 'zombie-fencing-test', role: 'internal' });
  topic = await createTopic(admin, topicName('zombie-data'), 1);
});

afterAll(async () => {
  await kafka.close();
  await broker.close();
});

const GROUP = `fencing-${process.pid}`;
const source = { 'connector.class': 'FileStreamSource', file: '/tmp/zombie-fencing-input', topic: 'out' };
const taskConfigs = (n: number) => Array.from({ length: n }, (_, i) => ({ 'task.class': 'FileStreamSourceTask', file: `part-${i}` }));

/** The fencing the leader does, counting its rounds; `during` runs while the producers are being fenced. */
function fencer(during?: () => Promise<void>) {
  const rounds: string[][] = [];
  const fence = fenceWithConnectorAdmin(kafka);
  const options: ZombieFencingOptions = {
    groupId: GROUP,
    fenceProducers: async (connector, config, ids) => {
      rounds.push([...ids]);
      await fence(connector, config, ids);
      await during?.();
    },
  };
  return { rounds, options };
}

/** A task producer of an earlier generation, with an open transaction holding one record. */
async function zombie(connector: string, task: number): Promise<TransactionalProducer> {
  const producer = kafka.transactionalProducer({ clientId: `zombie-${task}`, role: 'connector', transactionalId: `${GROUP}-${connector}-${task}` });
  await producer.initTransactions();
  producer.beginTransaction();
  await producer.send([{ topic, partition: 0, key: null, value: Buffer.from(`${connector}-${task}`), headers: [] }]);
  return producer;
}

describe('PUT /connectors/{c}/fence', () => {
  it('fences the previous generation\'s task producers once task configs change, and writes the new task count', async () => {
    const { rounds, options } = fencer();
    const worker = await inMemoryWorker({ zombieFencing: options });
    expect((await worker.send('POST', '/connectors', { name: 'src', config: source })).status).toBe(201);
    await worker.configs.putTaskConfigs('src', taskConfigs(2));

    // First exactly-once run: nothing can be a zombie yet, so only the task count is written.
    const firstRun = await zombie('src', 0);
    expect(await worker.send('PUT', '/connectors/src/fence')).toEqual({ status: 204, body: {} });
    expect(rounds).toEqual([]);
    expect(worker.configs.snapshot().taskCountRecord('src')).toBe(2);
    await firstRun.commitTransaction();
    await firstRun.close();

    // Nothing pending: nothing to do.
    expect((await worker.send('PUT', '/connectors/src/fence')).status).toBe(204);
    expect(rounds).toEqual([]);

    // New task configs (2 -> 3): both previous task ids are fenced, once for concurrent requests.
    await worker.configs.putTaskConfigs('src', taskConfigs(3));
    const zombies = [await zombie('src', 0), await zombie('src', 1)];
    const answers = await Promise.all([worker.send('PUT', '/connectors/src/fence'), worker.send('PUT', '/connectors/src/fence')]);
    expect(answers.map((a) => a.status)).toEqual([204, 204]);
    expect(rounds).toEqual([[`${GROUP}-src-0`, `${GROUP}-src-1`]]);
    for (const z of zombies) {
      await expect(z.commitTransaction()).rejects.toBeInstanceOf(ProducerFencedError);
      await z.close();
    }
    expect(worker.configs.snapshot().taskCountRecord('src')).toBe(3);
    expect(worker.configs.snapshot().pendingFencing('src')).toBe(false);
  });

  it('skips fencing from one task to one task, whose new producer fences the old one itself', async () => {
    const { rounds, options } = fencer();
    const worker = await inMemoryWorker({ zombieFencing: options });
    await worker.send('POST', '/connectors', { name: 'single', config: source });
    await worker.configs.putTaskConfigs('single', taskConfigs(1));
    expect((await worker.send('PUT', '/connectors/single/fence')).status).toBe(204);
    await worker.configs.putTaskConfigs('single', taskConfigs(1));
    expect(worker.configs.snapshot().pendingFencing('single')).toBe(true);
    expect((await worker.send('PUT', '/connectors/single/fence')).status).toBe(204);
    expect(rounds).toEqual([]);
    expect(worker.configs.snapshot().pendingFencing('single')).toBe(false);
  });

  it('answers 409 without writing the task count when new task configs arrive during the round', async () => {
    const meanwhile: { reconfigure?: () => Promise<void> } = {};
    const { rounds, options } = fencer(() => meanwhile.reconfigure!());
    const worker = await inMemoryWorker({ zombieFencing: options });
    meanwhile.reconfigure = () => worker.configs.putTaskConfigs('moving', taskConfigs(4));
    await worker.send('POST', '/connectors', { name: 'moving', config: source });
    await worker.configs.putTaskConfigs('moving', taskConfigs(2));
    await worker.send('PUT', '/connectors/moving/fence');
    await worker.configs.putTaskConfigs('moving', taskConfigs(3));

    expect(await worker.send('PUT', '/connectors/moving/fence')).toEqual({ status: 409, body: { error_code: 409, message: FENCING_CONFLICT } });
    expect(rounds).toHaveLength(1);
    expect(worker.configs.snapshot().taskCountRecord('moving')).toBe(2);
    expect(worker.configs.snapshot().pendingFencing('moving')).toBe(true);
  });

  it('fences the last task generation before a stopped exactly-once source connector\'s offsets are reset', async () => {
    const { rounds, options } = fencer();
    const worker = await inMemoryWorker({ zombieFencing: options, exactlyOnceSourceSupport: 'enabled' });
    await worker.send('POST', '/connectors', { name: 'resetting', config: source });
    await worker.configs.putTaskConfigs('resetting', taskConfigs(2));
    await worker.send('PUT', '/connectors/resetting/fence');
    const zombies = [await zombie('resetting', 0), await zombie('resetting', 1)];

    expect((await worker.send('PUT', '/connectors/resetting/stop')).status).toBe(204);
    expect((await worker.send('DELETE', '/connectors/resetting/offsets')).status).toBe(200);
    expect(rounds).toEqual([[`${GROUP}-resetting-0`, `${GROUP}-resetting-1`]]);
    for (const z of zombies) {
      await expect(z.commitTransaction()).rejects.toBeInstanceOf(ProducerFencedError);
      await z.close();
    }
    expect(worker.configs.snapshot().taskCountRecord('resetting')).toBe(0);
  });

  it('answers 404 for an unknown connector and 400 for a sink connector, and is left out of the OpenAPI document', async () => {
    const worker = await inMemoryWorker({ zombieFencing: fencer().options });
    expect(await worker.send('PUT', '/connectors/nope/fence')).toEqual({ status: 404, body: { error_code: 404, message: 'Connector nope not found' } });
    await worker.send('POST', '/connectors', { name: 'sink', config: { 'connector.class': 'FileStreamSink', file: '/tmp/zombie-sink', topics: 't' } });
    expect(await worker.send('PUT', '/connectors/sink/fence')).toEqual({ status: 400, body: { error_code: 400, message: 'Connector sink is not a source connector' } });
    const openapi = await worker.send('GET', '/openapi.json');
    const paths = Object.keys(openapi.body['paths'] as object);
    expect(paths).toContain('/connectors/{connector}/pause');
    expect(paths).not.toContain('/connectors/{connector}/fence');
  });
});
