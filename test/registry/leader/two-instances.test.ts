/**
 * Two registries over one `_schemas` topic: one is elected to write, the other forwards writes
 * to it over HTTP and reads its own writes at once; when the leader leaves, the other takes
 * over; an instance that may not lead never writes.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { until } from '../../helpers/until.js';
import { call, startRegistryOn, startTestBroker, type RunningSchemaRegistry, type TestBroker } from '../registry-test-kit.js';

let broker: TestBroker;
const running: RunningSchemaRegistry[] = [];

beforeEach(async () => {
  broker = await startTestBroker();
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  await broker.close();
});

async function instance(options: { leaderEligibility?: boolean } = {}): Promise<RunningSchemaRegistry> {
  const r = await startRegistryOn(broker, options);
  running.push(r);
  return r;
}

it('elects one leader; a write to the follower lands through the leader and both read it at once', async () => {
  const a = await instance();
  const b = await instance();
  await until(() => [a, b].filter((r) => r.isLeader()).length === 1 && (a.isLeader() || b.isLeader()), { what: 'one leader' });
  const [leader, follower] = a.isLeader() ? [a, b] : [b, a];

  const reg = await call(follower.url, 'POST', '/subjects/shared-value/versions', { schema: '"string"' });
  expect(reg).toMatchObject({ status: 200, body: { id: 1 } });
  expect((await call(follower.url, 'GET', '/subjects/shared-value/versions/latest')).body).toEqual({ subject: 'shared-value', version: 1, id: 1, schema: '"string"' });
  expect((await call(leader.url, 'GET', '/schemas/ids/1')).body).toEqual({ schema: '"string"' });

  expect((await call(follower.url, 'PUT', '/config/shared-value', { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
  expect((await call(follower.url, 'GET', '/config/shared-value')).body).toEqual({ compatibilityLevel: 'FULL' });
  const refused = await call(follower.url, 'POST', '/subjects/shared-value/versions', { schema: '{"type":"record","name":"X","fields":[]}' });
  expect(refused).toMatchObject({ status: 409, body: { error_code: 409 } });
  expect((await call(follower.url, 'DELETE', '/subjects/shared-value')).body).toEqual([1]);
  expect(await call(leader.url, 'GET', '/subjects/shared-value/versions')).toMatchObject({ status: 404, body: { error_code: 40401 } });

  const fromLeader = await call(leader.url, 'POST', '/subjects/other-value/versions', { schema: '"long"' });
  expect(fromLeader.body).toEqual({ id: 2 });
  await until(async () => (await call(follower.url, 'GET', '/schemas/ids/2')).status === 200, { what: 'the follower to read the leader\'s write' });
});

it('hands the leadership over when the leader leaves', async () => {
  const a = await instance();
  const b = await instance();
  await until(() => a.isLeader() !== b.isLeader(), { what: 'one leader' });
  const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
  await call(leader.url, 'POST', '/subjects/s/versions', { schema: '"int"' });
  await leader.close();
  running.splice(running.indexOf(leader), 1);
  await until(() => follower.isLeader(), { what: 'the follower to take over' });
  expect((await call(follower.url, 'POST', '/subjects/s2/versions', { schema: '"float"' })).body).toEqual({ id: 2 });
});

it('never lets an instance that may not lead write: alone, its writes answer 50004', async () => {
  const reader = await instance({ leaderEligibility: false });
  expect(reader.isLeader()).toBe(false);
  expect(await call(reader.url, 'POST', '/subjects/x/versions', { schema: '"int"' })).toMatchObject({
    status: 500, body: { error_code: 50004, message: 'Leader not known.' },
  });
  expect((await call(reader.url, 'GET', '/subjects')).body).toEqual([]);
  const writer = await instance();
  await until(() => writer.isLeader(), { what: 'the eligible instance to lead' });
  await until(async () => (await call(reader.url, 'POST', '/subjects/x/versions', { schema: '"int"' })).status === 200, { what: 'a forwarded write' });
  expect((await call(reader.url, 'GET', '/subjects/x/versions')).body).toEqual([1]);
  expect(reader.isLeader()).toBe(false);
});
