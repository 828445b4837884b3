/**
 * ExtractNewRecordState named by Debezium's class name in a sink connector of a running worker
 * (the build, `ferry start`): the task must find the transform where validation found it. The
 * topic holds the MySQL connector's change events as JsonConverter writes them.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { ChangeEventBuilder } from '../../../../connectors/mysql/events/change-event-builder.js';
import { resolveEventSettings } from '../../../../connectors/mysql/events/event-settings.js';
import { JsonConverter } from '../../../../runtime/pipeline/converters/json-converter.js';
import { ConnectRest } from '../../../helpers/connect-rest.js';
import { startFerry } from '../../../helpers/ferry-process.js';
import { kcatProduce } from '../../../helpers/kcat.js';
import { completeLines } from '../../../helpers/line-files.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { until } from '../../../helpers/until.js';
import { customers, docsClock, streamingAt } from '../events/event-fixtures.js';

it('a sink connector with transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState writes flattened rows', async () => {
  const cdc = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mysql', topicPrefix: 'shop', runId: 'run-1' }), docsClock);
  const json = new JsonConverter();
  json.configure({}, false);
  const events = [
    ...cdc.create(customers, [1004, 'Anne', 'Kretchmar', 'annek@noanswer.org'], streamingAt()),
    ...cdc.update(customers, [1004, 'Anne', 'Kretchmar', 'annek@noanswer.org'], [1004, 'Anne Marie', 'Kretchmar', 'annek@noanswer.org'], streamingAt()),
    ...cdc.delete(customers, [1004, 'Anne Marie', 'Kretchmar', 'annek@noanswer.org'], streamingAt()).slice(0, 1),
  ].map((r) => json.fromConnectData(r.topic, [], r.valueSchema, r.value)!.toString('utf8'));

  const dir = tempDir('ferry-unwrap-');
  const output = path.join(dir, 'customers.jsonl');
  const ferry = await startFerry({ dataDir: path.join(dir, 'data') });
  await kcatProduce(ferry.bootstrap, 'shop.inventory.customers', events);
  const rest = new ConnectRest(ferry.restUrl);
  await rest.createConnector('customers-flat', {
    'connector.class': 'FileStreamSink', 'topics': 'shop.inventory.customers', 'file': output, 'file.format': 'json',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'transforms': 'unwrap',
    'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
    'transforms.unwrap.add.fields': 'op,table',
  });

  const lines = await until(() => {
    const done = completeLines(output);
    return done.length >= 3 ? done : null;
  }, { timeoutMs: 30_000, what: `three lines in ${output}` });
  expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
    { id: 1004, first_name: 'Anne', last_name: 'Kretchmar', email: 'annek@noanswer.org', __op: 'c', __table: 'customers' },
    { id: 1004, first_name: 'Anne Marie', last_name: 'Kretchmar', email: 'annek@noanswer.org', __op: 'u', __table: 'customers' },
    null,
  ]);
  expect(await rest.status('customers-flat')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });
  expect(await ferry.stop()).toBe(0);
}, 90_000);
