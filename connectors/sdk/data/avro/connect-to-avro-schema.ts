/**
 * Connect schema → Avro schema, as Confluent's AvroData.fromConnectSchema builds it, so that the
 * printed text (avro-schema-printer.ts) is what Confluent's AvroConverter registers:
 *
 * - INT8/INT16 → `int` with `connect.type`; INT32/INT64/FLOAT32/FLOAT64/BOOLEAN/STRING/BYTES →
 *   int/long/float/double/boolean/string/bytes; BYTES with `connect.fixed.size` → `fixed`; a STRING
 *   carrying `io.confluent.connect.avro.Enum` → `enum` with `enhanced.avro.schema.support`.
 * - Decimal → bytes with `scale` and `precision` (parameter `connect.decimal.precision`, else 64)
 *   first and `logicalType: decimal` last; Date, Time, Timestamp → int/int/long with `date`,
 *   `time-millis`, `timestamp-millis`.
 * - ARRAY → array; MAP with required STRING keys → map; any other MAP → array of `MapEntry`
 *   records {key, value} (named after the map when it has a name).
 * - STRUCT → record named after the schema (split at the last dot); unnamed ones are
 *   `ConnectDefault`, `ConnectDefault2`, ... in `io.confluent.connect.avro`, numbered in the order
 *   met; a struct named `io.confluent.connect.avro.Union` → a union of its fields' types.
 * - Props, in this order, when `connect.meta.data`: `connect.doc`, `connect.version`,
 *   `connect.parameters`, `connect.default`, `connect.name`, `connect.type`; then `logicalType`,
 *   then parameters starting with `avro` as string props.
 * - Optional → `["null", T]` (a field gets `"default": null`), or `[T, "null"]` when it has a
 *   default (the field default is then that value).
 *
 * Defaults are written as Jackson writes Avro defaults: numbers with Java's formatting, bytes and
 * decimals as ISO-8859-1 strings, logical types as their int/long, maps with other than string
 * keys as arrays of [key, value] pairs.
 */
import { DataError } from '../../errors.js';
import type { Decimal } from '../decimal.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, DECIMAL_SCALE_PARAMETER, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../logical-names.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../logical-types.js';
import type { Schema } from '../schema.js';
import type { Struct } from '../struct.js';
import type { AvroDataSettings } from './avro-data-config.js';
import {
  AVRO_NAMESPACE, AVRO_PARAMETER_PREFIX, CONNECT_DEFAULT_PROP, CONNECT_DOC_PROP, CONNECT_INTERNAL_TYPE_PROP, CONNECT_NAME_PROP,
  CONNECT_PARAMETERS_PROP, CONNECT_TYPE_PROP, CONNECT_VERSION_PROP, DECIMAL_PRECISION_DEFAULT, DECIMAL_PRECISION_PROP, DECIMAL_SCALE_PROP,
  DEFAULT_RECORD_NAME, ENUM_DEFAULT_PARAMETER_PREFIX, ENUM_DOC_PARAMETER_PREFIX, ENUM_PARAMETER, FIELD_DEFAULT_FLAG_PARAMETER,
  FIELD_DOC_PARAMETER_PREFIX, FIXED_SIZE_PARAMETER, KEY_FIELD, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME_MILLIS,
  LOGICAL_TIMESTAMP_MILLIS, LOGICAL_TYPE_PROP, MAP_ENTRY_NAME, PRECISION_PARAMETER, RECORD_DOC_PARAMETER, UNION_NAME, VALUE_FIELD,
} from './avro-names.js';
import { primitive, type AvroField, type AvroProps, type AvroRecord, type AvroSchema } from './avro-schema.js';
import { jsonDouble, jsonFloat, jsonInteger, type JsonObject, type JsonValue } from './json-value.js';
import { scrubName } from './scrub-name.js';

/** The Avro schema of a Connect schema (a fresh conversion: unnamed structs are numbered from 1). */
export function connectToAvroSchema(schema: Schema, settings: AvroDataSettings): AvroSchema {
  return new ConnectToAvro(settings).convert(schema, false);
}

