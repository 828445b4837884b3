/**
 * The records ferry writes to connect-configs, connect-offsets and connect-status, read back
 * with kcat and compared byte for byte with Kafka Connect's formats (compact JSON, Kafka's
 * field order, string keys), and placed on the partition the Java client's default
 * partitioner would pick, so Kafka Connect and its tools can read them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { javaPartition, murmur2 } from '../../helpers/java-partition.js';
import { kcatRead } from '../../helpers/kcat.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

interface TopicRecord {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

const dir = tempDir('ferry-e2e-internal-');
let ferry: FerryProcess;
let rest: ConnectRest;

/** Every record of an internal topic in partition then offset order (their JSON never holds a raw tab or newline). */
async function records(topic: string): Promise<TopicRecord[]> {
  const text = await kcatRead(ferry.bootstrap, topic, '%p\t%o\t%k\t%s\n');
  return text.split('\n').filter((line) => line !== '').map((line) => {
    const [partition, offset, key, value] = line.split('\t');
    return { partition: Number(partition), offset: Number(offset), key: key!, value: value! };
  }).sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

function valuesOf(all: TopicRecord[], key: string): string[] {
  return all.filter((r) => r.key === key).map((r) => r.value);
}

beforeAll(async () => {
  ferry = await startFerry({ dataDir: path.join(dir, 'data'), settings: { 'offset.flush.interval.ms': '500' } });
  rest = new ConnectRest(ferry.restUrl);
});

afterAll(async () => {
  await ferry?.stop();
});

it('places keys with the same murmur2 partitioner as the Java client (Kafka\'s published murmur2 values)', () => {
  const published: [string, number][] = [
    ['21', -973932308], ['foobar', -790332482], ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829], ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971], ['abc', 479470107],
  ];
  for (const [text, hash] of published) expect(murmur2(Buffer.from(text))).toBe(hash);
});

it('writes connector, task, commit, target-state, offset and status records in Kafka Connect\'s exact bytes', async () => {
  const name = 'recorder';
  const file = path.join(dir, 'recorder-input.txt');
  const content = 'alpha\nβeta – ünïcode\n\n{"json":"line"}\n';
  fs.writeFileSync(file, content);
  const config = { 'connector.class': 'FileStreamSource', file, topic: 'recorded' };
  await rest.createConnector(name, config);
  await rest.untilStates(name, { connector: 'RUNNING', tasks: ['RUNNING'] });

  const offsetKey = `["${name}",{"filename":"${file}"}]`;
  const position = Buffer.byteLength(content);
  await until(async () => valuesOf(await records('connect-offsets'), offsetKey).at(-1) === `{"position":${position}}`,
    { timeoutMs: 20_000, intervalMs: 250, what: `offset position ${position} in connect-offsets` });

  expect((await rest.request('PUT', `/connectors/${name}/pause`)).status).toBe(202);
  await rest.untilStates(name, { connector: 'PAUSED', tasks: ['PAUSED'] });

  const workerId = `127.0.0.1:${ferry.restPort}`;
  const properties = JSON.stringify({ ...config, name });
  const taskProperties = JSON.stringify({ ...config, name, 'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask' });

  const configs = (await records('connect-configs')).filter((r) => r.key.endsWith(name) || r.key.startsWith(`task-${name}-`));
  expect(configs.every((r) => r.partition === 0)).toBe(true);
  expect(valuesOf(configs, `connector-${name}`)).toEqual([`{"properties":${properties}}`]);
  expect(valuesOf(configs, `task-${name}-0`)).toEqual([`{"properties":${taskProperties}}`]);
  expect(valuesOf(configs, `commit-${name}`)).toEqual(['{"tasks":1}']);
  expect(valuesOf(configs, `target-state-${name}`).at(-1)).toBe('{"state":"PAUSED","state.v2":"PAUSED"}');
  const order = configs.map((r) => r.key).filter((key) => key !== `target-state-${name}`);
  expect(order).toEqual([`connector-${name}`, `task-${name}-0`, `commit-${name}`]);
  const pausedAt = configs.findLast((r) => r.key === `target-state-${name}`)!.offset;
  expect(pausedAt).toBeGreaterThan(configs.find((r) => r.key === `commit-${name}`)!.offset);

  const offsets = (await records('connect-offsets')).filter((r) => r.key === offsetKey);
  expect(offsets.length).toBeGreaterThan(0);
  expect(offsets.at(-1)!.value).toBe(`{"position":${position}}`);
  expect(new Set(offsets.map((r) => r.partition))).toEqual(new Set([javaPartition(offsetKey, 25)]));

  const statuses = await records('connect-status');
  const status = (state: string) => new RegExp(`^\\{"state":"${state}","trace":null,"worker_id":"${workerId}","generation":\\d+\\}$`);
  for (const key of [`status-connector-${name}`, `status-task-${name}-0`]) {
    const written = statuses.filter((r) => r.key === key);
    expect(written).toHaveLength(2);
    expect(written[0]!.value).toMatch(status('RUNNING'));
    expect(written[1]!.value).toMatch(status('PAUSED'));
    expect(new Set(written.map((r) => r.partition))).toEqual(new Set([javaPartition(key, 5)]));
  }
});

it('writes an empty task set and then the STOPPED target state, with the pre-3.5 field saying PAUSED, when a connector is stopped', async () => {
  const name = 'halted';
  const file = path.join(dir, 'halted-input.txt');
  fs.writeFileSync(file, 'one\n');
  await rest.createConnector(name, { 'connector.class': 'FileStreamSource', file, topic: 'halted' });
  await rest.untilStates(name, { connector: 'RUNNING', tasks: ['RUNNING'] });

  expect((await rest.request('PUT', `/connectors/${name}/stop`)).status).toBe(204);
  await rest.untilStates(name, { connector: 'STOPPED', tasks: [] });

  const configs = (await records('connect-configs')).filter((r) => r.key.endsWith(name) || r.key.startsWith(`task-${name}-`));
  const emptied = configs.findLastIndex((r) => r.key === `commit-${name}` && r.value === '{"tasks":0}');
  expect(emptied).toBeGreaterThan(0);
  const afterwards = configs.slice(emptied + 1).map((r) => `${r.key} ${r.value}`);
  expect.soft(afterwards).toEqual([`target-state-${name} {"state":"PAUSED","state.v2":"STOPPED"}`]);

  const statuses = await records('connect-status');
  expect(valuesOf(statuses, `status-connector-${name}`).at(-1))
    .toMatch(new RegExp(`^\\{"state":"STOPPED","trace":null,"worker_id":"127\\.0\\.0\\.1:${ferry.restPort}","generation":\\d+\\}$`));
  expect(statuses.filter((r) => r.key === `status-task-${name}-0`).at(-1)).toMatchObject({ value: '' });
});
