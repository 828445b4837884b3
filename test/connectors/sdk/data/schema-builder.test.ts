import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';

describe('SchemaBuilder', () => {
  it('builds a struct schema with ordered, indexed fields and metadata', () => {
    const schema = SchemaBuilder.struct()
      .name('com.example.User')
      .version(3)
      .doc('a user')
      .parameter('owner', 'team-a')
      .field('id', Schema.INT64_SCHEMA)
      .field('email', SchemaBuilder.string().optional())
      .optional()
      .build();

    expect(schema.type).toBe('STRUCT');
    expect(schema.optional).toBe(true);
    expect(schema.name).toBe('com.example.User');
    expect(schema.version).toBe(3);
    expect(schema.doc).toBe('a user');
    expect(schema.parameters).toEqual(new Map([['owner', 'team-a']]));
    expect(schema.fields.map((f) => [f.name, f.index, f.schema.type, f.schema.optional])).toEqual([
      ['id', 0, 'INT64', false],
      ['email', 1, 'STRING', true],
    ]);
    expect(schema.field('email')?.index).toBe(1);
    expect(schema.field('missing')).toBeNull();
  });

  it('leaves absent metadata null, so schemas compare like Kafka schemas', () => {
    const schema = SchemaBuilder.int32().build();
    expect([schema.name, schema.version, schema.doc, schema.parameters, schema.defaultValue]).toEqual([null, null, null, null, null]);
    expect(schema.equals(Schema.INT32_SCHEMA)).toBe(true);
    expect(SchemaBuilder.int32().optional().build().equals(Schema.OPTIONAL_INT32_SCHEMA)).toBe(true);
    expect(schema.equals(Schema.OPTIONAL_INT32_SCHEMA)).toBe(false);
  });

  it('keeps parameters in insertion order and skips an empty set', () => {
    const schema = SchemaBuilder.bytes().parameters({ b: '2', a: '1' }).parameter('c', '3').build();
    expect([...schema.parameters!.keys()]).toEqual(['b', 'a', 'c']);
    expect(SchemaBuilder.bytes().parameters({}).build().parameters).toBeNull();
  });

  it('builds array and map schemas from schemas or builders', () => {
    const array = SchemaBuilder.array(SchemaBuilder.string().optional()).build();
    expect(array.valueSchema?.equals(Schema.OPTIONAL_STRING_SCHEMA)).toBe(true);
    expect(array.keySchema).toBeNull();
    const map = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();
    expect(map.keySchema?.equals(Schema.STRING_SCHEMA)).toBe(true);
    expect(map.valueSchema?.equals(Schema.INT32_SCHEMA)).toBe(true);
  });

  it('refuses to set an attribute twice to different values', () => {
    expect(() => SchemaBuilder.string().name('a').name('b')).toThrow('Invalid SchemaBuilder call: name has already been set.');
    expect(() => SchemaBuilder.string().optional().required()).toThrow('optional has already been set');
    expect(() => SchemaBuilder.string().name('a').name('a')).not.toThrow();
  });

  it('rejects duplicate, empty and non-struct fields', () => {
    expect(() => SchemaBuilder.struct().field('a', Schema.INT8_SCHEMA).field('a', Schema.INT8_SCHEMA)).toThrow(
      'Cannot create field because of field name duplication a',
    );
    expect(() => SchemaBuilder.struct().field('', Schema.INT8_SCHEMA)).toThrow(DataError);
    expect(() => SchemaBuilder.int32().field('a', Schema.INT8_SCHEMA)).toThrow('Cannot create fields on type INT32');
  });

  it('validates a default value against the schema being built', () => {
    expect(SchemaBuilder.int32().defaultValue(7).build().defaultValue).toBe(7);
    expect(() => SchemaBuilder.int8().defaultValue(300)).toThrow(/Invalid default value: .*INT8.*number 300/);
    expect(() => SchemaBuilder.string().defaultValue(5)).toThrow(DataError);
  });

  it('compares schemas deeply, including fields, element schemas and defaults', () => {
    const make = (dflt: number) =>
      SchemaBuilder.struct().name('x').field('a', SchemaBuilder.int32().defaultValue(dflt)).field('b', SchemaBuilder.array(Schema.STRING_SCHEMA)).build();
    expect(make(1).equals(make(1))).toBe(true);
    expect(make(1).equals(make(2))).toBe(false);
    expect(make(1).equals(SchemaBuilder.struct().name('x').field('a', Schema.INT32_SCHEMA).build())).toBe(false);
  });

  it('makes schemas immutable', () => {
    const schema = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build();
    expect(() => {
      (schema as { optional: boolean }).optional = true;
    }).toThrow(TypeError);
    expect(() => (schema.fields as unknown[]).push(1)).toThrow(TypeError);
  });

  it('prints schemas the way Kafka does', () => {
    expect(Schema.INT32_SCHEMA.toString()).toBe('Schema{INT32}');
    expect(SchemaBuilder.struct().name('com.example.User').build().toString()).toBe('Schema{com.example.User:STRUCT}');
  });

  it('accepts a struct default built against the schema so far', () => {
    const inner = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA);
    const dflt = new Struct(inner.build()).put('a', 1);
    expect(inner.defaultValue(dflt).build().defaultValue).toBe(dflt);
  });
});
