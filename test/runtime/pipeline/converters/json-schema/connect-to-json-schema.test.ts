/**
 * The JSON Schema text the JsonSchemaConverter registers for each Connect type and logical type
 * (reference §5.7), key order as Confluent's converter prints it, and the JSON Schema → Connect
 * mapping reading those texts (and plain ones) back.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../../../connectors/sdk/errors.js';
import { connectToJsonSchema } from '../../../../../runtime/pipeline/converters/json-schema/connect-to-json-schema.js';
import { printJson } from '../../../../../runtime/pipeline/converters/json-schema/jackson-json-print.js';
import { DEFAULT_JSON_SCHEMA_DATA_SETTINGS, type JsonSchemaDataSettings } from '../../../../../runtime/pipeline/converters/json-schema/json-schema-data-config.js';
import { jsonSchemaToConnect } from '../../../../../runtime/pipeline/converters/json-schema/json-schema-to-connect.js';
import { parseJsonText } from '../../../../../runtime/pipeline/converters/json-text.js';

const text = (schema: Schema, settings: Partial<JsonSchemaDataSettings> = {}) =>
  printJson(connectToJsonSchema(schema, { ...DEFAULT_JSON_SCHEMA_DATA_SETTINGS, ...settings }));
const read = (schemaText: string, version: number | null = null, settings: Partial<JsonSchemaDataSettings> = {}) =>
  jsonSchemaToConnect(parseJsonText(schemaText).value!, version, { ...DEFAULT_JSON_SCHEMA_DATA_SETTINGS, ...settings });

const ALL_PRIMITIVES = SchemaBuilder.struct()
  .field('int8', Schema.INT8_SCHEMA).field('int16', Schema.INT16_SCHEMA).field('int32', Schema.INT32_SCHEMA)
  .field('int64', Schema.INT64_SCHEMA).field('float32', Schema.FLOAT32_SCHEMA).field('float64', Schema.FLOAT64_SCHEMA)
  .field('boolean', Schema.BOOLEAN_SCHEMA).field('string', Schema.STRING_SCHEMA).field('bytes', Schema.BYTES_SCHEMA)
  .field('array', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
  .field('map', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
  .build();

describe('Connect schema → JSON Schema text', () => {
  it("writes every primitive, array and string-key map as Confluent's converter did in the schema its SchemaValuesTest pins", () => {
    // That test pins a schema the converter generated (pretty-printed there): properties and extra
    // keywords come out in Java HashMap order.
    expect(text(ALL_PRIMITIVES)).toBe('{"type":"object","properties":{'
      + '"boolean":{"connect.index":6,"type":"boolean"},'
      + '"string":{"type":"string","connect.index":7},'
      + '"int32":{"type":"integer","connect.index":2,"connect.type":"int32"},'
      + '"array":{"type":"array","connect.index":9,"items":{"type":"string"}},'
      + '"int64":{"type":"integer","connect.index":3,"connect.type":"int64"},'
      + '"bytes":{"type":"string","connect.index":8,"connect.type":"bytes"},'
      + '"int8":{"type":"integer","connect.index":0,"connect.type":"int8"},'
      + '"float32":{"type":"number","connect.index":4,"connect.type":"float32"},'
      + '"float64":{"type":"number","connect.index":5,"connect.type":"float64"},'
      + '"map":{"type":"object","connect.index":10,"connect.type":"map","additionalProperties":{"type":"integer","connect.type":"int32"}},'
      + '"int16":{"type":"integer","connect.index":1,"connect.type":"int16"}}}');
  });

  it.each([
    ['INT8', Schema.INT8_SCHEMA, '{"type":"integer","connect.type":"int8"}'],
    ['INT16', Schema.INT16_SCHEMA, '{"type":"integer","connect.type":"int16"}'],
    ['INT32', Schema.INT32_SCHEMA, '{"type":"integer","connect.type":"int32"}'],
    ['INT64', Schema.INT64_SCHEMA, '{"type":"integer","connect.type":"int64"}'],
    ['FLOAT32', Schema.FLOAT32_SCHEMA, '{"type":"number","connect.type":"float32"}'],
    ['FLOAT64', Schema.FLOAT64_SCHEMA, '{"type":"number","connect.type":"float64"}'],
    ['BOOLEAN', Schema.BOOLEAN_SCHEMA, '{"type":"boolean"}'],
    ['STRING', Schema.STRING_SCHEMA, '{"type":"string"}'],
    ['BYTES', Schema.BYTES_SCHEMA, '{"type":"string","connect.type":"bytes"}'],
    ['optional STRING', Schema.OPTIONAL_STRING_SCHEMA, '{"oneOf":[{"type":"null"},{"type":"string"}]}'],
    ['ARRAY', SchemaBuilder.array(Schema.INT64_SCHEMA).build(), '{"type":"array","items":{"type":"integer","connect.type":"int64"}}'],
    ['Decimal', LogicalDecimal.schema(2),
      '{"type":"string","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}'],
    ['Date', LogicalDate.SCHEMA, '{"type":"integer","title":"org.apache.kafka.connect.data.Date","connect.version":1,"connect.type":"int32"}'],
    ['Time', LogicalTime.SCHEMA, '{"type":"integer","title":"org.apache.kafka.connect.data.Time","connect.version":1,"connect.type":"int32"}'],
    ['Timestamp', LogicalTimestamp.SCHEMA, '{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","connect.version":1,"connect.type":"int64"}'],
    ['optional Timestamp', LogicalTimestamp.builder().optional().build(),
      '{"oneOf":[{"type":"null"},{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","connect.version":1,"connect.type":"int64"}]}'],
  ])('%s', (_name, schema, expected) => {
    expect(text(schema)).toBe(expected);
  });

  it('writes a Decimal as a number with decimal.format=NUMERIC', () => {
    expect(text(LogicalDecimal.schema(3), { decimalFormat: 'NUMERIC' })).toBe(
      '{"type":"number","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"3"}}',
    );
  });

  it('writes a named struct with its title, optional fields as oneOf with the index outside, and a map with non-string keys as key/value entries', () => {
    const schema = SchemaBuilder.struct().name('io.x.Value')
      .field('id', Schema.INT32_SCHEMA)
      .field('name', Schema.OPTIONAL_STRING_SCHEMA)
      .field('tags', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
      .field('sub', SchemaBuilder.struct().name('io.x.Sub').optional().field('a', Schema.INT32_SCHEMA).build())
      .build();
    expect(text(schema)).toBe('{"type":"object","title":"io.x.Value","properties":{'
      + '"name":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"string"}]},'
      + '"sub":{"connect.index":3,"oneOf":[{"type":"null"},{"type":"object","title":"io.x.Sub","properties":{"a":{"type":"integer","connect.index":0,"connect.type":"int32"}}}]},'
      + '"id":{"type":"integer","connect.index":0,"connect.type":"int32"},'
      + '"tags":{"type":"array","connect.index":2,"connect.type":"map","items":{"type":"object","properties":{'
      + '"value":{"type":"string","connect.index":1},"key":{"type":"integer","connect.index":0,"connect.type":"int32"}}}}}}');
  });

  it('writes doc as description, defaults as org.json leaves them, version and parameters, and additionalProperties:false when asked', () => {
    const schema = SchemaBuilder.struct().name('io.x.D').version(3).doc('a record').parameter('owner', 'team-a')
      .field('ratio', SchemaBuilder.float64().defaultValue(1.0).doc('a double').build())
      .field('big', SchemaBuilder.float64().defaultValue(1e7).build())
      .field('label', SchemaBuilder.string().optional().defaultValue('none').build())
      .field('raw', SchemaBuilder.bytes().defaultValue(Buffer.from('hi')).build())
      .build();
    expect(text(schema, { objectAdditionalProperties: false })).toBe(
      '{"type":"object","additionalProperties":false,"title":"io.x.D","description":"a record","connect.version":3,"connect.parameters":{"owner":"team-a"},"properties":{'
      + '"big":{"type":"number","default":1.0E+7,"connect.index":1,"connect.type":"float64"},'
      + '"raw":{"type":"string","default":"aGk=","connect.index":3,"connect.type":"bytes"},'
      + '"label":{"connect.index":2,"oneOf":[{"type":"null"},{"type":"string","default":"none"}]},'
      + '"ratio":{"type":"number","description":"a double","default":1,"connect.index":0,"connect.type":"float64"}}}',
    );
  });

  it('writes a STRING with io.confluent.connect.json.Enum parameters as an enum, and a OneOf struct as a oneOf of its branches', () => {
    const color = SchemaBuilder.string().parameter('io.confluent.connect.json.Enum', '')
      .parameter('io.confluent.connect.json.Enum.RED', 'RED').parameter('io.confluent.connect.json.Enum.GREEN', 'GREEN').build();
    expect(text(color)).toBe('{"enum":["RED","GREEN"]}');
    const union = SchemaBuilder.struct().name('io.confluent.connect.json.OneOf').optional()
      .field('io.confluent.connect.json.OneOf.field.0', Schema.OPTIONAL_INT32_SCHEMA)
      .field('io.confluent.connect.json.OneOf.field.1', Schema.OPTIONAL_STRING_SCHEMA).build();
    expect(text(union)).toBe('{"oneOf":[{"type":"null"},{"type":"integer","connect.index":0,"connect.type":"int32"},{"type":"string","connect.index":1}]}');
  });
});

describe('JSON Schema text → Connect schema', () => {
  it('reads back every schema the converter writes, equal to the original', () => {
    const schema = SchemaBuilder.struct().name('io.x.All').version(1)
      .field('p', ALL_PRIMITIVES)
      .field('amount', LogicalDecimal.schema(2)).field('day', LogicalDate.SCHEMA).field('at', LogicalTime.SCHEMA)
      .field('ts', LogicalTimestamp.builder().optional().build())
      .field('tags', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build())
      .field('ratio', SchemaBuilder.float64().defaultValue(2.5).doc('d').build())
      .field('sub', SchemaBuilder.struct().name('io.x.Sub').optional().field('a', Schema.INT32_SCHEMA).build())
      .build();
    expect(read(text(schema)).equals(schema)).toBe(true);
    expect(read(text(LogicalDecimal.schema(4), { decimalFormat: 'NUMERIC' })).equals(LogicalDecimal.schema(4))).toBe(true);
  });

  it('takes the registry version unless the schema says connect.version, also through an optional wrapper', () => {
    expect(read('{"type":"string"}', 4).version).toBe(4);
    expect(read('{"type":"integer","connect.version":1}', 4).version).toBe(1);
    expect(read('{"oneOf":[{"type":"null"},{"type":"object","title":"T","properties":{}}]}', 2).version).toBe(2);
  });

  it('reads plain JSON Schemas other producers register', () => {
    const schema = read('{"$schema":"http://json-schema.org/draft-07/schema#","title":"Person","type":"object","definitions":{"Addr":{"type":"object","properties":{"city":{"type":"string"}}}},'
      + '"properties":{"name":{"type":"string"},"age":{"type":["integer","null"]},"score":{"type":"number"},"addr":{"$ref":"#/definitions/Addr"},'
      + '"kind":{"enum":["a","b"]}},"required":["name"]}', 1, { useOptionalForNonrequired: true });
    expect(schema.name).toBe('Person');
    expect(schema.field('name')!.schema.equals(Schema.STRING_SCHEMA)).toBe(true);
    expect(schema.field('age')!.schema.equals(Schema.OPTIONAL_INT64_SCHEMA)).toBe(true);
    expect(schema.field('score')!.schema.equals(Schema.OPTIONAL_FLOAT64_SCHEMA)).toBe(true);
    expect(schema.field('addr')!.schema.field('city')!.schema.type).toBe('STRING');
    expect([...schema.field('kind')!.schema.parameters!]).toEqual([
      ['io.confluent.connect.json.Enum', ''], ['io.confluent.connect.json.Enum.a', 'a'], ['io.confluent.connect.json.Enum.b', 'b'],
    ]);
    expect(schema.fields.map((f) => f.name).sort()).toEqual(['addr', 'age', 'kind', 'name', 'score']);
  });

  it('reads a oneOf of several schemas as an io.confluent.connect.json.OneOf struct', () => {
    const schema = read('{"oneOf":[{"type":"null"},{"type":"integer"},{"type":"string"}]}');
    expect(schema.name).toBe('io.confluent.connect.json.OneOf');
    expect(schema.optional).toBe(true);
    expect(schema.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['io.confluent.connect.json.OneOf.field.0', 'INT64', true], ['io.confluent.connect.json.OneOf.field.1', 'STRING', true],
    ]);
  });

  it('refuses what it cannot map with a DataError saying what', () => {
    expect(() => read('{}')).toThrow(DataError);
    expect(() => read('{}')).toThrow('Unsupported JSON Schema without a type');
    expect(() => read('{"allOf":[{"type":"string"},{"type":"integer"}]}')).toThrow('allOf of several schemas');
    expect(() => read('{"type":"object","properties":{"me":{"$ref":"#"}}}')).toThrow('is recursive');
  });

  it('reads a struct default written as a JSON object', () => {
    const sub = SchemaBuilder.struct().name('S').field('a', Schema.INT32_SCHEMA).field('b', Schema.STRING_SCHEMA).build();
    const schema = SchemaBuilder.struct().name('io.x.WithDefault')
      .field('s', SchemaBuilder.struct().name('S').field('a', Schema.INT32_SCHEMA).field('b', Schema.STRING_SCHEMA)
        .defaultValue(new Struct(sub).put('a', 1).put('b', 'x')).build())
      .field('amount', LogicalDecimal.builder(1).defaultValue(new Decimal(15n, 1)).build())
      .build();
    const again = read(text(schema));
    expect(again.equals(schema)).toBe(true);
  });
});
