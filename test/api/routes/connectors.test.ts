import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiHarness, SINK_CONFIG } from '../api-harness.js';
import { WORKER_ID } from '../fake-control.js';

const api = createApiHarness();

beforeEach(() => {
  api.control.reset();
});

afterAll(async () => {
  await api.app.close();
});

async function createSink(name = 'my-sink', extra: Record<string, unknown> = {}) {
  const res = await api.send('POST', '/connectors', { name, config: SINK_CONFIG, ...extra });
  expect(res.status).toBe(201);
  return res;
}

describe('GET /', () => {
  it('answers with the server info', async () => {
    const res = await api.send('GET', '/');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ version: '3.9.0', commit: 'abcdef0123456789', kafka_cluster_id: 'fake-cluster' });
  });
});

describe('POST /connectors', () => {
  it('creates a connector, answering 201 with its info and an absolute Location', async () => {
    const res = await api.send('POST', '/connectors', { name: 'my-sink', config: SINK_CONFIG });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('http://localhost:80/connectors/my-sink');
    expect(res.json).toEqual({
      name: 'my-sink',
      config: { ...SINK_CONFIG, name: 'my-sink' },
      tasks: [],
      type: 'sink',
    });
  });

  it('trims the name and fills in config.name when it is absent', async () => {
    const res = await api.send('POST', '/connectors', { name: '  padded  ', config: SINK_CONFIG });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('http://localhost:80/connectors/padded');
    expect(api.control.connectors.get('padded')?.config.name).toBe('padded');
  });

  it('percent-encodes the connector name in Location', async () => {
    const res = await api.send('POST', '/connectors', { name: 'a b/c', config: SINK_CONFIG });
    expect(res.headers.location).toBe('http://localhost:80/connectors/a%20b%2Fc');
  });

  it('rejects a config.name that differs from the name with Kafka\'s message', async () => {
    const res = await api.send('POST', '/connectors', { name: 'x', config: { ...SINK_CONFIG, name: 'y' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'Connector name configuration (y) doesn\'t match connector name in the URL (x)' });
  });

  it('accepts JSON numbers and booleans as config values and stores their string form', async () => {
    const res = await api.send('POST', '/connectors', {
      name: 'typed',
      config: { 'connector.class': 'FileSink', 'tasks.max': 3, 'errors.log.enable': true, topics: 't' },
    });
    expect(res.status).toBe(201);
    expect(api.control.connectors.get('typed')?.config).toMatchObject({ 'tasks.max': '3', 'errors.log.enable': 'true' });
  });

  it('rejects an object as a config value, naming the field', async () => {
    const res = await api.send('POST', '/connectors', { name: 'bad', config: { ...SINK_CONFIG, 'tasks.max': { n: 1 } } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'body/config/tasks.max must be string,null' });
  });

  it('rejects a null config value as an invalid config', async () => {
    const res = await api.send('POST', '/connectors', { name: 'nulls', config: { ...SINK_CONFIG, topics: null } });
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toMatch(
      /^Connector configuration is invalid and contains the following 1 error\(s\):\nNull value can not be supplied as the configuration value\./,
    );
    expect(api.control.connectors.has('nulls')).toBe(false);
  });

  it('rejects a body without config, naming the field', async () => {
    const res = await api.send('POST', '/connectors', { name: 'x' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'body must have required property \'config\'' });
  });

  it('answers 400 with the config errors when validation fails', async () => {
    const res = await api.send('POST', '/connectors', { name: 'x', config: { ...SINK_CONFIG, 'tasks.max': 'many' } });
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toContain('Invalid value many for configuration tasks.max');
  });

  it('passes a missing name on as an empty name, which fails validation', async () => {
    const res = await api.send('POST', '/connectors', { config: SINK_CONFIG });
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toContain('Missing required configuration "name"');
  });

  it('answers 409 when the connector already exists', async () => {
    await createSink();
    const res = await api.send('POST', '/connectors', { name: 'my-sink', config: SINK_CONFIG });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ error_code: 409, message: 'Connector my-sink already exists' });
  });

  it('answers 500 for an unknown connector class', async () => {
    const res = await api.send('POST', '/connectors', { name: 'x', config: { 'connector.class': 'Nope' } });
    expect(res.status).toBe(500);
    expect((res.json as { message: string }).message).toContain('Failed to find any class that implements Connector');
  });

  it('accepts initial_state in any case', async () => {
    await createSink('paused', { initial_state: 'paused' });
    await createSink('stopped', { initial_state: 'Stopped' });
    await createSink('running', { initial_state: 'RUNNING' });
    expect(api.control.connectors.get('paused')?.target).toBe('PAUSED');
    expect(api.control.connectors.get('stopped')?.target).toBe('STOPPED');
    expect(api.control.connectors.get('running')?.target).toBe('STARTED');
  });

  it('rejects an unknown initial_state', async () => {
    const res = await api.send('POST', '/connectors', { name: 'x', config: SINK_CONFIG, initial_state: 'SLEEPING' });
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toBe('body/initial_state must be one of RUNNING, PAUSED, STOPPED (in any case)');
  });
});

