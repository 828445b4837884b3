/**
 * Mappings: explicit ones (create index, put mapping) merged as Elasticsearch merges them, dynamic
 * mapping of new fields, and the checks that make a document fail when a value does not fit its
 * field's type.
 *
 * Dynamic field mapping (https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic-field-mapping.html):
 * `true`/`false` → boolean, an integer → long, a fraction → float, an object → object, a string that
 * passes date detection (`strict_date_optional_time`) → date, any other string → text with a `keyword`
 * sub-field (`ignore_above: 256`), null → nothing, an array → its first non-null element's type.
 * `dynamic: false` leaves new fields unmapped, `dynamic: strict` rejects them
 * (https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic.html).
 * Numbers in strings are coerced (https://www.elastic.co/guide/en/elasticsearch/reference/current/coerce.html).
 * Total fields are limited to 1000 (`index.mapping.total_fields.limit`,
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping-settings-limit.html).
 */
import { EsError, illegalArgument } from './errors.js';

export interface FieldMapping {
  type?: string;
  properties?: Record<string, FieldMapping>;
  fields?: Record<string, FieldMapping>;
  dynamic?: unknown;
  [setting: string]: unknown;
}

export interface Mappings {
  dynamic?: unknown;
  properties?: Record<string, FieldMapping>;
  [setting: string]: unknown;
}

export interface DocumentContext {
  readonly id: string;
  /** `document_parsing_exception` (Elasticsearch 8.8+) or `mapper_parsing_exception`. */
  readonly errorType: string;
}

const TOTAL_FIELDS_LIMIT = 1000;
const INTEGER_TYPES: Record<string, [bigint, bigint]> = {
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  byte: [-128n, 127n],
  unsigned_long: [0n, 2n ** 64n - 1n],
};
const FLOAT_TYPES = new Set(['float', 'double', 'half_float', 'scaled_float']);
const STRING_TYPES = new Set(['text', 'keyword', 'constant_keyword', 'wildcard', 'match_only_text', 'search_as_you_type']);
const OTHER_TYPES = new Set([
  'boolean', 'date', 'date_nanos', 'binary', 'ip', 'geo_point', 'geo_shape', 'object', 'nested', 'flattened',
  'dense_vector', 'sparse_vector', 'alias', 'version', 'histogram', 'integer_range', 'long_range', 'float_range',
  'double_range', 'date_range', 'ip_range', 'completion', 'token_count', 'percolator', 'join', 'rank_feature',
  'rank_features', 'shape', 'point', 'murmur3',
]);
const METADATA_FIELDS = new Set([
  '_id', '_index', '_source', '_routing', '_version', '_seq_no', '_primary_term', '_ignored', '_field_names',
  '_tier', '_data_stream_timestamp', '_doc_count', '_nested_path', '_feature', '_type',
]);

export function isKnownType(type: string): boolean {
  return type in INTEGER_TYPES || FLOAT_TYPES.has(type) || STRING_TYPES.has(type) || OTHER_TYPES.has(type);
}

function isObjectMapping(field: FieldMapping): boolean {
  return field.type === undefined || field.type === 'object' || field.type === 'nested';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a JSON value looks in Elasticsearch's error previews (Java's Map/List `toString`). */
