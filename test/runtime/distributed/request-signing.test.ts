/**
 * Kafka Connect's signed internal requests (KIP-507) between workers, on the wire: a fake Java
 * follower (plain fetch, headers computed here from the session key read off the config topic
 * with kafkajs) posting task configs to a ferry leader; the leader's key rotation; and ferry
 * workers handing task configs to their leader only through POST /connectors/{c}/tasks.
 * Workers run in-process (startWorker) on one bundled broker.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectRest } from '../../helpers/connect-rest.js';
import { collect, kafkaClient } from '../../helpers/kafkajs-clients.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { LoggedWorkers, type LoggedWorker } from './logged-workers.js';

const dir = tempDir('ferry-signing-');
let broker: TestBroker;
const cluster = new LoggedWorkers(() => broker.bootstrap);
let readers = 0;

interface KeyRecord {
  readonly offset: number;
  readonly raw: string;
  readonly key: Buffer;
  readonly algorithm: string;
  readonly creationTimestamp: number;
}

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await cluster.stopAll();
  await broker?.close();
});

/** Every record of the config topic, read with kafkajs from the beginning to its current end. */
async function configRecords(group: string): Promise<{ offset: number; key: string | null; value: string | null }[]> {
  const kafka = kafkaClient(broker.bootstrap, 'signing-test');
  const admin = kafka.admin();
  await admin.connect();
  const topic = `${group}-configs`;
  const end = Number((await admin.fetchTopicOffsets(topic))[0]!.high);
  await admin.disconnect();
  if (end === 0) return [];
  return collect(kafka, { topics: [topic], groupId: `signing-reader-${++readers}`, done: (records) => records.some((r) => r.offset >= end - 1) });
}

async function sessionKeys(group: string): Promise<KeyRecord[]> {
  return (await configRecords(group)).filter((r) => r.key === 'session-key' && r.value !== null).map((r) => {
    const json = JSON.parse(r.value!) as { key: string; algorithm: string; 'creation-timestamp': number };
    return { offset: r.offset, raw: r.value!, key: Buffer.from(json.key, 'base64'), algorithm: json.algorithm, creationTimestamp: json['creation-timestamp'] };
  });
}

