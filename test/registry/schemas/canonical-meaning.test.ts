/**
 * The canonical texts keep the schema's meaning, as independent parsers see it: avsc for Avro (the
 * parsing canonical form, which resolves every name to its full name), protobufjs for Protobuf (the
 * reflected descriptor), JSON.parse for JSON Schema.
 */
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { normalizeSchema, parseSchema } from '../../../registry/schemas/parse-schema.js';

const noReferences = (): undefined => undefined;

const AVRO_SCHEMAS: unknown[] = [
  {
    type: 'record',
    name: 'Envelope',
    namespace: 'db.server.inventory',
    fields: [
      {
        name: 'before',
        type: ['null', { type: 'record', name: 'Value', fields: [{ name: 'id', type: 'int' }, { name: 'tags', type: { type: 'array', items: { type: 'enum', name: 'Tag', namespace: 'other', symbols: ['A', 'B'] } } }] }],
        default: null,
      },
      { name: 'after', type: ['null', 'Value'], default: null },
      { name: 'tag', type: 'other.Tag' },
      { name: 'source', type: { type: 'record', name: 'Source', namespace: '', fields: [{ name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } }, { name: 'v', type: { type: 'record', name: 'Nested', fields: [] } }] } },
      { name: 'checksum', type: { type: 'fixed', name: 'md5', size: 16 } },
      { name: 'extra', type: { type: 'map', values: ['null', 'double', 'md5'] }, default: {} },
    ],
  },
  { type: 'record', name: 'LinkedList', fields: [{ name: 'value', type: 'long' }, { name: 'next', type: ['null', 'LinkedList'], default: null }] },
  ['null', { type: 'enum', name: 'a.b.Suit', symbols: ['SPADES', 'HEARTS'], default: 'SPADES' }, { type: 'array', items: 'a.b.Suit' }],
];

describe('canonical text keeps the meaning', () => {
  it.each(AVRO_SCHEMAS.map((schema, i) => [i, schema]))('Avro schema %i: avsc sees the same schema in the canonical text', (_i, schema) => {
    const original = avro.Type.forSchema(schema as avro.Schema);
    const parsed = parseSchema('AVRO', JSON.stringify(schema), [], noReferences);
    const canonical = avro.Type.forSchema(JSON.parse(parsed.canonicalText) as avro.Schema);
    expect(canonical.fingerprint('sha256').toString('hex')).toBe(original.fingerprint('sha256').toString('hex'));
  });

  // Not schema 0: its Source record is in no namespace inside a namespaced record, which Confluent's
  // normal form moves into that namespace (see normalize-schema.test.ts).
  it.each(AVRO_SCHEMAS.slice(1).map((schema, i) => [i + 1, schema]))('Avro schema %i: avsc sees the same schema in the normalized text', (_i, schema) => {
    const original = avro.Type.forSchema(schema as avro.Schema);
    const parsed = parseSchema('AVRO', JSON.stringify(schema), [], noReferences);
    const normalized = avro.Type.forSchema(JSON.parse(normalizeSchema(parsed, noReferences).canonicalText) as avro.Schema);
    expect(normalized.fingerprint('sha256').toString('hex')).toBe(original.fingerprint('sha256').toString('hex'));
  });

  it('Protobuf: protobufjs reflects the canonical text as it reflects the original', () => {
    const text = `syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
option java_package = "com.shop.v1";
enum Status { STATUS_UNSPECIFIED = 0; STATUS_OK = 1; }
message Order {
  reserved 9, 20 to 30;
  reserved "legacy";
  string id = 1 [json_name = "orderId"];
  repeated Item items = 2;
  map<string, int64> counters = 3;
  optional Status status = 4 [deprecated = true];
  google.protobuf.Timestamp created = 5;
  oneof payment { string card = 6; bytes token = 7; }
  message Item { string sku = 1; uint32 quantity = 2 [packed = false]; }
}
service Orders { rpc Get (Order) returns (Order); rpc Watch (Order) returns (stream Order) { option deprecated = true; } }
`;
    const reflect = (source: string): unknown => {
      const root = new protobuf.Root();
      root.addJSON((protobuf.common.get('google/protobuf/timestamp.proto') as { nested: protobuf.INamespace['nested'] }).nested ?? {});
      protobuf.parse(source, root, { keepCase: true });
      root.resolveAll();
      return root.toJSON();
    };
    const canonical = parseSchema('PROTOBUF', text, [], noReferences).canonicalText;
    expect(reflect(canonical)).toEqual(reflect(text));
  });

  it('JSON Schema: the canonical text parses to the same value', () => {
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { n: { type: 'number', maximum: 10.5 }, s: { type: 'string', pattern: '^a\\u0001/' } }, required: ['n'] };
    const parsed = parseSchema('JSON', JSON.stringify(schema, null, 2), [], noReferences);
    expect(JSON.parse(parsed.canonicalText)).toEqual(schema);
    expect(JSON.parse(normalizeSchema(parsed, noReferences).canonicalText)).toEqual(schema);
  });
});
