/**
 * GET /connectors/{c}/lag against a real `ferry start`: a file sink's consumer lag per partition
 * as a user watching the console would see it. It falls to zero once the sink has written and
 * committed what was produced; while the sink is paused, records produced meanwhile show up as
 * lag on the partitions they went to; a sink that never committed counts from the log start;
 * `topics.regex` and a group set with `consumer.override.group.id` are followed.
 */
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { createTopic, numberedRecords, produce } from '../../connectors/mirror/mirror-topics.js';

interface PartitionLag {
  topic: string;
  partition: number;
  committed_offset: number | null;
  end_offset: number;
  lag: number;
}

interface ConnectorLag {
  name: string;
  type: string;
  group: string | null;
  total_lag: number | null;
  partitions: PartitionLag[];
}

const dir = tempDir('ferry-lag-');
const STRINGS = { 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' };
const output = path.join(dir, 'out.txt');
let ferry: FerryProcess;
let rest: ConnectRest;
let kafka: Kafka;

async function lagOf(name: string): Promise<ConnectorLag> {
  const res = await rest.request<ConnectorLag>('GET', `/connectors/${name}/lag`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Polls the lag until `accept` holds for it, and returns it. */
async function untilLag(name: string, what: string, accept: (lag: ConnectorLag) => boolean): Promise<ConnectorLag> {
  let last: ConnectorLag | undefined;
  try {
    return await until(async () => {
      last = await lagOf(name);
      return accept(last) ? last : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, what });
  } catch (err) {
    throw new Error(`${(err as Error).message}; last lag: ${JSON.stringify(last)}`, { cause: err });
  }
}

beforeAll(async () => {
  ferry = await startFerry({ dataDir: path.join(dir, 'data'), settings: { 'offset.flush.interval.ms': '500' } });
  rest = new ConnectRest(ferry.restUrl);
  kafka = kafkaClient(ferry.bootstrap, 'lag-test');
  await createTopic(kafka, 'lagging', 3);
  await rest.createConnector('lag-sink', { 'connector.class': 'FileStreamSink', file: output, topics: 'lagging', ...STRINGS });
  await rest.untilStates('lag-sink', { connector: 'RUNNING', tasks: ['RUNNING'] });
}, 60_000);

afterAll(async () => {
  await ferry?.stop();
});

describe('GET /connectors/{c}/lag on ferry start', () => {
  it('falls to zero on every partition once the sink consumed what was produced', async () => {
    await produce(kafka, 'lagging', numberedRecords('first', 0, 30, 3));
    const lag = await untilLag('lag-sink', 'no lag after 30 records', (l) => l.total_lag === 0 && l.partitions.every((p) => p.end_offset === 10));
    expect(lag).toEqual({
      name: 'lag-sink', type: 'sink', group: 'connect-lag-sink', total_lag: 0,
      partitions: [0, 1, 2].map((partition) => ({ topic: 'lagging', partition, committed_offset: 10, end_offset: 10, lag: 0 })),
    });
    expect(completeLines(output)).toHaveLength(30);
  }, 60_000);

  it('shows the records produced while the sink is paused as lag on their partitions, and zero again after resume', async () => {
    expect((await rest.request('PUT', '/connectors/lag-sink/pause')).status).toBe(202);
    await rest.untilStates('lag-sink', { connector: 'PAUSED', tasks: ['PAUSED'] });
    // Records 30..36 go to partition (number mod 3): 3 to partition 0, 2 each to partitions 1 and 2.
    await produce(kafka, 'lagging', numberedRecords('paused', 30, 7, 3));
    const paused = await untilLag('lag-sink', 'lag of the 7 records produced while paused', (l) => l.total_lag === 7);
    expect(paused.partitions.map((p) => [p.partition, p.committed_offset, p.end_offset, p.lag])).toEqual([[0, 10, 13, 3], [1, 10, 12, 2], [2, 10, 12, 2]]);
    expect(completeLines(output)).toHaveLength(30);

    expect((await rest.request('PUT', '/connectors/lag-sink/resume')).status).toBe(202);
    await untilLag('lag-sink', 'no lag after resume', (l) => l.total_lag === 0);
    await until(() => completeLines(output).length === 37, { timeoutMs: 30_000, what: '37 lines in the sink file' });
  }, 60_000);

  it('counts from the log start for a sink that never committed', async () => {
    await createTopic(kafka, 'waiting', 1);
    await produce(kafka, 'waiting', numberedRecords('waiting', 0, 5, 1));
    const created = await rest.request('POST', '/connectors', {
      name: 'waiting-sink', config: { 'connector.class': 'FileStreamSink', file: path.join(dir, 'waiting.txt'), topics: 'waiting', ...STRINGS }, initial_state: 'PAUSED',
    });
    expect(created.status).toBe(201);
    const lag = await lagOf('waiting-sink');
    expect(lag).toEqual({
      name: 'waiting-sink', type: 'sink', group: 'connect-waiting-sink', total_lag: 5,
      partitions: [{ topic: 'waiting', partition: 0, committed_offset: null, end_offset: 5, lag: 5 }],
    });
  });

  it('follows topics.regex and consumer.override.group.id', async () => {
    const created = await rest.request('POST', '/connectors', {
      name: 'regex-sink', initial_state: 'PAUSED',
      config: { 'connector.class': 'FileStreamSink', file: path.join(dir, 'regex.txt'), 'topics.regex': 'lagg.*', 'consumer.override.group.id': 'regex-group', ...STRINGS },
    });
    expect(created.status).toBe(201);
    const lag = await lagOf('regex-sink');
    expect(lag.group).toBe('regex-group');
    expect(lag.partitions.map((p) => [p.topic, p.partition, p.committed_offset])).toEqual([['lagging', 0, null], ['lagging', 1, null], ['lagging', 2, null]]);
    for (const p of lag.partitions) expect(p.lag).toBe(p.end_offset);
    expect(lag.total_lag).toBe(37);
  });

  it('answers a source connector with its type and no partitions', async () => {
    await rest.createConnector('some-source', { 'connector.class': 'FileStreamSource', file: path.join(dir, 'in.txt'), topic: 'from-file' });
    expect(await lagOf('some-source')).toEqual({ name: 'some-source', type: 'source', group: null, total_lag: null, partitions: [] });
  });

  it('answers 404 with Connect\'s error body for an unknown connector', async () => {
    const res = await rest.request('GET', '/connectors/no-such-connector/lag');
    expect(res).toEqual({ status: 404, body: { error_code: 404, message: 'Connector no-such-connector not found' } });
  });
});
