/**
 * Cast$Key / Cast$Value: casts top-level fields (`spec=a:int32,b:string`) or the whole key/value
 * (`spec=int64`) to int8, int16, int32, int64, float32, float64, boolean or string.
 *
 * Inputs may be any of those types or bytes (bytes only to string, base64). Conversions follow
 * Java: integers narrow by two's complement (300 → int8 44), floats truncate toward zero and
 * saturate, booleans become 1/0 and numbers become `value != 0` (after truncation), strings are
 * parsed strictly (`"1.5"` → int32 fails) except that any string other than "true" (any case)
 * casts to false. Date, Time and Timestamp fields cast to numbers as their wire value (days,
 * ms of day, ms since epoch) and to strings in Kafka's ISO form; a Decimal casts to numbers by
 * truncation and to its plain text. Casting to string prints floats the Java way (1.0).
 *
 * With a schema, the schema is rewritten (optionality kept, defaults cast too) and cached per
 * input schema. Without a schema, an integral JS number counts as an int64 and any other
 * number as a float64; Dates and Decimals are rejected, as Kafka rejects them.
 *
 * Where Kafka produces an unusable schema, ferry differs: a whole key/value of a logical type
 * cast to another type drops the logical name, and a struct schema's own default value is
 * dropped (Kafka fails on both).
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import { displayString } from '../../../connectors/sdk/data/display-string.js';
import { DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../../../connectors/sdk/data/logical-names.js';
import { LogicalDate, LogicalTime, LogicalTimestamp } from '../../../connectors/sdk/data/logical-types.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import type { SchemaType } from '../../../connectors/sdk/data/schema-type.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { Values } from '../../../connectors/sdk/data/values.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { defineConfig, list, validators } from '../../../connectors/sdk/config/config-spec.js';
import { parseJavaFloat, parseJavaInteger, saturateDouble, wrapInteger, type IntegerBits } from './java-numbers.js';
import { javaSplit } from './java-strings.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { kindOf, requireMap, requireStruct } from './requirements.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import { copySchemaBasics, isLogicalSchema } from './schema-util.js';
import { isSchemalessMap, sameKindAs, workingCopy, getField } from './schemaless-map.js';
import { fieldValue } from './struct-values.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins, replaceNullWithDefaultField } from './transform-plugin.js';

const PURPOSE = 'cast types';
const INPUT_TYPES: readonly SchemaType[] = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES'];
const OUTPUT_TYPES: readonly SchemaType[] = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING'];
const ALL_TYPES: readonly SchemaType[] = [...INPUT_TYPES, 'ARRAY', 'MAP', 'STRUCT'];
const INTEGER_BITS: Partial<Record<SchemaType, IntegerBits>> = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 };

export type CastTarget = 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT32' | 'FLOAT64' | 'BOOLEAN' | 'STRING';

/** A parsed `spec`: either one type for the whole key/value, or a type per field. */
export type CastSpec = { readonly whole: CastTarget } | { readonly whole: null; readonly fields: ReadonlyMap<string, CastTarget> };

function castTarget(text: string): CastTarget {
  const type = text.trim().toUpperCase() as SchemaType;
  if (!ALL_TYPES.includes(type)) throw new Error(`Invalid type found in casting spec: ${text.trim()}`);
  if (!OUTPUT_TYPES.includes(type)) {
    throw new Error(`Cast transformation does not support casting to ${type}; supported types are [${OUTPUT_TYPES.join(', ')}]`);
  }
  return type as CastTarget;
}

/** Parses `spec`; throws Error with Kafka's message on a bad entry. */
export function parseCastSpec(mappings: readonly string[]): CastSpec {
  if (mappings.length === 0) throw new Error('Must specify at least one field to cast.');
  const fields = new Map<string, CastTarget>();
  let whole: CastTarget | null = null;
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':');
    if (parts.length > 2) throw new Error(`Invalid cast mapping: ${mapping}`);
    if (parts.length <= 1) whole = castTarget(parts[0] ?? '');
    else fields.set(parts[0].trim(), castTarget(parts[1]));
  }
  if (whole !== null && mappings.length > 1) {
    throw new Error('Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec');
  }
  return whole !== null ? { whole } : { whole: null, fields };
}