/** A request as a Java follower sends it: the exact body bytes, signed when a key is given. */
async function internalRequest(baseUrl: string, method: 'POST' | 'PUT', urlPath: string, body: string, signing?: {
  key: Buffer; algorithm: string; signedBody?: string;
}): Promise<{ status: number; body: { error_code?: number; message?: string } | null }> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kafka-connect' };
  if (body !== '') headers['content-type'] = 'application/json';
  if (signing) {
    // HmacFoo (unknown to both sides) is computed as SHA-256: the worker must refuse it by name.
    const mac = createHmac(signing.algorithm === 'HmacSHA512' ? 'sha512' : 'sha256', signing.key);
    headers['X-Connect-Authorization'] = mac.update(signing.signedBody ?? body).digest('base64');
    headers['X-Connect-Request-Signature-Algorithm'] = signing.algorithm;
  }
  const response = await fetch(`${baseUrl}${urlPath}`, { method, headers, body: body === '' ? undefined : body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

function taskConfigsBody(marker: string): string {
  return JSON.stringify([{ 'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask', file: path.join(dir, 'held.txt'), topic: 'held', marker }]);
}

/** A connector created PAUSED (it takes task configs but runs nothing) or STOPPED (it takes none). */
async function createHeld(rest: ConnectRest, name: string, state: 'PAUSED' | 'STOPPED' = 'PAUSED'): Promise<void> {
  const file = path.join(dir, `${name}.txt`);
  fs.writeFileSync(file, '');
  const created = await rest.request('POST', '/connectors', {
    name, config: { 'connector.class': 'FileStreamSource', file, topic: name }, initial_state: state,
  });
  expect(created.status).toBe(201);
}

/** Whether the config topic holds task-{connector}-0 with this marker, committed by commit-{connector}. */
async function taskConfigWritten(group: string, connector: string, marker: string): Promise<boolean> {
  const records = await configRecords(group);
  const task = records.find((r) => r.key === `task-${connector}-0` && r.value?.includes(`"marker":"${marker}"`));
  return task !== undefined && records.some((r) => r.key === `commit-${connector}` && r.offset > task.offset && r.value === '{"tasks":1}');
}

/** Fastify's request log: whether `worker` answered `method url` with `status`. */
function answered(worker: LoggedWorker, method: string, url: string, status: number): boolean {
  const lines = worker.log().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as {
    reqId?: string; msg?: string; req?: { method?: string; url?: string }; res?: { statusCode?: number };
  });
  const ids = new Set(lines.filter((l) => l.msg === 'incoming request' && l.req?.method === method && l.req.url?.split('?')[0] === url).map((l) => l.reqId));
  return lines.some((l) => l.msg === 'request completed' && ids.has(l.reqId) && l.res?.statusCode === status);
}

describe('a ferry leader of a sessioned group', () => {
  const group = 'signing';
  let leader: LoggedWorker;
  let key: KeyRecord;

  beforeAll(async () => {
    leader = await cluster.start(group);
    key = (await until(async () => (await sessionKeys(group))[0], { timeoutMs: 20_000, what: 'a session-key record' }));
    await createHeld(leader.rest, 'held');
    await createHeld(leader.rest, 'stopped', 'STOPPED');
  }, 60_000);

  it('writes a session key to the config topic in Kafka Connect\'s record format', () => {
    expect(Object.keys(JSON.parse(key.raw) as object)).toEqual(['key', 'algorithm', 'creation-timestamp']);
    expect(key.algorithm).toBe('HmacSHA256');
    expect(key.key.length).toBe(32);
    expect(Math.abs(Date.now() - key.creationTimestamp)).toBeLessThan(60_000);
  });

  it('accepts task configs signed with the session key and writes them', async () => {
    const body = taskConfigsBody('signed');
    const answer = await internalRequest(leader.worker.restUrl, 'POST', '/connectors/held/tasks', body, { key: key.key, algorithm: 'HmacSHA256' });
    expect(answer).toEqual({ status: 204, body: null });
    expect(await taskConfigWritten(group, 'held', 'signed')).toBe(true);
    const stopped = await internalRequest(leader.worker.restUrl, 'POST', '/connectors/stopped/tasks', body, { key: key.key, algorithm: 'HmacSHA256' });
    expect(stopped).toEqual({ status: 400, body: { error_code: 400, message: 'Cannot submit non-empty set of task configs for stopped connector stopped' } });
  }, 30_000);

  it('refuses unsigned, wrongly signed and unknown-algorithm requests with Kafka Connect\'s codes and messages, writing nothing', async () => {
    const url = leader.worker.restUrl;
    const post = (marker: string, signing?: Parameters<typeof internalRequest>[4]) =>
      internalRequest(url, 'POST', '/connectors/held/tasks', taskConfigsBody(marker), signing);

    expect(await post('unsigned')).toEqual({ status: 400, body: { error_code: 400, message: 'Internal request missing required signature' } });
    expect(await post('wrong-key', { key: randomBytes(32), algorithm: 'HmacSHA256' }))
      .toEqual({ status: 403, body: { error_code: 403, message: 'Internal request contained invalid signature.' } });
    expect(await post('other-body', { key: key.key, algorithm: 'HmacSHA256', signedBody: taskConfigsBody('signed') }))
      .toEqual({ status: 403, body: { error_code: 403, message: 'Internal request contained invalid signature.' } });
    expect(await post('unknown-algorithm', { key: key.key, algorithm: 'HmacFoo' }))
      .toEqual({ status: 400, body: { error_code: 400, message: 'Algorithm HmacFoo not available' } });
    expect(await post('not-accepted', { key: key.key, algorithm: 'HmacSHA512' })).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message: 'This worker does not support the \'HmacSHA512\' key signing algorithm used by other workers. This worker is currently '
          + 'configured to use: [HmacSHA256]. Check that all workers\' configuration files permit the same set of signature algorithms, '
          + 'and correct any misconfigured worker and restart it.',
      },
    });
    expect(await internalRequest(url, 'PUT', '/connectors/held/fence', ''))
      .toEqual({ status: 400, body: { error_code: 400, message: 'Internal request missing required signature' } });
    expect(await internalRequest(url, 'PUT', '/connectors/held/fence', '', { key: randomBytes(32), algorithm: 'HmacSHA256' }))
      .toEqual({ status: 403, body: { error_code: 403, message: 'Internal request contained invalid signature.' } });

    const written = (await configRecords(group)).filter((r) => r.key?.startsWith('task-held-')).map((r) => r.value ?? '');
    for (const marker of ['unsigned', 'wrong-key', 'other-body', 'unknown-algorithm', 'not-accepted']) {
      expect(written.some((v) => v.includes(`"marker":"${marker}"`)), marker).toBe(false);
    }
  }, 30_000);
});

