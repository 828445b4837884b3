/**
 * Config providers in a running worker: connector configs keep their ${provider:...}
 * placeholders when stored and shown by the REST API, the running instances see resolved
 * values, and a resolved secret never reaches a failure trace in the status topic.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '../../../cli/worker/start-worker.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { appendLines, completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
const dir = tempDir('ferry-providers-');
const secretsFile = path.join(dir, 'secrets.properties');
const input = path.join(dir, 'in.txt');
const output = path.join(dir, 'out.txt');
const SECRET_DIR = 'no-such-dir-s3cr3t-value';
let broker: TestBroker;
let worker: RunningWorker;
let rest: ConnectRest;
let logged = '';

beforeAll(async () => {
  fs.writeFileSync(secretsFile, `output.path=${output}\nbad.path=${path.join(dir, SECRET_DIR, 'x.txt')}\n`);
  process.env.FERRY_TEST_INPUT = input;
  broker = await startTestBroker();
  worker = await startWorker({
    'bootstrap.servers': broker.bootstrap,
    'group.id': 'providers-test',
    'config.storage.topic': 'providers-configs',
    'offset.storage.topic': 'providers-offsets',
    'status.storage.topic': 'providers-status',
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'key.converter': STRING_CONVERTER,
    'value.converter': STRING_CONVERTER,
    'config.providers': 'file,env',
    'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
    'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    listeners: 'http://127.0.0.1:0',
  }, { logger: pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _e, done) => { logged += chunk.toString(); done(); } })) });
  rest = new ConnectRest(worker.restUrl);
});

afterAll(async () => {
  await worker?.stop();
  await broker?.close();
  delete process.env.FERRY_TEST_INPUT;
});

describe('config providers in a worker', () => {
  it('runs connectors with resolved values while the REST API shows the placeholders', async () => {
    appendLines(input, ['alpha', 'beta']);
    await rest.createConnector('src', { 'connector.class': 'FileStreamSource', file: '${env:FERRY_TEST_INPUT}', topic: 'words' });
    await rest.createConnector('snk', { 'connector.class': 'FileStreamSink', file: `\${file:${secretsFile}:output.path}`, topics: 'words' });
    await until(() => fs.existsSync(output) && completeLines(output).length === 2, { what: 'lines copied through resolved paths' });
    expect(completeLines(output)).toEqual(['alpha', 'beta']);

    const config = await rest.request<Record<string, string>>('GET', '/connectors/snk/config');
    expect(config.body.file).toBe(`\${file:${secretsFile}:output.path}`);
    const tasks = await rest.request<{ config: Record<string, string> }[]>('GET', '/connectors/src/tasks');
    expect(tasks.body[0]!.config.file).toBe('${env:FERRY_TEST_INPUT}');
  });

  it('keeps a resolved secret out of the failure trace and the log it would otherwise appear in', async () => {
    await rest.createConnector('leaky', { 'connector.class': 'FileStreamSink', file: `\${file:${secretsFile}:bad.path}`, topics: 'words' });
    const status = await rest.untilStates('leaky', { connector: 'RUNNING', tasks: ['FAILED'] });
    const trace = status.tasks[0]!.trace ?? '';
    expect(trace).toContain('[hidden]');
    expect(trace).not.toContain(SECRET_DIR);
    await until(() => logged.includes('[hidden]'), { what: 'the failure logged' });
    expect(logged).not.toContain(SECRET_DIR);
  });
});