export const castSpec = defineConfig({
  'spec': list({
    doc: 'Casts as field:type pairs (field1:type,field2:type) for the fields of a struct or map, or a single type to '
      + 'cast the whole key/value. Types: int8, int16, int32, int64, float32, float64, boolean, string. Bytes fields '
      + 'can only be cast to string.',
    importance: 'HIGH',
    validator: validators.validator((mappings: readonly string[]) => {
      parseCastSpec(mappings);
    }, 'list of colon-delimited pairs, e.g. foo:bar,abc:xyz'),
  }),
  'replace.null.with.default': replaceNullWithDefaultField(),
});

function inferredType(value: unknown): SchemaType {
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  if (typeof value === 'bigint') return 'INT64';
  if (value instanceof Uint8Array) return 'BYTES';
  if (Array.isArray(value)) return 'ARRAY';
  if (isSchemalessMap(value)) return 'MAP';
  if (value instanceof Struct) return 'STRUCT';
  throw new DataError(`Cast transformation was passed a value of type ${kindOf(value)} which is not supported by Connect's data API`);
}

/** A logical value's wire form (Kafka's encodeLogicalType): Date → days, Time → ms of day, Timestamp → epoch ms. */
function encodeLogical(schema: Schema, value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  switch (schema.name) {
    case DATE_LOGICAL_NAME:
      return LogicalDate.fromLogical(schema, value);
    case TIME_LOGICAL_NAME:
      return LogicalTime.fromLogical(schema, value);
    case TIMESTAMP_LOGICAL_NAME:
      return LogicalTimestamp.fromLogical(schema, value);
    default:
      return value;
  }
}

function unexpected(value: unknown): DataError {
  return new DataError(`Unexpected type in Cast transformation: ${kindOf(value)}`);
}

function outOfRange(value: unknown): DataError {
  return new DataError(`Value (${displayString(value)}) was out of range for requested data type`);
}

function isFloating(value: number, sourceType: SchemaType): boolean {
  return sourceType === 'FLOAT32' || sourceType === 'FLOAT64' || !Number.isInteger(value);
}

function toInteger(value: unknown, sourceType: SchemaType, bits: IntegerBits): number | bigint {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const n = parseJavaInteger(value, bits);
    if (n === null) throw outOfRange(value);
    return n;
  }
  if (typeof value === 'number') {
    return isFloating(value, sourceType) ? saturateDouble(value, bits) : wrapInteger(BigInt(value), bits);
  }
  if (typeof value === 'bigint') return wrapInteger(value, bits);
  if (value instanceof Decimal) return wrapInteger(value.toBigInt(), bits);
  throw unexpected(value);
}

function toFloat(value: unknown, single: boolean): number {
  let n: number;
  if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (value instanceof Decimal) n = value.toNumber();
  else if (typeof value === 'string') {
    const parsed = parseJavaFloat(value);
    if (parsed === null) throw outOfRange(value);
    n = parsed;
  } else throw unexpected(value);
  return single ? Math.fround(n) : n;
}

function toBoolean(value: unknown, sourceType: SchemaType): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Decimal) {
    const truncated = toInteger(value, sourceType, 64);
    return truncated !== 0 && truncated !== 0n;
  }
  throw unexpected(value);
}

function toText(value: unknown, schema: Schema | null): string {
  if (value instanceof Date) return Values.convertToString(null, value) ?? '';
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Decimal) return value.toString();
  if (typeof value === 'number') return displayString(value, schema !== null && !isLogicalSchema(schema) ? schema : null);
  return displayString(value);
}

