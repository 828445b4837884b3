/**
 * Avro schema → Connect schema, as Confluent's AvroData.toConnectSchema reads it:
 *
 * - int → INT32 (INT8/INT16 by `connect.type`; Date/Time by `logicalType` date/time-millis);
 *   long → INT64 (Timestamp by timestamp-millis); float/double/boolean/string → FLOAT32/FLOAT64/
 *   BOOLEAN/STRING; bytes and fixed → BYTES (Decimal with `logicalType: decimal`, its `scale`, and
 *   `connect.decimal.precision` when the precision is not 64; fixed adds `connect.fixed.size`).
 * - array → ARRAY, except an array of `MapEntry` records {key, value} → MAP; map → MAP with STRING
 *   keys; record → STRUCT; enum → STRING with the `io.confluent.connect.avro.Enum` parameters.
 * - A union of null and one type → that type, optional; a single-branch union → its branch (with
 *   `flatten.singleton.unions`); any other union → an `io.confluent.connect.avro.Union` STRUCT
 *   with one optional field per non-null branch, optional when null is a branch.
 * - `connect.doc`, `connect.version` (else `version` at the top level: the registry's),
 *   `connect.parameters`, props starting with `avro`, `connect.default` or the field default, and
 *   `connect.name` (else the record/enum/fixed full name, unless it is a ConnectDefault name).
 *   A field default marks the schema with `io.confluent.connect.avro.field.default` when no
 *   `connect.default` exists, so the way back does not add one.
 *
 * Every schema is built fresh: Connect schemas have no identity of their own, so a record that
 * refers to itself cannot be represented and fails with a DataError.
 */
import { DataError } from '../../errors.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../logical-types.js';
import type { Field} from '../schema.js';
import { Schema } from '../schema.js';
import { SchemaBuilder } from '../schema-builder.js';
import { Struct } from '../struct.js';
import { normalizeInt64 } from '../validate-value.js';
import type { AvroDataSettings } from './avro-data-config.js';
import {
  CONNECT_DEFAULT_PROP, CONNECT_DOC_PROP, CONNECT_INTERNAL_TYPE_PROP, CONNECT_NAME_PROP, CONNECT_PARAMETERS_PROP, CONNECT_TYPE_PROP,
  CONNECT_VERSION_PROP, AVRO_PARAMETER_PREFIX, DECIMAL_PRECISION_DEFAULT, DECIMAL_PRECISION_PROP, DECIMAL_SCALE_PROP,
  DEFAULT_RECORD_FULL_NAME, ENUM_DEFAULT_PARAMETER_PREFIX, ENUM_DOC_PARAMETER_PREFIX, ENUM_PARAMETER, FIELD_DEFAULT_FLAG_PARAMETER,
  FIELD_DOC_PARAMETER_PREFIX, FIXED_SIZE_PARAMETER, KEY_FIELD, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME_MILLIS,
  LOGICAL_TIMESTAMP_MILLIS, LOGICAL_TYPE_PROP, MAP_ENTRY_FULL_NAME, MAP_ENTRY_NAME, PRECISION_PARAMETER, RECORD_DOC_PARAMETER,
  UNION_NAME, VALUE_FIELD,
} from './avro-names.js';
import { fullName, isNamed, type AvroRecord, type AvroSchema } from './avro-schema.js';
import { isJsonObject, JsonNumber, type JsonValue } from './json-value.js';
import { scrubName } from './scrub-name.js';

/** The Connect schema of an Avro schema; `version` (the registry's) applies to the top level when it has no `connect.version`. */
export function avroToConnectSchema(schema: AvroSchema, settings: AvroDataSettings, version: number | null = null): Schema {
  return new AvroToConnect(settings).convert(schema, { forceOptional: false, fieldDefault: undefined, version });
}

/** The Avro union branch a nullable union's value uses, or null when the union is not `null` + one type. */
export function nullableBranch(union: AvroSchema): AvroSchema | null {
  if (union.type !== 'union' || union.branches.length !== 2) return null;
  const [a, b] = union.branches as [AvroSchema, AvroSchema];
  if (a.type === 'null' && b.type !== 'null') return b;
  if (b.type === 'null' && a.type !== 'null') return a;
  return null;
}

/** True for an Avro array that carries a Connect map with other than string keys. */
export function isMapEntryArray(schema: AvroSchema): boolean {
  if (schema.type !== 'array' || schema.items.type !== 'record') return false;
  const entry = schema.items;
  return fullName(entry) === MAP_ENTRY_FULL_NAME || entry.props.get(CONNECT_INTERNAL_TYPE_PROP) === MAP_ENTRY_NAME;
}

