import { describe, expect, it } from 'vitest';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { sinkRecord, sourceRecord, transform } from './transform-fixtures.js';

describe('Filter', () => {
  it('drops every record, with or without schemas', () => {
    expect(transform('org.apache.kafka.connect.transforms.Filter').apply(sinkRecord({ valueSchema: Schema.STRING_SCHEMA, value: 'x' }))).toBeNull();
    expect(transform('Filter').apply(sourceRecord({ value: { a: 1 } }))).toBeNull();
  });
});
