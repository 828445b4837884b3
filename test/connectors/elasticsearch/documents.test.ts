/** Ids, index names, mapping inference and value JSON as Confluent's sink produces them. */
import { describe, expect, it } from 'vitest';
import type { SinkRecord } from '../../../connectors/sdk/connect-record.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTimestamp } from '../../../connectors/sdk/data/logical-types.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { bulkAction, headerVersion } from '../../../connectors/elasticsearch/bulk-action.js';
import { keyId, offsetId } from '../../../connectors/elasticsearch/document-id.js';
import { documentEntries, entriesToJson } from '../../../connectors/elasticsearch/document-json.js';
import { mappingOf } from '../../../connectors/elasticsearch/mapping.js';
import { dataStreamNameOf, indexNameOf } from '../../../connectors/elasticsearch/resource-name.js';

function record(over: Partial<SinkRecord>): SinkRecord {
  return {
    topic: 'Orders', kafkaPartition: 2, kafkaOffset: 41, keySchema: null, key: null, valueSchema: null, value: null,
    timestamp: 1700000000000, headers: [], timestampType: 'CreateTime', originalTopic: 'Orders', originalKafkaPartition: 2, originalKafkaOffset: 41,
    ...over,
  };
}

const json = (schema: Parameters<typeof documentEntries>[0], value: unknown, preprocess = true, compactMapEntries = true) =>
  entriesToJson(documentEntries(schema, value, { preprocess, compactMapEntries }));

describe('document ids', () => {
  it('uses topic+partition+offset when keys are ignored', () => {
    expect(offsetId(record({}))).toBe('Orders+2+41');
  });

  it('uses integer and string keys, with or without a key schema', () => {
    expect(keyId(record({ key: 'a-1' }))).toBe('a-1');
    expect(keyId(record({ key: 7, keySchema: SchemaBuilder.int32().build() }))).toBe('7');
    expect(keyId(record({ key: 9007199254740993n }))).toBe('9007199254740993');
  });

  it('refuses null, empty and non-scalar keys as data errors', () => {
    expect(() => keyId(record({ key: null }))).toThrow(new DataError('Key is used as document id and can not be null.'));
    expect(() => keyId(record({ key: '' }))).toThrow('can not be empty');
    expect(() => keyId(record({ key: new Map([['a', 1]]) }))).toThrow('MAP is not supported as the document id.');
    expect(() => keyId(record({ key: 1.5 }))).toThrow('FLOAT64 is not supported');
  });
});

describe('resource names', () => {
  it('lower-cases topics and fixes names Elasticsearch refuses', () => {
    expect(indexNameOf('My.Topic')).toBe('my.topic');
    expect(indexNameOf('_internal')).toBe('internal');
    expect(indexNameOf('-x')).toBe('x');
    expect(indexNameOf('.')).toBe('dot');
    expect(indexNameOf('..')).toBe('dotdot');
    expect(indexNameOf('a'.repeat(300))).toHaveLength(255);
  });

  it('names data streams <type>-<dataset>-<namespace> with ${topic} lower-cased', () => {
    expect(dataStreamNameOf('Web.Logs', { type: 'LOGS', dataset: 'nginx', namespace: '${topic}' })).toBe('logs-nginx-web.logs');
    expect(dataStreamNameOf('t', { type: 'METRICS', dataset: 'cpu', namespace: 'prod-${topic}' })).toBe('metrics-cpu-prod-t');
    expect(dataStreamNameOf('x'.repeat(150), { type: 'LOGS', dataset: 'd', namespace: '${topic}' })).toBe(`logs-d-${'x'.repeat(100)}`);
  });
});

describe('mapping inference', () => {
  it('maps Connect types, logical types, nested structs, maps and arrays as Confluent does', () => {
    const address = SchemaBuilder.struct().field('city', SchemaBuilder.string().build()).build();
    const schema = SchemaBuilder.struct()
      .field('id', SchemaBuilder.int64().build())
      .field('small', SchemaBuilder.int8().build())
      .field('qty', SchemaBuilder.int32().optional().defaultValue(1).build())
      .field('price', LogicalDecimal.schema(2))
      .field('at', LogicalTimestamp.SCHEMA)
      .field('day', LogicalDate.SCHEMA)
      .field('ok', SchemaBuilder.bool().build())
      .field('ratio', SchemaBuilder.float32().build())
      .field('blob', SchemaBuilder.bytes().build())
      .field('tags', SchemaBuilder.array(SchemaBuilder.string().build()).build())
      .field('attrs', SchemaBuilder.map(SchemaBuilder.string().build(), SchemaBuilder.float64().build()).build())
      .field('address', address)
      .build();
    const text = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    expect(mappingOf(schema)).toEqual({
      properties: {
        id: { type: 'long' },
        small: { type: 'byte' },
        qty: { type: 'integer', null_value: 1 },
        price: { type: 'double' },
        at: { type: 'date' },
        day: { type: 'date' },
        ok: { type: 'boolean' },
        ratio: { type: 'float' },
        blob: { type: 'binary' },
        tags: text,
        attrs: { properties: { key: text, value: { type: 'double' } } },
        address: { properties: { city: text } },
      },
    });
  });

  it('cannot infer a mapping without a schema', () => {
    expect(() => mappingOf(null)).toThrow('Cannot infer mapping without schema.');
  });
});

