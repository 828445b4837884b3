import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { parseProperties, PropertiesSyntaxError, readPropertiesFile } from '../../../runtime/config/properties-file.js';

describe('properties file parser', () => {
  it('reads key=value, key:value and key value pairs', () => {
    expect(parseProperties('a=1\nb:2\nc 3\nd\t4\ne\f5')).toEqual({ a: '1', b: '2', c: '3', d: '4', e: '5' });
  });

  it('skips comments starting with # or ! and blank lines', () => {
    expect(parseProperties('# comment\n  ! also a comment\n\n   \nkey=value\n#key=other')).toEqual({ key: 'value' });
  });

  it('ignores whitespace around the separator but keeps trailing whitespace of the value', () => {
    expect(parseProperties('   key   =   value with spaces   ')).toEqual({ key: 'value with spaces   ' });
  });

  it('takes only the first separator: later = and : belong to the value', () => {
    expect(parseProperties('url=http://host:8083/?a=b\nkey = = x\nk : : y')).toEqual({ url: 'http://host:8083/?a=b', key: '= x', k: ': y' });
  });

  it('treats whitespace followed by = as a single separator', () => {
    expect(parseProperties('key   =value\nother \t: value')).toEqual({ key: 'value', other: 'value' });
  });

  it('gives a key without a value the empty string', () => {
    expect(parseProperties('lonely\nspaced   \nsep=')).toEqual({ lonely: '', spaced: '', sep: '' });
  });

  it('joins lines ending in a backslash and drops the next line\'s leading whitespace', () => {
    expect(parseProperties('list=a,\\\n    b,\\\n\tc\nnext=1')).toEqual({ list: 'a,b,c', next: '1' });
  });

  it('does not continue a line ending in an even number of backslashes', () => {
    expect(parseProperties('path=C:\\\\dir\\\\\nnext=1')).toEqual({ path: 'C:\\dir\\', next: '1' });
  });

  it('keeps a # on a continuation line as part of the value', () => {
    expect(parseProperties('a=x\\\n  # not a comment')).toEqual({ a: 'x# not a comment' });
  });

  it('never continues a comment line', () => {
    expect(parseProperties('# comment \\\nkey=value')).toEqual({ key: 'value' });
  });

  it('ends a continued value at an empty line and at the end of input', () => {
    expect(parseProperties('a=1\\\n\nb=2\\')).toEqual({ a: '1', b: '2' });
  });

  it('understands \\n, \\r, \\r\\n line endings', () => {
    expect(parseProperties('a=1\r\nb=2\rc=3\nd=4\\\r\n  5')).toEqual({ a: '1', b: '2', c: '3', d: '45' });
  });

  it('decodes escapes: \\t \\n \\r \\f \\uXXXX, and a backslash before any other character', () => {
    expect(parseProperties('k=a\\tb\\nc\\rd\\fe\\u00e9\\u20AC\\q\\\\')).toEqual({ k: 'a\tb\nc\rd\fe\u00e9\u20acq\\' });
  });

  it('allows escaped separators and spaces inside keys', () => {
    expect(parseProperties('my\\ key\\=with\\:seps = v')).toEqual({ 'my key=with:seps': 'v' });
  });

  it('rejects a malformed unicode escape with its line number', () => {
    expect(() => parseProperties('ok=1\nbad=\\u12x4')).toThrow(PropertiesSyntaxError);
    expect(() => parseProperties('ok=1\nbad=\\u12x4')).toThrow('(line 2)');
  });

  it('lets a later duplicate key win', () => {
    expect(parseProperties('a=1\na=2')).toEqual({ a: '2' });
  });

  it('stores a __proto__ key as a plain entry', () => {
    const props = parseProperties('__proto__=x');
    expect(Object.keys(props)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
  });

  it('reads UTF-8 files and ignores a byte-order mark', async () => {
    const path = join(tempDir(), 'worker.properties');
    await writeFile(path, '\ufeffgroup.id=café\n');
    expect(await readPropertiesFile(path)).toEqual({ 'group.id': 'café' });
  });
});
