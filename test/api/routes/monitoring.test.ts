/**
 * ferry's monitoring extensions over the facade: the lag and replication bodies as the console
 * reads them (every field, nulls included, survives serialization), Connect's error body for an
 * unknown connector, and 400 for replication of a connector that is not a MirrorMaker one.
 * What the figures are against a real broker is tested in test/api/monitoring/.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiHarness, SINK_CONFIG } from '../api-harness.js';

const api = createApiHarness();

beforeEach(async () => {
  api.control.reset();
  api.control.sinkLag.clear();
  expect((await api.send('POST', '/connectors', { name: 'sink', config: SINK_CONFIG })).status).toBe(201);
  expect((await api.send('POST', '/connectors', { name: 'source', config: { 'connector.class': 'FileSource', topic: 't' } })).status).toBe(201);
});

afterAll(async () => {
  await api.app.close();
});

describe('GET /connectors/{c}/lag', () => {
  it('answers a sink\'s group and partitions, a partition without a commit with a null committed offset', async () => {
    api.control.sinkLag.set('sink', [
      { topic: 't', partition: 0, committed_offset: 40, end_offset: 50, lag: 10 },
      { topic: 't', partition: 1, committed_offset: null, end_offset: 7, lag: 7 },
    ]);
    const res = await api.send('GET', '/connectors/sink/lag');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      name: 'sink', type: 'sink', group: 'connect-sink', total_lag: 17,
      partitions: [
        { topic: 't', partition: 0, committed_offset: 40, end_offset: 50, lag: 10 },
        { topic: 't', partition: 1, committed_offset: null, end_offset: 7, lag: 7 },
      ],
    });
  });

  it('answers a source connector with its type and no partitions', async () => {
    const res = await api.send('GET', '/connectors/source/lag');
    expect(res.json).toEqual({ name: 'source', type: 'source', group: null, total_lag: null, partitions: [] });
  });

  it('answers 404 with Connect\'s error body for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope/lag');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('GET /connectors/{c}/replication', () => {
  it('answers 400 for a connector that is not a MirrorMaker connector', async () => {
    const res = await api.send('GET', '/connectors/sink/replication');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'Connector sink is not a MirrorMaker connector' });
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope/replication');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});
