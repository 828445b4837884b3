import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { ByteArrayConverter } from '../../../../runtime/pipeline/converters/byte-array-converter.js';

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();

  it('passes bytes through unchanged in both directions', () => {
    const bytes = Buffer.from([1, 2, 3]);
    expect(c.fromConnectData('t', [], Schema.BYTES_SCHEMA, bytes)).toBe(bytes);
    expect(c.fromConnectData('t', [], null, new Uint8Array([9]))).toEqual(Buffer.from([9]));
    const read = c.toConnectData('t', [], bytes);
    expect(read.schema).toBe(Schema.OPTIONAL_BYTES_SCHEMA);
    expect(read.value).toBe(bytes);
    expect(c.toConnectData('t', [], null).value).toBeNull();
    expect(c.toConnectData('t', [], null).schema).toBe(Schema.OPTIONAL_BYTES_SCHEMA);
    expect(c.toConnectData('u', [], null)).toBe(c.toConnectData('t', [], null));
    expect(c.fromConnectData('t', [], null, null)).toBeNull();
  });

  it('rejects other schemas and values', () => {
    expect(() => c.fromConnectData('t', [], Schema.STRING_SCHEMA, Buffer.alloc(1))).toThrow('Invalid schema type for ByteArrayConverter: STRING');
    expect(() => c.fromConnectData('t', [], null, 'text')).toThrow(DataError);
  });
});