describe('session key rotation', () => {
  it('writes a new key once inter.worker.key.ttl.ms has passed; requests signed with it pass and the old key no longer does', async () => {
    const group = 'rotating';
    const worker = await cluster.start(group, { 'inter.worker.key.ttl.ms': '4000' });
    await createHeld(worker.rest, 'held');
    const first = await until(async () => (await sessionKeys(group))[0], { timeoutMs: 20_000, what: 'a first session key' });
    const second = await until(async () => (await sessionKeys(group)).find((k) => k.offset > first.offset),
      { timeoutMs: 20_000, intervalMs: 200, what: 'a rotated session key' });
    expect(second.key.equals(first.key)).toBe(false);
    expect(second.creationTimestamp - first.creationTimestamp).toBeGreaterThanOrEqual(4000);

    const withNew = await internalRequest(worker.worker.restUrl, 'POST', '/connectors/held/tasks', taskConfigsBody('rotated'),
      { key: second.key, algorithm: 'HmacSHA256' });
    expect(withNew.status).toBe(204);
    const withOld = await internalRequest(worker.worker.restUrl, 'POST', '/connectors/held/tasks', taskConfigsBody('stale'),
      { key: first.key, algorithm: 'HmacSHA256' });
    expect(withOld).toEqual({ status: 403, body: { error_code: 403, message: 'Internal request contained invalid signature.' } });
  }, 60_000);
});

describe('two ferry workers', () => {
  const group = 'pair';
  let workers: LoggedWorker[];
  /** The worker that handed its connector's task configs to the other one, and that other one (the leader). */
  let follower: LoggedWorker;
  let leader: LoggedWorker;

  beforeAll(async () => {
    workers = [await cluster.start(group), await cluster.start(group)];
  }, 60_000);

  it('hand the follower\'s task configs to the leader with signed POST /connectors/{c}/tasks, so every connector gets its tasks', async () => {
    for (const name of ['left', 'right']) {
      const file = path.join(dir, `${name}.txt`);
      fs.writeFileSync(file, 'one\n');
      await workers[0]!.rest.createConnector(name, { 'connector.class': 'FileStreamSource', file, topic: name });
    }
    const statuses = await Promise.all(['left', 'right'].map((name) => workers[0]!.rest.untilStates(name, { connector: 'RUNNING', tasks: ['RUNNING'] })));
    expect(new Set(statuses.map((s) => s.connector.worker_id)).size).toBe(2);
    // Exactly one connector runs on the follower: its task configs reached the other worker (the leader) as a signed POST answered 204.
    const handedOver = statuses.filter((s) => {
      const other = workers.find((w) => w.worker.workerId !== s.connector.worker_id)!;
      return answered(other, 'POST', `/connectors/${s.name}/tasks`, 204);
    });
    expect(handedOver.map((s) => s.name)).toHaveLength(1);
    follower = workers.find((w) => w.worker.workerId === handedOver[0]!.connector.worker_id)!;
    leader = workers.find((w) => w !== follower)!;
  }, 60_000);

  it('forward a signed request that reaches the follower to the leader, which verifies the original signature', async () => {
    await createHeld(leader.rest, 'parked');
    const key = (await sessionKeys(group)).at(-1)!;
    const body = taskConfigsBody('via-follower');
    const signed = await internalRequest(follower.worker.restUrl, 'POST', '/connectors/parked/tasks', body, { key: key.key, algorithm: 'HmacSHA256' });
    expect(signed).toEqual({ status: 204, body: null });
    expect(await taskConfigWritten(group, 'parked', 'via-follower')).toBe(true);
    expect(answered(leader, 'POST', '/connectors/parked/tasks', 204)).toBe(true);
    const unsigned = await internalRequest(follower.worker.restUrl, 'POST', '/connectors/parked/tasks', body);
    expect(unsigned).toEqual({ status: 400, body: { error_code: 400, message: 'Internal request missing required signature' } });
  }, 60_000);
});

