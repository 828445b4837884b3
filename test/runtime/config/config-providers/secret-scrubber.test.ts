import { describe, expect, it } from 'vitest';
import { scrubText, secretScrubber, secretValues } from '../../../../runtime/config/config-providers/secret-scrubber.js';

describe('secretValues', () => {
  it('extracts what each placeholder resolved to, not the whole value', () => {
    const raw = { url: 'jdbc:postgresql://${env:HOST}:5432/${env:DB}', pw: '${file:/s/db.properties:password}', plain: 'x' };
    const resolved = { url: 'jdbc:postgresql://db.internal:5432/orders', pw: 'Pa55word!', plain: 'x' };
    expect([...secretValues(resolved, raw)].sort()).toEqual(['Pa55word!', 'db.internal', 'orders']);
  });

  it('includes the values of password keys even without placeholders', () => {
    expect([...secretValues({ 'connection.password': 'literal-pw', user: 'bob' }, { 'connection.password': 'literal-pw', user: 'bob' }, ['connection.password'])])
      .toEqual(['literal-pw']);
  });

  it('skips placeholders that stayed unresolved', () => {
    const raw = { a: '${env:SET}-${vault:x}' };
    expect([...secretValues({ a: 'value1-${vault:x}' }, raw)]).toEqual(['value1']);
  });
});

describe('scrubText', () => {
  it('hides a password embedded in an error message and stack trace', () => {
    const trace = 'org.postgresql.util.PSQLException: password authentication failed for "Pa55word!"\n\tat Driver.connect';
    expect(scrubText(trace, ['Pa55word!'])).toBe('org.postgresql.util.PSQLException: password authentication failed for "[hidden]"\n\tat Driver.connect');
  });

  it('hides every occurrence of every secret, longest first', () => {
    expect(scrubText('abcd-abcdef-abcd', ['abcd', 'abcdef'])).toBe('[hidden]-[hidden]-[hidden]');
  });

  it('hides the JSON-escaped, URL-encoded and trimmed forms of a secret', () => {
    const secret = 'p@ss"word\n';
    expect(scrubText('{"password":"p@ss\\"word\\n"}', [secret])).toBe('{"password":"[hidden]"}');
    expect(scrubText('postgres://u:p%40ss%22word%0A@db', [secret])).toBe('postgres://u:[hidden]@db');
    expect(scrubText('got p@ss"word.', [secret])).toBe('got [hidden].');
  });

  it('treats secret text literally, not as a pattern', () => {
    expect(scrubText('a.b*c and axbbc', ['a.b*c'])).toBe('[hidden] and axbbc');
  });

  it('leaves very short secrets alone unless asked', () => {
    expect(scrubText('mongodb on db', ['db'])).toBe('mongodb on db');
    expect(scrubText('mongodb on db', ['db'], { minLength: 1 })).toBe('mongo[hidden] on [hidden]');
  });

  it('builds a reusable scrubber that is a no-op without secrets', () => {
    const scrub = secretScrubber([]);
    expect(scrub('nothing to hide')).toBe('nothing to hide');
    const withSecret = secretScrubber(['s3cr3t-token']);
    expect(withSecret('a s3cr3t-token b')).toBe('a [hidden] b');
    expect(withSecret('again s3cr3t-token')).toBe('again [hidden]');
  });
});
