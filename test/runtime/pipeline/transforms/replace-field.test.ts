import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { configIssues, sinkRecord, transform } from './transform-fixtures.js';

const schema = SchemaBuilder.struct().name('User').version(2)
  .field('id', Schema.INT64_SCHEMA)
  .field('email', Schema.OPTIONAL_STRING_SCHEMA)
  .field('password', Schema.OPTIONAL_STRING_SCHEMA)
  .build();

function user(): Struct {
  return new Struct(schema).put('id', 1).put('email', 'a@b.c').put('password', 'secret');
}

describe('ReplaceField', () => {
  it('drops excluded fields and renames others in a struct, keeping schema name and version', () => {
    const t = transform('org.apache.kafka.connect.transforms.ReplaceField$Value', { exclude: 'password', renames: 'email:mail' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: user() }))!;
    expect(out.valueSchema!.fields.map((f) => f.name)).toEqual(['id', 'mail']);
    expect([out.valueSchema!.name, out.valueSchema!.version]).toEqual(['User', 2]);
    expect((out.value as Struct).get('mail')).toBe('a@b.c');
  });

  it('keeps only included fields, with exclusion winning over inclusion', () => {
    const t = transform('ReplaceField$Value', { include: 'id,password', exclude: 'password' });
    const out = t.apply(sinkRecord({ valueSchema: schema, value: user() }))!;
    expect(out.valueSchema!.fields.map((f) => f.name)).toEqual(['id']);
  });

  it('filters and renames schemaless maps and plain objects', () => {
    const t = transform('ReplaceField$Value', { exclude: 'password', renames: 'email:mail' });
    const map = t.apply(sinkRecord({ value: new Map<string, unknown>([['id', 1], ['email', 'x'], ['password', 'p']]) }))!;
    expect(map.value).toEqual(new Map<string, unknown>([['id', 1], ['mail', 'x']]));
    const object = t.apply(sinkRecord({ value: { id: 1, email: 'x', password: 'p' } }))!;
    expect(object.value).toEqual({ id: 1, mail: 'x' });
  });

  it('works on keys with the $Key variant', () => {
    const t = transform('ReplaceField$Key', { include: 'id' });
    expect(t.apply(sinkRecord({ keySchema: schema, key: user() }))!.keySchema!.fields.map((f) => f.name)).toEqual(['id']);
    expect(t.apply(sinkRecord({ key: { id: 1, email: 'x' } }))!.key).toEqual({ id: 1 });
  });

  it('honours the deprecated blacklist and whitelist spellings unless the new keys are set', () => {
    const t = transform('ReplaceField$Value', { blacklist: 'password' });
    expect(t.apply(sinkRecord({ value: { id: 1, password: 'p' } }))!.value).toEqual({ id: 1 });
    const w = transform('ReplaceField$Value', { whitelist: 'id', include: 'email' });
    expect(w.apply(sinkRecord({ value: { id: 1, email: 'x' } }))!.value).toEqual({ email: 'x' });
  });

  it('passes null values through', () => {
    const record = sinkRecord({ valueSchema: schema, value: null });
    expect(transform('ReplaceField$Value', { exclude: 'id' }).apply(record)).toBe(record);
  });

  it('rejects rename entries that are not old:new pairs', () => {
    expect(configIssues(() => transform('ReplaceField$Value', { renames: 'a:b,c' }))).toEqual([
      { name: 'renames', message: 'Invalid value [a:b, c] for configuration renames: Invalid rename mapping: c' },
    ]);
  });
});