/** Kafka's castValueToType: `schema` is the value's schema, or null for schemaless data. */
export function castValue(schema: Schema | null, value: unknown, target: CastTarget): unknown {
  if (value === null || value === undefined) return null;
  const sourceType = schema === null ? inferredType(value) : schema.type;
  if (!INPUT_TYPES.includes(sourceType)) {
    throw new DataError(`Cast transformation does not support casting from ${sourceType}; supported types are [${INPUT_TYPES.join(', ')}]`);
  }
  if (schema === null && (value instanceof Date || value instanceof Decimal)) {
    throw new DataError(`Cast transformation was passed a value of type ${kindOf(value)} which is not supported by Connect's data API`);
  }
  const source = schema !== null && target !== 'STRING' ? encodeLogical(schema, value) : value;
  const bits = INTEGER_BITS[target];
  if (bits !== undefined) return toInteger(source, sourceType, bits);
  switch (target) {
    case 'FLOAT32':
      return toFloat(source, true);
    case 'FLOAT64':
      return toFloat(source, false);
    case 'BOOLEAN':
      return toBoolean(source, sourceType);
    default:
      return toText(source, schema);
  }
}

function targetBuilder(target: CastTarget): SchemaBuilder {
  return SchemaBuilder.type(target);
}

class Cast implements RecordTransform {
  readonly #part: RecordPart;
  readonly #cache = new SchemaUpdateCache();
  #spec: CastSpec = { whole: null, fields: new Map() };
  #replaceNullWithDefault = true;

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    const c = castSpec.parse(config);
    this.#spec = parseCastSpec(c.spec);
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = valueOf(record, this.#part);
    if (value === null || value === undefined) return record;
    const schema = schemaOf(record, this.#part);
    const spec = this.#spec;
    if (schema === null) {
      if (spec.whole !== null) return withPart(record, this.#part, null, castValue(null, value, spec.whole));
      const original = requireMap(value, PURPOSE);
      const updated = workingCopy(original);
      for (const [name, target] of spec.fields) updated.set(name, castValue(null, getField(original, name), target));
      return withPart(record, this.#part, null, sameKindAs(original, updated));
    }
    const updatedSchema = this.#cache.getOrBuild(schema, (s) => this.#updatedSchema(s));
    if (spec.whole !== null) return withPart(record, this.#part, updatedSchema, castValue(schema, value, spec.whole));
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields) {
      const original = fieldValue(struct, field, this.#replaceNullWithDefault);
      const target = spec.fields.get(field.name);
      updated.put(field.name, target !== undefined ? castValue(field.schema, original, target) : original);
    }
    return withPart(record, this.#part, updatedSchema, updated);
  }

  close(): void {
    this.#cache.clear();
  }

  #updatedSchema(schema: Schema): Schema {
    const spec = this.#spec;
    let builder: SchemaBuilder;
    if (spec.whole !== null) {
      builder = isLogicalSchema(schema) ? targetBuilder(spec.whole) : copySchemaBasics(schema, targetBuilder(spec.whole));
    } else {
      builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields) {
        const target = spec.fields.get(field.name);
        if (target === undefined) {
          builder.field(field.name, field.schema);
          continue;
        }
        const fieldBuilder = targetBuilder(target);
        if (field.schema.optional) fieldBuilder.optional();
        if (field.schema.defaultValue !== null) fieldBuilder.defaultValue(castValue(field.schema, field.schema.defaultValue, target));
        builder.field(field.name, fieldBuilder.build());
      }
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue !== null) {
      const defaultValue = spec.whole !== null ? castValue(schema, schema.defaultValue, spec.whole) : null;
      if (defaultValue !== null) builder.defaultValue(defaultValue);
    }
    return builder.build();
  }
}

export const castPlugins = keyValuePlugins(
  'Cast',
  'Casts fields, or the whole key/value, to another primitive type.',
  castSpec,
  (part) => new Cast(part),
);