describe('value JSON', () => {
  const schema = SchemaBuilder.struct()
    .field('id', SchemaBuilder.int64().build())
    .field('price', LogicalDecimal.schema(2))
    .field('at', LogicalTimestamp.SCHEMA)
    .field('day', LogicalDate.SCHEMA)
    .field('ratio', SchemaBuilder.float64().build())
    .field('note', SchemaBuilder.string().optional().build())
    .field('qty', SchemaBuilder.int32().optional().defaultValue(1).build())
    .field('attrs', SchemaBuilder.map(SchemaBuilder.string().build(), SchemaBuilder.int32().build()).build())
    .build();
  const value = new Struct(schema).put('id', 5).put('price', new Decimal(1999n, 2)).put('at', new Date(1700000000123))
    .put('day', new Date(86_400_000 * 3)).put('ratio', 2).put('attrs', new Map([['a', 1]]));

  it('writes Decimal as a double, Timestamp as epoch ms, Date as days, floats as Java does, defaults for nulls', () => {
    expect(json(schema, value)).toBe('{"id":5,"price":19.99,"at":1700000000123,"day":3,"ratio":2.0,"note":null,"qty":1,"attrs":{"a":1}}');
  });

  it('writes string-keyed maps as key/value arrays without compact.map.entries', () => {
    expect(json(schema, value, true, false)).toContain('"attrs":[{"key":"a","value":1}]');
  });

  it('writes Decimal as base64 when schemas are ignored, as JsonConverter does', () => {
    expect(json(schema, value, false)).toContain('"price":"B88="');
  });

  it('writes schemaless maps as they are and refuses values that are not objects', () => {
    expect(json(null, new Map<string, unknown>([['n', 1], ['x', 1.5], ['s', 'é'], ['l', [true, null]]]))).toBe('{"n":1,"x":1.5,"s":"é","l":[true,null]}');
    expect(() => json(null, 'just text')).toThrow(DataError);
    expect(() => json(SchemaBuilder.int32().build(), 3)).toThrow('must be a JSON object');
  });
});

describe('bulk actions', () => {
  it('versions inserts and deletes externally and upserts with doc_as_upsert', () => {
    const r = record({ key: 'k' });
    expect(bulkAction({ record: r, kind: 'index', index: 'orders', id: 'k', externalVersion: 41, document: '{"a":1}', retryOnConflict: 5 }).ndjson)
      .toBe('{"index":{"_index":"orders","_id":"k","version":41,"version_type":"external"}}\n{"a":1}\n');
    expect(bulkAction({ record: r, kind: 'delete', index: 'orders', id: 'k', externalVersion: 41, document: null, retryOnConflict: 5 }).ndjson)
      .toBe('{"delete":{"_index":"orders","_id":"k","version":41,"version_type":"external"}}\n');
    const upsert = bulkAction({ record: r, kind: 'update', index: 'orders', id: 'k', externalVersion: null, document: '{"a":1}', retryOnConflict: 5 });
    expect(upsert.ndjson).toBe('{"update":{"_index":"orders","_id":"k","retry_on_conflict":5}}\n{"doc":{"a":1},"doc_as_upsert":true}\n');
    expect(upsert.orderSensitive).toBe(true);
  });

  it('reads the external version from the last header of that name', () => {
    const r = record({ headers: [{ key: 'v', schema: null, value: '3' }, { key: 'v', schema: null, value: Buffer.from('12') }] });
    expect(headerVersion(r, 'v')).toBe(12);
    expect(() => headerVersion(record({ headers: [{ key: 'v', schema: null, value: 'abc' }] }), 'v')).toThrow("Error converting external version header 'v'");
    expect(() => headerVersion(record({}), 'v')).toThrow(DataError);
  });
});
