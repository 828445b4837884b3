/**
 * Malformed traffic costs only the connection that sent it: garbage frames, absurd size
 * prefixes and unknown API keys close that one connection, while kafkajs clients and other
 * raw connections go on working. An ApiVersions request newer than the broker serves gets
 * the v0-shaped UNSUPPORTED_VERSION answer a client needs to downgrade.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiVersions } from '../../../broker/protocol/apis/api-versions.js';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const UNSUPPORTED_VERSION = 35;
const METADATA_KEY = 3;
const CLOSE_WITHIN_MS = 5000;

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker.close();
});

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}

function requestPrefix(apiKey: number, version: number, correlationId: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt16BE(apiKey, 0);
  b.writeInt16BE(version, 2);
  b.writeInt32BE(correlationId, 4);
  return b;
}

/** Sends ApiVersions v3 on `sock` and reports whether a normal answer came back. */
async function answersApiVersions(sock: RawKafkaSocket): Promise<boolean> {
  const correlationId = sock.sendRequest(ApiVersions, 3, { clientSoftwareName: 'witness', clientSoftwareVersion: '1.0' });
  const res = await sock.readResponse(ApiVersions, 3);
  return res.correlationId === correlationId && res.body.errorCode === 0 && res.body.apiKeys.some((k) => k.apiKey === 0);
}

describe('bad input on the wire', () => {
  it('closes only the connection that sent a garbage frame or an impossible size, while kafkajs keeps producing and consuming', async () => {
    const topic = 'steady-traffic';
    const kafka = kafkaClient(broker.bootstrap, 'bad-input');
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const witness = await RawKafkaSocket.connect(broker.port);
    const sent: string[] = [];
    const send = async (value: string) => {
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value }] });
      sent.push(value);
    };
    try {
      await send('before any garbage');
      expect(await answersApiVersions(witness)).toBe(true);

      const cases: [string, (sock: RawKafkaSocket) => void][] = [
        ['a frame whose body is junk', (sock) => sock.sendFrame(Buffer.concat([requestPrefix(METADATA_KEY, 1, 1), Buffer.alloc(40, 0x7f)]))],
        ['a frame of random-looking bytes', (sock) => sock.sendFrame(Buffer.from('8f3a91c4d2e7b605f1a8c3de4b92a7f0e1d3c5b7a9', 'hex'))],
        ['a size prefix above socket.request.max.bytes', (sock) => sock.write(Buffer.concat([int32(0x7fffffff), Buffer.from('junk')]))],
        ['a negative size prefix', (sock) => sock.write(Buffer.concat([int32(-5), Buffer.from('junk')]))],
      ];
      for (const [what, misbehave] of cases) {
        const bad = await RawKafkaSocket.connect(broker.port);
        misbehave(bad);
        expect(await bad.closesWithin(CLOSE_WITHIN_MS), `broker closes the connection after ${what}`).toBe(true);
        await send(`after ${what}`);
        expect(await answersApiVersions(witness), `other connection still served after ${what}`).toBe(true);
      }
      expect(witness.isOpen).toBe(true);

      const records = await collect(kafka, { topics: [topic], groupId: 'bad-input-reader', done: (rs) => rs.length >= sent.length });
      expect(records.map((r) => r.value)).toEqual(sent);
    } finally {
      witness.destroy();
      await producer.disconnect();
    }
  });

  it('answers an ApiVersions request newer than it serves with a v0-shaped UNSUPPORTED_VERSION reply listing ApiVersions, and keeps the connection', async () => {
    const sock = await RawKafkaSocket.connect(broker.port);
    try {
      const correlationId = sock.sendRequest(ApiVersions, 4, { clientSoftwareName: 'future-client', clientSoftwareVersion: '9.9' }, { bodyVersion: 3 });
      const reply = await sock.readResponse(ApiVersions, 0);
      expect(reply.correlationId).toBe(correlationId);
      expect(reply.unread).toBe(0);
      expect(reply.body.errorCode).toBe(UNSUPPORTED_VERSION);
      expect(reply.body.apiKeys).toContainEqual({ apiKey: 18, minVersion: 0, maxVersion: ApiVersions.maxVersion });

      expect(await answersApiVersions(sock)).toBe(true);
      expect(sock.isOpen).toBe(true);
    } finally {
      sock.destroy();
    }
  });

  it('closes a connection that uses an unknown API key and keeps serving other connections', async () => {
    const witness = await RawKafkaSocket.connect(broker.port);
    const bad = await RawKafkaSocket.connect(broker.port);
    try {
      expect(await answersApiVersions(witness)).toBe(true);
      bad.sendFrame(Buffer.concat([requestPrefix(9999, 0, 42), Buffer.from([0xff, 0xff])]));
      expect(await bad.closesWithin(CLOSE_WITHIN_MS)).toBe(true);
      expect(await answersApiVersions(witness)).toBe(true);

      const admin = kafkaClient(broker.bootstrap, 'after-unknown-key').admin();
      await admin.connect();
      try {
        await until(async () => (await admin.describeCluster()).brokers.length === 1, { what: 'cluster described' });
      } finally {
        await admin.disconnect();
      }
    } finally {
      witness.destroy();
      bad.destroy();
    }
  });
});
