/**
 * AvroFormat and ParquetFormat files read back by readers nobody here wrote: avsc's own
 * container decoder (ferry writes the Avro framing itself) and @dsnp/parquetjs (ferry writes
 * Parquet with hyparquet-writer). Every record must come back equal, across several Avro blocks
 * and Parquet row groups and with every codec; ferry's own reading (the S3 source) must give
 * back the Connect values.
 */
import { createRequire } from 'node:module';
import { inflateRawSync } from 'node:zlib';
import { ParquetReader } from '@dsnp/parquetjs';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { AvroData } from '../../../connectors/sdk/data/avro/index.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTimestamp } from '../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { valuesEqual } from '../../../connectors/sdk/data/value-equality.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { avroCodec } from '../../../connectors/s3/formats/avro-codec.js';
import { AvroFormat } from '../../../connectors/s3/formats/avro-format.js';
import { ParquetFormat } from '../../../connectors/s3/formats/parquet-format.js';
import type { ContainerFormat } from '../../../connectors/s3/formats/record-format.js';

const snappyjs = createRequire(import.meta.url)('snappyjs') as { uncompress(input: Buffer): Buffer };

const T0 = Date.UTC(2024, 5, 10);
const DAY = 86_400_000;
const ADDRESS = SchemaBuilder.struct().name('com.example.Address').field('city', Schema.STRING_SCHEMA).field('zip', Schema.OPTIONAL_INT32_SCHEMA)
  .field('verified', Schema.BOOLEAN_SCHEMA).build();
