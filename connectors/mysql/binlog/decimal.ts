/**
 * MySQL's packed DECIMAL (NEWDECIMAL) to exact text. Digits are stored in groups of nine per
 * 4 bytes (big-endian), partial groups in 1–4 bytes; the first byte's top bit is set for
 * non-negative numbers and every byte is inverted for negative ones. The text keeps `scale`
 * fraction digits (`0.10`, `-1234.50`) and never passes through a float.
 */
import { BinlogFormatError } from './byte-reader.js';

const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4] as const;

export function decimalBinarySize(precision: number, scale: number): number {
  const intg = precision - scale;
  return Math.floor(intg / 9) * 4 + DIG2BYTES[intg % 9]! + Math.floor(scale / 9) * 4 + DIG2BYTES[scale % 9]!;
}

export function decodeDecimal(buf: Buffer, at: number, precision: number, scale: number): string {
  const size = decimalBinarySize(precision, scale);
  if (at + size > buf.length) throw new BinlogFormatError(`DECIMAL(${precision},${scale}) value truncated`);
  if (scale > precision) throw new BinlogFormatError(`DECIMAL(${precision},${scale}) has a scale above its precision`);
  const b = Buffer.from(buf.subarray(at, at + size));
  const negative = (b[0]! & 0x80) === 0;
  if (negative) for (let i = 0; i < size; i++) b[i] = b[i]! ^ 0xff;
  b[0] = b[0]! ^ 0x80;
  const intg = precision - scale;
  let pos = 0;
  const group = (bytes: number): number => {
    const v = bytes === 0 ? 0 : b.readUIntBE(pos, bytes);
    pos += bytes;
    return v;
  };
  let intText = '';
  const leadDigits = intg % 9;
  if (leadDigits > 0) intText += String(group(DIG2BYTES[leadDigits]!));
  for (let i = 0; i < Math.floor(intg / 9); i++) intText += String(group(4)).padStart(9, '0');
  intText = intText.replace(/^0+/, '') || '0';
  let frac = '';
  for (let i = 0; i < Math.floor(scale / 9); i++) frac += String(group(4)).padStart(9, '0');
  const tailDigits = scale % 9;
  if (tailDigits > 0) frac += String(group(DIG2BYTES[tailDigits]!)).padStart(tailDigits, '0');
  const isZero = intText === '0' && !/[1-9]/.test(frac);
  return `${negative && !isZero ? '-' : ''}${intText}${scale > 0 ? `.${frac}` : ''}`;
}
