import { describe, expect, it } from 'vitest';
import {
  configFileName, configToText, ConfigTextError, detectFormat, parseConfigJson, parseConfigText,
} from '../../../console/src/form/config-text.js';
import { parsePropertiesText, toPropertiesText } from '../../../console/src/form/properties-text.js';
import { parseProperties } from '../../../runtime/config/properties-file.js';

/** Values that a naive `key=value` writer or reader would change. */
const awkward: Record<string, string> = {
  name: 'local-file-source',
  'connector.class': 'FileStreamSource',
  file: 'C:\\data\\in.txt',
  topic: ' leading and trailing spaces ',
  'transforms.r.regex': '(.*)=(.*):#!\\d+',
  'transforms.r.replacement': '$1',
  'database.password': '${file:/etc/ferry/secrets.properties:db.password}',
  multiline: 'line one\nline two\r\n\ttabbed',
  'key with = and : and space': 'x',
  '#not-a-comment': '!neither',
  unicode: 'Zürich → 東京 \u2028 sep',
  control: 'bell\u0007',
  empty: '',
  'trailing.backslash': 'ends with \\',
};

describe('.properties text', () => {
  it('reads what Java Properties.load reads: comments, separators, continuations, escapes', () => {
    const text = [
      '# a comment',
      '! another comment',
      '',
      '   name = my-source',
      'connector.class:FileStreamSource',
      'topic  lines',
      'file=/tmp/a\\',
      '    b.txt',
      'tab=\\tx\\u0041\\q',
      'transforms=a,\\',
      '  b',
      'topic=later-wins',
    ].join('\r\n');
    expect(parsePropertiesText(text)).toEqual({
      name: 'my-source',
      'connector.class': 'FileStreamSource',
      topic: 'later-wins',
      file: '/tmp/ab.txt',
      tab: '\txAq',
      transforms: 'a,b',
    });
  });

  it('round-trips values that need escaping, key order included', () => {
    const text = toPropertiesText(awkward);
    const back = parsePropertiesText(text);
    expect(back).toEqual(awkward);
    expect(Object.keys(back)).toEqual(Object.keys(awkward));
  });

  it('writes text that the worker itself reads back to the same config', () => {
    expect(parseProperties(toPropertiesText(awkward))).toEqual(awkward);
  });

  it('reads a key with no value and a file without a final newline', () => {
    expect(parsePropertiesText('empty\nlast=1')).toEqual({ empty: '', last: '1' });
  });

  it('says which line holds a broken \\u escape', () => {
    expect(() => parsePropertiesText('a=1\nb=\\u12')).toThrow(/Line 2: \\u must be followed by four hex digits/);
  });
});

describe('JSON config text', () => {
  it('reads a flat config map, turning numbers and booleans into strings', () => {
    expect(parseConfigJson('{"name":"x","tasks.max":2,"errors.log.enable":true}'))
      .toEqual({ name: 'x', 'tasks.max': '2', 'errors.log.enable': 'true' });
  });

  it('reads a POST /connectors body as its config with the name first', () => {
    const config = parseConfigJson('{"name":"x","config":{"connector.class":"FileStreamSink","topics":"t"}}');
    expect(config).toEqual({ name: 'x', 'connector.class': 'FileStreamSink', topics: 't' });
    expect(Object.keys(config)[0]).toBe('name');
  });

  it('refuses text it cannot turn into a config, saying why', () => {
    expect(() => parseConfigJson('{"name": "x",')).toThrow(ConfigTextError);
    expect(() => parseConfigJson('{"name": "x",')).toThrow(/^Not valid JSON/);
    expect(() => parseConfigJson('["a"]')).toThrow('The JSON must be an object of config keys and values');
    expect(() => parseConfigJson('{"topic": null}')).toThrow('"topic" is null: remove the key to use its default');
    expect(() => parseConfigJson('{"topics": ["a","b"]}')).toThrow('"topics" must be a string, not an array (lists are comma-separated strings)');
    expect(() => parseConfigJson('{"name":"a","config":{"name":"b"}}')).toThrow('"name" is "a" but "config" says "b"');
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const config = parseConfigJson('{"__proto__": "x", "name": "n"}');
    expect(Object.keys(config)).toEqual(['__proto__', 'name']);
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
  });

  it('round-trips through both formats exactly', () => {
    for (const format of ['json', 'properties'] as const) {
      const text = configToText(awkward, format);
      const back = parseConfigText(text, format);
      expect(back).toEqual(awkward);
      expect(Object.keys(back)).toEqual(Object.keys(awkward));
      expect(configToText(back, format)).toBe(text);
    }
  });
});

describe('format detection and file names', () => {
  it('goes by the file name first, then by the text', () => {
    expect(detectFormat('a=1', 'x.JSON')).toBe('json');
    expect(detectFormat('{}', 'source.properties')).toBe('properties');
    expect(detectFormat('\uFEFF  {"a":"1"}')).toBe('json');
    expect(detectFormat('# comment\na=1')).toBe('properties');
  });

  it('names downloads after the connector, safely', () => {
    expect(configFileName('local-file-source', 'json')).toBe('local-file-source.json');
    expect(configFileName('../a b/c', 'properties')).toBe('a_b_c.properties');
    expect(configFileName('', 'json')).toBe('connector.json');
  });
});
