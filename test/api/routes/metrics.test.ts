import { afterAll, describe, expect, it } from 'vitest';
import { buildApiServer } from '../../../api/server.js';
import { MetricsRegistry } from '../../../runtime/metrics/metrics-registry.js';
import { parseExposition, valueOf } from '../../runtime/metrics/exposition-parser.js';
import { FakeControl } from '../fake-control.js';

const registry = new MetricsRegistry();
const polled = registry.counter({ name: 'records_total', help: 'Records.', labelNames: ['connector'] });
const withMetrics = buildApiServer({ control: new FakeControl(), metrics: registry });
const withoutMetrics = buildApiServer({ control: new FakeControl() });

afterAll(async () => {
  await withMetrics.close();
  await withoutMetrics.close();
});

describe('GET /metrics', () => {
  it('answers with the current figures in the Prometheus text format', async () => {
    polled.labels({ connector: 'a "b"' }).inc(3);
    const res = await withMetrics.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(valueOf(parseExposition(res.body), 'records_total', { connector: 'a "b"' })).toBe(3);

    polled.labels({ connector: 'a "b"' }).inc();
    const again = await withMetrics.inject({ method: 'GET', url: '/metrics' });
    expect(valueOf(parseExposition(again.body), 'records_total', { connector: 'a "b"' })).toBe(4);
  });

  it('is not found when the server was built without metrics', async () => {
    const res = await withoutMetrics.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
  });
});
