import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runConnectorsCommand } from '../../../cli/commands/connectors-command.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { captureIo, FakeConnectWorker } from '../fake-connect-worker.js';

const worker = new FakeConnectWorker();
let url = '';
const dir = tempDir('ferry-cli-');

const SINK_CONFIG = { 'connector.class': 'FileStreamSink', 'tasks.max': '2', topics: 'orders', name: 'orders-sink' };
const SINK_INFO = { name: 'orders-sink', config: SINK_CONFIG, tasks: [{ connector: 'orders-sink', task: 0 }, { connector: 'orders-sink', task: 1 }], type: 'sink' };
const TRACE = 'org.apache.kafka.connect.errors.ConnectException: disk full\n\tat Sink.put(Sink.java:42)\n\tat Runner.run';
const SINK_STATUS = {
  name: 'orders-sink',
  connector: { state: 'RUNNING', worker_id: '10.0.0.5:8083' },
  tasks: [
    { id: 0, state: 'RUNNING', worker_id: '10.0.0.5:8083' },
    { id: 1, state: 'FAILED', worker_id: '10.0.0.6:8083', trace: TRACE },
  ],
  type: 'sink',
};
const SOURCE_STATUS = {
  name: 'files-source',
  connector: { state: 'PAUSED', worker_id: '10.0.0.6:8083' },
  tasks: [{ id: 0, state: 'PAUSED', worker_id: '10.0.0.6:8083' }],
  type: 'source',
};
const LIST_BODY = {
  'orders-sink': { status: SINK_STATUS, info: SINK_INFO },
  'files-source': { status: SOURCE_STATUS, info: { name: 'files-source', config: {}, tasks: [], type: 'source' } },
};

