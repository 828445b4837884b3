import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { configIssues, sinkRecord, transform } from './transform-fixtures.js';

const schema = SchemaBuilder.struct().name('old').version(1).doc('d').field('id', Schema.INT32_SCHEMA).build();

describe('SetSchemaMetadata', () => {
  it('renames and re-versions a struct schema and rebuilds the struct on it', () => {
    const t = transform('org.apache.kafka.connect.transforms.SetSchemaMetadata$Value', { 'schema.name': 'com.acme.Order', 'schema.version': '3' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: new Struct(schema).put('id', 5) }))!;
    expect([out.valueSchema!.name, out.valueSchema!.version, out.valueSchema!.doc]).toEqual(['com.acme.Order', 3, 'd']);
    expect((out.value as Struct).schema).toBe(out.valueSchema);
    expect((out.value as Struct).get('id')).toBe(5);
  });

  it('changes only what is configured, on primitive schemas too', () => {
    const t = transform('SetSchemaMetadata$Key', { 'schema.version': '7' });
    const out = t.apply(sinkRecord({ keySchema: SchemaBuilder.string().name('k').build(), key: 'abc' }))!;
    expect([out.keySchema!.name, out.keySchema!.version, out.key]).toEqual(['k', 7, 'abc']);
  });

  it('requires a schema, except for a null without schema', () => {
    const t = transform('SetSchemaMetadata$Value', { 'schema.name': 'x' });
    expect(() => t.apply(sinkRecord({ value: { id: 1 } }))).toThrow('Schema required for [updating schema metadata]');
    const tombstone = sinkRecord({ value: null });
    expect(t.apply(tombstone)).toBe(tombstone);
  });

  it('requires a name or a version', () => {
    expect(configIssues(() => transform('SetSchemaMetadata$Value', {}))).toEqual([
      { name: 'schema.name', message: 'Neither schema name nor version configured' },
    ]);
  });
});
