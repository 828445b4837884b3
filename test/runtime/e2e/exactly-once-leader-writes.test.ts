import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { createKafkaClient } from '../../../runtime/kafka/create-kafka-client.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerryWorker, type FerryWorkerProcess } from '../../helpers/ferry-process.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { exactlyOnceWorkerProperties } from './exactly-once-harness.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker.close();
});

it('lets only the leader write the config topic (preparing): followers send it their task configs, and a fenced leader recovers', async () => {
  const dir = tempDir('ferry-eos-leader-');
  const properties = exactlyOnceWorkerProperties(dir, broker.bootstrap, 'eos-leader');
  fs.writeFileSync(properties, fs.readFileSync(properties, 'utf8').replace('exactly.once.source.support=enabled', 'exactly.once.source.support=preparing'));
  const workers: FerryWorkerProcess[] = [await startFerryWorker(properties), await startFerryWorker(properties)];
  onTestFinished(async () => { for (const w of workers) await w.kill(); });
  const rest = new ConnectRest(workers[0]!.restUrl);

  // Two connectors spread over the two workers: the follower's connector gets its tasks through the leader.
  for (const name of ['in-a', 'in-b']) {
    const file = path.join(dir, `${name}.txt`);
    fs.writeFileSync(file, 'one\ntwo\n');
    await rest.createConnector(name, { 'connector.class': 'FileStreamSource', file, topic: name });
  }
  const owners = new Set<string>();
  for (const name of ['in-a', 'in-b']) {
    const status = await rest.untilStates(name, { connector: 'RUNNING', tasks: ['RUNNING'] });
    owners.add(status.connector.worker_id);
  }
  expect(owners.size).toBe(2);

  // Another producer claims the leader's transactional id, as a newer leader would: the leader's
  // next write fails with Kafka Connect's message, and the retry succeeds once it claimed it back.
  const kafka = createKafkaClient({ bootstrapServers: broker.bootstrap, clientId: 'fencer', properties: {}, logger: pino({ level: 'silent' }) });
  const admin = kafka.admin({ clientId: 'fencer-admin', role: 'internal' });
  await admin.fenceProducers(['connect-cluster-eos-leader']);
  await admin.close();
  await kafka.close();
  const config = { 'connector.class': 'FileStreamSource', file: path.join(dir, 'in-a.txt'), topic: 'in-c' };
  const refused = await rest.request('POST', '/connectors', { name: 'in-c', config });
  expect(refused.status).toBe(500);
  expect(JSON.stringify(refused.body)).toContain('Failed to write to config topic; this may be due to a transient error and the request can be safely retried');
  const retried = await rest.request('POST', '/connectors', { name: 'in-c', config });
  expect(retried.status).toBe(201);
  await rest.untilStates('in-c', { connector: 'RUNNING', tasks: ['RUNNING'] });
}, 120_000);