const ORDER = SchemaBuilder.struct().name('com.example.Order')
  .field('id', Schema.INT64_SCHEMA)
  .field('name', Schema.STRING_SCHEMA)
  .field('qty', Schema.INT32_SCHEMA)
  .field('price', LogicalDecimal.schema(2))
  .field('ok', Schema.BOOLEAN_SCHEMA)
  .field('ratio', Schema.FLOAT64_SCHEMA)
  .field('note', Schema.OPTIONAL_STRING_SCHEMA)
  .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
  .field('attrs', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
  .field('address', ADDRESS)
  .field('at', LogicalTimestamp.SCHEMA)
  .field('day', LogicalDate.SCHEMA)
  .field('raw', Schema.BYTES_SCHEMA)
  .build();

/** Record i as plain data, the way a reader of the file should see it. */
function plain(i: number) {
  return {
    id: i * 1_000_003, name: `name-${i} ünï "q"`, qty: (i % 1000) - 500, priceUnscaled: BigInt(i * 137 - 5000), ok: i % 2 === 0, ratio: i / 7,
    note: i % 3 === 0 ? null : `note ${i}`, tags: Array.from({ length: i % 4 }, (_, k) => `t${k}`), attrs: { a: i, b: -i - 1 },
    city: `city ${i % 10}`, zip: i % 5 === 0 ? null : 10_000 + i, verified: i % 3 !== 1, at: T0 + i * 1000, day: T0 / DAY + (i % 30), raw: Buffer.from([i % 256, 1, 2]),
  };
}

function struct(i: number): Struct {
  const p = plain(i);
  return new Struct(ORDER).put('id', p.id).put('name', p.name).put('qty', p.qty).put('price', new Decimal(p.priceUnscaled, 2))
    .put('ok', p.ok).put('ratio', p.ratio).put('note', p.note).put('tags', p.tags).put('attrs', new Map(Object.entries(p.attrs)))
    .put('address', new Struct(ADDRESS).put('city', p.city).put('zip', p.zip).put('verified', p.verified)).put('at', new Date(p.at)).put('day', new Date(p.day * DAY))
    .put('raw', p.raw);
}

/** The whole file a container format writes for `count` records, as the sink would upload it. */
function writeFile(format: ContainerFormat, count: number): Buffer {
  const parts: Buffer[] = [];
  const first = format.prepare(struct(0), ORDER);
  const file = format.open(first.schema);
  for (let i = 0; i < count; i++) {
    const out = file.add(i === 0 ? first : format.prepare(struct(i), ORDER));
    if (out !== null) parts.push(out);
  }
  parts.push(file.end());
  return Buffer.concat(parts);
}

const unscaledOf = (bytes: Uint8Array) => BigInt.asIntN(bytes.length * 8, BigInt(`0x${Buffer.from(bytes).toString('hex')}`));

const COUNT = 3000;
const data = new AvroData();

describe('AvroFormat', () => {
  for (const codec of ['null', 'deflate', 'snappy'] as const) {
    it(`writes a container file avsc's decoder reads whole (codec ${codec}, several blocks)`, async () => {
      const content = writeFile(new AvroFormat(data, avroCodec(codec)), COUNT);
      const decoder = new avro.streams.BlockDecoder({
        codecs: {
          null: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => cb(null, buf),
          deflate: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => cb(null, inflateRawSync(buf)),
          snappy: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => cb(null, snappyjs.uncompress(buf.subarray(0, buf.length - 4))),
        },
      });
      let header: { schema?: string; codec?: string } = {};
      decoder.on('metadata', (_type: unknown, codecName: string, meta: { meta: Record<string, Buffer> }) => {
        header = { schema: meta.meta['avro.schema']?.toString(), codec: codecName };
      });
      const records: Record<string, unknown>[] = [];
      const done = new Promise<void>((resolve, reject) => {
        decoder.on('data', (r: Record<string, unknown>) => records.push(r));
        decoder.on('end', resolve);
        decoder.on('error', reject);
      });
      decoder.end(content);
      await done;
      expect(header.codec).toBe(codec);
      expect(header.schema).toBe(data.writerFor(ORDER).text);
      expect(records).toHaveLength(COUNT);
      records.forEach((r, i) => {
        const p = plain(i);
        const address = r.address as { city: string; zip: number | null; verified: boolean };
        expect({ ...r, price: unscaledOf(r.price as Buffer), address: undefined, raw: Buffer.from(r.raw as Buffer) }).toEqual({
          id: p.id, name: p.name, qty: p.qty, price: p.priceUnscaled, ok: p.ok, ratio: p.ratio, note: p.note, tags: p.tags, attrs: p.attrs,
          address: undefined, at: p.at, day: p.day, raw: p.raw,
        });
        expect(address).toEqual({ city: p.city, zip: p.zip, verified: p.verified });
      });
    });
  }

  it('reads its files back into the Connect values with the Connect schema', async () => {
    const format = new AvroFormat(data, avroCodec('snappy'));
    const decoded = await format.decodeRecords(writeFile(format, 500));
    expect(decoded).toHaveLength(500);
    decoded.forEach((r, i) => {
      expect(r.schema!.equals(ORDER)).toBe(true);
      expect(valuesEqual(r.value, struct(i))).toBe(true);
    });
  });

  it('refuses a record without a schema with a DataError', () => {
    expect(() => new AvroFormat(data, avroCodec('null')).prepare({ a: 1 }, null)).toThrow(DataError);
    expect(() => new AvroFormat(data, avroCodec('null')).prepare({ a: 1 }, null)).toThrow(/AvroFormat writes records with a schema/);
  });
});

describe('ParquetFormat', () => {
  for (const codec of ['snappy', 'gzip', 'none', 'brotli'] as const) {
    it(`writes a Parquet file @dsnp/parquetjs reads whole (codec ${codec}, several row groups)`, async () => {
      const format = new ParquetFormat(data, codec, 64 * 1024);
      const content = writeFile(format, COUNT);
      const reader = await ParquetReader.openBuffer(content);
      expect(Number(reader.getRowCount())).toBe(COUNT);
      expect(reader.metadata!.row_groups.length).toBeGreaterThan(1);
      expect(reader.getMetadata()['parquet.avro.schema']).toBe(data.writerFor(ORDER).text);
      const cursor = reader.getCursor();
      const rows: Record<string, unknown>[] = [];
      for (let row = await cursor.next(); row !== null; row = await cursor.next()) rows.push(row as Record<string, unknown>);
      await reader.close();
      expect(rows).toHaveLength(COUNT);
      rows.forEach((r, i) => {
        const p = plain(i);
        const tags = r.tags as { list?: { element: string }[] };
        const attrs = r.attrs as { key_value?: { key: string; value: number }[] };
        expect({
          ...r, id: Number(r.id), price: unscaledOf(r.price as Buffer), note: r.note ?? null, tags: (tags.list ?? []).map((e) => e.element),
          attrs: Object.fromEntries((attrs.key_value ?? []).map((e) => [e.key, e.value])), address: undefined,
          at: (r.at as Date).getTime(), day: (r.day as Date).getTime() / DAY, raw: Buffer.from(r.raw as Buffer),
        }).toEqual({
          id: p.id, name: p.name, qty: p.qty, price: p.priceUnscaled, ok: p.ok, ratio: p.ratio, note: p.note, tags: p.tags, attrs: p.attrs,
          address: undefined, at: p.at, day: p.day, raw: p.raw,
        });
        const address = r.address as { city: string; zip?: number; verified: boolean };
        expect({ city: address.city, zip: address.zip ?? null, verified: address.verified }).toEqual({ city: p.city, zip: p.zip, verified: p.verified });
      });
    });
  }

  it('reads its files back into the Connect values with the Connect schema', async () => {
    const format = new ParquetFormat(data, 'snappy', 16 * 1024);
    const decoded = await format.decodeRecords(writeFile(format, 500));
    expect(decoded).toHaveLength(500);
    decoded.forEach((r, i) => {
      expect(r.schema!.equals(ORDER)).toBe(true);
      expect(valuesEqual(r.value, struct(i))).toBe(true);
    });
  });

  it('names the codec in the extension as Confluent does', () => {
    expect(['snappy', 'gzip', 'none', 'brotli'].map((c) => new ParquetFormat(data, c as 'snappy', 1).extension))
      .toEqual(['.snappy.parquet', '.gz.parquet', '.parquet', '.br.parquet']);
  });

  it('refuses records without a schema, and values that are not Structs, with a DataError', () => {
    const format = new ParquetFormat(data, 'snappy', 1024);
    expect(() => format.prepare({ a: 1 }, null)).toThrow(DataError);
    expect(() => format.prepare('text', Schema.STRING_SCHEMA)).toThrow(/ParquetFormat writes Struct values only/);
    const withUnion = SchemaBuilder.struct().name('U').field('u', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').optional()
      .field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA).build()).build();
    expect(() => format.prepare(new Struct(withUnion).put('u', null), withUnion)).toThrow(DataError);
    expect(() => format.prepare(new Struct(withUnion).put('u', null), withUnion)).toThrow(/union of .* cannot be written to Parquet/);
  });
});
