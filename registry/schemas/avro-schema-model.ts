/**
 * The parsed form of an Avro schema, shaped after Java Avro's `Schema` so that printing and the
 * compatibility check can follow Java's behaviour.
 *
 * Invariants:
 * - Named types (record, enum, fixed) are shared objects: a reference by name points at the defining
 *   object, so recursive records form cycles. Walk with a visited set.
 * - `props` hold every attribute that is not reserved for the type, in textual order (logicalType,
 *   connect.*, anything custom); Java prints them in that order.
 * - Logical types are not interpreted: compatibility and identity look at the underlying type only.
 */
import type { JsonNode } from './json-tree.js';

export type AvroPrimitiveType = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export const AVRO_PRIMITIVE_TYPES: ReadonlySet<string> = new Set<AvroPrimitiveType>([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

export type AvroProps = ReadonlyMap<string, JsonNode>;

/** A name with its namespace, as Java's `Schema.Name` (an empty namespace is no namespace). */
export interface AvroName {
  readonly name: string;
  readonly space: string | undefined;
  readonly full: string;
}

export interface AvroPrimitive {
  readonly type: AvroPrimitiveType;
  readonly props: AvroProps;
}

export interface AvroRecord {
  readonly type: 'record';
  /** Declared as `"type": "error"` (printed back that way). */
  readonly isError: boolean;
  readonly name: AvroName;
  readonly doc: string | undefined;
  readonly fields: readonly AvroField[];
  readonly props: AvroProps;
  readonly aliases: readonly AvroName[];
}

export type AvroFieldOrder = 'ascending' | 'descending' | 'ignore';

export interface AvroField {
  readonly name: string;
  readonly type: AvroType;
  readonly doc: string | undefined;
  readonly default: JsonNode | undefined;
  readonly order: AvroFieldOrder;
  readonly aliases: readonly string[];
  readonly props: AvroProps;
  /** Position in the record, 0-based. */
  readonly position: number;
}

export interface AvroEnum {
  readonly type: 'enum';
  readonly name: AvroName;
  readonly doc: string | undefined;
  readonly symbols: readonly string[];
  readonly enumDefault: string | undefined;
  readonly props: AvroProps;
  readonly aliases: readonly AvroName[];
}

export interface AvroFixed {
  readonly type: 'fixed';
  readonly name: AvroName;
  readonly doc: string | undefined;
  readonly size: number;
  readonly props: AvroProps;
  readonly aliases: readonly AvroName[];
}

export interface AvroArray {
  readonly type: 'array';
  readonly items: AvroType;
  readonly props: AvroProps;
}

export interface AvroMap {
  readonly type: 'map';
  readonly values: AvroType;
  readonly props: AvroProps;
}

export interface AvroUnion {
  readonly type: 'union';
  readonly branches: readonly AvroType[];
}

export type AvroNamedType = AvroRecord | AvroEnum | AvroFixed;
export type AvroType = AvroPrimitive | AvroNamedType | AvroArray | AvroMap | AvroUnion;

export function isNamedType(type: AvroType): type is AvroNamedType {
  return type.type === 'record' || type.type === 'enum' || type.type === 'fixed';
}

/** Java's `Schema.Type` name as it appears in messages (`INT`, `RECORD`, ...). */
export function javaTypeName(type: AvroType): string {
  return type.type.toUpperCase();
}

/** Java's `getFullName()`: the full name of a named type, the type name of any other. */
export function fullNameOf(type: AvroType): string {
  return isNamedType(type) ? type.name.full : type.type;
}

/**
 * Java's `getAliases()` of a named type: full alias names, with `.name` for an alias in no namespace
 * under a type that has one.
 */
export function aliasFullNames(type: AvroNamedType): string[] {
  return type.aliases.map((alias) =>
    alias.space === undefined && type.name.space !== undefined ? `.${alias.name}` : alias.full,
  );
}
