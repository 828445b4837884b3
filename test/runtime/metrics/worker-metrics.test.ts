/**
 * GET /metrics on a real worker over the bundled broker: a file source feeding a file sink
 * through a topic moves the task counters, pausing flips the status gauges, and deleting a
 * connector removes its series.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '../../../cli/worker/start-worker.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { appendLines, completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { parseExposition, valueOf, type ParsedFamily } from './exposition-parser.js';

const dir = tempDir('ferry-metrics-');
const input = path.join(dir, 'input.txt');
const output = path.join(dir, 'output.txt');
const SOURCE = { connector: 'lines-in', task: '0' };
const SINK = { connector: 'lines-out', task: '0' };
let broker: TestBroker;
let worker: RunningWorker;
let rest: ConnectRest;

async function scrape(): Promise<Map<string, ParsedFamily>> {
  const response = await fetch(`${worker.restUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}

/** Scrapes until `check` holds for a scrape, and returns that scrape. */
async function untilScrape(what: string, check: (m: Map<string, ParsedFamily>) => boolean): Promise<Map<string, ParsedFamily>> {
  let last: Map<string, ParsedFamily> | undefined;
  return until(async () => {
    last = await scrape();
    return check(last) ? last : null;
  }, { timeoutMs: 30_000, intervalMs: 100, what }).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; last scrape:\n${[...(last?.values() ?? [])].flatMap((f) => f.samples.map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`)).join('\n')}`);
  });
}

function numbered(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `line ${from + i}`);
}

