import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import type { Struct } from '../../../../connectors/sdk/data/struct.js';
import { configIssues, sinkRecord, transform } from './transform-fixtures.js';

describe('HoistField', () => {
  it('wraps a value with a schema into a single-field struct', () => {
    const t = transform('HoistField$Value', { field: 'line' });
    const out = t.apply(sinkRecord({ valueSchema: Schema.STRING_SCHEMA, value: 'hello' }))!;
    expect(out.valueSchema!.type).toBe('STRUCT');
    expect(out.valueSchema!.field('line')!.schema).toBe(Schema.STRING_SCHEMA);
    expect((out.value as Struct).get('line')).toBe('hello');
  });

  it('wraps a schemaless value into a Map', () => {
    const t = transform('org.apache.kafka.connect.transforms.HoistField$Value', { field: 'line' });
    expect(t.apply(sinkRecord({ value: 'hello' }))!.value).toEqual(new Map([['line', 'hello']]));
  });

  it('wraps keys with the $Key variant, including null keys', () => {
    const t = transform('HoistField$Key', { field: 'id' });
    const out = t.apply(sinkRecord({ keySchema: Schema.OPTIONAL_INT64_SCHEMA, key: null, value: 'v' }))!;
    expect((out.key as Struct).get('id')).toBeNull();
    expect(out.value).toBe('v');
    expect(t.apply(sinkRecord({ key: 5 }))!.key).toEqual(new Map([['id', 5]]));
  });

  it('requires field', () => {
    expect(configIssues(() => transform('HoistField$Value', {}))[0].name).toBe('field');
  });
});
