/**
 * Compact JSON text as Jackson's default generator writes it, which is what Confluent Schema Registry
 * stores and hashes for Avro and JSON schemas.
 *
 * Differences from `JSON.stringify` that change the bytes (and so schema identity):
 * - doubles use Java's `Double.toString`: `1.0`, `1.0E7`, `1.0E-4`, `-0.0`; NaN and infinities are
 *   written as quoted strings (Jackson's default for non-numeric numbers);
 * - control characters other than \b \t \n \f \r are escaped as `\u00XX` with upper-case hex;
 * - integers of any size are written exactly (bigint).
 */
import type { JsonNode } from './json-tree.js';

/**
 * How fractional numbers are held: `double` (Jackson's default, used by Avro's parser) prints them with
 * Java's `Double.toString`; `bigdecimal` (Confluent's JSON Schema mapper, USE_BIG_DECIMAL_FOR_FLOATS with
 * exact decimals) keeps the literal's digits and scale and prints `BigDecimal.toString()` (`1.50`, `1E+7`).
 */
export type FractionStyle = 'double' | 'bigdecimal';

export function jacksonText(node: JsonNode, fractions: FractionStyle = 'double'): string {
  switch (node.kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'integer':
      return node.value.toString();
    case 'double':
      if (fractions === 'bigdecimal' && node.text !== undefined) return javaBigDecimalText(node.text);
      return Number.isFinite(node.value) ? javaDoubleText(node.value) : quoteJson(javaDoubleText(node.value));
    case 'string':
      return quoteJson(node.value);
    case 'array':
      return `[${node.items.map((item) => jacksonText(item, fractions)).join(',')}]`;
    case 'object': {
      const parts: string[] = [];
      for (const [key, value] of node.entries) parts.push(`${quoteJson(key)}:${jacksonText(value, fractions)}`);
      return `{${parts.join(',')}}`;
    }
  }
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/** A JSON string literal escaped the way Jackson escapes it. */
export function quoteJson(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/["\\\u0000-\u001f]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)}"`;
}

/**
 * Java's `Double.toString(d)`: plain notation with at least one fraction digit for 10^-3 <= |d| < 10^7,
 * otherwise `d.dddE[-]n`; the digits are the shortest that identify the double (as in JDK 19+).
 */
export function javaDoubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${integerPart}.${fraction === '' ? '0' : fraction}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${exponent}`;
}

/**
 * Java's `new BigDecimal(literal).toString()`: plain digits while the scale is not negative and the
 * adjusted exponent is at least -6, otherwise scientific notation with an explicit exponent sign.
 */
export function javaBigDecimalText(literal: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (match === null) throw new Error(`not a decimal literal: ${literal}`);
  const fraction = match[3] ?? '';
  const unscaled = BigInt(match[2]! + fraction);
  const scale = fraction.length - Number(match[4] ?? '0');
  const coefficient = unscaled.toString();
  const sign = match[1] === '-' && unscaled !== 0n ? '-' : '';
  const adjusted = -scale + (coefficient.length - 1);
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return sign + coefficient;
    if (coefficient.length > scale) {
      return `${sign}${coefficient.slice(0, coefficient.length - scale)}.${coefficient.slice(coefficient.length - scale)}`;
    }
    return `${sign}0.${'0'.repeat(scale - coefficient.length)}${coefficient}`;
  }
  const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}
