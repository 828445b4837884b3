/**
 * The `_schemas` topic's record formats, byte-exact with Confluent Schema Registry
 * (reference schema-registry.md §2.2, §2.3), so a Confluent registry pointed at the same topic
 * reads what ferry wrote and the other way round.
 *
 * Writing: keys and values are compact JSON in Java's property order with null/empty fields
 * left out (Jackson NON_EMPTY; `0`/`false` kept), strings escaped as Jackson does (control
 * characters as upper-case `\uXXXX`). Avro values carry no `schemaType` (the 5.5–7.9 shape this
 * registry claims). Reading: any property order, legacy forms (`"subject":null` in the global
 * config key, `magic` 0 on schema keys, config values without `subject`); an unknown key type
 * or a record that does not parse is reported as `undefined` and skipped by the caller.
 *
 * Compaction works on exact key bytes: the caller keeps the bytes it read for each logical key
 * (`logicalKey`) and reuses them for overwrites and tombstones.
 */

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

export type SchemasKey =
  | { readonly keytype: 'SCHEMA'; readonly subject: string; readonly version: number }
  | { readonly keytype: 'CONFIG'; readonly subject: string | null }
  | { readonly keytype: 'MODE'; readonly subject: string | null }
  | { readonly keytype: 'DELETE_SUBJECT'; readonly subject: string }
  | { readonly keytype: 'CLEAR_SUBJECT'; readonly subject: string }
  | { readonly keytype: 'NOOP' }
  | { readonly keytype: 'CONTEXT'; readonly tenant: string; readonly context: string };

export interface SchemaValue {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schemaType: SchemaType;
  readonly references: readonly SchemaReference[];
  readonly schema: string;
  readonly deleted: boolean;
}

/** Config values keep every property they were written with; the registry reads `compatibilityLevel` and `normalize`. */
export interface ConfigValue {
  readonly compatibilityLevel?: string;
  readonly normalize?: boolean;
  readonly [property: string]: unknown;
}

export interface ModeValue {
  readonly mode: string;
}

/** Jackson's string form: JSON.stringify's, with upper-case hex in `\uXXXX` escapes. */
function jsonString(text: string): string {
  return JSON.stringify(text).replace(/\\u([0-9a-f]{4})/g, (_m, hex: string) => `\\u${hex.toUpperCase()}`);
}

/** Compact JSON of an object whose properties are given in order; undefined, null and empty arrays/objects are left out. */
function nonEmptyObject(entries: readonly [string, unknown][]): string {
  const parts: string[] = [];
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    parts.push(`${jsonString(name)}:${jsonValue(value)}`);
  }
  return `{${parts.join(',')}}`;
}

function jsonValue(value: unknown): string {
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) return `[${value.map(jsonValue).join(',')}]`;
  if (value !== null && typeof value === 'object') return nonEmptyObject(Object.entries(value));
  return JSON.stringify(value);
}

export function encodeKey(key: SchemasKey): Buffer {
  switch (key.keytype) {
    case 'SCHEMA':
      return Buffer.from(nonEmptyObject([['keytype', 'SCHEMA'], ['subject', key.subject], ['version', key.version], ['magic', 1]]));
    case 'CONFIG':
    case 'MODE':
      return Buffer.from(nonEmptyObject([['keytype', key.keytype], ['subject', key.subject], ['magic', 0]]));
    case 'DELETE_SUBJECT':
    case 'CLEAR_SUBJECT':
      return Buffer.from(nonEmptyObject([['keytype', key.keytype], ['subject', key.subject], ['magic', 0]]));
    case 'NOOP':
      return Buffer.from(nonEmptyObject([['keytype', 'NOOP'], ['magic', 0]]));
    case 'CONTEXT':
      return Buffer.from(nonEmptyObject([['keytype', 'CONTEXT'], ['tenant', key.tenant], ['context', key.context], ['magic', 0]]));
  }
}

/** One string per logical key, whatever the byte form it was written in. */
export function logicalKey(key: SchemasKey): string {
  switch (key.keytype) {
    case 'SCHEMA':
      return JSON.stringify(['SCHEMA', key.subject, key.version]);
    case 'CONFIG':
    case 'MODE':
      return JSON.stringify([key.keytype, key.subject ?? null]);
    case 'DELETE_SUBJECT':
    case 'CLEAR_SUBJECT':
      return JSON.stringify([key.keytype, key.subject]);
    case 'NOOP':
      return '["NOOP"]';
    case 'CONTEXT':
      return JSON.stringify(['CONTEXT', key.tenant, key.context]);
  }
}

function parseObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

const optionalString = (v: unknown): string | null | undefined => (v === undefined || v === null ? null : typeof v === 'string' ? v : undefined);

/** undefined: not a key this registry understands (logged and skipped by the reader). */
export function decodeKey(bytes: Buffer): SchemasKey | undefined {
  const o = parseObject(bytes);
  if (!o) return undefined;
  switch (o.keytype) {
    case 'SCHEMA':
      if (typeof o.subject !== 'string' || !Number.isInteger(o.version) || (o.magic !== 0 && o.magic !== 1)) return undefined;
      return { keytype: 'SCHEMA', subject: o.subject, version: o.version as number };
    case 'CONFIG':
    case 'MODE': {
      const subject = optionalString(o.subject);
      return subject === undefined ? undefined : { keytype: o.keytype, subject };
    }
    case 'DELETE_SUBJECT':
    case 'CLEAR_SUBJECT':
      return typeof o.subject === 'string' ? { keytype: o.keytype, subject: o.subject } : undefined;
    case 'NOOP':
      return { keytype: 'NOOP' };
    case 'CONTEXT':
      return typeof o.context === 'string' ? { keytype: 'CONTEXT', tenant: typeof o.tenant === 'string' ? o.tenant : 'default', context: o.context } : undefined;
    default:
      return undefined;
  }
}

export function encodeSchemaValue(value: SchemaValue): Buffer {
  return Buffer.from(nonEmptyObject([
    ['subject', value.subject],
    ['version', value.version],
    ['id', value.id],
    ['schemaType', value.schemaType === 'AVRO' ? undefined : value.schemaType],
    ['references', value.references.map((r) => ({ name: r.name, subject: r.subject, version: r.version }))],
    ['schema', value.schema],
    ['deleted', value.deleted],
  ]));
}

function isReference(r: unknown): r is SchemaReference {
  const o = r as Record<string, unknown> | null;
  return o !== null && typeof o === 'object' && typeof o.name === 'string' && typeof o.subject === 'string' && Number.isInteger(o.version);
}

export function decodeSchemaValue(bytes: Buffer): SchemaValue | undefined {
  const o = parseObject(bytes);
  if (!o || typeof o.subject !== 'string' || !Number.isInteger(o.version) || !Number.isInteger(o.id) || typeof o.schema !== 'string') return undefined;
  const type = o.schemaType ?? 'AVRO';
  if (type !== 'AVRO' && type !== 'JSON' && type !== 'PROTOBUF') return undefined;
  const references = Array.isArray(o.references) ? o.references.filter(isReference).map((r) => ({ name: r.name, subject: r.subject, version: r.version })) : [];
  return {
    subject: o.subject, version: o.version as number, id: o.id as number, schemaType: type, references, schema: o.schema, deleted: o.deleted === true,
  };
}

export function encodeConfigValue(subject: string | null, value: ConfigValue): Buffer {
  const { compatibilityLevel, normalize, ...rest } = value;
  return Buffer.from(nonEmptyObject([
    ['subject', subject], ['compatibilityLevel', compatibilityLevel], ['normalize', normalize], ...Object.entries(rest).filter(([k]) => k !== 'subject'),
  ]));
}

export function decodeConfigValue(bytes: Buffer): ConfigValue | undefined {
  const o = parseObject(bytes);
  if (!o) return undefined;
  const { subject: _subject, ...rest } = o;
  return rest;
}

export function encodeModeValue(subject: string | null, mode: string): Buffer {
  return Buffer.from(nonEmptyObject([['subject', subject], ['mode', mode]]));
}

export function decodeModeValue(bytes: Buffer): ModeValue | undefined {
  const o = parseObject(bytes);
  return o && typeof o.mode === 'string' ? { mode: o.mode } : undefined;
}

export function encodeDeleteSubjectValue(subject: string, version: number): Buffer {
  return Buffer.from(nonEmptyObject([['subject', subject], ['version', version]]));
}

export function decodeDeleteSubjectValue(bytes: Buffer): { version: number } | undefined {
  const o = parseObject(bytes);
  return o && Number.isInteger(o.version) ? { version: o.version as number } : undefined;
}

export function encodeClearSubjectValue(subject: string): Buffer {
  return Buffer.from(nonEmptyObject([['subject', subject]]));
}
