/**
 * A real worker over the bundled broker, configured as a Kafka Connect user would secure it:
 * an https:// listener with PEM files under listeners.https.*, and Kafka's basic-auth extension
 * reading its users from a credentials file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAFKA_BASIC_AUTH_EXTENSION } from '../../../runtime/config/rest-security-config.js';
import { startWorker, type RunningWorker } from '../../../cli/worker/start-worker.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { httpsRequest } from './https-client.js';
import { makeTestCertificates, type TestCertificates } from './test-certificates.js';

let certs: TestCertificates;
let broker: TestBroker;
let worker: RunningWorker;
const authorization = `Basic ${Buffer.from('admin:connect-admin-pw').toString('base64')}`;

beforeAll(async () => {
  certs = makeTestCertificates();
  const users = path.join(tempDir('ferry-users-'), 'connect.password');
  fs.writeFileSync(users, 'admin: connect-admin-pw\n');
  broker = await startTestBroker();
  worker = await startWorker({
    'bootstrap.servers': broker.bootstrap,
    'group.id': 'secured-test',
    'config.storage.topic': 'connect-configs',
    'offset.storage.topic': 'connect-offsets',
    'status.storage.topic': 'connect-status',
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.storage.partitions': '1',
    'status.storage.partitions': '1',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    listeners: 'https://127.0.0.1:0',
    'listeners.https.ssl.key.location': certs.files.serverKey,
    'listeners.https.ssl.certificate.location': certs.files.serverCert,
    'rest.extension.classes': KAFKA_BASIC_AUTH_EXTENSION,
    'rest.auth.basic.credentials.file': users,
  }, { logger: pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' }) });
});

afterAll(async () => {
  await worker?.stop();
  await broker?.close();
});

describe('a worker with an https listener and basic authentication', () => {
  it('advertises an https URL', () => {
    expect(worker.restUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 401 without credentials and serves the API with them', async () => {
    const denied = await httpsRequest(`${worker.restUrl}/connectors`, { ca: certs.caCert });
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Basic realm="ferry", charset="UTF-8"');
    expect(JSON.parse(denied.text)).toEqual({ error_code: 401, message: 'User cannot access the resource.' });

    const served = await httpsRequest(`${worker.restUrl}/`, { ca: certs.caCert, headers: { authorization } });
    expect(served.status).toBe(200);
    expect(JSON.parse(served.text)).toMatchObject({ version: expect.any(String) });
  });

  it('does not speak plain HTTP on its port', async () => {
    const plain = worker.restUrl.replace('https:', 'http:');
    await expect(fetch(`${plain}/`, { headers: { authorization } })).rejects.toThrow();
  });
});
