/**
 * The Avro converter through the whole product: `ferry start` (broker, worker and its Schema
 * Registry), a file source writing Avro with `io.confluent.connect.avro.AvroConverter`, a file
 * sink reading it back into a byte-identical file; then bad bytes and an incompatible schema,
 * which fail the tasks with statuses that say why and where.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKafkaClient } from '../../../runtime/kafka/create-kafka-client.js';
import type { ConsumedRecord } from '../../../runtime/kafka/kafka-client.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { spawnFerryCommand, type FerryChild } from '../../helpers/ferry-process.js';
import { kcatProduce } from '../../helpers/kcat.js';
import { readBytes } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const AVRO = 'io.confluent.connect.avro.AvroConverter';
const dir = tempDir('ferry-e2e-avro-');
let ferry: FerryChild;
let rest: ConnectRest;
let bootstrap: string;
let registryUrl: string;

interface ReadyLine {
  msg?: string;
  rest?: string;
  broker?: string;
  schemaRegistry?: string;
}

beforeAll(async () => {
  ferry = await spawnFerryCommand(
    ['start', '--data-dir', path.join(dir, 'data'), '--broker-port', '0', '--rest-port', '0', '--registry-port', '0'],
    { what: 'ferry', ready: (line) => (line as ReadyLine).msg === 'ferry is ready' && Boolean((line as ReadyLine).schemaRegistry) },
  );
  const ready = ferry.readyLine as ReadyLine;
  rest = new ConnectRest(ready.rest!);
  bootstrap = ready.broker!;
  registryUrl = ready.schemaRegistry!;
});

afterAll(async () => {
  await ferry?.stop();
});

/** Key and value converters: Avro against the bundled registry. */
function avroConverters(): Record<string, string> {
  return {
    'key.converter': AVRO, 'key.converter.schema.registry.url': registryUrl,
    'value.converter': AVRO, 'value.converter.schema.registry.url': registryUrl,
  };
}

async function registry(pathAndQuery: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${registryUrl}${pathAndQuery}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify(body),
  });
  return response.json();
}

async function firstRecord(topic: string): Promise<ConsumedRecord> {
  const kafka = createKafkaClient({ bootstrapServers: bootstrap, clientId: 'avro-e2e', logger: pino({ level: 'silent' }) });
  try {
    const reader = kafka.topicReader({ topic, clientId: 'avro-e2e-reader' });
    const records: ConsumedRecord[] = [];
    reader.onRecord((r) => records.push(r));
    await reader.start();
    await reader.readToEnd();
    await reader.stop();
    return records[0]!;
  } finally {
    await kafka.close();
  }
}

it('copies a file through a topic of Avro records, registering the schema Confluent registers, into a byte-identical file', async () => {
  const input = path.join(dir, 'input.txt');
  const output = path.join(dir, 'output.txt');
  const lines = Array.from({ length: 2000 }, (_, i) => (i % 97 === 0 ? '' : `line ${i} ✓ é 😀 "quoted" \\ ${'x'.repeat(i % 50)}`));
  const content = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  fs.writeFileSync(input, content);

  await rest.createConnector('avro-in', { 'connector.class': 'FileStreamSource', file: input, topic: 'avro-lines', ...avroConverters() });
  await rest.createConnector('avro-out', { 'connector.class': 'FileStreamSink', file: output, topics: 'avro-lines', ...avroConverters() });
  await until(() => readBytes(output).length >= content.length, { timeoutMs: 60_000, intervalMs: 200, what: `${content.length} bytes in ${output}` });
  expect(readBytes(output).equals(content)).toBe(true);

  // The file source's values are Schema.STRING_SCHEMA: Confluent registers "string" under <topic>-value; null keys are not registered.
  expect(await registry('/subjects')).toEqual(['avro-lines-value']);
  const registered = await registry('/subjects/avro-lines-value/versions/1') as { id: number; schema: string };
  expect(registered.schema).toBe('"string"');
  const first = await firstRecord('avro-lines');
  expect(first.key).toBeNull();
  const id = Buffer.alloc(4);
  id.writeInt32BE(registered.id);
  const avroString = Buffer.concat([Buffer.from([Buffer.byteLength(lines[0]!) * 2]), Buffer.from(lines[0]!)]);
  expect(first.value!.toString('hex')).toBe(`00${id.toString('hex')}${avroString.toString('hex')}`);
  expect(await rest.status('avro-out')).toMatchObject({ tasks: [{ id: 0, state: 'RUNNING' }] });
}, 90_000);

it('fails a sink task on bytes that are not registry-framed Avro, naming the topic, partition and offset', async () => {
  await kcatProduce(bootstrap, 'plain-text', ['not avro at all']);
  await rest.createConnector('avro-strict', { 'connector.class': 'FileStreamSink', file: path.join(dir, 'strict.txt'), topics: 'plain-text', ...avroConverters() });
  const failed = await rest.untilStates('avro-strict', { connector: 'RUNNING', tasks: ['FAILED'] });
  const trace = failed.tasks[0]!.trace!;
  expect(trace).toContain(`where consumed record is {topic='plain-text', partition=0, offset=0}`);
  expect(trace).toContain('Caused by: DataError: Failed to deserialize data for topic plain-text to Avro: Unknown magic byte! The first byte is 0x6e, expected 0x00');
}, 60_000);

it("fails a source task whose schema the registry refuses as incompatible, with the registry's 409 message", async () => {
  await registry('/subjects/evolving-value/versions', { schema: JSON.stringify({ type: 'record', name: 'Line', fields: [{ name: 'text', type: 'string' }] }) });
  const input = path.join(dir, 'evolving.txt');
  fs.writeFileSync(input, 'a line\n');
  await rest.createConnector('avro-refused', { 'connector.class': 'FileStreamSource', file: input, topic: 'evolving', ...avroConverters() });
  const failed = await rest.untilStates('avro-refused', { connector: 'RUNNING', tasks: ['FAILED'] });
  const trace = failed.tasks[0]!.trace!;
  expect(trace).toContain('Tolerance exceeded in error handler');
  expect(trace).toMatch(/Caused by: DataError: Failed to serialize Avro data from topic evolving: Schema being registered is incompatible with an earlier schema for subject "evolving-value", details: \[.*\]; error code: 409/);
}, 60_000);
