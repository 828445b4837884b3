/**
 * `ferry worker` configured the way a compose file configures Kafka Connect's images: from the
 * built CLI, against a bundled broker process, with nothing but the environment (or a file the
 * environment overrides). A worker that starts serves REST on the port the variables name.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapAfterFile } from '../../helpers/child-reaper.js';
import { spawnFerryCommand, type FerryChild } from '../../helpers/ferry-process.js';
import { freePort } from '../../helpers/mariadb-server.js';
import { runProcess } from '../../helpers/run-process.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { CLI, spawnBroker, type BrokerProcess } from '../../helpers/test-broker.js';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
let broker: BrokerProcess;

beforeAll(async () => {
  broker = await spawnBroker(tempDir('ferry-worker-env-broker-'));
  reapAfterFile(broker.child);
});

afterAll(async () => {
  broker.child.kill('SIGTERM');
  await broker.exited;
});

/** Only what is given: the test runner's own environment must not leak CONNECT_* or FERRY_* settings in. */
function cleanEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...vars };
}

/** What a compose file sets for one Connect cluster on the bundled broker (one replica). */
function connectEnv(group: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    CONNECT_BOOTSTRAP_SERVERS: broker.bootstrap,
    CONNECT_GROUP_ID: group,
    CONNECT_CONFIG_STORAGE_TOPIC: `${group}-configs`,
    CONNECT_OFFSET_STORAGE_TOPIC: `${group}-offsets`,
    CONNECT_STATUS_STORAGE_TOPIC: `${group}-status`,
    CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: '1',
    CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: '1',
    CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: '1',
    CONNECT_KEY_CONVERTER: JSON_CONVERTER,
    CONNECT_VALUE_CONVERTER: JSON_CONVERTER,
    ...extra,
  });
}

function ferryWorker(args: string[], env: NodeJS.ProcessEnv): Promise<FerryChild> {
  return spawnFerryCommand(['worker', ...args], {
    what: `ferry worker ${args.join(' ')}`,
    env,
    ready: (line) => line['msg'] === 'worker started' && typeof line['restUrl'] === 'string',
  });
}

function ferry(args: string[], env: NodeJS.ProcessEnv) {
  return runProcess(process.execPath, [CLI, ...args], { env, timeoutMs: 30_000 });
}

/** The JSON log lines a ferry process wrote. */
function logLines(output: string): Record<string, unknown>[] {
  return output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function connectors(baseUrl: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}/connectors`);
  return { status: response.status, body: await response.json() };
}

describe('ferry worker without a file', () => {
  it('joins the cluster the CONNECT_* variables name and serves REST on CONNECT_REST_PORT; ferry health finds it from the same variables', async () => {
    const port = await freePort();
    const worker = await ferryWorker([], connectEnv('env-only', {
      CONNECT_REST_PORT: String(port),
      CONNECT_LOG4J_ROOT_LOGLEVEL: 'DEBUG',
      CONNECT_LOG4J_LOGGERS: 'org.reflections=ERROR',
      CONNECT_CUB_KAFKA_MIN_BROKERS: '1',
      CONNECT_CUB_KAFKA_TIMEOUT: '40',
    }));
    expect(worker.readyLine).toMatchObject({ group: 'env-only', restUrl: `http://127.0.0.1:${port}` });
    expect(await connectors(`http://127.0.0.1:${port}`)).toEqual({ status: 200, body: [] });

    const lines = logLines(worker.output());
    expect(lines.filter((l) => l['msg'] === 'worker property group.id from CONNECT_GROUP_ID')).toHaveLength(1);
    expect(lines.some((l) => l['level'] === 20), 'CONNECT_LOG4J_ROOT_LOGLEVEL=DEBUG logs at debug').toBe(true);
    expect(worker.output()).not.toContain('unknown worker property');
    expect(lines.filter((l) => (l['level'] as number) >= 40)).toEqual([]);

    expect(await ferry(['health'], cleanEnv({ CONNECT_REST_PORT: String(port) }))).toEqual({ code: 0, stdout: 'healthy\n', stderr: '' });
    expect(await ferry(['health'], cleanEnv({ CONNECT_LISTENERS: `http://0.0.0.0:${port}` }))).toEqual({ code: 0, stdout: 'healthy\n', stderr: '' });
    expect(await worker.stop()).toBe(0);
  });

  it('reads Debezium\'s short names where no CONNECT_* variable is set', async () => {
    const port = await freePort();
    const worker = await ferryWorker([], cleanEnv({
      BOOTSTRAP_SERVERS: broker.bootstrap,
      GROUP_ID: 'debezium-style',
      CONFIG_STORAGE_TOPIC: 'debezium-style-configs',
      OFFSET_STORAGE_TOPIC: 'debezium-style-offsets',
      STATUS_STORAGE_TOPIC: 'debezium-style-status',
      REST_HOST_NAME: '127.0.0.1',
      REST_PORT: String(port),
      ADVERTISED_HOST_NAME: 'localhost',
      KEY_CONVERTER: JSON_CONVERTER,
      VALUE_CONVERTER: JSON_CONVERTER,
      OFFSET_FLUSH_INTERVAL_MS: '1000',
      SHUTDOWN_TIMEOUT: '10000',
      CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: '1',
      CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: '1',
      CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: '1',
    }));
    expect(worker.readyLine).toMatchObject({ group: 'debezium-style', restUrl: `http://localhost:${port}` });
    expect(await connectors(`http://127.0.0.1:${port}`)).toEqual({ status: 200, body: [] });
    const messages = logLines(worker.output()).map((l) => l['msg']);
    expect(messages).toContain('worker property group.id from GROUP_ID');
    expect(messages).toContain('worker property task.shutdown.graceful.timeout.ms from SHUTDOWN_TIMEOUT');
    expect(messages).toContain(`listeners=http://127.0.0.1:${port} from rest.host.name and rest.port (removed in Kafka 3.0)`);
    expect(await worker.stop()).toBe(0);
  });

  it('names every missing required variable on its own line and exits 1 without starting', async () => {
    const result = await ferry(['worker'], cleanEnv({ CONNECT_BOOTSTRAP_SERVERS: broker.bootstrap, CONNECT_KEY_CONVERTER: '', CONNECT_VALUE_CONVERTER: JSON_CONVERTER }));
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'ferry worker: CONNECT_GROUP_ID (group.id) is not set',
        'ferry worker: CONNECT_CONFIG_STORAGE_TOPIC (config.storage.topic) is not set',
        'ferry worker: CONNECT_OFFSET_STORAGE_TOPIC (offset.storage.topic) is not set',
        'ferry worker: CONNECT_STATUS_STORAGE_TOPIC (status.storage.topic) is not set',
        'ferry worker: CONNECT_KEY_CONVERTER (key.converter) is not set',
        '',
      ].join('\n'),
    });
    expect((await ferry(['worker'], cleanEnv({}))).stderr.split('\n')[0]).toBe('ferry worker: CONNECT_BOOTSTRAP_SERVERS (bootstrap.servers) is not set');
  });

  it('reports an invalid value by the variable that set it, without a stack trace', async () => {
    const result = await ferry(['worker'], connectEnv('bad-port', { CONNECT_REST_PORT: 'eighty' }));
    expect(result).toEqual({
      code: 1,
      stdout: expect.not.stringContaining('worker started'),
      stderr: 'ferry worker: invalid worker configuration: '
        + 'Invalid value eighty for configuration rest.port: Value must be a port number (0 to 65535) (from CONNECT_REST_PORT)\n',
    });
  });
});

