import { describe, expect, it } from 'vitest';
import { JsonFormat, jsonOf } from '../../../connectors/s3/formats/json-format.js';
import { TerminatedBytes, type EncodedLine } from '../../../connectors/s3/formats/record-format.js';
import { LazyJsonMap } from '../../../connectors/sdk/data/lazy-json-map.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { JsonConverter } from '../../../runtime/pipeline/converters/json-converter.js';

/** The bytes a record's text is copied from, as JsonFormat writes them, and whether they were copied as read. */
const written = (line: EncodedLine) => ({ text: line instanceof TerminatedBytes ? line.joined().toString('utf8') : String(line), copied: line instanceof TerminatedBytes });

/** The same value without anything its reader kept beside it. */
function copyOf(value: unknown): unknown {
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, copyOf(v)]));
  return Array.isArray(value) ? value.map(copyOf) : value;
}

function converter(schemasEnable: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': String(schemasEnable) });
  return c;
}

const CANONICAL = [
  '{"id":1,"user":"user-1","amount":12.34,"note":"plain text, é and ü"}',
  '{"a":{"b":[1,"x",true,null,false]},"c":[],"d":{}}',
  '{"n":-5,"f":0.001,"g":9999999.5,"big":123456789012345,"h":0.00123,"i":-12.5,"j":123456.789012345}',
  // Canonical for the sink; the restore reads it the usual way, since JSON.parse puts the key "1" first.
  '{"1":1,"a":2}',
];
const NOT_CANONICAL = [
  '{"a": 1}', '{"a":1.0}', '{"a":1e3}', '{"a":01}', '{"a":-0}', '{"a":0.0001}', '{"a":1234567890123456}', '{"a":"x\\ny"}',
  '{"a":"\\u0041"}', '{"a":"😀"}', '{"a":1,"a":2}', '{"a":1} ', '{"a":10000000.5}', '{"a":1.50}', '{"a":0.30000000000000004}', '{"a":0.1000000000000000055}',
];

describe('JSON records written as the bytes they were read from', () => {
  const format = new JsonFormat();

  it('the sink writes what it would write from the value, copying the record\'s bytes when they are canonical', () => {
    const json = converter(false);
    for (const doc of [...CANONICAL, ...NOT_CANONICAL]) {
      const value = json.toConnectData('t', [], Buffer.from(doc)).value;
      const line = written(format.encode(value, null));
      expect(line.text, doc).toBe(`${jsonOf(copyOf(value), null)}\n`);
      expect(line.copied, doc).toBe(CANONICAL.includes(doc));
    }
  });

  it('the restore reads what JSON.parse reads and the converter writes what it would write from the value', () => {
    const docs = [...CANONICAL, ...NOT_CANONICAL.filter((d) => d !== '{"a":01}')];
    const values = format.decode(Buffer.from(`${docs.join('\n')}\n\n`));
    expect(values).toHaveLength(docs.length);
    for (const [i, doc] of docs.entries()) {
      expect([...(values[i] as Map<string, unknown>).keys()], doc).toEqual(Object.keys(JSON.parse(doc) as object));
      for (const schemas of [false, true]) {
        const c = converter(schemas);
        expect(c.fromConnectData('t', [], null, values[i])!.toString('utf8'), doc).toBe(c.fromConnectData('t', [], null, copyOf(values[i]))!.toString('utf8'));
      }
    }
    expect(converter(false).fromConnectData('t', [], null, values[0])!.toString('utf8')).toBe(CANONICAL[0]);
  });

  it('a canonical record is copied through without being parsed: from the sink converter to the file, from the file to the restore converter', () => {
    const sunk = converter(false).toConnectData('t', [], Buffer.from(CANONICAL[0]!)).value;
    expect(written(format.encode(sunk, null))).toEqual({ text: `${CANONICAL[0]}\n`, copied: true });
    expect(sunk).toBeInstanceOf(LazyJsonMap);
    expect((sunk as LazyJsonMap).unread).toBe(true);
    const restored = format.decodeLazily(Buffer.from(`${CANONICAL[0]}\n`)).value(0);
    expect(restored).toBeInstanceOf(LazyJsonMap);
    expect(converter(false).fromConnectData('t', [], null, restored)!.toString('utf8')).toBe(CANONICAL[0]);
    expect((restored as LazyJsonMap).unread).toBe(true);
    // What was not read is still the value it stands for.
    expect(sunk).toEqual(copyOf(converter(false).toConnectData('t', [], Buffer.from(CANONICAL[0]!)).value));
  });

  it('bytes that are not UTF-8 are still refused, and a real U+FFFD is read', () => {
    const json = converter(false);
    expect(() => json.toConnectData('t', [], Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toThrow(DataError);
    expect(json.toConnectData('t', [], Buffer.from('{"\ufffd":1}')).value).toEqual(new Map([['\ufffd', 1]]));
  });

  it('a value changed after it was read is written as it is now', () => {
    const value = converter(false).toConnectData('t', [], Buffer.from('{"a":1,"b":{"c":"x"}}')).value as Map<string, unknown>;
    (value.get('b') as Map<string, unknown>).set('c', 'y');
    expect(written(format.encode(value, null))).toEqual({ text: '{"a":1,"b":{"c":"y"}}\n', copied: false });
    const [restored] = format.decode(Buffer.from('{"a":[1,2]}\n')) as Map<string, unknown[]>[];
    restored!.get('a')!.push(3);
    expect(converter(false).fromConnectData('t', [], null, restored)!.toString('utf8')).toBe('{"a":[1,2,3]}');
  });
});
