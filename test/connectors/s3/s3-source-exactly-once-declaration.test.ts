/**
 * What the S3 source declares for exactly-once delivery (KIP-618), as a user of an exactly-once
 * worker sees it from PUT /connector-plugins/{class}/config/validate: SUPPORTED, since its
 * offsets name one record of one object; it cannot define its own transaction boundaries.
 */
import { expect, it } from 'vitest';
import { BOUNDARIES_UNSUPPORTED } from '../../../runtime/control/exactly-once-preflight.js';
import { inMemoryWorker } from '../../runtime/control/in-memory-worker.js';

it('accepts exactly.once.support=required on an exactly-once worker and refuses transaction.boundary=connector', async () => {
  const worker = await inMemoryWorker({ exactlyOnceSourceSupport: 'enabled' });
  const errors = async (extra: Record<string, string>) => {
    const answer = await worker.send('PUT', '/connector-plugins/io.confluent.connect.s3.source.S3SourceConnector/config/validate', {
      name: 'orders-restore', 'connector.class': 'io.confluent.connect.s3.source.S3SourceConnector', 's3.bucket.name': 'kafka-backups', ...extra,
    });
    expect(answer.status).toBe(200);
    const configs = (answer.body as unknown as { configs: { value: { name: string; errors: string[] } }[] }).configs;
    return configs.filter((c) => c.value.errors.length > 0).map((c) => `${c.value.name}: ${c.value.errors.join('; ')}`);
  };
  expect(await errors({ 'exactly.once.support': 'required' })).toEqual([]);
  expect(await errors({ 'exactly.once.support': 'required', 'transaction.boundary': 'interval' })).toEqual([]);
  expect(await errors({ 'transaction.boundary': 'connector' })).toEqual([`transaction.boundary: ${BOUNDARIES_UNSUPPORTED}`]);
});