/** The field name of a union branch in the Union STRUCT. */
export function unionFieldName(branch: AvroSchema, settings: AvroDataSettings): string {
  if (!isNamed(branch)) return branch.type;
  return scrubName(settings.enhancedAvroSchemaSupport ? fullName(branch) : branch.name);
}

interface Context {
  readonly forceOptional: boolean;
  /** The field's default JSON, undefined when not a field or the field has none. */
  readonly fieldDefault: JsonValue | undefined;
  readonly version: number | null;
}

class AvroToConnect {
  private readonly inProgress = new Set<AvroRecord>();

  constructor(private readonly settings: AvroDataSettings) {}

  convert(schema: AvroSchema, ctx: Context): Schema {
    if (schema.type === 'union') {
      const single = nullableBranch(schema) ?? (this.settings.flattenSingletonUnions && schema.branches.length === 1 ? schema.branches[0]! : null);
      if (single !== null) {
        const optional = ctx.forceOptional || schema.branches.length === 2;
        const dflt = schema.branches[0]!.type === 'null' ? undefined : ctx.fieldDefault;
        return this.convert(single, { forceOptional: optional, fieldDefault: dflt, version: ctx.version });
      }
    }
    const builder = this.builderOf(schema);
    if (ctx.forceOptional || (schema.type === 'union' && schema.branches.some((b) => b.type === 'null'))) builder.optional();
    if (schema.type !== 'union') this.applyProps(schema, builder, ctx);
    return builder.build();
  }

  private builderOf(schema: AvroSchema): SchemaBuilder {
    const logicalType = schema.type === 'union' ? undefined : schema.props.get(LOGICAL_TYPE_PROP);
    switch (schema.type) {
      case 'null':
        throw new DataError('Standalone null schemas are not supported by this converter');
      case 'boolean':
        return SchemaBuilder.bool();
      case 'float':
        return SchemaBuilder.float32();
      case 'double':
        return SchemaBuilder.float64();
      case 'string':
        return SchemaBuilder.string();
      case 'int': {
        if (logicalType === LOGICAL_DATE) return LogicalDate.builder();
        if (logicalType === LOGICAL_TIME_MILLIS) return LogicalTime.builder();
        if (logicalType !== undefined) return SchemaBuilder.int32();
        const connectType = schema.props.get(CONNECT_TYPE_PROP);
        if (connectType === undefined) return SchemaBuilder.int32();
        if (connectType === 'int8') return SchemaBuilder.int8();
        if (connectType === 'int16') return SchemaBuilder.int16();
        throw new DataError(`Connect type annotation for Avro int field is not int8 or int16: ${String(connectType)}`);
      }
      case 'long':
        return logicalType === LOGICAL_TIMESTAMP_MILLIS ? LogicalTimestamp.builder() : SchemaBuilder.int64();
      case 'bytes':
      case 'fixed': {
        let builder: SchemaBuilder;
        if (logicalType === LOGICAL_DECIMAL) {
          const scale = schema.props.get(DECIMAL_SCALE_PROP);
          builder = LogicalDecimal.builder(scale instanceof JsonNumber ? scale.toNumber() : 0);
          const precision = schema.props.get(DECIMAL_PRECISION_PROP);
          if (precision !== undefined) {
            if (!(precision instanceof JsonNumber)) throw new DataError('Invalid precision in decimal logical type: not a number');
            if (precision.toNumber() !== DECIMAL_PRECISION_DEFAULT) builder.parameter(PRECISION_PARAMETER, precision.text);
          }
        } else {
          builder = SchemaBuilder.bytes();
        }
        if (schema.type === 'fixed') builder.parameter(FIXED_SIZE_PARAMETER, String(schema.size));
        return builder;
      }
      case 'array': {
        if (isMapEntryArray(schema)) {
          const entry = schema.items as AvroRecord;
          const key = entry.fields.find((f) => f.name === KEY_FIELD);
          const value = entry.fields.find((f) => f.name === VALUE_FIELD);
          if (entry.fields.length !== 2 || key === undefined || value === undefined) {
            throw new DataError('Found map encoded as array of key-value pairs, but array elements do not match the expected format.');
          }
          return SchemaBuilder.map(this.nested(key.type), this.nested(value.type));
        }
        return SchemaBuilder.array(this.nested(schema.items));
      }
      case 'map':
        return SchemaBuilder.map(Schema.STRING_SCHEMA, this.nested(schema.values));
      case 'record':
        return this.structOf(schema);
      case 'enum': {
        const builder = SchemaBuilder.string();
        if (this.settings.connectMetaData) {
          if (schema.doc !== null) builder.parameter(ENUM_DOC_PARAMETER_PREFIX + schema.name, schema.doc);
          if (schema.default !== null) builder.parameter(ENUM_DEFAULT_PARAMETER_PREFIX + schema.name, schema.default);
        }
        builder.parameter(ENUM_PARAMETER, fullName(schema));
        for (const symbol of schema.symbols) builder.parameter(`${ENUM_PARAMETER}.${symbol}`, symbol);
        return builder;
      }
      case 'union': {
        const builder = SchemaBuilder.struct().name(UNION_NAME);
        const names = new Set<string>();
        for (const branch of schema.branches) {
          if (branch.type === 'null') continue;
          const name = unionFieldName(branch, this.settings);
          if (names.has(name)) throw new DataError(`Union has two branches named ${name}`);
          names.add(name);
          builder.field(name, this.convert(branch, { forceOptional: true, fieldDefault: undefined, version: null }));
        }
        return builder;
      }
    }
  }

