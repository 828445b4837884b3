/**
 * Reads Avro schema text (as a registry returns it) into an AvroSchema, keeping every custom
 * property in order and number text as written. Names resolve as in Java Avro: a record's name may
 * carry its namespace (`a.b.R`), otherwise it inherits the enclosing one; a named type is known
 * from the moment its name is read, so a record may refer to itself. Attributes Avro reserves are
 * not props. Errors are DataErrors naming what is wrong.
 */
import { DataError } from '../../errors.js';
import {
  AVRO_PRIMITIVE_NAMES, fullName, type AvroField, type AvroFieldOrder, type AvroNamed, type AvroPrimitiveName, type AvroProps,
  type AvroRecord, type AvroSchema,
} from './avro-schema.js';
import { isJsonObject, JsonNumber, parseJson, type JsonObject, type JsonValue } from './json-value.js';

const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases', 'default']);
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases']);

export function parseAvroSchema(text: string): AvroSchema {
  return new SchemaReader().read(parseJson(text), null);
}

class SchemaReader {
  private readonly names = new Map<string, AvroNamed>();

  read(json: JsonValue, space: string | null): AvroSchema {
    if (typeof json === 'string') return this.reference(json, space);
    if (Array.isArray(json)) return { type: 'union', branches: json.map((b) => this.read(b, space)) };
    if (!isJsonObject(json)) throw new DataError(`Not an Avro schema: ${String(json)}`);
    const type = json.get('type');
    if (typeof type !== 'string') {
      if (type !== undefined && type !== null && typeof type === 'object' && !(type instanceof JsonNumber)) return this.read(type, space);
      throw new DataError('No type in Avro schema');
    }
    switch (type) {
      case 'record':
      case 'error':
        return this.record(json, space);
      case 'enum': {
        const { name, namespace } = splitName(requiredString(json, 'name', 'enum'), json, space);
        const symbols = json.get('symbols');
        if (!Array.isArray(symbols) || !symbols.every((s) => typeof s === 'string')) throw new DataError(`Enum ${name} has no symbols`);
        const dflt = json.get('default');
        return this.define({
          type: 'enum', name, namespace, doc: optionalString(json, 'doc'), aliases: aliasesOf(json), props: propsOf(json, SCHEMA_RESERVED),
          symbols: symbols as string[], default: typeof dflt === 'string' ? dflt : null,
        });
      }
      case 'fixed': {
        const { name, namespace } = splitName(requiredString(json, 'name', 'fixed'), json, space);
        const size = json.get('size');
        if (!(size instanceof JsonNumber) || !size.isInteger()) throw new DataError(`Fixed ${name} has no valid size`);
        return this.define({
          type: 'fixed', name, namespace, doc: optionalString(json, 'doc'), aliases: aliasesOf(json), props: propsOf(json, SCHEMA_RESERVED),
          size: size.toNumber(),
        });
      }
      case 'array':
        return { type: 'array', items: this.read(required(json, 'items', 'array'), space), props: propsOf(json, SCHEMA_RESERVED) };
      case 'map':
        return { type: 'map', values: this.read(required(json, 'values', 'map'), space), props: propsOf(json, SCHEMA_RESERVED) };
      default:
        if (AVRO_PRIMITIVE_NAMES.has(type)) return { type: type as AvroPrimitiveName, props: propsOf(json, SCHEMA_RESERVED) };
        return this.reference(type, space);
    }
  }

  private record(json: JsonObject, space: string | null): AvroRecord {
    const { name, namespace } = splitName(requiredString(json, 'name', 'record'), json, space);
    const record = this.define<AvroRecord>({
      type: 'record', name, namespace, doc: optionalString(json, 'doc'), aliases: aliasesOf(json), props: propsOf(json, SCHEMA_RESERVED), fields: [],
    });
    const fields = json.get('fields');
    if (!Array.isArray(fields)) throw new DataError(`Record ${fullName(record)} has no fields`);
    record.fields = fields.map((f): AvroField => {
      if (!isJsonObject(f)) throw new DataError(`Invalid field in record ${fullName(record)}`);
      const order = f.get('order');
      return {
        name: requiredString(f, 'name', 'field'),
        type: this.read(required(f, 'type', 'field'), namespace),
        doc: optionalString(f, 'doc'),
        default: f.get('default'),
        order: order === 'descending' || order === 'ignore' ? (order as AvroFieldOrder) : 'ascending',
        aliases: aliasesOf(f),
        props: propsOf(f, FIELD_RESERVED),
      };
    });
    return record;
  }

  private define<T extends AvroNamed>(schema: T): T {
    const name = fullName(schema);
    if (this.names.has(name)) throw new DataError(`Can't redefine: ${name}`);
    this.names.set(name, schema);
    return schema;
  }

  private reference(name: string, space: string | null): AvroSchema {
    if (AVRO_PRIMITIVE_NAMES.has(name)) return { type: name as AvroPrimitiveName, props: new Map() };
    const found = (!name.includes('.') && space ? this.names.get(`${space}.${name}`) : undefined) ?? this.names.get(name);
    if (found === undefined) throw new DataError(`Undefined name: ${JSON.stringify(name)}`);
    return found;
  }
}

function splitName(name: string, json: JsonObject, space: string | null): { name: string; namespace: string | null } {
  const dot = name.lastIndexOf('.');
  if (dot >= 0) return { name: name.slice(dot + 1), namespace: name.slice(0, dot) };
  const own = json.get('namespace');
  const namespace = typeof own === 'string' ? own : space;
  return { name, namespace: namespace === '' ? null : namespace };
}

function required(json: JsonObject, key: string, what: string): JsonValue {
  const value = json.get(key);
  if (value === undefined) throw new DataError(`Avro ${what} has no "${key}"`);
  return value;
}

function requiredString(json: JsonObject, key: string, what: string): string {
  const value = required(json, key, what);
  if (typeof value !== 'string') throw new DataError(`Avro ${what} "${key}" is not a string`);
  return value;
}

function optionalString(json: JsonObject, key: string): string | null {
  const value = json.get(key);
  return typeof value === 'string' ? value : null;
}

function aliasesOf(json: JsonObject): string[] {
  const value = json.get('aliases');
  return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
}

function propsOf(json: JsonObject, reserved: ReadonlySet<string>): AvroProps {
  const props: AvroProps = new Map();
  for (const [k, v] of json) if (!reserved.has(k)) props.set(k, v);
  return props;
}
