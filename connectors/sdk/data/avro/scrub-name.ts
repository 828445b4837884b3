/**
 * `scrub.invalid.names`: a name Avro would refuse becomes a valid one the way Confluent scrubs it —
 * URL-encoded as Java's URLEncoder does (UTF-8, space as `+`), every character outside
 * `[A-Za-z0-9_]` then replaced by `_`, and `x` put in front of a leading digit.
 */
const VALID = /^[A-Za-z_][A-Za-z0-9_]*$/;
const URL_SAFE = /[A-Za-z0-9.\-*_]/;

export function scrubName(name: string): string {
  if (VALID.test(name)) return name;
  let encoded = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte);
    encoded += URL_SAFE.test(c) ? c : c === ' ' ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  const scrubbed = encoded.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(scrubbed) ? `x${scrubbed}` : scrubbed;
}
