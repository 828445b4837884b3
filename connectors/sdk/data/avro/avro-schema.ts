/**
 * An Avro schema as Java Avro holds it: every type keeps its custom properties (`connect.*`,
 * `logicalType`, `scale`, ...) in insertion order, because the schema text Confluent's converter
 * registers prints them in that order (avsc drops them, see avro-schema-printer.ts).
 *
 * Named types (record, enum, fixed) are objects that may be reached more than once, and a record
 * may reach itself: the graph is printed with a name reference after the first occurrence.
 * `logicalType` is an ordinary property here; the Connect mapping reads and writes it.
 */
import type { JsonValue } from './json-value.js';

export type AvroPrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export const AVRO_PRIMITIVE_NAMES: ReadonlySet<string> = new Set<AvroPrimitiveName>(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** Custom properties, in insertion order. */
export type AvroProps = Map<string, JsonValue>;

export interface AvroPrimitive {
  readonly type: AvroPrimitiveName;
  readonly props: AvroProps;
}

interface Named {
  readonly name: string;
  /** null: the null namespace. */
  readonly namespace: string | null;
  readonly doc: string | null;
  readonly aliases: readonly string[];
  readonly props: AvroProps;
}

export type AvroFieldOrder = 'ascending' | 'descending' | 'ignore';

export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  readonly doc: string | null;
  /** undefined: the field has no default (a JSON null default is `null`). */
  readonly default: JsonValue | undefined;
  readonly order: AvroFieldOrder;
  readonly aliases: readonly string[];
  readonly props: AvroProps;
}

export interface AvroRecord extends Named {
  readonly type: 'record';
  /** Filled after construction, so that a field may refer to its own record. */
  fields: AvroField[];
}

export interface AvroEnum extends Named {
  readonly type: 'enum';
  readonly symbols: readonly string[];
  readonly default: string | null;
}

export interface AvroFixed extends Named {
  readonly type: 'fixed';
  readonly size: number;
}

export interface AvroArray {
  readonly type: 'array';
  readonly items: AvroSchema;
  readonly props: AvroProps;
}

export interface AvroMap {
  readonly type: 'map';
  readonly values: AvroSchema;
  readonly props: AvroProps;
}

export interface AvroUnion {
  readonly type: 'union';
  readonly branches: readonly AvroSchema[];
}

export type AvroNamed = AvroRecord | AvroEnum | AvroFixed;
export type AvroSchema = AvroPrimitive | AvroNamed | AvroArray | AvroMap | AvroUnion;

export function isNamed(schema: AvroSchema): schema is AvroNamed {
  return schema.type === 'record' || schema.type === 'enum' || schema.type === 'fixed';
}

export function fullName(schema: AvroNamed): string {
  return schema.namespace === null || schema.namespace === '' ? schema.name : `${schema.namespace}.${schema.name}`;
}

/** The name a union branch goes by (Java's Schema.getName, avsc's branch name): full name for named types. */
export function branchName(schema: AvroSchema): string {
  return isNamed(schema) ? fullName(schema) : schema.type;
}

export function primitive(type: AvroPrimitiveName, props: AvroProps = new Map()): AvroPrimitive {
  return { type, props };
}

/** A prop's value when it is a string, else undefined. */
export function stringProp(schema: AvroSchema, key: string): string | undefined {
  if (schema.type === 'union') return undefined;
  const value = schema.props.get(key);
  return typeof value === 'string' ? value : undefined;
}
