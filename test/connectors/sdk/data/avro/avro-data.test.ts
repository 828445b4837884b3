/**
 * Avro binary of Connect values (golden bytes written out from the Avro spec and the reference's
 * value mapping, schema-registry.md §5.5), the Avro → Connect schema mapping (§5.4), and round trips.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../../../connectors/sdk/errors.js';
import { DEFAULT_AVRO_DATA_SETTINGS } from '../../../../../connectors/sdk/data/avro/avro-data-config.js';
import { AvroData } from '../../../../../connectors/sdk/data/avro/avro-data.js';

const data = new AvroData(DEFAULT_AVRO_DATA_SETTINGS);
const hex = (b: Buffer) => b.toString('hex');

/** The reference's worked example, optionally with a version. */
function valueSchema(version?: number): Schema {
  const builder = SchemaBuilder.struct().name('io.x.Value');
  if (version !== undefined) builder.version(version);
  return builder
    .field('id', Schema.INT32_SCHEMA)
    .field('name', Schema.OPTIONAL_STRING_SCHEMA)
    .field('ts', LogicalTimestamp.builder().optional())
    .field('amt', LogicalDecimal.schema(2))
    .field('tags', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA))
    .build();
}
const VALUE = valueSchema();

describe('Connect values → Avro binary', () => {
  it('writes the worked example record field by field', () => {
    const value = new Struct(VALUE).put('id', 1).put('ts', new Date(1000)).put('amt', new Decimal(12345n, 2)).put('tags', new Map([[1, 'a']]));
    // id 1 → 02; name null → branch 0 (00); ts → branch 1 (02) + long 1000 (d0 0f);
    // amt → 2 bytes (04) 30 39; tags → one block of 1 (02): key 1 (02), value "a" (02 61), end (00).
    expect(hex(data.writerFor(VALUE).encode(value))).toBe('0200' + '02d00f' + '043039' + '02' + '02' + '0261' + '00');
  });

  it.each<[string, Schema, unknown, string]>([
    ['INT8 -1', Schema.INT8_SCHEMA, -1, '01'],
    ['INT16 300', Schema.INT16_SCHEMA, 300, 'd804'],
    ['INT64 2^60 (a bigint)', Schema.INT64_SCHEMA, 2n ** 60n, '808080808080808020'],
    ['INT64 -(2^63)', Schema.INT64_SCHEMA, -(2n ** 63n), 'ffffffffffffffffff01'],
    ['FLOAT32 1.5', Schema.FLOAT32_SCHEMA, 1.5, '0000c03f'],
    ['FLOAT64 -2', Schema.FLOAT64_SCHEMA, -2, '00000000000000c0'],
    ['BOOLEAN true', Schema.BOOLEAN_SCHEMA, true, '01'],
    ['STRING "hé"', Schema.STRING_SCHEMA, 'hé', '0668c3a9'],
    ['optional STRING "hi"', Schema.OPTIONAL_STRING_SCHEMA, 'hi', '02046869'],
    ['top-level BYTES, raw as Confluent writes them', Schema.BYTES_SCHEMA, Buffer.from([1, 2, 3]), '010203'],
    ['optional BYTES, Avro bytes in a union', Schema.OPTIONAL_BYTES_SCHEMA, Buffer.from([1, 2, 3]), '0206010203'],
    ['Decimal -1 (scale 0) in a union', LogicalDecimal.builder(0).optional().build(), new Decimal(-1n, 0), '0202ff'],
    ['Decimal 128 as fixed of 4, sign-extended', LogicalDecimal.builder(0).parameter('connect.fixed.size', '4').build(), new Decimal(-128n, 0), 'ffffff80'],
    ['Date 1970-01-04', LogicalDate.SCHEMA, new Date(3 * 86_400_000), '06'],
    ['Time 00:00:01', LogicalTime.SCHEMA, new Date(1000), 'd00f'],
    ['Timestamp -1 ms', LogicalTimestamp.SCHEMA, new Date(-1), '01'],
    ['ARRAY of optional INT32', SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).build(), [1, null], '04' + '0202' + '00' + '00'],
    ['string MAP', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), new Map([['a', 1]]), '02' + '0261' + '02' + '00'],
    ['Union STRUCT holding a string', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA).build(),
      null, '02' + '0278'],
  ])('%s', (_name, schema, value, expected) => {
    const v = value ?? new Struct(schema).put('string', 'x');
    expect(hex(data.writerFor(schema).encode(v))).toBe(expected);
  });

  it('replaces a null field that has a default by the default, unless ignore.default.for.nullables', () => {
    const schema = SchemaBuilder.struct().name('io.x.D').field('s', SchemaBuilder.string().optional().defaultValue('d')).build();
    const value = new Struct(schema);
    expect(hex(data.writerFor(schema).encode(value))).toBe('000264'); // branch 0 = string: "d"
    const ignoring = new AvroData({ ...DEFAULT_AVRO_DATA_SETTINGS, ignoreDefaultForNullables: true });
    expect(hex(ignoring.writerFor(schema).encode(value))).toBe('02'); // branch 1 = null
  });

  it('refuses a null for a required schema, naming the field', () => {
    const schema = SchemaBuilder.struct().name('io.x.R').field('id', Schema.INT32_SCHEMA).build();
    expect(() => data.writerFor(schema).encode(new Struct(schema))).toThrow('Found null value for non-optional schema at id');
  });
});

