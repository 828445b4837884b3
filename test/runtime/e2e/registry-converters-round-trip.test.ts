/**
 * The JSON Schema and Protobuf converters through the whole product: `ferry start` (broker, worker
 * and its Schema Registry), a file source writing with the converter, a file sink reading the topic
 * back into a byte-identical file, and the schema Confluent's converter registers for the file
 * source's STRING values; then bytes that are not registry-framed, which fail the sink task naming
 * the topic, partition and offset.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { kcatProduce } from '../../helpers/kcat.js';
import { readBytes } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';

const dir = tempDir('ferry-e2e-registry-converters-');
let ferry: FerryProcess;
let rest: ConnectRest;

beforeAll(async () => {
  ferry = await startFerry({ dataDir: path.join(dir, 'data') });
  rest = new ConnectRest(ferry.restUrl);
});

afterAll(async () => {
  await ferry?.stop();
});

const CONVERTERS = [
  { name: 'json', className: 'io.confluent.connect.json.JsonSchemaConverter', format: 'JSON Schema', registered: (text: string) => expect(text).toBe('{"type":"string"}') },
  { name: 'protobuf', className: 'io.confluent.connect.protobuf.ProtobufConverter', format: 'Protobuf', registered: (text: string) => expect(text).toContain('message StringValue {\n  string value = 1;\n}\n') },
] as const;

function converters(className: string): Record<string, string> {
  return {
    'key.converter': className, 'key.converter.schema.registry.url': ferry.registryUrl,
    'value.converter': className, 'value.converter.schema.registry.url': ferry.registryUrl,
  };
}

describe.each(CONVERTERS)('$className', ({ name, className, format, registered }) => {
  it('copies a file through a topic into a byte-identical file, registering the schema Confluent registers for STRING values', async () => {
    const input = path.join(dir, `${name}-input.txt`);
    const output = path.join(dir, `${name}-output.txt`);
    const lines = Array.from({ length: 2000 }, (_, i) => (i % 97 === 0 ? '' : `line ${i} ✓ é 😀 "quoted" \\ ${'x'.repeat(i % 50)}`));
    const content = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    fs.writeFileSync(input, content);
    const topic = `${name}-lines`;
    await rest.createConnector(`${name}-in`, { 'connector.class': 'FileStreamSource', file: input, topic, ...converters(className) });
    await rest.createConnector(`${name}-out`, { 'connector.class': 'FileStreamSink', file: output, topics: topic, ...converters(className) });
    await until(() => readBytes(output).length >= content.length, { timeoutMs: 60_000, intervalMs: 200, what: `${content.length} bytes in ${output}` });
    expect(readBytes(output).equals(content)).toBe(true);
    const version = await (await fetch(`${ferry.registryUrl}/subjects/${topic}-value/versions/1`)).json() as { schema: string };
    registered(version.schema);
    expect(await rest.status(`${name}-out`)).toMatchObject({ tasks: [{ id: 0, state: 'RUNNING' }] });
  }, 90_000);

  it('fails a sink task on bytes that are not registry-framed, naming the topic, partition and offset', async () => {
    const topic = `${name}-plain`;
    await kcatProduce(ferry.bootstrap, topic, ['not framed']);
    await rest.createConnector(`${name}-strict`, { 'connector.class': 'FileStreamSink', file: path.join(dir, `${name}-strict.txt`), topics: topic, ...converters(className) });
    const failed = await rest.untilStates(`${name}-strict`, { connector: 'RUNNING', tasks: ['FAILED'] });
    const trace = failed.tasks[0]!.trace!;
    expect(trace).toContain(`where consumed record is {topic='${topic}', partition=0, offset=0}`);
    expect(trace).toContain(`Caused by: DataError: Failed to deserialize data for topic ${topic} to ${format}: Unknown magic byte! The first byte is 0x6e, expected 0x00`);
  }, 60_000);
});
