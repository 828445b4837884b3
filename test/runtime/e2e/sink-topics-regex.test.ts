/**
 * A sink with topics.regex created before any topic it should read exists (as when a CDC
 * source and its sink are created together): topics that appear later are consumed once the
 * consumer's metadata.max.age.ms passes, each record once, and a topic that does not match is
 * never read. Records are produced with kcat; the topics are auto-created by producing.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry } from '../../helpers/ferry-process.js';
import { kcatProduce } from '../../helpers/kcat.js';
import { completeLines } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const STRING = 'org.apache.kafka.connect.storage.StringConverter';

it('consumes topics created after the sink started that match its topics.regex, every record once, and no other topic', async () => {
  const dir = tempDir('ferry-e2e-regex-');
  const output = path.join(dir, 'inventory.txt');
  const ferry = await startFerry({ dataDir: path.join(dir, 'data') });
  const rest = new ConnectRest(ferry.restUrl);
  await rest.createConnector('inventory-out', {
    'connector.class': 'FileStreamSink',
    file: output,
    'topics.regex': 'shop\\.inventory\\..*',
    'key.converter': STRING,
    'value.converter': STRING,
    'consumer.override.metadata.max.age.ms': '1000',
  });
  await rest.untilStates('inventory-out', { connector: 'RUNNING', tasks: ['RUNNING'] });

  await kcatProduce(ferry.bootstrap, 'shop.inventory.orders', ['order 1', 'order 2', 'order 3']);
  await kcatProduce(ferry.bootstrap, 'shop.billing.invoices', ['invoice 1']);
  await until(() => completeLines(output).length >= 3, { timeoutMs: 30_000, what: 'the first topic\'s records in the sink file' });

  // The orders were consumed and are committed when the group rebalances onto the new topic,
  // so the re-subscribe must not deliver them again.
  await kcatProduce(ferry.bootstrap, 'shop.inventory.customers', ['customer 1', 'customer 2']);
  await until(() => completeLines(output).includes('customer 2'), { timeoutMs: 30_000, what: 'the second topic\'s records in the sink file' });
  // Read after a duplicate of the earlier orders would be (one partition, in offset order).
  await kcatProduce(ferry.bootstrap, 'shop.inventory.orders', ['order 4']);
  await until(() => completeLines(output).includes('order 4'), { timeoutMs: 30_000, what: 'the last order in the sink file' });

  expect(completeLines(output).sort()).toEqual(['customer 1', 'customer 2', 'order 1', 'order 2', 'order 3', 'order 4']);
  expect(await rest.status('inventory-out')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });
  expect(await ferry.stop()).toBe(0);
}, 120_000);