  private structOf(record: AvroRecord): SchemaBuilder {
    if (this.inProgress.has(record)) throw new DataError(`Recursive Avro record ${fullName(record)} cannot be converted to a Connect schema`);
    this.inProgress.add(record);
    try {
      const builder = SchemaBuilder.struct();
      if (record.doc !== null) builder.parameter(RECORD_DOC_PARAMETER, record.doc);
      for (const field of record.fields) {
        if (field.doc !== null) builder.parameter(FIELD_DOC_PARAMETER_PREFIX + field.name, field.doc);
        builder.field(field.name, this.convert(field.type, { forceOptional: false, fieldDefault: field.default, version: null }));
      }
      return builder;
    } finally {
      this.inProgress.delete(record);
    }
  }

  private nested(schema: AvroSchema): Schema {
    return this.convert(schema, { forceOptional: false, fieldDefault: undefined, version: null });
  }

  private applyProps(schema: Exclude<AvroSchema, { type: 'union' }>, builder: SchemaBuilder, ctx: Context): void {
    const props = schema.props;
    const doc = props.get(CONNECT_DOC_PROP);
    if (typeof doc === 'string') builder.doc(doc);

    const versionProp = props.get(CONNECT_VERSION_PROP);
    if (versionProp !== undefined && !(versionProp instanceof JsonNumber)) throw new DataError('Invalid Connect version found: not a number');
    const version = versionProp instanceof JsonNumber ? versionProp.toNumber() : ctx.version;
    const builtVersion = builder.build().version;
    if (version !== null && version >= 0) {
      if (builtVersion === null) builder.version(version);
      else if (builtVersion !== version) {
        throw new DataError(`Mismatched versions: version already added to SchemaBuilder (${builtVersion}) differs from version in source schema (${version})`);
      }
    }

    const parameters = props.get(CONNECT_PARAMETERS_PROP);
    if (this.settings.connectMetaData && parameters !== undefined) {
      if (!isJsonObject(parameters)) throw new DataError('Expected JSON object for schema parameters but found: ' + typeof parameters);
      for (const [k, v] of parameters) builder.parameter(k, typeof v === 'string' ? v : String(v));
    }
    for (const [k, v] of props) if (k.startsWith(AVRO_PARAMETER_PREFIX)) builder.parameter(k, typeof v === 'string' ? v : String(v));

    const connectName = props.get(CONNECT_NAME_PROP);
    const name = typeof connectName === 'string' ? connectName : isNamed(schema) ? fullName(schema) : null;
    if (name !== null && !name.startsWith(DEFAULT_RECORD_FULL_NAME)) {
      const builtName = builder.build().name;
      if (builtName === null) builder.name(name);
      else if (builtName !== name) {
        throw new DataError(`Mismatched names: name already added to SchemaBuilder (${builtName}) differs from name in source schema (${name})`);
      }
    }

    // Last, so that a struct default is built against the schema as finally named and optional.
    const connectDefault = props.get(CONNECT_DEFAULT_PROP);
    const defaultJson = ctx.fieldDefault !== undefined && ctx.fieldDefault !== null ? ctx.fieldDefault : connectDefault;
    if (defaultJson !== undefined && defaultJson !== null) {
      try {
        connectValueOfJson(builder.build(), schema, defaultJson, this.settings);
        if (ctx.fieldDefault !== undefined && connectDefault === undefined) builder.parameter(FIELD_DEFAULT_FLAG_PARAMETER, 'true');
        builder.defaultValue(connectValueOfJson(builder.build(), schema, defaultJson, this.settings));
      } catch (err) {
        if (!(err instanceof DataError)) throw err;
        // An invalid default is dropped, as Confluent's AvroData drops it (with a warning there).
      }
    }
  }
}