/** True when a Connect MAP becomes an Avro map (otherwise an array of MapEntry records). */
export function isAvroMap(schema: Schema, settings: AvroDataSettings): boolean {
  const key = schema.keySchema;
  return key !== null && key.type === 'STRING' && (!key.optional || settings.allowOptionalMapKeys);
}

/** True for a Connect STRUCT that stands for an Avro union. */
export function isUnionStruct(schema: Schema): boolean {
  return schema.type === 'STRUCT' && schema.name === UNION_NAME;
}

/** True for a Connect STRING that becomes an Avro enum. */
export function isEnumString(schema: Schema, settings: AvroDataSettings): boolean {
  return schema.type === 'STRING' && settings.enhancedAvroSchemaSupport && schema.parameters?.has(ENUM_PARAMETER) === true;
}

class ConnectToAvro {
  private unnamedRecords = 0;

  constructor(private readonly settings: AvroDataSettings) {}

  convert(schema: Schema, ignoreOptional: boolean): AvroSchema {
    const { namespace, name } = splitName(schema.name);
    let connectType: string | null = null;
    let base: AvroSchema;
    switch (schema.type) {
      case 'INT8':
      case 'INT16':
        connectType = schema.type.toLowerCase();
        base = primitive('int');
        break;
      case 'INT32':
        base = primitive('int');
        break;
      case 'INT64':
        base = primitive('long');
        break;
      case 'FLOAT32':
        base = primitive('float');
        break;
      case 'FLOAT64':
        base = primitive('double');
        break;
      case 'BOOLEAN':
        base = primitive('boolean');
        break;
      case 'STRING':
        base = isEnumString(schema, this.settings) ? this.enumOf(schema) : primitive('string');
        break;
      case 'BYTES':
        base = this.bytesOf(schema, namespace, name);
        break;
      case 'ARRAY':
        base = { type: 'array', items: this.convert(elementSchema(schema.valueSchema, 'array'), false), props: new Map() };
        break;
      case 'MAP':
        base = this.mapOf(schema, namespace, name);
        break;
      case 'STRUCT':
        if (isUnionStruct(schema)) {
          const branches = schema.fields.map((f) => this.convert(f.schema, true));
          return { type: 'union', branches: schema.optional ? [primitive('null'), ...branches] : branches };
        }
        base = this.recordOf(schema, namespace, name);
        break;
    }
    this.addProps(schema, base, connectType);
    return ignoreOptional || !schema.optional ? base : schema.defaultValue !== null
      ? { type: 'union', branches: [base, primitive('null')] }
      : { type: 'union', branches: [primitive('null'), base] };
  }

  private bytesOf(schema: Schema, namespace: string, name: string): AvroSchema {
    const fixedSize = schema.parameters?.get(FIXED_SIZE_PARAMETER);
    const base: AvroSchema = fixedSize !== undefined
      ? { type: 'fixed', name: this.scrub(name), namespace: this.scrubNamespace(namespace), doc: null, aliases: [], props: new Map(), size: parseInteger(fixedSize, FIXED_SIZE_PARAMETER) }
      : primitive('bytes');
    if (isDecimal(schema)) {
      base.props.set(DECIMAL_SCALE_PROP, jsonInteger(parseInteger(schema.parameters?.get(DECIMAL_SCALE_PARAMETER) ?? '0', DECIMAL_SCALE_PARAMETER)));
      base.props.set(DECIMAL_PRECISION_PROP, jsonInteger(decimalPrecision(schema)));
    }
    return base;
  }

  private enumOf(schema: Schema): AvroSchema {
    const parameters = schema.parameters!;
    const { namespace, name } = splitName(parameters.get(ENUM_PARAMETER)!);
    const symbols: string[] = [];
    for (const [k, v] of parameters) if (k.startsWith(`${ENUM_PARAMETER}.`)) symbols.push(v);
    return {
      type: 'enum', name: this.scrub(name), namespace: this.scrubNamespace(namespace), aliases: [], props: new Map(), symbols,
      doc: parameters.get(ENUM_DOC_PARAMETER_PREFIX + name) ?? null,
      default: parameters.get(ENUM_DEFAULT_PARAMETER_PREFIX + name) ?? null,
    };
  }