describe('ferry worker FILE', () => {
  it('takes CONNECT_* variables over the file\'s keys, logging each once and never a password', async () => {
    const port = await freePort();
    const file = path.join(tempDir('ferry-worker-env-file-'), 'worker.properties');
    writeFileSync(file, [
      `bootstrap.servers=${broker.bootstrap}`,
      'group.id=from-file',
      'config.storage.topic=from-file-configs',
      'offset.storage.topic=from-file-offsets',
      'status.storage.topic=from-file-status',
      'config.storage.replication.factor=1',
      'offset.storage.replication.factor=1',
      'status.storage.replication.factor=1',
      `key.converter=${JSON_CONVERTER}`,
      `value.converter=${JSON_CONVERTER}`,
      'listeners=http://127.0.0.1:0',
      '',
    ].join('\n'));
    const worker = await ferryWorker([file], cleanEnv({
      CONNECT_GROUP_ID: 'from-env',
      CONNECT_CONFIG_STORAGE_TOPIC: 'from-env-configs',
      CONNECT_OFFSET_STORAGE_TOPIC: 'from-env-offsets',
      CONNECT_STATUS_STORAGE_TOPIC: 'from-env-status',
      CONNECT_LISTENERS: `http://127.0.0.1:${port}`,
      CONNECT_REST_PORT: '1',
      CONNECT_SSL_TRUSTSTORE_PASSWORD: 'env-secret-value',
      GROUP_ID: 'short-names-are-for-env-only',
    }));
    expect(worker.readyLine).toMatchObject({ group: 'from-env', restUrl: `http://127.0.0.1:${port}` });
    expect(await connectors(`http://127.0.0.1:${port}`)).toEqual({ status: 200, body: [] });

    const lines = logLines(worker.output());
    const fromEnv = lines.filter((l) => typeof l['variable'] === 'string');
    expect(fromEnv.map((l) => l['msg'])).toEqual([
      `worker property config.storage.topic from CONNECT_CONFIG_STORAGE_TOPIC (replaces the value in ${file})`,
      `worker property group.id from CONNECT_GROUP_ID (replaces the value in ${file})`,
      `worker property listeners from CONNECT_LISTENERS (replaces the value in ${file})`,
      `worker property offset.storage.topic from CONNECT_OFFSET_STORAGE_TOPIC (replaces the value in ${file})`,
      'worker property rest.port from CONNECT_REST_PORT',
      'worker property ssl.truststore.password from CONNECT_SSL_TRUSTSTORE_PASSWORD',
      `worker property status.storage.topic from CONNECT_STATUS_STORAGE_TOPIC (replaces the value in ${file})`,
    ]);
    expect(fromEnv.find((l) => l['property'] === 'group.id')).toMatchObject({ level: 30, value: 'from-env' });
    expect(fromEnv.find((l) => l['property'] === 'ssl.truststore.password')).toMatchObject({ value: '[hidden]' });
    expect(worker.output()).not.toContain('env-secret-value');
    expect(lines.filter((l) => l['level'] === 40).map((l) => l['msg'])).toEqual(['rest.port ignored: listeners is set']);
    expect(await worker.stop()).toBe(0);
  });

  it('names a required key neither the file nor the environment sets', async () => {
    const file = path.join(tempDir('ferry-worker-env-file-'), 'worker.properties');
    writeFileSync(file, `bootstrap.servers=${broker.bootstrap}\nkey.converter=${JSON_CONVERTER}\nvalue.converter=${JSON_CONVERTER}\nconfig.storage.topic=c\noffset.storage.topic=o\n`);
    const result = await ferry(['worker', file], cleanEnv({ CONNECT_STATUS_STORAGE_TOPIC: 's' }));
    expect(result).toEqual({ code: 1, stdout: '', stderr: `ferry worker: group.id is not set in ${file} nor by CONNECT_GROUP_ID\n` });
  });
});
