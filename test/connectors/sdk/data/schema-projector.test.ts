/** Kafka Connect's SchemaProjector: what projects and how, and the errors for what does not. */
import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { projectValue } from '../../../../connectors/sdk/data/schema-projector.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../../connectors/sdk/errors.js';

const OLD = SchemaBuilder.struct().name('R').version(1).field('a', Schema.INT32_SCHEMA).field('tags', SchemaBuilder.array(Schema.INT8_SCHEMA).build()).build();
const NEW = SchemaBuilder.struct().name('R').version(2).field('a', Schema.INT64_SCHEMA).field('tags', SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build())
  .field('b', Schema.OPTIONAL_STRING_SCHEMA).field('c', SchemaBuilder.string().defaultValue('dflt').build()).build();

describe('projectValue', () => {
  it('fills missing fields with their default or null and widens numbers, in structs and arrays', () => {
    const projected = projectValue(OLD, new Struct(OLD).put('a', 7).put('tags', [1, 2]), NEW) as Struct;
    expect(projected.schema).toBe(NEW);
    expect([projected.get('a'), projected.get('tags'), projected.get('b'), projected.get('c')]).toEqual([7, [1, 2], null, 'dflt']);
  });

  it('rounds INT64 and FLOAT64 into FLOAT32 as Java does, and keeps maps', () => {
    expect(projectValue(Schema.INT64_SCHEMA, 16_777_217, Schema.FLOAT32_SCHEMA)).toBe(16_777_216);
    const from = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT16_SCHEMA).build();
    const to = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();
    expect(projectValue(from, new Map([['k', 3]]), to)).toEqual(new Map([['k', 3]]));
  });

  it('gives a null optional value the required target\'s default, and refuses it without one', () => {
    expect(projectValue(Schema.OPTIONAL_INT32_SCHEMA, null, SchemaBuilder.int32().defaultValue(4).build())).toBe(4);
    expect(() => projectValue(Schema.OPTIONAL_INT32_SCHEMA, null, Schema.INT32_SCHEMA)).toThrow(/target schema does not provide a default value/);
  });

  it('refuses narrowing, other names, other parameters and missing required fields with a DataError', () => {
    expect(() => projectValue(Schema.INT64_SCHEMA, 1, Schema.INT32_SCHEMA)).toThrow(new DataError('Schema type mismatch. source type: INT64 and target type: INT32'));
    expect(() => projectValue(OLD, new Struct(OLD).put('a', 1).put('tags', []), SchemaBuilder.struct().name('S').field('a', Schema.INT32_SCHEMA).build()))
      .toThrow(/Schema name mismatch. source name: R and target name: S/);
    const scaled = (scale: string) => SchemaBuilder.bytes().name('org.apache.kafka.connect.data.Decimal').parameter('scale', scale).build();
    expect(() => projectValue(scaled('2'), Buffer.from([1]), scaled('3'))).toThrow(/Schema parameters not equal/);
    const required = SchemaBuilder.struct().name('R').version(3).field('a', Schema.INT32_SCHEMA).field('z', Schema.STRING_SCHEMA).build();
    expect(() => projectValue(OLD, new Struct(OLD).put('a', 1).put('tags', []), required)).toThrow(/Required field `z` is missing from source schema/);
  });
});