  private mapOf(schema: Schema, namespace: string, name: string): AvroSchema {
    const valueSchema = elementSchema(schema.valueSchema, 'map value');
    if (isAvroMap(schema, this.settings)) return { type: 'map', values: this.convert(valueSchema, false), props: new Map() };
    const entry: AvroRecord = {
      type: 'record', name: schema.name === null ? MAP_ENTRY_NAME : this.scrub(name), namespace: this.scrubNamespace(namespace), doc: null,
      aliases: [], props: new Map(), fields: [],
    };
    if (schema.name !== null) entry.props.set(CONNECT_INTERNAL_TYPE_PROP, MAP_ENTRY_NAME);
    entry.fields = [this.fieldOf(KEY_FIELD, elementSchema(schema.keySchema, 'map key'), null), this.fieldOf(VALUE_FIELD, valueSchema, null)];
    return { type: 'array', items: entry, props: new Map() };
  }

  private recordOf(schema: Schema, namespace: string, name: string): AvroRecord {
    let recordName = name;
    if (schema.name === null) {
      this.unnamedRecords++;
      recordName = this.unnamedRecords > 1 ? `${DEFAULT_RECORD_NAME}${this.unnamedRecords}` : DEFAULT_RECORD_NAME;
    }
    const parameters = schema.parameters;
    const record: AvroRecord = {
      type: 'record', name: this.scrub(recordName), namespace: this.scrubNamespace(namespace), doc: parameters?.get(RECORD_DOC_PARAMETER) ?? null,
      aliases: [], props: new Map(), fields: [],
    };
    record.fields = schema.fields.map((f) => this.fieldOf(f.name, f.schema, parameters?.get(FIELD_DOC_PARAMETER_PREFIX + f.name) ?? null));
    return record;
  }

  private fieldOf(name: string, schema: Schema, doc: string | null): AvroField {
    let dflt: JsonValue | undefined;
    if (schema.defaultValue !== null) dflt = defaultJson(schema, schema.defaultValue, this.settings);
    else if (schema.optional) dflt = null;
    const type = this.convert(schema, false);
    if (dflt !== undefined && !defaultFits(type, dflt)) dflt = undefined;
    return { name: this.scrub(name), type, doc, default: dflt, order: 'ascending', aliases: [], props: new Map() };
  }

  private addProps(schema: Schema, base: AvroSchema, connectType: string | null): void {
    if (base.type === 'union') return;
    const props: AvroProps = base.props;
    if (this.settings.connectMetaData) {
      if (schema.doc !== null) props.set(CONNECT_DOC_PROP, schema.doc);
      if (schema.version !== null) props.set(CONNECT_VERSION_PROP, jsonInteger(schema.version));
      if (schema.parameters !== null) {
        const parameters: JsonObject = new Map();
        for (const [k, v] of schema.parameters) if (k !== FIELD_DEFAULT_FLAG_PARAMETER) parameters.set(k, v);
        if (parameters.size > 0) props.set(CONNECT_PARAMETERS_PROP, parameters);
      }
      if (schema.defaultValue !== null && schema.parameters?.has(FIELD_DEFAULT_FLAG_PARAMETER) !== true) {
        props.set(CONNECT_DEFAULT_PROP, defaultJson(schema, schema.defaultValue, this.settings));
      }
      if (schema.name !== null) props.set(CONNECT_NAME_PROP, schema.name);
      if (connectType !== null) props.set(CONNECT_TYPE_PROP, connectType);
    }
    const logicalType = logicalTypeOf(schema);
    if (logicalType !== null) props.set(LOGICAL_TYPE_PROP, logicalType);
    if (schema.parameters !== null) {
      for (const [k, v] of schema.parameters) if (k.startsWith(AVRO_PARAMETER_PREFIX)) props.set(k, v);
    }
  }

  private scrub(name: string): string {
    return this.settings.scrubInvalidNames ? scrubName(name) : name;
  }

  private scrubNamespace(namespace: string): string {
    return this.settings.scrubInvalidNames ? namespace.split('.').map(scrubName).join('.') : namespace;
  }
}

