import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson, writeJson } from '../../../../runtime/stores/topic/jackson-json.js';

describe('jackson-json', () => {
  it('writes objects compactly with members in insertion order', () => {
    expect(writeJson({ b: 1, a: [true, null, 'x'], c: {} })).toBe('{"b":1,"a":[true,null,"x"],"c":{}}');
  });

  it('leaves out undefined members the way an absent map entry is absent', () => {
    expect(writeJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it('escapes control characters as Jackson does, with upper-case hex', () => {
    expect(writeJson('a"b\\c\n\t\r\b\f\u0001\u001f\u007f/')).toBe('"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001F\u007f/"');
  });

  it('writes non-ASCII text as raw UTF-8', () => {
    expect(encodeJson('é✓😀')).toEqual(Buffer.from('"é✓😀"', 'utf8'));
  });

  it('writes integers as integer text and other numbers as Java Double.toString does', () => {
    expect(writeJson([30, -7, 0, 2 ** 60, 1.5, 0.001, 1234567.25])).toBe('[30,-7,0,1152921504606846976,1.5,0.001,1234567.25]');
    expect(writeJson([1e21, 1.5e22, 0.0001, 1.2345e-7, 12345678.5])).toBe('[1.0E21,1.5E22,1.0E-4,1.2345E-7,1.23456785E7]');
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => writeJson(Number.NaN)).toThrow(RangeError);
    expect(() => writeJson({ a: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });

  it('reads JSON back and reports bytes that are not JSON as undefined', () => {
    expect(decodeJson(Buffer.from('{"a":[1,2.5,"x"]}'))).toEqual({ a: [1, 2.5, 'x'] });
    expect(decodeJson(Buffer.from('null'))).toBeNull();
    expect(decodeJson(Buffer.from('{"a":'))).toBeUndefined();
    expect(decodeJson(Buffer.alloc(0))).toBeUndefined();
  });
});
