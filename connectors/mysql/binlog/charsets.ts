/**
 * MySQL character set names → text decoders. MySQL's `latin1` is Windows-1252 (not ISO-8859-1),
 * `utf8`/`utf8mb3`/`utf8mb4` are UTF-8, `ucs2`/`utf16`/`utf32` are big-endian. An unknown
 * character set is an error naming it rather than a guess.
 */

import { TextDecoder } from 'node:util';

export type TextDecodeFn = (buf: Buffer, start: number, end: number) => string;

const utf8: TextDecodeFn = (buf, start, end) => buf.toString('utf8', start, end);
const latin: TextDecodeFn = (buf, start, end) => buf.toString('latin1', start, end);

const WHATWG: Record<string, string> = {
  cp1250: 'windows-1250', cp1251: 'windows-1251', cp1256: 'windows-1256', cp1257: 'windows-1257',
  latin2: 'iso-8859-2', latin5: 'iso-8859-9', latin7: 'iso-8859-13', greek: 'iso-8859-7', hebrew: 'iso-8859-8',
  koi8r: 'koi8-r', koi8u: 'koi8-u', cp866: 'ibm866', tis620: 'windows-874', gbk: 'gbk', gb2312: 'gbk', gb18030: 'gb18030',
  big5: 'big5', sjis: 'shift_jis', cp932: 'shift_jis', ujis: 'euc-jp', eucjpms: 'euc-jp', euckr: 'euc-kr',
  ucs2: 'utf-16be', utf16: 'utf-16be', utf16le: 'utf-16le', macroman: 'macintosh',
};

// Windows-1252's 0x80–0x9F; MySQL's latin1 keeps the five undefined bytes as C1 controls.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Node 20's TextDecoder('windows-1252') drops 0x80–0x9F, so MySQL latin1 gets its own table. */
const cp1252: TextDecodeFn = (buf, start, end) => {
  let plain = true;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 0x80 && b < 0xa0) { plain = false; break; }
  }
  if (plain) return buf.toString('latin1', start, end);
  let s = '';
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    s += String.fromCharCode(b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b);
  }
  return s;
};

const cache = new Map<string, TextDecodeFn>();

function utf32(buf: Buffer, start: number, end: number): string {
  let s = '';
  for (let i = start; i + 4 <= end; i += 4) s += String.fromCodePoint(buf.readUInt32BE(i));
  return s;
}

export function textDecoderFor(charset: string): TextDecodeFn {
  const name = charset.toLowerCase();
  const cached = cache.get(name);
  if (cached) return cached;
  let fn: TextDecodeFn;
  if (name === 'utf8mb4' || name === 'utf8mb3' || name === 'utf8') fn = utf8;
  else if (name === 'ascii' || name === 'binary') fn = latin;
  else if (name === 'latin1') fn = cp1252;
  else if (name === 'utf32') fn = utf32;
  else {
    const label = WHATWG[name];
    let decoder: TextDecoder;
    try {
      if (!label) throw new Error('unknown');
      decoder = new TextDecoder(label);
    } catch {
      throw new Error(`character set '${charset}' is not supported for decoding binlog text columns`);
    }
    fn = (buf, start, end) => decoder.decode(buf.subarray(start, end));
  }
  cache.set(name, fn);
  return fn;
}
