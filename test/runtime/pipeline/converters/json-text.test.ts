import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonSyntaxError, parseJson, parseJsonDeferringMember, parseJsonText, parseJsonValue, quoteJsonString } from '../../../../runtime/pipeline/converters/json-text.js';

const parse = (text: string) => parseJson(Buffer.from(text, 'utf8')).value;

describe('JSON text', () => {
  it('keeps integer and non-integer numbers apart, with their exact digits', () => {
    expect(parse('[1, 1.0, 1e2, -0, 123456789012345678901234567890]')).toEqual([
      new JsonNumber('1', true),
      new JsonNumber('1.0', false),
      new JsonNumber('1e2', false),
      new JsonNumber('-0', true),
      new JsonNumber('123456789012345678901234567890', true),
    ]);
  });

  it('accepts leading zeros as Kafka\'s deserializer does', () => {
    expect(parse('007')).toEqual(new JsonNumber('007', true));
  });

  it('keeps object members in document order, the last duplicate winning', () => {
    const obj = parse('{"b":1,"a":2,"1":3,"b":4}') as Map<string, unknown>;
    expect([...obj.keys()]).toEqual(['b', 'a', '1']);
    expect(obj.get('b')).toEqual(new JsonNumber('4', true));
  });

  it('decodes every escape and rejects raw control characters', () => {
    expect(parse('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"')).toBe('"\\/\b\f\n\r\té😀');
    expect(() => parse('"a\nb"')).toThrow(/Illegal unquoted character \(CTRL-CHAR, code 10\)/);
    expect(() => parse('"\\x"')).toThrow(/Unrecognized character escape/);
  });

  it('reads long plain strings and strings with escapes or raw characters the same way', () => {
    const run = 'x'.repeat(300);
    expect(parse(`"${run}"`)).toBe(run);
    expect(parse(String.raw`["${run}\\", "a"]`)).toEqual([`${run}\\`, 'a']);
    expect(parse(String.raw`"${run}\"${run}"`)).toBe(`${run}"${run}`);
    expect(parse(String.raw`{"${run}\u0041":"é😀${'\u2028\u007f'}"}`)).toEqual(new Map([[`${run}A`, 'é😀\u2028\u007f']]));
    expect(() => parse(String.raw`"${run}\x"`)).toThrow("Unrecognized character escape ('x' (code 120)) at line 1, column 303");
    expect(() => parse(`{\n"k":"${run}\u0001${run}"}`)).toThrow(
      'Illegal unquoted character (CTRL-CHAR, code 1): has to be escaped using backslash to be included in string value at line 2, column 306',
    );
    expect(() => parse(`"${run}\t"`)).toThrow(/CTRL-CHAR, code 9\).*column 302/);
    expect(() => parse(`["${run}`)).toThrow('Unexpected end-of-input: was expecting closing quote for a string value at line 1, column 3');
    expect(() => parse(String.raw`"${run}\"`)).toThrow(/was expecting closing quote/);
  });

  it('reads long strings next to escaped ones, wherever the backslashes stand', () => {
    const run = 'y'.repeat(100);
    expect(parse(String.raw`["${run}","${run}\n${run}","${run}","${run}\\"]`)).toEqual([run, `${run}\n${run}`, run, `${run}\\`]);
    expect(parse(String.raw`{"${run}":"${run}\"${run}","k":"${run}${run}"}`)).toEqual(new Map([[run, `${run}"${run}`], ['k', run + run]]));
    expect(() => parse(`"${run}\u0000"`)).toThrow(/CTRL-CHAR, code 0\).*column 102/);
    expect(() => parse(`["${run}","${run}\u007f${run}\u001f"]`)).toThrow(/CTRL-CHAR, code 31\).*column 307/);
    expect(() => parse(String.raw`["${run}\q"]`)).toThrow(/Unrecognized character escape \('q' \(code 113\)\)/);
    expect(parse(`"${run}\ud83d\ude00\u2028"`)).toBe(`${run}😀\u2028`);
  });

  it('reads a value alone as parseJson does, with the same errors', () => {
    for (const text of ['{"a":[1,{"b":"c"}],"a":2}', ' 12 ', '', '\ufeff"x"', '{"a":1,}', '[1 2]', '1x']) {
      const bytes = Buffer.from(text, 'utf8');
      let expected: unknown;
      try {
        expected = parseJson(bytes).value;
      } catch (err) {
        expect(() => parseJsonValue(bytes), text).toThrow((err as Error).message);
        continue;
      }
      expect(parseJsonValue(bytes), text).toEqual(expected);
    }
  });

  it('treats empty input as missing, skips a BOM and ignores content after the root value', () => {
    expect(parse('  ')).toBeUndefined();
    expect(parseJson(Buffer.from([0xef, 0xbb, 0xbf, 0x31, 0x20])).value).toEqual(new JsonNumber('1', true));
    expect(parse('{"a":1} trailing')).toEqual(new Map([['a', new JsonNumber('1', true)]]));
    expect(() => parse('12x')).toThrow(/Expected space separating root-level values/);
  });

  it('reports syntax errors with what was expected and where', () => {
    expect(() => parse('{"a" 1}')).toThrow("Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value at line 1, column 6");
    expect(() => parse('{"a":1,}')).toThrow(/was expecting double-quote to start field name/);
    expect(() => parse('[1 2]')).toThrow(/was expecting comma to separate Array entries/);
    expect(() => parse('{\n"a":nul}')).toThrow("Unrecognized token 'nul': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 2, column 5");
    expect(() => parse('1.')).toThrow(/Decimal point not followed by a digit/);
    expect(() => parse('NaN')).toThrow(JsonSyntaxError);
    expect(() => parse('[' + '['.repeat(1000) + ']'.repeat(1001))).toThrow(/nesting depth/);
  });

  it('captures the exact text of each top-level member', () => {
    const parsed = parseJson(Buffer.from('{"schema": {"type" : "string"} , "payload":"x"}'));
    expect(parsed.rootMemberText?.get('schema')).toBe('{"type" : "string"}');
  });

  it('defers one root member: its exact text is returned and the rest is built as parseJson builds it', () => {
    const text = '{ "payload" : {"a":[1, 2.5]}, "schema": {"type" : "string", "doc":"q\\"\\u0041"} }';
    const deferred = parseJsonDeferringMember(Buffer.from(text, 'utf8'), 'schema');
    expect(deferred.deferredText).toBe('{"type" : "string", "doc":"q\\"\\u0041"}');
    expect(deferred.value).toEqual(new Map([['payload', new Map([['a', [new JsonNumber('1', true), new JsonNumber('2.5', false)]]])], ['schema', null]]));
    expect(parseJsonText(deferred.deferredText!).value).toEqual((parse(text) as Map<string, unknown>).get('schema'));
    expect(parseJsonDeferringMember(Buffer.from('{"schema":1,"schema":[true]}'), 'schema').deferredText).toBe('[true]');
    const deepest = '{"schema":' + '['.repeat(999) + ']'.repeat(999) + '}';
    expect(parseJsonDeferringMember(Buffer.from(deepest), 'schema').deferredText).toBe('['.repeat(999) + ']'.repeat(999));
    expect(parseJsonDeferringMember(Buffer.from('[1]'), 'schema')).toEqual({ value: [new JsonNumber('1', true)], deferredText: undefined });
  });

  it('reports the same syntax errors whether a member is deferred or not', () => {
    const malformed = [
      '{"schema":{"type":"string",},"payload":1}',
      '{"schema":{"type" "string"},"payload":1}',
      '{"schema":[1 2],"payload":1}',
      '{"schema":"a\\x","payload":1}',
      '{"schema":"a\\u12G4","payload":1}',
      '{"schema":"tab\there","payload":1}',
      '{"schema":"open',
      '{"schema":-,"payload":1}',
      '{"schema":1.e5,"payload":1}',
      '{"schema":nul,"payload":1}',
      '{"schema":' + '['.repeat(1000) + ']'.repeat(1000) + ',"payload":1}',
      '{"schema":"x","payload":tru}',
      '{"schema":"x" "payload":1}',
    ];
    for (const text of malformed) {
      const bytes = Buffer.from(text, 'utf8');
      let expected: unknown;
      try {
        parseJson(bytes);
      } catch (err) {
        expected = err;
      }
      expect(expected, text).toBeInstanceOf(JsonSyntaxError);
      expect(() => parseJsonDeferringMember(bytes, 'schema'), text).toThrow((expected as Error).message);
    }
  });

  it('quotes strings as Jackson\'s UTF-8 generator does', () => {
    expect(quoteJsonString('plain')).toBe('"plain"');
    expect(quoteJsonString('q"b\\\u0000\u001b\u2028é')).toBe('"q\\"b\\\\\\u0000\\u001B\u2028é"');
    expect(quoteJsonString('\ud83d\ude00 \ud800')).toBe('"\\uD83D\\uDE00 \\uD800"');
    const long = 'z'.repeat(80);
    expect(quoteJsonString(long)).toBe(`"${long}"`);
    expect(quoteJsonString(`${long}\u2028\u007fé`)).toBe(`"${long}\u2028\u007fé"`);
    expect(quoteJsonString(`${long}\ud83d\ude00`)).toBe(`"${long}\\uD83D\\uDE00"`);
    expect(quoteJsonString(`${long}"\u0001\r`)).toBe(`"${long}\\"\\u0001\\r"`);
  });
});