async function run(...args: string[]) {
  const captured = captureIo();
  const code = await runConnectorsCommand(['--url', url, ...args], captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

function writeFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function lineWith(output: string, text: string): string {
  return output.split('\n').find((line) => line.includes(text)) ?? '';
}

function notFound(message: string) {
  return { status: 404, body: { error_code: 404, message } };
}

beforeAll(async () => {
  url = await worker.start();
});

afterAll(async () => {
  await worker.close();
});

beforeEach(() => {
  worker.reset();
});

describe('list', () => {
  beforeEach(() => {
    worker.on('GET', '/connectors?expand=status&expand=info', { status: 200, body: LIST_BODY });
  });

  it('shows each connector with its type, state and task counts by state', async () => {
    const { code, stdout } = await run('list');
    expect(code).toBe(0);
    expect(worker.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /connectors?expand=status&expand=info']);
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+STATE\s+TASKS$/);
    expect(lineWith(stdout, 'orders-sink')).toMatch(/^orders-sink\s+sink\s+RUNNING\s+1 RUNNING, 1 FAILED$/);
    expect(lineWith(stdout, 'files-source')).toMatch(/^files-source\s+source\s+PAUSED\s+1 PAUSED$/);
    expect(stdout.indexOf('files-source')).toBeLessThan(stdout.indexOf('orders-sink'));
  });

  it('prints the API body with --json', async () => {
    const { code, stdout } = await run('list', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(LIST_BODY);
  });

  it('says so when there are no connectors', async () => {
    worker.on('GET', '/connectors?expand=status&expand=info', { status: 200, body: {} });
    expect((await run('list')).stdout).toBe('No connectors.\n');
  });
});

describe('get', () => {
  it('shows the connector type, tasks and config', async () => {
    worker.on('GET', '/connectors/orders-sink', { status: 200, body: SINK_INFO });
    const { code, stdout } = await run('get', 'orders-sink');
    expect(code).toBe(0);
    expect(lineWith(stdout, 'Type:')).toMatch(/sink$/);
    expect(lineWith(stdout, 'Tasks:')).toMatch(/0, 1$/);
    expect(lineWith(stdout, 'connector.class')).toMatch(/^connector\.class\s+FileStreamSink$/);
    expect(lineWith(stdout, 'topics')).toMatch(/^topics\s+orders$/);
  });

  it('prints the API body with --json', async () => {
    worker.on('GET', '/connectors/orders-sink', { status: 200, body: SINK_INFO });
    expect(JSON.parse((await run('get', 'orders-sink', '--json')).stdout)).toEqual(SINK_INFO);
  });

  it('encodes the connector name as one path segment', async () => {
    worker.on('GET', '/connectors/a%2Fb%20c', { status: 200, body: { ...SINK_INFO, name: 'a/b c' } });
    expect((await run('get', 'a/b c')).code).toBe(0);
    expect(worker.requests[0]!.url).toBe('/connectors/a%2Fb%20c');
  });

  it('prints the API message and exits 1 for an unknown connector', async () => {
    worker.on('GET', '/connectors/nope', notFound('Connector nope not found'));
    const { code, stdout, stderr } = await run('get', 'nope');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Connector nope not found');
    expect(stderr).toContain('404');
  });
});

describe('create', () => {
  beforeEach(() => {
    worker.on('POST', '/connectors', { status: 201, body: { ...SINK_INFO, tasks: [] } });
  });

  it('posts a {name, config} file as it is', async () => {
    const file = writeFile('wrapped.json', { name: 'orders-sink', config: SINK_CONFIG, initial_state: 'PAUSED' });
    const { code, stdout } = await run('create', '-f', file);
    expect(code).toBe(0);
    expect(stdout).toBe('Created connector orders-sink (sink).\n');
    const [request] = worker.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/connectors');
    expect(request!.contentType).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ name: 'orders-sink', config: SINK_CONFIG, initial_state: 'PAUSED' });
  });

  it('wraps a flat config map, taking the name from inside it', async () => {
    const file = writeFile('flat.json', SINK_CONFIG);
    expect((await run('create', '--file', file)).code).toBe(0);
    expect(JSON.parse(worker.requests[0]!.body)).toEqual({ name: 'orders-sink', config: SINK_CONFIG });
  });

  it('reads the definition from standard input with -f -', async () => {
    const captured = captureIo();
    const stdin = Readable.from([Buffer.from(JSON.stringify(SINK_CONFIG))]);
    const code = await runConnectorsCommand(['create', '-f', '-', '--url', url], { ...captured.io, stdin });
    expect(code).toBe(0);
    expect(JSON.parse(worker.requests[0]!.body)).toEqual({ name: 'orders-sink', config: SINK_CONFIG });
  });

  it('prints the API body with --json', async () => {
    const file = writeFile('flat.json', SINK_CONFIG);
    expect(JSON.parse((await run('create', '-f', file, '--json')).stdout)).toEqual({ ...SINK_INFO, tasks: [] });
  });

  it('prints the API message and exits 1 when the connector already exists', async () => {
    worker.on('POST', '/connectors', { status: 409, body: { error_code: 409, message: 'Connector orders-sink already exists' } });
    const { code, stdout, stderr } = await run('create', '-f', writeFile('flat.json', SINK_CONFIG));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Connector orders-sink already exists');
    expect(stderr).toContain('409');
  });

  it('refuses a file without a connector name, a missing file and invalid JSON with exit code 2', async () => {
    const noName = await run('create', '-f', writeFile('no-name.json', { 'connector.class': 'FileStreamSink' }));
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('does not name the connector');
    const missing = await run('create', '-f', path.join(dir, 'absent.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const broken = await run('create', '-f', writeFile('broken.json', '{"name": '));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('not valid JSON');
    expect(worker.requests).toEqual([]);
  });
});

describe('update', () => {
  it('puts a flat config map to the connector config', async () => {
    worker.on('PUT', '/connectors/orders-sink/config', { status: 200, body: SINK_INFO });
    const { code, stdout } = await run('update', 'orders-sink', '-f', writeFile('flat.json', SINK_CONFIG));
    expect(code).toBe(0);
    expect(stdout).toBe('Updated connector orders-sink (sink).\n');
    expect(worker.requests[0]!.method).toBe('PUT');
    expect(JSON.parse(worker.requests[0]!.body)).toEqual(SINK_CONFIG);
  });

  it('puts only the config of a {name, config} file and says when the connector was created', async () => {
    worker.on('PUT', '/connectors/orders-sink/config', { status: 201, body: SINK_INFO });
    const file = writeFile('wrapped.json', { name: 'orders-sink', config: { topics: 'orders' } });
    const { code, stdout } = await run('update', 'orders-sink', '-f', file);
    expect(code).toBe(0);
    expect(stdout).toBe('Created connector orders-sink (sink).\n');
    expect(JSON.parse(worker.requests[0]!.body)).toEqual({ topics: 'orders' });
  });

  it('refuses a file naming another connector with exit code 2', async () => {
    const { code, stderr } = await run('update', 'other', '-f', writeFile('flat.json', SINK_CONFIG));
    expect(code).toBe(2);
    expect(stderr).toContain("names connector 'orders-sink'");
    expect(worker.requests).toEqual([]);
  });

  it('prints the API body with --json', async () => {
    worker.on('PUT', '/connectors/orders-sink/config', { status: 200, body: SINK_INFO });
    const { stdout } = await run('update', 'orders-sink', '-f', writeFile('flat.json', SINK_CONFIG), '--json');
    expect(JSON.parse(stdout)).toEqual(SINK_INFO);
  });
});

describe('delete, pause, resume and stop', () => {
  const cases = [
    { command: 'delete', method: 'DELETE', url: '/connectors/orders-sink', status: 204, says: 'deleted' },
    { command: 'pause', method: 'PUT', url: '/connectors/orders-sink/pause', status: 202, says: 'pause requested' },
    { command: 'resume', method: 'PUT', url: '/connectors/orders-sink/resume', status: 202, says: 'resume requested' },
    { command: 'stop', method: 'PUT', url: '/connectors/orders-sink/stop', status: 204, says: 'stop requested' },
  ];

  for (const c of cases) {
    it(`${c.command} sends ${c.method} ${c.url} and confirms`, async () => {
      worker.on(c.method, c.url, { status: c.status });
      const { code, stdout } = await run(c.command, 'orders-sink');
      expect(code).toBe(0);
      expect(worker.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`${c.method} ${c.url}`]);
      expect(stdout).toBe(`Connector orders-sink: ${c.says}.\n`);
    });

    it(`${c.command} prints nothing with --json, as the API answers without a body`, async () => {
      worker.on(c.method, c.url, { status: c.status });
      const { code, stdout } = await run(c.command, 'orders-sink', '--json');
      expect(code).toBe(0);
      expect(stdout).toBe('');
    });

    it(`${c.command} prints the API message and exits 1 for an unknown connector`, async () => {
      worker.on(c.method, c.url.replace('orders-sink', 'nope'), notFound('Connector nope not found'));
      const { code, stderr } = await run(c.command, 'nope');
      expect(code).toBe(1);
      expect(stderr).toContain('Connector nope not found');
    });
  }

  it('prints the API message and exits 1 on a rebalance conflict', async () => {
    const message = 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.';
    worker.on('PUT', '/connectors/orders-sink/stop', { status: 409, body: { error_code: 409, message } });
    const { code, stderr } = await run('stop', 'orders-sink');
    expect(code).toBe(1);
    expect(stderr).toContain(message);
  });
});

describe('restart', () => {
  it('restarts the connector alone without query parameters', async () => {
    worker.on('POST', '/connectors/orders-sink/restart', { status: 204 });
    const { code, stdout } = await run('restart', 'orders-sink');
    expect(code).toBe(0);
    expect(worker.requests[0]!.url).toBe('/connectors/orders-sink/restart');
    expect(stdout).toBe('Connector orders-sink: restart requested.\n');
  });

  it('passes --include-tasks and --only-failed and shows the RESTARTING preview', async () => {
    const preview = { ...SINK_STATUS, tasks: [SINK_STATUS.tasks[0], { id: 1, state: 'RESTARTING', worker_id: '10.0.0.6:8083' }] };
    worker.on('POST', '/connectors/orders-sink/restart?includeTasks=true&onlyFailed=true', { status: 202, body: preview });
    const { code, stdout } = await run('restart', 'orders-sink', '--include-tasks', '--only-failed');
    expect(code).toBe(0);
    expect(stdout).toContain('restart requested');
    expect(lineWith(stdout, '10.0.0.6')).toMatch(/^1\s+RESTARTING\s+10\.0\.0\.6:8083$/);
  });

  it('prints the 202 body with --json', async () => {
    worker.on('POST', '/connectors/orders-sink/restart?includeTasks=true', { status: 202, body: SINK_STATUS });
    const { stdout } = await run('restart', 'orders-sink', '--include-tasks', '--json');
    expect(JSON.parse(stdout)).toEqual(SINK_STATUS);
  });
});

describe('status', () => {
  beforeEach(() => {
    worker.on('GET', '/connectors/orders-sink/status', { status: 200, body: SINK_STATUS });
  });

  it('shows the connector state and worker, then one row per task with the first trace line of a failed one', async () => {
    const { code, stdout } = await run('status', 'orders-sink');
    expect(code).toBe(0);
    expect(lineWith(stdout, 'State:')).toMatch(/RUNNING$/);
    expect(lineWith(stdout, 'Worker:')).toMatch(/10\.0\.0\.5:8083$/);
    expect(stdout).toMatch(/^TASK\s+STATE\s+WORKER\s+TRACE$/m);
    expect(stdout).toMatch(/^0\s+RUNNING\s+10\.0\.0\.5:8083$/m);
    expect(stdout).toMatch(/^1\s+FAILED\s+10\.0\.0\.6:8083\s+org\.apache\.kafka\.connect\.errors\.ConnectException: disk full$/m);
    expect(stdout).not.toContain('Sink.java');
  });

  it('prints the API body with --json', async () => {
    expect(JSON.parse((await run('status', 'orders-sink', '--json')).stdout)).toEqual(SINK_STATUS);
  });

  it('prints the API message and exits 1 for an unknown connector', async () => {
    worker.on('GET', '/connectors/nope/status', notFound('No status found for connector nope'));
    const { code, stderr } = await run('status', 'nope');
    expect(code).toBe(1);
    expect(stderr).toContain('No status found for connector nope');
  });
});

describe('offsets', () => {
  it('shows a sink connector offsets by topic and partition', async () => {
    worker.on('GET', '/connectors/orders-sink/offsets', {
      status: 200,
      body: { offsets: [
        { partition: { kafka_topic: 'orders', kafka_partition: 1 }, offset: { kafka_offset: 12 } },
        { partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: 5 } },
      ] },
    });
    const { code, stdout } = await run('offsets', 'orders-sink');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^TOPIC\s+PARTITION\s+OFFSET\norders\s+0\s+5\norders\s+1\s+12\n$/);
  });

  it('shows a source connector partitions and offsets as JSON', async () => {
    worker.on('GET', '/connectors/files-source/offsets', {
      status: 200,
      body: { offsets: [{ partition: { filename: 'in.txt' }, offset: { position: 30 } }] },
    });
    const { stdout } = await run('offsets', 'files-source');
    expect(lineWith(stdout, 'in.txt')).toMatch(/^\{"filename":"in\.txt"\}\s+\{"position":30\}$/);
  });

  it('prints the API body verbatim with --json, keeping 64-bit offsets exact', async () => {
    const raw = '{"offsets":[{"partition":{"kafka_topic":"t","kafka_partition":0},"offset":{"kafka_offset":9007199254740993}}]}';
    worker.on('GET', '/connectors/orders-sink/offsets', { status: 200, raw });
    expect((await run('offsets', 'orders-sink', '--json')).stdout).toBe(`${raw}\n`);
  });

  it('says so when no offsets are recorded', async () => {
    worker.on('GET', '/connectors/orders-sink/offsets', { status: 200, body: { offsets: [] } });
    expect((await run('offsets', 'orders-sink')).stdout).toBe('No offsets recorded for connector orders-sink.\n');
  });
});

describe('worker URL', () => {
  it('comes from FERRY_URL when --url is not given', async () => {
    worker.on('GET', '/connectors?expand=status&expand=info', { status: 200, body: {} });
    const captured = captureIo({ FERRY_URL: `${url}/` });
    expect(await runConnectorsCommand(['list'], captured.io)).toBe(0);
    expect(worker.requests).toHaveLength(1);
  });

  it('reports an unreachable worker by its URL and exits 1', async () => {
    const gone = new FakeConnectWorker();
    const goneUrl = await gone.start();
    await gone.close();
    const captured = captureIo();
    const code = await runConnectorsCommand(['list', '--url', goneUrl], captured.io);
    expect(code).toBe(1);
    expect(captured.stderr()).toContain(`cannot reach worker at ${goneUrl}`);
    expect(captured.stdout()).toBe('');
  });

  it('reports an error page that is not Connect JSON by its HTTP status', async () => {
    worker.on('GET', '/connectors/orders-sink', { status: 502, raw: '<html>Bad Gateway</html>', contentType: 'text/html' });
    const { code, stderr } = await run('get', 'orders-sink');
    expect(code).toBe(1);
    expect(stderr).toContain('HTTP 502');
  });
});

describe('usage errors', () => {
  const misuses: [string, string[], string][] = [
    ['no command', [], 'missing command'],
    ['an unknown command', ['frobnicate'], "unknown command 'frobnicate'"],
    ['a missing connector name', ['status'], 'missing NAME'],
    ['an extra argument', ['status', 'a', 'b'], "unexpected argument 'b'"],
    ['create without -f', ['create'], '-f/--file FILE is required'],
    ['a restart flag on another command', ['status', 'a', '--only-failed'], 'does not take --only-failed'],
    ['an unknown option', ['list', '--bogus'], '--bogus'],
    ['a URL that is not http', ['list', '--url', 'ftp://host'], 'http://'],
  ];

  for (const [what, args, says] of misuses) {
    it(`exits 2 for ${what}, without calling the worker`, async () => {
      const captured = captureIo({ FERRY_URL: url });
      expect(await runConnectorsCommand(args, captured.io)).toBe(2);
      expect(captured.stderr()).toContain(says);
      expect(worker.requests).toEqual([]);
    });
  }

  it('prints the usage with --help and exits 0', async () => {
    const captured = captureIo();
    expect(await runConnectorsCommand(['--help'], captured.io)).toBe(0);
    expect(captured.stdout()).toContain('Usage: ferry connectors');
  });
});
