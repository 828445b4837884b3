import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumedRecord, KafkaClient } from '../../../../runtime/kafka/kafka-client.js';
import { BrokerConnection } from '../../../../runtime/kafka/wire/broker-connection.js';
import { registerInProcessBroker } from '../../../../runtime/kafka/wire/in-process-brokers.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';
import { createTopic, testClient, topicName } from '../kafka-test-kit.js';

// An address nothing listens on over TCP (the .invalid domain never resolves): a client reaches
// the broker there only through the in-process registration.
const HOST = 'ferry-in-process.invalid';
const PORT = 9;
const BOOTSTRAP = `${HOST}:${PORT}`;

let broker: TestBroker;
let client: KafkaClient;
let leave: () => void;

beforeAll(async () => {
  broker = await startTestBroker({ advertisedHost: HOST, advertisedPort: PORT });
  leave = registerInProcessBroker([{ host: HOST, port: PORT }], (target) => broker.connectInProcess(target));
  client = testClient(BOOTSTRAP);
});

afterAll(async () => {
  await client.close();
  leave();
  await broker.close();
});

describe('in-process brokers', () => {
  it('serve admin, produce and fetch requests of the wire client without TCP, large batches included', async () => {
    const admin = client.admin({ clientId: 'in-process-admin', role: 'internal' });
    const topic = await createTopic(admin, topicName('in-process'), 2);
    const producer = client.producer({ clientId: 'in-process-producer', role: 'internal' });
    const big = Buffer.alloc(900 * 1024, 0x61);
    const records = Array.from({ length: 40 }, (_, i) => ({
      topic, partition: i % 2, key: Buffer.from(`k${i}`), value: i % 5 === 2 ? big : Buffer.from(`v${i}`), headers: [],
    }));
    await producer.send(records);
    await producer.close();
    expect(await admin.endOffsets(topic)).toEqual(new Map([[0, 20], [1, 20]]));

    const reader = client.topicReader({ topic, clientId: 'in-process-reader' });
    const seen: ConsumedRecord[] = [];
    reader.onRecord((r) => seen.push(r));
    await reader.start();
    await reader.readToEnd();
    await reader.stop();
    expect(seen).toHaveLength(40);
    for (const r of seen) expect(r.value!.equals(records.find((s) => s.key.equals(r.key!))!.value)).toBe(true);
    expect(seen.filter((r) => r.partition === 1).map((r) => r.key!.toString())).toEqual(records.filter((r) => r.partition === 1).map((r) => r.key.toString()));
  });

  it('refuse a second registration at the same address', () => {
    expect(() => registerInProcessBroker([{ host: HOST.toUpperCase(), port: PORT }], () => { throw new Error('unused'); }))
      .toThrow(`an in-process broker is already registered at ${HOST}:${PORT}`);
  });

  it('are dialled over TCP again once unregistered', async () => {
    const other = await startTestBroker();
    const leaveOther = registerInProcessBroker([{ host: '127.0.0.1', port: other.port }], () => { throw new Error('the broker is shutting down'); });
    await expect(BrokerConnection.open({ host: '127.0.0.1', port: other.port }, { clientId: 't' }))
      .rejects.toThrow(`cannot connect to 127.0.0.1:${other.port}: the broker is shutting down`);
    leaveOther();
    const overTcp = await BrokerConnection.open({ host: '127.0.0.1', port: other.port }, { clientId: 't' });
    expect(overTcp.closed).toBe(false);
    overTcp.close();
    await other.close();
  });

  it('close their in-process connections when the broker closes, and refuse new ones', async () => {
    const closing = await startTestBroker();
    const leaveClosing = registerInProcessBroker([{ host: 'closing.invalid', port: PORT }], (target) => closing.connectInProcess(target));
    const connection = await BrokerConnection.open({ host: 'closing.invalid', port: PORT }, { clientId: 't' });
    const closed = new Promise<Error>((resolve) => connection.onClose(resolve));
    await closing.close();
    expect((await closed).message).toBe(`connection to closing.invalid:${PORT} closed`);
    await expect(BrokerConnection.open({ host: 'closing.invalid', port: PORT }, { clientId: 't' }))
      .rejects.toThrow(`cannot connect to closing.invalid:${PORT}: the broker is shutting down`);
    leaveClosing();
  });
});