describe('GET /connectors', () => {
  it('lists connector names', async () => {
    await createSink('a');
    await createSink('b');
    const res = await api.send('GET', '/connectors');
    expect(res.status).toBe(200);
    expect(res.json).toEqual(['a', 'b']);
  });

  it('expands each connector with its status', async () => {
    await createSink('a');
    const res = await api.send('GET', '/connectors?expand=status');
    expect(res.json).toEqual({
      a: {
        status: {
          name: 'a',
          connector: { state: 'RUNNING', worker_id: WORKER_ID },
          tasks: [{ id: 0, state: 'RUNNING', worker_id: WORKER_ID }, { id: 1, state: 'RUNNING', worker_id: WORKER_ID }],
          type: 'sink',
        },
      },
    });
  });

  it('expands each connector with its info', async () => {
    await createSink('a');
    const res = await api.send('GET', '/connectors?expand=info');
    expect(res.json).toEqual({
      a: {
        info: {
          name: 'a',
          config: { ...SINK_CONFIG, name: 'a' },
          tasks: [{ connector: 'a', task: 0 }, { connector: 'a', task: 1 }],
          type: 'sink',
        },
      },
    });
  });

  it('expands with both status and info when expand is repeated', async () => {
    await createSink('a');
    const res = await api.send('GET', '/connectors?expand=status&expand=info');
    const entry = (res.json as Record<string, Record<string, unknown>>).a;
    expect(Object.keys(entry).sort()).toEqual(['info', 'status']);
  });

  it('ignores unknown expansions but still answers with an object', async () => {
    await createSink('a');
    const res = await api.send('GET', '/connectors?expand=everything');
    expect(res.json).toEqual({ a: {} });
  });

  it('keeps the trace of a failed task in expanded status', async () => {
    await createSink('a');
    api.control.failTask('a', 1, 'java.lang.RuntimeException: boom\n\tat x');
    const res = await api.send('GET', '/connectors?expand=status');
    const status = (res.json as { a: { status: { tasks: unknown[] } } }).a.status;
    expect(status.tasks[1]).toEqual({ id: 1, state: 'FAILED', worker_id: WORKER_ID, trace: 'java.lang.RuntimeException: boom\n\tat x' });
  });

  it('leaves out a connector deleted while the expansion is built', async () => {
    await createSink('a');
    await createSink('b');
    api.control.beforeNextStatus = () => api.control.connectors.delete('a');
    const res = await api.send('GET', '/connectors?expand=status');
    expect(Object.keys(res.json as object)).toEqual(['b']);
  });

  it('answers with a trailing slash too', async () => {
    const res = await api.send('GET', '/connectors/');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
  });
});

describe('GET /connectors/{c}', () => {
  it('answers with the connector info', async () => {
    await createSink();
    const res = await api.send('GET', '/connectors/my-sink');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      name: 'my-sink',
      config: { ...SINK_CONFIG, name: 'my-sink' },
      tasks: [{ connector: 'my-sink', task: 0 }, { connector: 'my-sink', task: 1 }],
      type: 'sink',
    });
  });

  it('answers 404 with Kafka\'s message for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });

  it('decodes percent-encoded names', async () => {
    await createSink('a b/c');
    const res = await api.send('GET', '/connectors/a%20b%2Fc');
    expect(res.status).toBe(200);
    expect((res.json as { name: string }).name).toBe('a b/c');
  });
});

describe('GET /connectors/{c}/config', () => {
  it('answers with the flat config map, every key kept', async () => {
    await createSink('a', { config: { ...SINK_CONFIG, 'x.custom.key': 'v' } });
    const res = await api.send('GET', '/connectors/a/config');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ...SINK_CONFIG, 'x.custom.key': 'v', name: 'a' });
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope/config');
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('PUT /connectors/{c}/config', () => {
  it('creates the connector with 201 and Location', async () => {
    const res = await api.send('PUT', '/connectors/new-one/config', SINK_CONFIG);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('http://localhost:80/connectors/new-one');
    expect(res.json).toMatchObject({ name: 'new-one', config: { ...SINK_CONFIG, name: 'new-one' }, type: 'sink' });
  });

  it('updates an existing connector with 200 and no Location', async () => {
    await createSink();
    const res = await api.send('PUT', '/connectors/my-sink/config', { ...SINK_CONFIG, 'tasks.max': 1, name: 'my-sink' });
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect((res.json as { config: Record<string, string> }).config['tasks.max']).toBe('1');
  });

  it('rejects a config.name that differs from the path', async () => {
    const res = await api.send('PUT', '/connectors/a/config', { ...SINK_CONFIG, name: 'b' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'Connector name configuration (b) doesn\'t match connector name in the URL (a)' });
  });

  it('rejects an array as a config value, naming the field', async () => {
    const res = await api.send('PUT', '/connectors/a/config', { ...SINK_CONFIG, topics: ['t1', 't2'] });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'body/topics must be string,null' });
  });

  it('rejects a body that is not an object', async () => {
    const res = await api.send('PUT', '/connectors/a/config', ['x']);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'body must be object' });
  });
});

describe('PATCH /connectors/{c}/config', () => {
  it('merges keys and removes keys given as null', async () => {
    await createSink('a', { config: { ...SINK_CONFIG, extra: 'x' } });
    const res = await api.send('PATCH', '/connectors/a/config', { 'tasks.max': 4, extra: null });
    expect(res.status).toBe(200);
    expect((res.json as { config: Record<string, string> }).config).toEqual({ ...SINK_CONFIG, 'tasks.max': '4', name: 'a' });
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('PATCH', '/connectors/nope/config', { 'tasks.max': '1' });
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });

  it('answers 400 when the merged config is invalid', async () => {
    await createSink('a');
    const res = await api.send('PATCH', '/connectors/a/config', { 'tasks.max': 'x' });
    expect(res.status).toBe(400);
  });
});

describe('DELETE /connectors/{c}', () => {
  it('deletes the connector with 204 and no body', async () => {
    await createSink();
    const res = await api.send('DELETE', '/connectors/my-sink');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(api.control.connectors.has('my-sink')).toBe(false);
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('DELETE', '/connectors/nope');
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});
