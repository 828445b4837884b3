/**
 * AvroFormat and ParquetFormat through a worker (`ferry start`, bundled broker) into s3rver and
 * back: records with schemas (JsonConverter, schemas.enable=true) are written to `.avro` and
 * `.snappy.parquet` objects that readers nobody here wrote (avsc's container decoder,
 * @dsnp/parquetjs) read with every record equal, keys in `.keys.avro` files beside them; a
 * schema change starts a new file; a record
 * without a schema goes to the dead-letter topic; the S3 source restores the objects into a
 * topic with values and schemas equal to the originals.
 */
import { inflateRawSync } from 'node:zlib';
import path from 'node:path';
import { ParquetReader } from '@dsnp/parquetjs';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry, type FerryProcess } from '../../helpers/ferry-process.js';
import { kcatReadJson, type KcatMessage } from '../../helpers/kcat.js';
import { createBucket, readObject, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { createTopic, produce, storedObjects } from './s3-test-kit.js';

const WITH_SCHEMAS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'true',
} as const;

let s3: S3rverProcess;
let ferry: FerryProcess;
let rest: ConnectRest;

beforeAll(async () => {
  s3 = await startS3rver();
  ferry = await startFerry({ dataDir: path.join(tempDir('ferry-s3-containers-'), 'data'), settings: { 'offset.flush.interval.ms': '500' } });
  rest = new ConnectRest(ferry.restUrl);
});

afterAll(async () => {
  await ferry?.stop();
  await s3?.stop();
});

const T0 = Date.UTC(2024, 5, 10, 13);
const field = (name: string, type: string, optional = false, extra: object = {}) => ({ field: name, type, optional, ...extra });
const V1_FIELDS = [
  field('id', 'int64'), field('name', 'string'), field('qty', 'int32'), field('ok', 'boolean'), field('ratio', 'double'),
  field('note', 'string', true), field('tags', 'array', false, { items: { type: 'string', optional: false } }),
  field('address', 'struct', false, { name: 'com.example.Address', fields: [field('city', 'string'), field('zip', 'int32', true)] }),
  field('at', 'int64', false, { name: 'org.apache.kafka.connect.data.Timestamp', version: 1 }),
];
const V1 = { type: 'struct', name: 'com.example.Order', optional: false, fields: V1_FIELDS };
const V2 = { ...V1, fields: [...V1_FIELDS, field('channel', 'string', true)] };

/** Record i's payload; records from 70 on have the second schema (one more optional field). */
function payload(i: number): Record<string, unknown> {
  const base = {
    id: i * 1_000_003, name: `order ${i} ünï "q"`, qty: (i % 100) - 50, ok: i % 2 === 0, ratio: i / 8,
    note: i % 3 === 0 ? null : `note ${i}`, tags: Array.from({ length: i % 3 }, (_, k) => `t${k}`),
    address: { city: `city ${i % 4}`, zip: i % 5 === 0 ? null : 10_000 + i }, at: T0 + i * 1000,
  };
  return i < 70 ? base : { ...base, channel: i % 2 === 0 ? 'web' : null };
}
const SCHEMA_CHANGE_AT = 70;
const COUNT = 170;
const envelope = (i: number) => JSON.stringify({ schema: i < SCHEMA_CHANGE_AT ? V1 : V2, payload: payload(i) });

/** Every datum of an Avro container file, as avsc's own decoder reads it. */
async function avscValues(content: Buffer): Promise<unknown[]> {
  const decoder = new avro.streams.BlockDecoder({
    codecs: {
      null: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => cb(null, buf),
      deflate: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => cb(null, inflateRawSync(buf)),
    },
  });
  const records: unknown[] = [];
  const done = new Promise<void>((resolve, reject) => {
    decoder.on('data', (r: unknown) => records.push(r));
    decoder.on('end', resolve);
    decoder.on('error', reject);
  });
  decoder.end(content);
  await done;
  return records;
}

async function avscRecords(content: Buffer): Promise<Record<string, unknown>[]> {
  return (await avscValues(content)).map((r) => ({ ...r as object, address: { ...(r as { address: object }).address } }));
}

async function parquetjsRecords(content: Buffer): Promise<Record<string, unknown>[]> {
  const reader = await ParquetReader.openBuffer(content);
  const cursor = reader.getCursor();
  const rows: Record<string, unknown>[] = [];
  for (let row = await cursor.next() as Record<string, unknown> | null; row !== null; row = await cursor.next() as Record<string, unknown> | null) {
    const address = row.address as { city: string; zip?: number };
    const normalized: Record<string, unknown> = {
      ...row, id: Number(row.id), note: row.note ?? null, tags: ((row.tags as { list?: { element: string }[] }).list ?? []).map((e) => e.element),
      address: { city: address.city, zip: address.zip ?? null }, at: (row.at as Date).getTime(),
    };
    if ('channel' in reader.schema.fields) normalized.channel = row.channel ?? null;
    rows.push(normalized);
  }
  await reader.close();
  return rows;
}