describe('Avro schema → Connect schema', () => {
  it('reads back every Connect type of the worked example, with the registry version at the top level', () => {
    const reader = data.readerFor(data.writerFor(VALUE).text, 4);
    expect(reader.connectSchema.equals(valueSchema(4))).toBe(true);
  });

  it('maps a schema no Connect converter wrote: enums, unions, field defaults, docs', () => {
    const reader = data.readerFor(JSON.stringify({
      type: 'record', name: 'User', namespace: 'com.acme', doc: 'a user',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'email', type: ['null', 'string'], default: null },
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
        { name: 'score', type: 'double', default: 0, doc: 'the score' },
        { name: 'either', type: ['int', 'string', { type: 'record', name: 'P', fields: [{ name: 'x', type: 'int' }] }] },
        { name: 'micros', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'small', type: { type: 'int', 'connect.type': 'int16' } },
        { name: 'big', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 3 } },
      ],
    }));
    const kind = SchemaBuilder.string().name('com.acme.Kind')
      .parameter('io.confluent.connect.avro.Enum', 'com.acme.Kind')
      .parameter('io.confluent.connect.avro.Enum.A', 'A').parameter('io.confluent.connect.avro.Enum.B', 'B');
    const union = SchemaBuilder.struct().name('io.confluent.connect.avro.Union')
      .field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA)
      .field('P', SchemaBuilder.struct().name('com.acme.P').field('x', Schema.INT32_SCHEMA).optional());
    const expected = SchemaBuilder.struct().name('com.acme.User')
      .parameter('io.confluent.connect.avro.record.doc', 'a user')
      .parameter('io.confluent.connect.avro.field.doc.score', 'the score')
      .field('id', Schema.INT64_SCHEMA)
      .field('email', Schema.OPTIONAL_STRING_SCHEMA)
      .field('kind', kind)
      .field('score', SchemaBuilder.float64().defaultValue(0).parameter('io.confluent.connect.avro.field.default', 'true'))
      .field('either', union)
      .field('micros', Schema.INT64_SCHEMA)
      .field('small', Schema.INT16_SCHEMA)
      .field('big', LogicalDecimal.builder(3).parameter('connect.decimal.precision', '10'))
      .build();
    expect(reader.connectSchema.equals(expected)).toBe(true);
    // The field default flag keeps connect.default out of the way back.
    expect(data.writerFor(reader.connectSchema).text).toContain('{"name":"score","type":"double","doc":"the score","default":0.0}');
  });

  it('reads a record default as a Struct of the field schema as finally named, and writes it back as the field default only', () => {
    const text = '{"type":"record","name":"O","namespace":"n","fields":[{"name":"p","type":{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]},"default":{"x":7}}]}';
    const field = data.readerFor(text).connectSchema.field('p')!.schema;
    expect(field.name).toBe('n.P');
    expect(field.parameters?.get('io.confluent.connect.avro.field.default')).toBe('true');
    const defaultSchema = (field.defaultValue as Struct).schema;
    expect([defaultSchema.name, defaultSchema.parameters?.get('io.confluent.connect.avro.field.default')]).toEqual(['n.P', 'true']);
    expect((field.defaultValue as Struct).get('x')).toBe(7);
    expect(data.writerFor(data.readerFor(text).connectSchema).text).toBe(
      '{"type":"record","name":"O","namespace":"n","fields":[{"name":"p","type":{"type":"record","name":"P","fields":[{"name":"x","type":"int"}],'
      + '"connect.name":"n.P"},"default":{"x":7}}],"connect.name":"n.O"}',
    );
  });

  it('drops ConnectDefault names and keeps MapEntry arrays as maps', () => {
    const schema = SchemaBuilder.struct().field('m', SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)).build();
    expect(data.readerFor(data.writerFor(schema).text).connectSchema.equals(schema)).toBe(true);
  });

  it('refuses a standalone null schema', () => {
    expect(() => data.readerFor('"null"')).toThrow('Standalone null schemas are not supported by this converter');
  });
});

