/**
 * AvroFormat's container files read by Apache Avro's own Python implementation (Debian's
 * python3-avro): a reader that shares no code with ferry's framing nor with avsc, which encodes
 * the records. Every record must come back equal, with every codec, across several blocks, and
 * the file's schema must be the text Confluent's AvroData would write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { avroCodec } from '../../../connectors/s3/formats/avro-codec.js';
import { AvroFormat } from '../../../connectors/s3/formats/avro-format.js';
import { AvroData } from '../../../connectors/sdk/data/avro/index.js';
import { LogicalDate, LogicalTimestamp } from '../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { runProcess } from '../../helpers/run-process.js';
import { tempDir } from '../../helpers/temp-dir.js';

const PYTHON = '/usr/bin/python3';
const COUNT = 2500;
const T0 = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

const ITEM = SchemaBuilder.struct().name('com.example.Item').field('sku', Schema.STRING_SCHEMA).field('qty', Schema.OPTIONAL_INT32_SCHEMA).build();
const ORDER = SchemaBuilder.struct().name('com.example.Order')
  .field('id', Schema.INT64_SCHEMA)
  .field('customer', Schema.STRING_SCHEMA)
  .field('total', Schema.FLOAT64_SCHEMA)
  .field('paid', Schema.BOOLEAN_SCHEMA)
  .field('note', Schema.OPTIONAL_STRING_SCHEMA)
  .field('items', SchemaBuilder.array(ITEM).build())
  .field('labels', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
  .field('placed', LogicalTimestamp.SCHEMA)
  .field('ships', LogicalDate.SCHEMA)
  .build();

/** Record i as Apache Avro's Python reader prints it (json.dumps of the datum, logical types as their base values). */
function expected(i: number): Record<string, unknown> {
  return {
    id: 2 ** 40 + i, customer: `customer ${i} — ü "q" \\ end`, total: i / 8, paid: i % 2 === 0, note: i % 3 === 0 ? null : `note ${i}`,
    items: Array.from({ length: i % 3 }, (_, k) => ({ sku: `sku-${k}`, qty: k === 1 ? null : k + i })),
    labels: { region: `r${i % 4}` }, placed: T0 + i * 1000, ships: T0 / DAY + (i % 20),
  };
}

function struct(i: number): Struct {
  const e = expected(i);
  const items = (e.items as { sku: string; qty: number | null }[]).map((it) => new Struct(ITEM).put('sku', it.sku).put('qty', it.qty));
  return new Struct(ORDER).put('id', e.id).put('customer', e.customer).put('total', e.total).put('paid', e.paid).put('note', e.note)
    .put('items', items).put('labels', new Map(Object.entries(e.labels as Record<string, string>)))
    .put('placed', new Date(e.placed as number)).put('ships', new Date((e.ships as number) * DAY));
}

function writeFile(format: AvroFormat): Buffer {
  const parts: Buffer[] = [];
  const first = format.prepare(struct(0), ORDER);
  const file = format.open(first.schema);
  for (let i = 0; i < COUNT; i++) {
    const out = file.add(i === 0 ? first : format.prepare(struct(i), ORDER));
    if (out !== null) parts.push(out);
  }
  parts.push(file.end());
  return Buffer.concat(parts);
}

/** Reads an Avro container file with Apache Avro's Python DataFileReader: the codec, the schema text, one JSON line per record. */
const READER = `
import json, sys, datetime
from avro.datafile import DataFileReader
from avro.io import DatumReader
def plain(v):
    if isinstance(v, datetime.datetime): return int(v.timestamp() * 1000)
    if isinstance(v, datetime.date): return (v - datetime.date(1970, 1, 1)).days
    if isinstance(v, dict): return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list): return [plain(x) for x in v]
    return v
with open(sys.argv[1], 'rb') as f:
    reader = DataFileReader(f, DatumReader())
    print(reader.get_meta('avro.codec').decode())
    print(reader.get_meta('avro.schema').decode())
    for datum in reader:
        print(json.dumps(plain(datum), ensure_ascii=False))
`;

describe('AvroFormat files read by Apache Avro\'s Python implementation', () => {
  for (const codec of ['null', 'deflate', 'snappy'] as const) {
    it(`reads every record back equal (codec ${codec}, several blocks)`, async () => {
      const data = new AvroData();
      const file = path.join(tempDir('ferry-avro-py-'), `orders.${codec}.avro`);
      fs.writeFileSync(file, writeFile(new AvroFormat(data, avroCodec(codec))));
      const result = await runProcess(PYTHON, ['-c', READER, file], { timeoutMs: 60_000 });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const [codecLine, schemaLine, ...lines] = result.stdout.trimEnd().split('\n');
      expect(codecLine).toBe(codec);
      expect(schemaLine).toBe(data.writerFor(ORDER).text);
      expect(lines).toHaveLength(COUNT);
      lines.forEach((line, i) => expect(JSON.parse(line), `record ${i}`).toEqual(expected(i)));
    });
  }
});