const FORMATS = [
  { name: 'AvroFormat', className: 'io.confluent.connect.s3.format.avro.AvroFormat', extension: '.avro', read: avscRecords },
  { name: 'ParquetFormat', className: 'io.confluent.connect.s3.format.parquet.ParquetFormat', extension: '.snappy.parquet', read: parquetjsRecords },
] as const;

const restoredEnvelope = (m: KcatMessage) => JSON.parse(m.payload!) as { schema: { fields: { field: string }[] }; payload: unknown };

describe.each(FORMATS)('$name', ({ className, extension, read }) => {
  const topic = `orders-${extension.replaceAll('.', '')}`;
  const bucket = `${topic}-bucket`;

  it('writes objects other readers read whole, a new file at the schema change, the schemaless record to the DLQ, and restores them', async () => {
    await createBucket(s3.client, bucket);
    await createTopic(ferry.bootstrap, topic, 1);
    await createTopic(ferry.bootstrap, `${topic}.restored`, 1);
    await produce(ferry.bootstrap, topic, [
      ...Array.from({ length: COUNT }, (_, i) => ({ partition: 0, key: `k${i}`, value: envelope(i) })),
      { partition: 0, key: 'schemaless', value: JSON.stringify({ schema: null, payload: { id: 1 } }) },
    ]);
    await rest.createConnector(`${topic}-sink`, {
      'connector.class': 'S3Sink', topics: topic, ...s3.connectorSettings(bucket), ...WITH_SCHEMAS,
      'format.class': className, 'flush.size': '50', 'store.kafka.keys': 'true', 'keys.format.class': 'AvroFormat',
      'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': `${topic}-dlq`, 'errors.deadletterqueue.topic.replication.factor': '1',
    });

    // flush.size 50, and a rotation where the schema changes at offset 70: files start at 0, 50, 70 and 120, each with its key file.
    const all = await until(async () => {
      const found = await storedObjects(s3.client, bucket);
      return found.length >= 8 ? found : null;
    }, { timeoutMs: 60_000, what: `8 objects in ${bucket}` });
    const starts = [0, 50, 70, 120].map((offset) => `topics/${topic}/partition=0/${topic}+0+${String(offset).padStart(10, '0')}`);
    expect(all.map((o) => o.key).sort()).toEqual(starts.flatMap((stem) => [`${stem}${extension}`, `${stem}.keys.avro`]).sort());
    const objects = all.filter((o) => o.suffix === extension);
    const keys: unknown[] = [];
    for (const object of all.filter((o) => o.suffix === '.keys.avro').sort((a, b) => a.startOffset - b.startOffset)) {
      keys.push(...await avscValues(await readObject(s3.client, bucket, object.key)));
    }
    expect(keys).toEqual(Array.from({ length: COUNT }, (_, i) => `k${i}`));
    const written: Record<string, unknown>[] = [];
    for (const object of objects.sort((a, b) => a.startOffset - b.startOffset)) written.push(...await read(await readObject(s3.client, bucket, object.key)));
    expect(written).toEqual(Array.from({ length: COUNT }, (_, i) => payload(i)));

    const dead = await until(async () => {
      const messages = await kcatReadJson(ferry.bootstrap, `${topic}-dlq`).catch(() => []);
      return messages.length > 0 ? messages : null;
    }, { what: `a record in ${topic}-dlq` });
    expect(dead.map((m) => m.key)).toEqual(['schemaless']);

    await rest.createConnector(`${topic}-restore`, {
      'connector.class': 'S3Source', ...s3.connectorSettings(bucket), ...WITH_SCHEMAS, topics: topic,
      'topic.rename.format': '${topic}.restored', 's3.poll.interval.ms': '500',
    });
    const restored = await until(async () => {
      const messages = await kcatReadJson(ferry.bootstrap, `${topic}.restored`).catch(() => []);
      return messages.length >= COUNT ? messages : null;
    }, { timeoutMs: 60_000, what: `${COUNT} records in ${topic}.restored` });
    expect(restored.map((m) => restoredEnvelope(m).payload)).toEqual(Array.from({ length: COUNT }, (_, i) => payload(i)));
    expect(restoredEnvelope(restored[0]!).schema).toEqual(V1);
    expect(restoredEnvelope(restored[COUNT - 1]!).schema).toEqual(V2);
    expect(restored.map((m) => restoredEnvelope(m).schema.fields.map((f) => f.field))).toEqual(
      Array.from({ length: COUNT }, (_, i) => (i < SCHEMA_CHANGE_AT ? V1 : V2).fields.map((f) => f.field)));
    expect(restored.map((m) => m.key)).toEqual(Array.from({ length: COUNT }, (_, i) => `k${i}`));
  }, 120_000);
});