describe('a ferry follower signing with an algorithm the leader does not accept', () => {
  it('gets no tasks for its connector: the leader refuses its task configs with Kafka Connect\'s 400', async () => {
    const group = 'mismatch';
    // Each accepts only its own algorithm, so whichever leads refuses the other.
    const workers = [
      await cluster.start(group),
      await cluster.start(group, { 'inter.worker.signature.algorithm': 'HmacSHA512', 'inter.worker.verification.algorithms': 'HmacSHA512' }),
    ];
    for (const name of ['m-left', 'm-right']) {
      const file = path.join(dir, `${name}.txt`);
      fs.writeFileSync(file, 'one\n');
      await workers[0]!.rest.createConnector(name, { 'connector.class': 'FileStreamSource', file, topic: name });
    }
    // The follower logs the leader's refusal of its task configs.
    const refusal = /This worker does not support the 'HmacSHA(256|512)' key signing algorithm used by other workers.*"msg":"Request to leader to reconfigure connector tasks failed"/;
    // Refused again on the retry: the follower's connector stays without tasks.
    const refused = await until(() => workers.find((w) => w.log().split('\n').filter((line) => refusal.test(line)).length >= 2),
      { timeoutMs: 30_000, what: 'the leader refusing the follower\'s signature algorithm twice' });
    const followerOwned = await until(async () => {
      const statuses = await Promise.all(['m-left', 'm-right'].map((name) => workers[0]!.rest.status(name)));
      return statuses.find((s) => s?.connector.worker_id === refused.worker.workerId && s.connector.state === 'RUNNING');
    }, { what: 'the follower\'s connector RUNNING' });
    expect(followerOwned.tasks).toEqual([]);
    expect((await workers[0]!.rest.request('GET', `/connectors/${followerOwned.name}/tasks`)).body).toEqual([]);
  }, 60_000);
});

describe('a ferry leader with basic authentication', () => {
  it('lets signed internal requests through without credentials, as Kafka Connect does, and still checks their signature', async () => {
    const group = 'secured';
    const users = path.join(dir, 'users.properties');
    fs.writeFileSync(users, 'admin: s3cret\n');
    const worker = await cluster.start(group, { 'rest.auth.basic.credentials.file': users });
    const url = worker.worker.restUrl;
    const file = path.join(dir, 'secured.txt');
    fs.writeFileSync(file, '');
    const created = await fetch(`${url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` },
      body: JSON.stringify({ name: 'held', config: { 'connector.class': 'FileStreamSource', file, topic: 'secured' }, initial_state: 'PAUSED' }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${url}/connectors`)).status).toBe(401);
    const key = await until(async () => (await sessionKeys(group))[0], { timeoutMs: 20_000, what: 'a session-key record' });

    const signed = await internalRequest(url, 'POST', '/connectors/held/tasks', taskConfigsBody('no-credentials'), { key: key.key, algorithm: 'HmacSHA256' });
    expect(signed).toEqual({ status: 204, body: null });
    expect(await taskConfigWritten(group, 'held', 'no-credentials')).toBe(true);
    expect(await internalRequest(url, 'POST', '/connectors/held/tasks', taskConfigsBody('no-signature')))
      .toEqual({ status: 400, body: { error_code: 400, message: 'Internal request missing required signature' } });
  }, 60_000);
});

describe('a group running compatible', () => {
  it('writes no session key and takes unsigned task configs; an unknown algorithm is still a 400', async () => {
    const group = 'unsigned';
    const worker = await cluster.start(group, { 'connect.protocol': 'compatible' });
    await createHeld(worker.rest, 'held');
    const unsigned = await internalRequest(worker.worker.restUrl, 'POST', '/connectors/held/tasks', taskConfigsBody('unsigned-ok'));
    expect(unsigned).toEqual({ status: 204, body: null });
    expect(await taskConfigWritten(group, 'held', 'unsigned-ok')).toBe(true);
    expect(await sessionKeys(group)).toEqual([]);
    const unknown = await internalRequest(worker.worker.restUrl, 'POST', '/connectors/held/tasks', taskConfigsBody('unknown'),
      { key: randomBytes(32), algorithm: 'HmacFoo' });
    expect(unknown).toEqual({ status: 400, body: { error_code: 400, message: 'Algorithm HmacFoo not available' } });
  }, 60_000);
});