function splitName(name: string | null): { namespace: string; name: string } {
  if (name === null) return { namespace: AVRO_NAMESPACE, name: DEFAULT_RECORD_NAME };
  const dot = name.lastIndexOf('.');
  return dot < 0 ? { namespace: '', name } : { namespace: name.slice(0, dot), name: name.slice(dot + 1) };
}

function elementSchema(schema: Schema | null, what: string): Schema {
  if (schema === null) throw new DataError(`Cannot convert a Connect ${what} without a schema to Avro`);
  return schema;
}

function isDecimal(schema: Schema): boolean {
  return schema.name?.toLowerCase() === DECIMAL_LOGICAL_NAME.toLowerCase();
}

function decimalPrecision(schema: Schema): number {
  const text = schema.parameters?.get(PRECISION_PARAMETER);
  return text === undefined ? DECIMAL_PRECISION_DEFAULT : parseInteger(text, PRECISION_PARAMETER);
}

function parseInteger(text: string, what: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new DataError(`Invalid ${what} parameter: "${text}" is not an integer`);
  return Number(text.trim());
}

function logicalTypeOf(schema: Schema): string | null {
  const name = schema.name?.toLowerCase();
  if (name === undefined) return null;
  if (name === DECIMAL_LOGICAL_NAME.toLowerCase()) return LOGICAL_DECIMAL;
  if (name === TIME_LOGICAL_NAME.toLowerCase()) return LOGICAL_TIME_MILLIS;
  if (name === TIMESTAMP_LOGICAL_NAME.toLowerCase()) return LOGICAL_TIMESTAMP_MILLIS;
  if (name === DATE_LOGICAL_NAME.toLowerCase()) return LOGICAL_DATE;
  return null;
}

/** A Connect value as the JSON of an Avro default (AvroData.defaultValueFromConnect). */
export function defaultJson(schema: Schema, value: unknown, settings: AvroDataSettings): JsonValue {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME:
      return latin1(LogicalDecimal.fromLogical(schema, value as Decimal));
    case DATE_LOGICAL_NAME:
      return jsonInteger(LogicalDate.fromLogical(schema, value as Date));
    case TIME_LOGICAL_NAME:
      return jsonInteger(LogicalTime.fromLogical(schema, value as Date));
    case TIMESTAMP_LOGICAL_NAME:
      return jsonInteger(LogicalTimestamp.fromLogical(schema, value as Date));
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return jsonInteger(value as number | bigint);
    case 'FLOAT32':
      return jsonFloat(value as number);
    case 'FLOAT64':
      return jsonDouble(value as number);
    case 'BOOLEAN':
    case 'STRING':
      return value as boolean | string;
    case 'BYTES':
      return latin1(value as Uint8Array);
    case 'ARRAY':
      return (value as unknown[]).map((v) => defaultJson(schema.valueSchema!, v, settings));
    case 'MAP': {
      const map = value as Map<unknown, unknown>;
      if (isAvroMap(schema, settings)) {
        const out: JsonObject = new Map();
        for (const [k, v] of map) out.set(k as string, defaultJson(schema.valueSchema!, v, settings));
        return out;
      }
      return [...map].map(([k, v]) => [defaultJson(schema.keySchema!, k, settings), defaultJson(schema.valueSchema!, v, settings)]);
    }
    case 'STRUCT': {
      const struct = value as Struct;
      const out: JsonObject = new Map();
      for (const f of schema.fields) out.set(f.name, defaultJson(f.schema, struct.get(f), settings));
      return out;
    }
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Java Avro refuses a field default that does not fit the field's type (the first branch of a union); AvroData then leaves it out. */
function defaultFits(type: AvroSchema, value: JsonValue): boolean {
  switch (type.type) {
    case 'union':
      return type.branches.length > 0 && defaultFits(type.branches[0]!, value);
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
    case 'long':
    case 'float':
    case 'double':
      return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Map);
    case 'string':
    case 'bytes':
    case 'enum':
    case 'fixed':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value) && value.every((v) => defaultFits(type.items, v));
    case 'map':
      return value instanceof Map && [...value.values()].every((v) => defaultFits(type.values, v));
    case 'record':
      return value instanceof Map && type.fields.every((f) => (value.has(f.name) ? defaultFits(f.type, value.get(f.name)!) : f.default !== undefined));
  }
}
