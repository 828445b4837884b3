import { describe, expect, it } from 'vitest';
import { copiedHashMapOrder, hashMapOrder, javaStringHash } from '../../../../../runtime/pipeline/converters/json-schema/java-hash-map-order.js';

describe('Java HashMap iteration order', () => {
  it('hashes strings as Java does', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('connect.parameters')).toBe(javaStringHash('connect.parameters'));
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
  });

  it("orders a struct's properties as the JSON Schema Confluent's converter registered for them", () => {
    // The property order of a converter-generated schema pinned in Confluent's SchemaValuesTest.
    const fields = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes', 'array', 'map'];
    expect(copiedHashMapOrder(hashMapOrder(fields))).toEqual(
      ['boolean', 'string', 'int32', 'array', 'int64', 'bytes', 'int8', 'float32', 'float64', 'map', 'int16'],
    );
    expect(copiedHashMapOrder(['connect.type', 'connect.index'])).toEqual(['connect.index', 'connect.type']);
  });
});
