/**
 * What clients see when the registry's backends fail: Kafka gone (writes answer 500 with
 * 50001/50002, which Confluent clients retry; reads keep answering from memory) and a leader
 * that cannot be reached (50003).
 */
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { createKafkaClient } from '../../../runtime/kafka/create-kafka-client.js';
import { buildRegistryServer } from '../../../registry/rest/registry-server.js';
import { defaultSchemaProvider } from '../../../registry/service/default-schema-provider.js';
import { SchemaRegistryService } from '../../../registry/service/schema-registry-service.js';
import { SchemasStore } from '../../../registry/store/schemas-store.js';
import { call, startRegistryOn, startTestBroker } from '../registry-test-kit.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('answers writes with 500/50001 or 50002 once Kafka is gone, and reads from memory', async () => {
  const broker = await startTestBroker();
  cleanups.push(() => broker.close());
  const registry = await startRegistryOn(broker, { storeTimeoutMs: 1000 });
  cleanups.push(() => registry.close());
  const { body } = await call(registry.url, 'POST', '/subjects/s/versions', { schema: '"string"' });
  await broker.close();
  const write = await call(registry.url, 'POST', '/subjects/s/versions', { schema: '"bytes"' });
  expect(write.status).toBe(500);
  expect([50001, 50002, 50004]).toContain(write.body.error_code);
  expect((await call(registry.url, 'GET', `/schemas/ids/${body.id}`)).body).toEqual({ schema: '"string"' });
});

it('answers 500/50003 when the leader cannot be reached to forward a write', async () => {
  const broker = await startTestBroker();
  cleanups.push(() => broker.close());
  const kafka = createKafkaClient({ bootstrapServers: broker.bootstrap, clientId: 'test', logger: pino({ level: 'silent' }) });
  cleanups.push(() => kafka.close());
  const store = new SchemasStore({ client: kafka, clientId: 'test-store', logger: pino({ level: 'silent' }) });
  await store.start();
  const app = buildRegistryServer({
    service: new SchemaRegistryService({ store, provider: defaultSchemaProvider }),
    forwarding: { role: { isLeader: () => false, leaderUrl: () => 'http://127.0.0.1:1' }, catchUp: () => store.catchUp() },
    metadata: async () => ({ kafkaClusterId: 'x', groupId: 'schema-registry' }),
  });
  cleanups.push(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const write = await call(url, 'POST', '/subjects/s/versions', { schema: '"string"' });
  expect(write.status).toBe(500);
  expect(write.body.error_code).toBe(50003);
  expect(write.body.message).toMatch(/^Error while forwarding the request to the leader http:\/\/127\.0\.0\.1:1/);
  expect((await call(url, 'GET', '/subjects')).body).toEqual([]);
});
