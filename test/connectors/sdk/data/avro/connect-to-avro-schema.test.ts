/**
 * The schema text Confluent's AvroConverter registers for Connect schemas, written out from the
 * reference's mapping (schema-registry.md §5.3, §5.6): each expectation is the exact string.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../../connectors/sdk/data/struct.js';
import { DEFAULT_AVRO_DATA_SETTINGS, type AvroDataSettings } from '../../../../../connectors/sdk/data/avro/avro-data-config.js';
import { AvroData } from '../../../../../connectors/sdk/data/avro/avro-data.js';

function text(schema: Schema | SchemaBuilder, settings: Partial<AvroDataSettings> = {}): string {
  const built = schema instanceof SchemaBuilder ? schema.build() : schema;
  return new AvroData({ ...DEFAULT_AVRO_DATA_SETTINGS, ...settings }).writerFor(built).text;
}

/** The text of a record `io.x.R` with the one field `f`, as the field's JSON. */
function fieldText(schema: Schema | SchemaBuilder): string {
  const record = text(SchemaBuilder.struct().name('io.x.R').field('f', schema));
  const prefix = '{"type":"record","name":"R","namespace":"io.x","fields":[';
  const suffix = '],"connect.name":"io.x.R"}';
  expect(record.startsWith(prefix) && record.endsWith(suffix)).toBe(true);
  return record.slice(prefix.length, -suffix.length);
}