export function preview(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(preview).join(', ')}]`;
  if (isPlainObject(value)) return `{${Object.entries(value).map(([k, v]) => `${k}=${preview(v)}`).join(', ')}}`;
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Explicit mappings: validation and merge

/** Checks a mapping body (`{ properties: ... }`) as put-mapping and create-index do. */
export function validateMappings(mappings: unknown): Mappings {
  if (!isPlainObject(mappings)) throw new EsError(400, 'mapper_parsing_exception', 'Failed to parse mapping: mappings must be an object');
  const dynamic = mappings.dynamic;
  if (dynamic !== undefined && !['true', 'false', 'strict', 'runtime', true, false].includes(dynamic as string | boolean)) {
    throw new EsError(400, 'mapper_parsing_exception', `Failed to parse mapping: Could not convert [dynamic] to boolean`);
  }
  if (mappings.properties !== undefined) validateProperties(mappings.properties, '');
  return mappings as Mappings;
}

function validateProperties(properties: unknown, prefix: string): void {
  if (!isPlainObject(properties)) throw new EsError(400, 'mapper_parsing_exception', 'Failed to parse mapping: properties must be an object');
  for (const [name, field] of Object.entries(properties)) {
    if (!isPlainObject(field)) {
      throw new EsError(400, 'mapper_parsing_exception', `Failed to parse mapping: Expected map for property [fields] on field [${name}] but got a class java.lang.String`);
    }
    const type = field.type;
    if (type !== undefined && (typeof type !== 'string' || !isKnownType(type))) {
      throw new EsError(400, 'mapper_parsing_exception', `Failed to parse mapping: No handler for type [${String(type)}] declared on field [${name}]`);
    }
    if (field.properties !== undefined) validateProperties(field.properties, `${prefix}${name}.`);
    if (field.fields !== undefined) validateProperties(field.fields, `${prefix}${name}.`);
  }
}

/** Merges `update` into `current` (a copy), refusing type changes as put-mapping does. */
export function mergeMappings(current: Mappings, update: Mappings): Mappings {
  const merged: Mappings = structuredClone(current);
  for (const [key, value] of Object.entries(update)) {
    if (key !== 'properties') merged[key] = structuredClone(value);
  }
  if (update.properties !== undefined) {
    merged.properties = mergeProperties(merged.properties ?? {}, update.properties, '');
  }
  if (countFields(merged.properties ?? {}) > TOTAL_FIELDS_LIMIT) {
    throw illegalArgument(`Limit of total fields [${TOTAL_FIELDS_LIMIT}] has been exceeded`);
  }
  return merged;
}

function mergeProperties(current: Record<string, FieldMapping>, update: Record<string, FieldMapping>, prefix: string): Record<string, FieldMapping> {
  for (const [name, incoming] of Object.entries(update)) {
    const existing = current[name];
    const path = `${prefix}${name}`;
    if (existing === undefined) {
      current[name] = structuredClone(incoming);
      continue;
    }
    const wasObject = isObjectMapping(existing);
    const isObject = isObjectMapping(incoming);
    if (wasObject !== isObject) {
      throw illegalArgument(wasObject
        ? `can't merge a non object mapping [${path}] with an object mapping`
        : `can't merge a non object mapping [${path}] with an object mapping`);
    }
    if (!isObject && existing.type !== incoming.type) {
      throw illegalArgument(`mapper [${path}] cannot be changed from type [${existing.type}] to [${incoming.type}]`);
    }
    const { properties, fields, ...settings } = incoming;
    Object.assign(existing, structuredClone(settings));
    if (properties !== undefined) existing.properties = mergeProperties(existing.properties ?? {}, properties, `${path}.`);
    if (fields !== undefined) existing.fields = mergeProperties(existing.fields ?? {}, fields, `${path}.`);
  }
  return current;
}

function countFields(properties: Record<string, FieldMapping>): number {
  let n = 0;
  for (const field of Object.values(properties)) {
    n += 1;
    if (field.properties !== undefined) n += countFields(field.properties);
    if (field.fields !== undefined) n += countFields(field.fields);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Documents against mappings

const DATE_OPTIONAL_TIME = /^[+-]?\d{4,9}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2}([.,]\d{1,9})?)?)?)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
/** Date detection wants at least a full date, so that plain numbers in strings stay text. */
const DETECTABLE_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

export function looksLikeDate(value: string): boolean {
  return DETECTABLE_DATE.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));
}

function dynamicMappingFor(value: unknown): FieldMapping | null {
  if (value === null) return null;
  if (Array.isArray(value)) {
    for (const element of value) {
      const mapping = dynamicMappingFor(element);
      if (mapping !== null) return mapping;
    }
    return null;
  }
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'long' : 'float' };
  if (typeof value === 'string') {
    if (looksLikeDate(value)) return { type: 'date' };
    return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  }
  return { properties: {} };
}

class Walk {
  added = 0;
  constructor(readonly ctx: DocumentContext, readonly write: boolean) {}

  fail(reason: string, cause?: { type: string; reason: string }): never {
    throw new EsError(400, this.ctx.errorType, reason, cause === undefined ? {} : { caused_by: cause });
  }

  fieldFail(path: string, type: string, value: unknown, cause?: { type: string; reason: string }): never {
    return this.fail(
      `failed to parse field [${path}] of type [${type}] in document with id '${this.ctx.id}'. Preview of field's value: '${preview(value)}'`,
      cause,
    );
  }

  /** Walks the fields of one object value against `properties`; returns false when a field is missing (dry run). */
  object(source: Record<string, unknown>, container: { properties?: Record<string, FieldMapping>; dynamic?: unknown }, path: string, inheritedDynamic: unknown): boolean {
    const dynamic = container.dynamic ?? inheritedDynamic;
    for (const [rawName, value] of Object.entries(source)) {
      if (rawName.trim() === '') this.fail(`field name cannot be an empty string`);
      if (path === '' && METADATA_FIELDS.has(rawName)) {
        this.fail(`Field [${rawName}] is a metadata field and cannot be added inside a document. Use the index API request parameters.`);
      }
      // A dotted name is shorthand for objects: {"a.b": 1} is {"a": {"b": 1}}.
      const parts = rawName.split('.');
      if (parts.some((p) => p === '')) this.fail(`field name cannot contain only whitespace: ['${rawName}']`);
      const name = parts[0];
      const nested = parts.length > 1 ? { [parts.slice(1).join('.')]: value } : undefined;
      const fieldPath = `${path}${name}`;
      let field = container.properties?.[name];
      if (field === undefined) {
        if (value === null && nested === undefined) continue;
        if (dynamic === 'strict') {
          throw new EsError(400, 'strict_dynamic_mapping_exception',
            `mapping set to strict, dynamic introduction of [${name}] within [${path === '' ? '_doc' : path.slice(0, -1)}] is not allowed`);
        }
        if (dynamic === false || dynamic === 'false' || dynamic === 'runtime') continue;
        const mapping = nested !== undefined ? { properties: {} } : dynamicMappingFor(value);
        if (mapping === null) continue;
        if (!this.write) return false;
        container.properties ??= {};
        container.properties[name] = mapping;
        this.added += 1 + (mapping.fields === undefined ? 0 : Object.keys(mapping.fields).length);
        field = mapping;
      }
      const ok = nested !== undefined
        ? (isObjectMapping(field) ? this.object(nested, field, `${fieldPath}.`, dynamic) : this.fail(`Could not dynamically add mapping for field [${path}${rawName}]. Existing mapping for [${fieldPath}] must be of type object but found [${field.type}].`))
        : this.value(value, field, fieldPath, dynamic);
      if (!ok) return false;
    }
    return true;
  }

