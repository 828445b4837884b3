import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiVersions } from '../../../../broker/protocol/apis/api-versions.js';
import { Fetch } from '../../../../broker/protocol/apis/fetch.js';
import { Metadata } from '../../../../broker/protocol/apis/metadata.js';
import { Produce } from '../../../../broker/protocol/apis/produce.js';
import { batchesIn, decodeBatch, encodeBatch } from '../../../../broker/protocol/record-batch.js';
import { Reader } from '../../../../broker/protocol/reader.js';
import { readHeaderPrefix, readHeaderRest, writeResponseHeader } from '../../../../broker/protocol/request-header.js';
import { Writer } from '../../../../broker/protocol/writer.js';
import { BrokerConnection } from '../../../../runtime/kafka/wire/broker-connection.js';
import { WireConnectionError } from '../../../../runtime/kafka/wire/kafka-error.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';
import { kafkaClient } from '../../../helpers/kafkajs-clients.js';
import { makeTestCertificates } from '../../../api/security/test-certificates.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker.close();
});

const settings = { clientId: 'wire-test', requestTimeoutMs: 5000 };

/** A server that speaks only ApiVersions: v3 is refused (answered in the v0 layout), v0–2 are served. */
function fakeOldBroker(): Promise<{ port: number; versionsSeen: number[]; close: () => void }> {
  const versionsSeen: number[] = [];
  const server = net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const r = new Reader(frame);
        const header = readHeaderPrefix(r);
        readHeaderRest(r, header.apiVersion >= 3);
        versionsSeen.push(header.apiVersion);
        const w = new Writer();
        writeResponseHeader(w, header.apiKey, header.correlationId, false);
        const tooNew = header.apiVersion > 2;
        ApiVersions.response.encode(w, tooNew ? 0 : header.apiVersion, {
          errorCode: tooNew ? 35 : 0,
          apiKeys: tooNew ? [{ apiKey: 18, minVersion: 0, maxVersion: 2 }] : [{ apiKey: 18, minVersion: 0, maxVersion: 2 }, { apiKey: 3, minVersion: 0, maxVersion: 5 }],
        });
        const body = w.toBuffer();
        const size = Buffer.alloc(4);
        size.writeInt32BE(body.length);
        socket.write(Buffer.concat([size, body]));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ port: (server.address() as net.AddressInfo).port, versionsSeen, close: () => server.close() });
  }));
}

describe('BrokerConnection', () => {
  it('negotiates the highest common version of each API with the bundled broker', async () => {
    const connection = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port }, settings);
    try {
      expect(connection.versionFor(Fetch)).toBe(12);
      expect(connection.versionFor(Metadata)).toBe(9);
      const metadata = await connection.send(Metadata, { topics: [], allowAutoTopicCreation: false });
      expect(metadata.clusterId).toBe(broker.clusterId);
      expect(metadata.brokers).toHaveLength(1);
    } finally {
      connection.close();
    }
  });

  it('answers many pipelined requests, each with its own response', async () => {
    const connection = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port }, settings);
    try {
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? connection.send(Metadata, { topics: [], allowAutoTopicCreation: false }).then((m) => `metadata:${m.brokers.length}`)
          : connection.send(ApiVersions, {}).then((v) => `versions:${v.errorCode}`),
      ));
      expect(responses).toEqual(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 'metadata:1' : 'versions:0')));
    } finally {
      connection.close();
    }
  });

  it('falls back to the ApiVersions version an older broker advertises', async () => {
    const old = await fakeOldBroker();
    try {
      const connection = await BrokerConnection.open({ host: '127.0.0.1', port: old.port }, settings);
      expect(old.versionsSeen).toEqual([3, 2]);
      expect(connection.versionFor(Metadata)).toBe(5);
      expect(connection.supports(Fetch)).toBe(false);
      connection.close();
    } finally {
      old.close();
    }
  });

  it('fails pending requests with a connection error when the connection closes', async () => {
    const connection = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port }, settings);
    const closed = new Promise<Error>((resolve) => connection.onClose(resolve));
    const parked = connection.send(Fetch, {
      maxWaitMs: 10_000, minBytes: 1, maxBytes: 1024, topics: [{ topic: '__consumer_offsets', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 }] }],
    });
    connection.close();
    await expect(parked).rejects.toBeInstanceOf(WireConnectionError);
    expect(await closed).toBeInstanceOf(WireConnectionError);
    await expect(connection.send(ApiVersions, {})).rejects.toThrow(/closed/);
  });

  it('reports a broker that cannot be reached', async () => {
    const server = net.createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
    await new Promise((resolve) => server.close(resolve));
    await expect(BrokerConnection.open({ host: '127.0.0.1', port }, settings)).rejects.toBeInstanceOf(WireConnectionError);
  });

  it('receives fetch responses of several megabytes whole, over plain TCP and over TLS', async () => {
    const topic = 'wire-large-responses';
    const admin = kafkaClient(broker.bootstrap, 'wire-large-responses').admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const values = Array.from({ length: 12 }, (_, i) => Buffer.alloc(400 * 1024, `record ${i} `));
    const plain = await BrokerConnection.open({ host: '127.0.0.1', port: broker.port }, settings);
    // A TLS endpoint in front of the broker: the client's TLS reads come as 'data' events.
    const certs = makeTestCertificates();
    const proxy = tls.createServer({ key: certs.serverKey, cert: certs.serverCert }, (client) => {
      const upstream = net.connect(broker.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    const proxyPort = await new Promise<number>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as net.AddressInfo).port)));
    const secure = await BrokerConnection.open({ host: '127.0.0.1', port: proxyPort }, { ...settings, tls: { ca: certs.caCert } });
    try {
      for (const value of values) {
        const produced = await plain.send(Produce, {
          transactionalId: null, acks: -1, timeoutMs: 5000,
          topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ key: null, value }] }) }] }],
        });
        expect(produced.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
      }
      for (const connection of [plain, secure]) {
        const fetched = await connection.send(Fetch, {
          maxWaitMs: 0, minBytes: 1, maxBytes: 50 * 1024 * 1024,
          topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 10 * 1024 * 1024 }] }],
        });
        const records = fetched.responses[0]!.partitions[0]!.records!;
        const read = [...batchesIn(records)].flatMap(({ at }) => decodeBatch(records, at).records.map((r) => r.value!));
        expect(read.map((value, i) => value.equals(values[i]!))).toEqual(values.map(() => true));
      }
    } finally {
      plain.close();
      secure.close();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
