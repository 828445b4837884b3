import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { ConfigError } from '../../../../connectors/sdk/config/config-error.js';
import { StringConverter } from '../../../../runtime/pipeline/converters/string-converter.js';

function converter(configs: Record<string, string> = {}): StringConverter {
  const c = new StringConverter();
  c.configure(configs, false);
  return c;
}

describe('StringConverter', () => {
  it('writes the value\'s string form in UTF-8 by default', () => {
    const c = converter();
    expect(c.fromConnectData('t', [], Schema.STRING_SCHEMA, 'héllo')).toEqual(Buffer.from('héllo', 'utf8'));
    expect(c.fromConnectData('t', [], Schema.INT32_SCHEMA, 42)?.toString()).toBe('42');
    expect(c.fromConnectData('t', [], Schema.FLOAT64_SCHEMA, 2)?.toString()).toBe('2.0');
    expect(c.fromConnectData('t', [], null, new Decimal(15n, 1))?.toString()).toBe('1.5');
    const schema = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build();
    expect(c.fromConnectData('t', [], schema, new Struct(schema).put('a', 1))?.toString()).toBe('Struct{a=1}');
    expect(c.fromConnectData('t', [], null, null)).toBeNull();
  });

  it('reads any bytes as an optional string, null bytes as a null string', () => {
    const c = converter();
    const read = c.toConnectData('t', [], Buffer.from('\ufeffabc', 'utf8'));
    expect(read.schema).toBe(Schema.OPTIONAL_STRING_SCHEMA);
    expect(read.value).toBe('\ufeffabc');
    const nothing = c.toConnectData('t', [], null);
    expect([nothing.schema, nothing.value]).toEqual([Schema.OPTIONAL_STRING_SCHEMA, null]);
  });

  it('gives every UTF-8 write bytes of its own that later writes do not overwrite, long values and lone surrogates included', () => {
    const c = converter();
    const texts = Array.from({ length: 3000 }, (_, i) => (i % 500 === 7 ? 'x'.repeat(50_000) : `line ${i} é€😀`));
    texts.push('a\ud800b', '\udc00');
    const expected = texts.map((t) => (t === 'a\ud800b' ? 'a?b' : t === '\udc00' ? '?' : t));
    const written = texts.map((t) => c.fromConnectData('t', [], Schema.STRING_SCHEMA, t));
    const wrong = written.map((b, i) => (b!.equals(Buffer.from(expected[i]!, 'utf8')) ? -1 : i)).filter((i) => i >= 0);
    expect(wrong).toEqual([]);
  });

  it('reads null bytes as the same immutable null string each time', () => {
    const c = converter();
    const first = c.toConnectData('t', [], null);
    expect(c.toConnectData('u', [], null)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('uses converter.encoding, replacing what the charset cannot hold', () => {
    expect(converter({ 'converter.encoding': 'UTF-16' }).fromConnectData('t', [], null, 'A')).toEqual(Buffer.from([0xfe, 0xff, 0, 0x41]));
    expect(converter({ 'converter.encoding': 'utf-16le' }).fromConnectData('t', [], null, 'A')).toEqual(Buffer.from([0x41, 0]));
    expect(converter({ 'converter.encoding': 'ISO-8859-1' }).fromConnectData('t', [], null, 'é€')).toEqual(Buffer.from([0xe9, 0x3f]));
    expect(converter({ 'converter.encoding': 'US-ASCII' }).toConnectData('t', [], Buffer.from([0x41, 0xe9])).value).toBe('A\ufffd');
    expect(converter({ 'converter.encoding': 'UTF-16' }).toConnectData('t', [], Buffer.from([0xff, 0xfe, 0x41, 0])).value).toBe('A');
  });

  it('rejects an unknown encoding when configured', () => {
    expect(() => converter({ 'converter.encoding': 'EBCDIC-XYZ' })).toThrow(ConfigError);
    expect(() => converter({ 'converter.encoding': 'EBCDIC-XYZ' })).toThrow('Unsupported encoding EBCDIC-XYZ');
  });

  it('converts headers the same way', () => {
    const c = converter();
    expect(c.toConnectHeader('t', 'h', c.fromConnectHeader('t', 'h', null, 'v')).value).toBe('v');
  });
});