describe('enums and unions', () => {
  it('writes an enum symbol by its index with enhanced.avro.schema.support and reads it back as the string', () => {
    const enhanced = new AvroData({ ...DEFAULT_AVRO_DATA_SETTINGS, enhancedAvroSchemaSupport: true });
    const color = SchemaBuilder.string().parameter('io.confluent.connect.avro.Enum', 'io.x.Color')
      .parameter('io.confluent.connect.avro.Enum.RED', 'RED').parameter('io.confluent.connect.avro.Enum.GREEN', 'GREEN').build();
    const writer = enhanced.writerFor(color);
    expect(hex(writer.encode('GREEN'))).toBe('02');
    expect(() => writer.encode('BLUE')).toThrow(DataError);
    const read = enhanced.readerFor(writer.text).decode(writer.encode('GREEN'));
    expect(read.value).toBe('GREEN');
    expect(read.schema!.name).toBe('io.x.Color');
  });

  it('reads a union of several types into the Union struct, the branch that was written set', () => {
    const reader = data.readerFor('["null","int","string",{"type":"record","name":"P","namespace":"io.x","fields":[{"name":"x","type":"int"}]}]');
    const struct = reader.decode(Buffer.from('06' + '0e', 'hex')).value as Struct; // branch 3 (P), x = 7
    expect(reader.connectSchema.name).toBe('io.confluent.connect.avro.Union');
    expect(reader.connectSchema.optional).toBe(true);
    expect([struct.get('int'), struct.get('string'), (struct.get('P') as Struct).get('x')]).toEqual([null, null, 7]);
    expect(reader.decode(Buffer.from('00', 'hex')).value).toBeNull();
    expect(hex(data.writerFor(reader.connectSchema).encode(struct))).toBe('060e');
  });
});