describe('Connect schema → registered Avro schema text', () => {
  it('prints the worked example of the reference byte for byte', () => {
    const schema = SchemaBuilder.struct().name('io.x.Value')
      .field('id', Schema.INT32_SCHEMA)
      .field('name', Schema.OPTIONAL_STRING_SCHEMA)
      .field('ts', LogicalTimestamp.builder().optional())
      .field('amt', LogicalDecimal.schema(2))
      .field('tags', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA));
    expect(text(schema)).toBe(
      '{"type":"record","name":"Value","namespace":"io.x","fields":['
      + '{"name":"id","type":"int"},'
      + '{"name":"name","type":["null","string"],"default":null},'
      + '{"name":"ts","type":["null",{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}],"default":null},'
      + '{"name":"amt","type":{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}},'
      + '{"name":"tags","type":{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}}'
      + '],"connect.name":"io.x.Value"}',
    );
  });

  it.each<[string, Schema, string]>([
    ['INT8', Schema.INT8_SCHEMA, '{"type":"int","connect.type":"int8"}'],
    ['INT16', Schema.INT16_SCHEMA, '{"type":"int","connect.type":"int16"}'],
    ['INT32', Schema.INT32_SCHEMA, '"int"'],
    ['INT64', Schema.INT64_SCHEMA, '"long"'],
    ['FLOAT32', Schema.FLOAT32_SCHEMA, '"float"'],
    ['FLOAT64', Schema.FLOAT64_SCHEMA, '"double"'],
    ['BOOLEAN', Schema.BOOLEAN_SCHEMA, '"boolean"'],
    ['STRING', Schema.STRING_SCHEMA, '"string"'],
    ['BYTES', Schema.BYTES_SCHEMA, '"bytes"'],
    ['optional STRING', Schema.OPTIONAL_STRING_SCHEMA, '["null","string"]'],
    ['optional INT8', Schema.OPTIONAL_INT8_SCHEMA, '["null",{"type":"int","connect.type":"int8"}]'],
    ['Date', LogicalDate.SCHEMA, '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}'],
    ['Time', LogicalTime.SCHEMA, '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}'],
    ['Timestamp', LogicalTimestamp.SCHEMA, '{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}'],
    ['Decimal with a precision', LogicalDecimal.builder(2).parameter('connect.decimal.precision', '10').build(),
      '{"type":"bytes","scale":2,"precision":10,"connect.version":1,"connect.parameters":{"scale":"2","connect.decimal.precision":"10"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}'],
    ['Decimal as fixed', LogicalDecimal.builder(0).parameter('connect.fixed.size', '8').build(),
      '{"type":"fixed","name":"Decimal","namespace":"org.apache.kafka.connect.data","size":8,"scale":0,"precision":64,"connect.version":1,"connect.parameters":{"scale":"0","connect.fixed.size":"8"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}'],
    ['ARRAY', SchemaBuilder.array(Schema.STRING_SCHEMA).build(), '{"type":"array","items":"string"}'],
    ['ARRAY of optional', SchemaBuilder.array(Schema.OPTIONAL_INT64_SCHEMA).build(), '{"type":"array","items":["null","long"]}'],
    ['MAP with string keys', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), '{"type":"map","values":"int"}'],
    ['MAP with optional string keys', SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.INT32_SCHEMA).build(),
      '{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":["null","string"],"default":null},{"name":"value","type":"int"}]}}'],
    ['named MAP with INT64 keys', SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.STRING_SCHEMA).name('io.x.Tags').build(),
      '{"type":"array","items":{"type":"record","name":"Tags","namespace":"io.x","fields":[{"name":"key","type":"long"},{"name":"value","type":"string"}],"connect.internal.type":"MapEntry"},"connect.name":"io.x.Tags"}'],
    ['Union STRUCT', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA).build(),
      '["int","string"]'],
    ['optional Union STRUCT', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA).optional().build(),
      '["null","int","string"]'],
  ])('%s', (_name, schema, expected) => {
    expect(text(schema)).toBe(expected);
  });

  it('names unnamed structs ConnectDefault, ConnectDefault2, ... in the order met, the namespace written once', () => {
    const inner = SchemaBuilder.struct().field('x', Schema.INT32_SCHEMA).build();
    const other = SchemaBuilder.struct().field('y', Schema.STRING_SCHEMA).build();
    expect(text(SchemaBuilder.struct().field('inner', inner).field('other', other))).toBe(
      '{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":['
      + '{"name":"inner","type":{"type":"record","name":"ConnectDefault2","fields":[{"name":"x","type":"int"}]}},'
      + '{"name":"other","type":{"type":"record","name":"ConnectDefault3","fields":[{"name":"y","type":"string"}]}}]}',
    );
  });

  it('writes a named struct used twice once, then by its name (short in its own namespace, full elsewhere)', () => {
    const point = SchemaBuilder.struct().name('io.x.Point').field('x', Schema.INT32_SCHEMA).build();
    const far = SchemaBuilder.struct().name('io.y.Far').field('z', Schema.INT32_SCHEMA).build();
    const outer = SchemaBuilder.struct().name('io.x.Outer').field('a', point).field('b', point).field('c', far).field('d', far);
    expect(text(outer)).toBe(
      '{"type":"record","name":"Outer","namespace":"io.x","fields":['
      + '{"name":"a","type":{"type":"record","name":"Point","fields":[{"name":"x","type":"int"}],"connect.name":"io.x.Point"}},'
      + '{"name":"b","type":"Point"},'
      + '{"name":"c","type":{"type":"record","name":"Far","namespace":"io.y","fields":[{"name":"z","type":"int"}],"connect.name":"io.y.Far"}},'
      + '{"name":"d","type":"io.y.Far"}],"connect.name":"io.x.Outer"}',
    );
  });

  it("refuses two different types of one name, as Java's \"Can't redefine\"", () => {
    const maps = SchemaBuilder.struct().name('io.x.Two')
      .field('a', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA))
      .field('b', SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.STRING_SCHEMA));
    expect(() => text(maps)).toThrow("Can't redefine: io.confluent.connect.avro.MapEntry");
  });

  describe('field defaults', () => {
    it.each<[string, SchemaBuilder, string]>([
      ['a required string', SchemaBuilder.string().defaultValue('d'), '{"name":"f","type":{"type":"string","connect.default":"d"},"default":"d"}'],
      ['an optional string', SchemaBuilder.string().optional().defaultValue('d'), '{"name":"f","type":[{"type":"string","connect.default":"d"},"null"],"default":"d"}'],
      ['an INT8', SchemaBuilder.int8().defaultValue(-3), '{"name":"f","type":{"type":"int","connect.default":-3,"connect.type":"int8"},"default":-3}'],
      ['a FLOAT64 1.0', SchemaBuilder.float64().defaultValue(1), '{"name":"f","type":{"type":"double","connect.default":1.0},"default":1.0}'],
      ['a FLOAT64 1.0E7', SchemaBuilder.float64().defaultValue(1e7), '{"name":"f","type":{"type":"double","connect.default":1.0E7},"default":1.0E7}'],
      ['a FLOAT32 0.1', SchemaBuilder.float32().defaultValue(0.1), '{"name":"f","type":{"type":"float","connect.default":0.1},"default":0.1}'],
      ['an INT64 beyond 2^53', SchemaBuilder.int64().defaultValue(2n ** 60n), '{"name":"f","type":{"type":"long","connect.default":1152921504606846976},"default":1152921504606846976}'],
      ['a BOOLEAN', SchemaBuilder.bool().defaultValue(false), '{"name":"f","type":{"type":"boolean","connect.default":false},"default":false}'],
      ['BYTES as ISO-8859-1', SchemaBuilder.bytes().defaultValue(Buffer.from([0, 0x41, 0xff])), '{"name":"f","type":{"type":"bytes","connect.default":"\\u0000Aÿ"},"default":"\\u0000Aÿ"}'],
      ['a Decimal', LogicalDecimal.builder(2).defaultValue(new Decimal(-1n, 2)),
        '{"name":"f","type":{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.default":"ÿ","connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"},"default":"ÿ"}'],
      ['a Date', LogicalDate.builder().defaultValue(new Date(86_400_000 * 3)),
        '{"name":"f","type":{"type":"int","connect.version":1,"connect.default":3,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"},"default":3}'],
      ['an array', SchemaBuilder.array(Schema.INT32_SCHEMA).defaultValue([1, 2]), '{"name":"f","type":{"type":"array","items":"int","connect.default":[1,2]},"default":[1,2]}'],
      ['a string map', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).defaultValue(new Map([['b', 1], ['a', 2]])),
        '{"name":"f","type":{"type":"map","values":"int","connect.default":{"b":1,"a":2}},"default":{"b":1,"a":2}}'],
      ['an INT32-key map (pairs, which Avro refuses as the field default)', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).defaultValue(new Map([[1, 'a']])),
        '{"name":"f","type":{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]},"connect.default":[[1,"a"]]}}'],
    ])('%s', (_name, schema, expected) => {
      expect(fieldText(schema)).toBe(expected);
    });

    it('a struct default, fields by name', () => {
      const point = SchemaBuilder.struct().name('io.x.P').field('x', Schema.INT32_SCHEMA).field('s', Schema.OPTIONAL_STRING_SCHEMA).build();
      const dflt = new Struct(point).put('x', 7);
      expect(fieldText(SchemaBuilder.struct().name('io.x.P').field('x', Schema.INT32_SCHEMA).field('s', Schema.OPTIONAL_STRING_SCHEMA).defaultValue(dflt))).toBe(
        '{"name":"f","type":{"type":"record","name":"P","fields":[{"name":"x","type":"int"},{"name":"s","type":["null","string"],"default":null}],"connect.default":{"x":7,"s":null},"connect.name":"io.x.P"},"default":{"x":7,"s":null}}',
      );
    });
  });

  it('carries doc, version, parameters (in order) and the record and field docs', () => {
    const schema = SchemaBuilder.struct().name('io.x.V').version(3).doc('the "doc"\n')
      .parameter('b', '2').parameter('a', '1')
      .parameter('io.confluent.connect.avro.record.doc', 'record doc')
      .parameter('io.confluent.connect.avro.field.doc.id', 'id doc')
      .field('id', SchemaBuilder.int64().doc('connect doc'));
    expect(text(schema)).toBe(
      '{"type":"record","name":"V","namespace":"io.x","doc":"record doc","fields":[{"name":"id","type":{"type":"long","connect.doc":"connect doc"},"doc":"id doc"}],'
      + '"connect.doc":"the \\"doc\\"\\n","connect.version":3,"connect.parameters":{"b":"2","a":"1","io.confluent.connect.avro.record.doc":"record doc","io.confluent.connect.avro.field.doc.id":"id doc"},"connect.name":"io.x.V"}',
    );
  });

  it('escapes control characters as Jackson does and leaves non-ASCII as is', () => {
    expect(text(SchemaBuilder.string().doc('tab\there \u0001 é ✓ / \u007f'))).toBe('{"type":"string","connect.doc":"tab\\there \\u0001 é ✓ / \u007f"}');
  });

  it('writes no connect.* props with connect.meta.data=false, but keeps logical types', () => {
    const schema = SchemaBuilder.struct().name('io.x.V').field('amt', LogicalDecimal.schema(2)).field('b', Schema.INT8_SCHEMA);
    expect(text(schema, { connectMetaData: false })).toBe(
      '{"type":"record","name":"V","namespace":"io.x","fields":[{"name":"amt","type":{"type":"bytes","scale":2,"precision":64,"logicalType":"decimal"}},{"name":"b","type":"int"}]}',
    );
  });

  it('writes an Avro enum for enum parameters with enhanced.avro.schema.support, a string otherwise', () => {
    const color = SchemaBuilder.string()
      .parameter('io.confluent.connect.avro.Enum', 'io.x.Color')
      .parameter('io.confluent.connect.avro.Enum.RED', 'RED')
      .parameter('io.confluent.connect.avro.Enum.GREEN', 'GREEN').build();
    const params = '"connect.parameters":{"io.confluent.connect.avro.Enum":"io.x.Color","io.confluent.connect.avro.Enum.RED":"RED","io.confluent.connect.avro.Enum.GREEN":"GREEN"}';
    expect(text(color, { enhancedAvroSchemaSupport: true })).toBe(`{"type":"enum","name":"Color","namespace":"io.x","symbols":["RED","GREEN"],${params}}`);
    expect(text(color)).toBe(`{"type":"string",${params}}`);
  });

  it('scrubs invalid names with scrub.invalid.names', () => {
    const schema = SchemaBuilder.struct().name('io.x.my-record').field('first name', Schema.STRING_SCHEMA).field('1st', Schema.INT32_SCHEMA);
    expect(text(schema, { scrubInvalidNames: true })).toBe(
      '{"type":"record","name":"my_record","namespace":"io.x","fields":[{"name":"first_name","type":"string"},{"name":"x1st","type":"int"}],"connect.name":"io.x.my-record"}',
    );
  });
});