  value(value: unknown, field: FieldMapping, path: string, dynamic: unknown): boolean {
    if (value === null) return true;
    if (Array.isArray(value)) {
      for (const element of value) if (!this.value(element, field, path, dynamic)) return false;
      return true;
    }
    if (isObjectMapping(field)) {
      if (!isPlainObject(value)) {
        const name = path.slice(path.lastIndexOf('.') + 1);
        this.fail(`object mapping for [${path}] tried to parse field [${name}] as object, but found a concrete value`);
      }
      return this.object(value, field, `${path}.`, dynamic);
    }
    const type = field.type as string;
    if (type === 'flattened' || type === 'geo_point' || type === 'geo_shape' || type === 'shape' || type === 'point' || type.endsWith('_range') || type === 'join' || type === 'completion' || type === 'dense_vector' || type === 'sparse_vector' || type === 'rank_features' || type === 'histogram') return true;
    if (isPlainObject(value)) {
      this.fieldFail(path, type, value, { type: 'illegal_state_exception', reason: `Can't get text on a START_OBJECT` });
    }
    this.scalar(value, type, path);
    return true;
  }

  scalar(value: unknown, type: string, path: string): void {
    if (type in INTEGER_TYPES) {
      const [min, max] = INTEGER_TYPES[type];
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (typeof value === 'boolean') {
        this.fieldFail(path, type, value, { type: 'illegal_argument_exception', reason: `Current token (VALUE_${value ? 'TRUE' : 'FALSE'}) not numeric, can not use numeric value accessors` });
      }
      if (!Number.isFinite(number)) {
        this.fieldFail(path, type, value, { type: 'illegal_argument_exception', reason: `For input string: "${String(value)}"` });
      }
      const truncated = BigInt(Math.trunc(number));
      if (truncated < min || truncated > max) {
        this.fieldFail(path, type, value, { type: 'illegal_argument_exception', reason: `Value [${String(value)}] is out of range for ${type === 'integer' ? 'an integer' : `a ${type}`}` });
      }
      return;
    }
    if (FLOAT_TYPES.has(type)) {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (typeof value === 'boolean' || !Number.isFinite(number)) {
        this.fieldFail(path, type, value, { type: 'number_format_exception', reason: `For input string: "${String(value)}"` });
      }
      return;
    }
    if (type === 'boolean') {
      if (value === true || value === false || value === 'true' || value === 'false' || value === '') return;
      this.fieldFail(path, type, value, { type: 'illegal_argument_exception', reason: `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.` });
    }
    if (type === 'date' || type === 'date_nanos') {
      const ok = typeof value === 'number'
        ? Number.isFinite(value)
        : typeof value === 'string' && (/^-?\d+$/.test(value) || (DATE_OPTIONAL_TIME.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')))));
      if (!ok) {
        this.fieldFail(path, type, value, { type: 'illegal_argument_exception', reason: `failed to parse date field [${String(value)}] with format [strict_date_optional_time||epoch_millis]` });
      }
      return;
    }
    if (type === 'binary') {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
        this.fieldFail(path, type, value, { type: 'illegal_argument_exception', reason: 'Illegal base64 character' });
      }
    }
    // text, keyword and the rest take any scalar.
  }
}

/**
 * Checks `source` against `mappings` and maps its new fields. Returns the mappings to keep (the same
 * object when nothing was added, else an updated copy); throws an item error when the document does
 * not fit. The mappings passed in are never changed.
 */
export function mapDocument(mappings: Mappings, source: unknown, ctx: DocumentContext): Mappings {
  if (!isPlainObject(source)) {
    throw new EsError(400, ctx.errorType, 'failed to parse', {
      caused_by: { type: 'illegal_argument_exception', reason: 'Malformed content, must start with an object' },
    });
  }
  const dynamic = mappings.dynamic ?? true;
  if (new Walk(ctx, false).object(source, mappings, '', dynamic)) return mappings;
  const copy: Mappings = structuredClone(mappings);
  const walk = new Walk(ctx, true);
  walk.object(source, copy, '', dynamic);
  const total = countFields(copy.properties ?? {});
  if (total > TOTAL_FIELDS_LIMIT) {
    throw illegalArgument(`Limit of total fields [${TOTAL_FIELDS_LIMIT}] has been exceeded while adding new fields [${walk.added}]`);
  }
  return copy;
}
