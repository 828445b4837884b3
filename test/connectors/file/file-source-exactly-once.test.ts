/**
 * What the file source declares for exactly-once delivery (KIP-618), as a user of an
 * exactly-once worker sees it from PUT /connector-plugins/{class}/config/validate: Kafka's
 * FileStreamSourceConnector answers SUPPORTED for a file and UNSUPPORTED for standard input,
 * and cannot define its own transaction boundaries.
 */
import { expect, it } from 'vitest';
import { BOUNDARIES_UNSUPPORTED, EXACTLY_ONCE_UNSUPPORTED } from '../../../runtime/control/exactly-once-preflight.js';
import { inMemoryWorker } from '../../runtime/control/in-memory-worker.js';

type Validation = { configs: { value: { name: string; errors: string[] } }[] };

/** The errors validation reports on the two exactly-once keys. */
async function exactlyOnceErrors(config: Record<string, string>): Promise<Record<string, string[]>> {
  const worker = await inMemoryWorker({ exactlyOnceSourceSupport: 'enabled' });
  const answer = await worker.send('PUT', '/connector-plugins/FileStreamSource/config/validate', { name: 'lines-in', topic: 'lines', ...config });
  expect(answer.status).toBe(200);
  const keys = ['exactly.once.support', 'transaction.boundary'];
  return Object.fromEntries((answer.body as unknown as Validation).configs.filter((c) => keys.includes(c.value.name)).map((c) => [c.value.name, c.value.errors]));
}

it('accepts exactly.once.support=required for a file and refuses it for standard input', async () => {
  const base = { 'connector.class': 'FileStreamSource', 'exactly.once.support': 'required' };
  expect(await exactlyOnceErrors({ ...base, file: '/var/log/app.log' })).toEqual({ 'exactly.once.support': [], 'transaction.boundary': [] });
  expect(await exactlyOnceErrors(base)).toEqual({ 'exactly.once.support': [EXACTLY_ONCE_UNSUPPORTED], 'transaction.boundary': [] });
  expect(await exactlyOnceErrors({ ...base, file: '' })).toEqual({ 'exactly.once.support': [EXACTLY_ONCE_UNSUPPORTED], 'transaction.boundary': [] });
});

it('refuses transaction.boundary=connector: the file source never ends a transaction itself', async () => {
  expect(await exactlyOnceErrors({ 'connector.class': 'FileStreamSource', file: '/var/log/app.log', 'transaction.boundary': 'connector' }))
    .toEqual({ 'exactly.once.support': [], 'transaction.boundary': [BOUNDARIES_UNSUPPORTED] });
});
