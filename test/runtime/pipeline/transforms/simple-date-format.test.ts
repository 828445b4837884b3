import { describe, expect, it } from 'vitest';
import { DatePatternError, DateParseError, SimpleDateFormat } from '../../../../runtime/pipeline/transforms/simple-date-format.js';

const instant = new Date(Date.UTC(2024, 1, 29, 13, 5, 9, 42));

describe('SimpleDateFormat', () => {
  it('formats the common pattern letters in UTC', () => {
    expect(new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").format(instant)).toBe('2024-02-29T13:05:09.042Z');
    expect(new SimpleDateFormat('yyyyMMdd').format(instant)).toBe('20240229');
    expect(new SimpleDateFormat('yy/M/d h:m:s a').format(instant)).toBe('24/2/29 1:5:9 PM');
    expect(new SimpleDateFormat('EEE, d MMM yyyy HH:mm:ss Z').format(instant)).toBe('Thu, 29 Feb 2024 13:05:09 +0000');
    expect(new SimpleDateFormat('EEEE MMMM D z G').format(instant)).toBe('Thursday February 60 UTC AD');
    expect(new SimpleDateFormat("'it''s' k K X XX").format(new Date(0))).toBe("it's 24 0 Z Z");
  });

  it('parses what it formats', () => {
    for (const pattern of ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 'yyyyMMddHHmmssSSS', 'dd MMM yyyy hh:mm:ss.SSS a', "EEE, d MMMM yyyy HH:mm:ss.SSS Z"]) {
      const format = new SimpleDateFormat(pattern);
      expect(format.parse(format.format(instant)).getTime()).toBe(instant.getTime());
    }
  });

  it('applies zone offsets, greedy digits and lenient roll-over when parsing', () => {
    const iso = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ssXXX");
    expect(iso.parse('2024-02-29T15:05:09+02:00').toISOString()).toBe('2024-02-29T13:05:09.000Z');
    expect(iso.parse('2024-02-29T08:05:09-0500').toISOString()).toBe('2024-02-29T13:05:09.000Z');
    const loose = new SimpleDateFormat('yyyy-MM-dd');
    expect(loose.parse('2024-2-5').toISOString()).toBe('2024-02-05T00:00:00.000Z');
    expect(loose.parse('2024-13-01').toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(loose.parse('2024-01-01 trailing text').toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(new SimpleDateFormat('HH:mm').parse('07:30').toISOString()).toBe('1970-01-01T07:30:00.000Z');
  });

  it('reads two-digit years within 80 years back and 20 ahead', () => {
    const thisYear = new Date().getUTCFullYear();
    const twoDigits = new SimpleDateFormat('yy');
    expect(twoDigits.parse(String((thisYear + 1) % 100).padStart(2, '0')).getUTCFullYear()).toBe(thisYear + 1);
    expect(twoDigits.parse(String((thisYear - 50) % 100).padStart(2, '0')).getUTCFullYear()).toBe(thisYear - 50);
  });

  it('rejects text that does not match and patterns Java rejects', () => {
    expect(() => new SimpleDateFormat('yyyy-MM-dd').parse('24/01/01')).toThrow(DateParseError);
    expect(() => new SimpleDateFormat('yyyy-MM-dd').parse('24/01/01')).toThrow('Unparseable date: "24/01/01"');
    expect(() => new SimpleDateFormat('yyyy-qq')).toThrow(new DatePatternError("Illegal pattern character 'q'"));
    expect(() => new SimpleDateFormat("yyyy'T")).toThrow('Unterminated quote');
    expect(() => new SimpleDateFormat('XXXX')).toThrow('invalid ISO 8601 format: length=4');
  });
});