/** A default's JSON (as written in an Avro schema) as the Connect value of `schema`. */
export function connectValueOfJson(schema: Schema, avro: AvroSchema, json: JsonValue, settings: AvroDataSettings): unknown {
  if (json === null) return null;
  if (avro.type === 'union') {
    const first = avro.branches[0];
    if (first === undefined || first.type === 'null') return null;
    if (isUnionStructSchema(schema)) {
      const struct = new Struct(schema);
      struct.put(unionFieldName(first, settings), connectValueOfJson(schema.field(unionFieldName(first, settings))!.schema, first, json, settings));
      return struct;
    }
    return connectValueOfJson(schema, first, json, settings);
  }
  const fail = (): never => {
    throw new DataError(`Invalid default for ${schema.toString()}: ${typeof json}`);
  };
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      if (!(json instanceof JsonNumber)) return fail();
      const n = json.toNumber();
      if (schema.name === LogicalDate.LOGICAL_NAME) return LogicalDate.toLogical(schema, n);
      if (schema.name === LogicalTime.LOGICAL_NAME) return LogicalTime.toLogical(schema, n);
      return n;
    }
    case 'INT64': {
      if (!(json instanceof JsonNumber)) return fail();
      const n = json.isInteger() ? normalizeInt64(json.toBigInt()) : json.toNumber();
      return schema.name === LogicalTimestamp.LOGICAL_NAME ? LogicalTimestamp.toLogical(schema, n as number | bigint) : n;
    }
    case 'FLOAT32':
    case 'FLOAT64':
      return json instanceof JsonNumber ? json.toNumber() : fail();
    case 'BOOLEAN':
      return typeof json === 'boolean' ? json : fail();
    case 'STRING':
      return typeof json === 'string' ? json : fail();
    case 'BYTES': {
      if (typeof json !== 'string') return fail();
      const bytes = Buffer.from(json, 'latin1');
      return schema.name === LogicalDecimal.LOGICAL_NAME ? LogicalDecimal.toLogical(schema, bytes) : bytes;
    }
    case 'ARRAY': {
      if (!Array.isArray(json) || avro.type !== 'array') return fail();
      return json.map((v) => connectValueOfJson(schema.valueSchema!, (avro as { items: AvroSchema }).items, v, settings));
    }
    case 'MAP': {
      const map = new Map<unknown, unknown>();
      if (avro.type === 'map' && isJsonObject(json)) {
        for (const [k, v] of json) map.set(k, connectValueOfJson(schema.valueSchema!, avro.values, v, settings));
      } else if (avro.type === 'array' && Array.isArray(json) && avro.items.type === 'record') {
        const entry = avro.items;
        const keyType = entry.fields.find((f) => f.name === KEY_FIELD)!.type;
        const valueType = entry.fields.find((f) => f.name === VALUE_FIELD)!.type;
        for (const item of json) {
          const pair = isJsonObject(item) ? [item.get(KEY_FIELD) ?? null, item.get(VALUE_FIELD) ?? null] : Array.isArray(item) ? item : fail();
          map.set(connectValueOfJson(schema.keySchema!, keyType, pair[0] ?? null, settings), connectValueOfJson(schema.valueSchema!, valueType, pair[1] ?? null, settings));
        }
      } else {
        return fail();
      }
      return map;
    }
    case 'STRUCT': {
      if (!isJsonObject(json) || avro.type !== 'record') return fail();
      const struct = new Struct(schema);
      for (const field of avro.fields) {
        const connectField: Field | null = schema.field(field.name);
        if (connectField === null) continue;
        const value = json.get(field.name) ?? field.default;
        if (value !== undefined) struct.put(connectField, connectValueOfJson(connectField.schema, field.type, value, settings));
      }
      return struct;
    }
  }
}

function isUnionStructSchema(schema: Schema): boolean {
  return schema.type === 'STRUCT' && schema.name === UNION_NAME;
}