describe('round trips', () => {
  const everything = SchemaBuilder.struct().name('io.x.All').version(2).doc('all types')
    .field('i8', Schema.INT8_SCHEMA).field('i16', Schema.OPTIONAL_INT16_SCHEMA).field('i32', SchemaBuilder.int32().defaultValue(5))
    .field('i64', Schema.INT64_SCHEMA).field('f32', Schema.FLOAT32_SCHEMA).field('f64', Schema.OPTIONAL_FLOAT64_SCHEMA)
    .field('b', Schema.BOOLEAN_SCHEMA).field('s', SchemaBuilder.string().optional().defaultValue('dflt')).field('bytes', Schema.BYTES_SCHEMA)
    .field('dec', LogicalDecimal.builder(4).optional()).field('date', LogicalDate.SCHEMA).field('time', LogicalTime.SCHEMA).field('ts', LogicalTimestamp.SCHEMA)
    .field('arr', SchemaBuilder.array(SchemaBuilder.struct().name('io.x.Item').field('n', Schema.INT32_SCHEMA)))
    .field('smap', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA))
    .field('imap', SchemaBuilder.map(Schema.INT32_SCHEMA, SchemaBuilder.array(Schema.STRING_SCHEMA)).optional())
    .field('nested', SchemaBuilder.struct().field('deep', Schema.OPTIONAL_STRING_SCHEMA).optional())
    .build();
  const item = everything.field('arr')!.schema.valueSchema!;
  const nested = everything.field('nested')!.schema;

  it('reads back what it writes: the same Connect schema and value', () => {
    const value = new Struct(everything)
      .put('i8', -128).put('i16', null).put('i64', 2n ** 62n).put('f32', 0.5).put('f64', Math.PI).put('b', true)
      .put('s', null).put('bytes', Buffer.from('bin')).put('dec', new Decimal(-123456789012345678901234567890n, 4))
      .put('date', new Date(Date.UTC(2024, 1, 29))).put('time', new Date(12 * 3_600_000)).put('ts', new Date(Date.UTC(2026, 11, 6, 11, 0, 0, 123)))
      .put('arr', [new Struct(item).put('n', 1), new Struct(item).put('n', 2)])
      .put('smap', new Map([['k', 'v'], ['none', null]]))
      .put('imap', new Map([[3, ['a', 'b']], [-4, []]]))
      .put('nested', new Struct(nested).put('deep', 'down'));
    const writer = data.writerFor(everything);
    const reader = data.readerFor(writer.text);
    const read = reader.decode(writer.encode(value));
    expect(read.schema!.equals(everything)).toBe(true);
    const expected = new Struct(everything);
    for (const f of everything.fields) expected.put(f, value.get(f));
    expect(read.value).toEqual(expected);
    expect((read.value as Struct).equals(expected)).toBe(true);
  });

  it('finds the writer made for an equal schema built again (connectors that build a Schema per record)', () => {
    const cache = new AvroData(DEFAULT_AVRO_DATA_SETTINGS);
    expect(cache.writerFor(valueSchema())).toBe(cache.writerFor(valueSchema()));
    expect(cache.writerFor(valueSchema(2))).not.toBe(cache.writerFor(valueSchema()));
  });

  it('reads back a struct without a namespace used twice inside a namespaced one, once in a union', () => {
    const point = SchemaBuilder.struct().name('Point').field('x', Schema.INT32_SCHEMA).optional().build();
    const outer = SchemaBuilder.struct().name('io.x.Outer').field('p', point).field('q', point).build();
    const writer = data.writerFor(outer);
    expect(writer.text).toBe('{"type":"record","name":"Outer","namespace":"io.x","fields":['
      + '{"name":"p","type":["null",{"type":"record","name":"Point","namespace":"","fields":[{"name":"x","type":"int"}],"connect.name":"Point"}],"default":null},'
      + '{"name":"q","type":["null","Point"],"default":null}],"connect.name":"io.x.Outer"}');
    const value = new Struct(outer).put('p', new Struct(point).put('x', 1)).put('q', new Struct(point).put('x', 2));
    expect((data.readerFor(writer.text).decode(writer.encode(value)).value as Struct).equals(value)).toBe(true);
  });

  it('registers the same text for the schema it read back', () => {
    const text = data.writerFor(everything).text;
    expect(data.writerFor(data.readerFor(text).connectSchema).text).toBe(text);
  });
});