beforeAll(async () => {
  broker = await startTestBroker();
  worker = await startWorker({
    'bootstrap.servers': broker.bootstrap,
    'group.id': 'metrics-test',
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
    'offset.flush.interval.ms': '200',
    listeners: 'http://127.0.0.1:0',
  }, { logger: pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' }) });
  rest = new ConnectRest(worker.restUrl);
});

afterAll(async () => {
  await worker?.stop();
  await broker?.close();
});

describe('GET /metrics on a running worker', () => {
  it('serves a valid scrape before any connector exists', async () => {
    const metrics = await scrape();
    expect(valueOf(metrics, 'kafka_connect_worker_connector_count')).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_worker_task_count')).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_worker_rebalance_rebalancing')).toBe(0);
    expect(valueOf(metrics, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts the records a file source polls and writes and a file sink reads and puts', async () => {
    fs.writeFileSync(input, `${numbered(0, 20).join('\n')}\n`);
    await rest.createConnector('lines-in', { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' });
    await rest.createConnector('lines-out', { 'connector.class': 'FileStreamSink', file: output, topics: 'lines' });
    await until(() => completeLines(output).length >= 20, { timeoutMs: 30_000, what: '20 lines in the output' });

    const metrics = await untilScrape('the first 20 records counted and offsets committed', (m) =>
      valueOf(m, 'kafka_connect_source_task_source_record_write_total', SOURCE) === 20
      && valueOf(m, 'kafka_connect_sink_task_sink_record_send_total', SINK) === 20
      && (valueOf(m, 'kafka_connect_connector_task_offset_commit_success_total', SOURCE) ?? 0) > 0
      && (valueOf(m, 'kafka_connect_connector_task_offset_commit_success_total', SINK) ?? 0) > 0
      && valueOf(m, 'kafka_connect_connector_task_status', { ...SINK, state: 'running' }) === 1);
    expect(valueOf(metrics, 'kafka_connect_source_task_source_record_poll_total', SOURCE)).toBe(20);
    expect(valueOf(metrics, 'kafka_connect_source_task_source_record_active_count', SOURCE)).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_source_task_poll_batch_seconds_count', SOURCE)).toBeGreaterThan(0);
    expect(valueOf(metrics, 'kafka_connect_sink_task_sink_record_read_total', SINK)).toBe(20);
    expect(valueOf(metrics, 'kafka_connect_sink_task_put_batch_seconds_count', SINK)).toBeGreaterThan(0);
    expect(valueOf(metrics, 'kafka_connect_sink_task_partition_count', SINK)).toBe(1);
    expect(valueOf(metrics, 'kafka_connect_connector_task_offset_commit_seconds_count', SINK)).toBeGreaterThan(0);
    expect(valueOf(metrics, 'kafka_connect_task_error_total_record_failures', SINK)).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_task_error_deadletterqueue_produce_requests', SOURCE)).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_worker_connector_count')).toBe(2);
    expect(valueOf(metrics, 'kafka_connect_worker_task_count')).toBe(2);
    expect(valueOf(metrics, 'kafka_connect_worker_task_startup_success_total')).toBe(2);
    expect(valueOf(metrics, 'kafka_connect_connector_status', { connector: 'lines-in', state: 'running' })).toBe(1);
    expect(valueOf(metrics, 'kafka_connect_worker_connector_running_task_count', { connector: 'lines-out' })).toBe(1);
    expect(valueOf(metrics, 'kafka_connect_connector_info', { connector: 'lines-in', connector_type: 'source' })).toBe(1);

    appendLines(input, numbered(20, 10));
    await untilScrape('30 records through both tasks', (m) =>
      valueOf(m, 'kafka_connect_source_task_source_record_poll_total', SOURCE) === 30
      && valueOf(m, 'kafka_connect_sink_task_sink_record_send_total', SINK) === 30);
  });

  it('counts the records a tolerant sink fails to convert and sends to the dead letter queue', async () => {
    await rest.createConnector('bad-json', {
      'connector.class': 'FileStreamSink',
      file: path.join(dir, 'never.txt'),
      topics: 'lines',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'lines-dlq',
      'errors.deadletterqueue.topic.replication.factor': '1',
    });
    const task = { connector: 'bad-json', task: '0' };
    const metrics = await untilScrape('30 records in the dead letter queue', (m) =>
      valueOf(m, 'kafka_connect_task_error_deadletterqueue_produce_requests', task) === 30);
    expect(valueOf(metrics, 'kafka_connect_task_error_total_record_failures', task)).toBe(30);
    expect(valueOf(metrics, 'kafka_connect_task_error_total_record_errors', task)).toBe(30);
    expect(valueOf(metrics, 'kafka_connect_task_error_total_records_skipped', task)).toBe(30);
    expect(valueOf(metrics, 'kafka_connect_task_error_deadletterqueue_produce_failures', task)).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_task_error_last_error_timestamp_seconds', task)).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(valueOf(metrics, 'kafka_connect_sink_task_sink_record_read_total', task)).toBe(30);
    expect(valueOf(metrics, 'kafka_connect_sink_task_sink_record_send_total', task)).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_task_error_total_record_failures', SINK)).toBe(0);
  });

  it('flips the status gauges of a paused connector and its task, and back on resume', async () => {
    expect((await rest.request('PUT', '/connectors/lines-in/pause')).status).toBe(202);
    const paused = await untilScrape('lines-in paused', (m) =>
      valueOf(m, 'kafka_connect_connector_status', { connector: 'lines-in', state: 'paused' }) === 1
      && valueOf(m, 'kafka_connect_connector_task_status', { ...SOURCE, state: 'paused' }) === 1);
    expect(valueOf(paused, 'kafka_connect_connector_status', { connector: 'lines-in', state: 'running' })).toBe(0);
    expect(valueOf(paused, 'kafka_connect_connector_task_status', { ...SOURCE, state: 'running' })).toBe(0);
    expect(valueOf(paused, 'kafka_connect_worker_connector_paused_task_count', { connector: 'lines-in' })).toBe(1);
    expect(valueOf(paused, 'kafka_connect_connector_status', { connector: 'lines-out', state: 'running' })).toBe(1);

    expect((await rest.request('PUT', '/connectors/lines-in/resume')).status).toBe(202);
    await untilScrape('lines-in running again', (m) =>
      valueOf(m, 'kafka_connect_connector_status', { connector: 'lines-in', state: 'running' }) === 1
      && valueOf(m, 'kafka_connect_connector_task_status', { ...SOURCE, state: 'running' }) === 1);
  });

  it('drops every series of a deleted connector', async () => {
    expect((await rest.request('DELETE', '/connectors/lines-out')).status).toBe(204);
    const metrics = await untilScrape('lines-out gone', (m) =>
      [...m.values()].every((f) => f.samples.every((s) => s.labels.connector !== 'lines-out')));
    expect(valueOf(metrics, 'kafka_connect_worker_connector_count')).toBe(2);
    expect(valueOf(metrics, 'kafka_connect_worker_task_count')).toBe(2);
    expect(valueOf(metrics, 'kafka_connect_source_task_source_record_poll_total', SOURCE)).toBe(30);
  });
});
