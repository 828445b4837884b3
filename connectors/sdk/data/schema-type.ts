/**
 * Kafka Connect's schema types (`Schema.Type`) and the lower-case names Kafka uses for them in
 * configs such as Cast's `spec` (`int8`, `float32`, `boolean`, ...).
 */

export type SchemaType =
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FLOAT32'
  | 'FLOAT64'
  | 'BOOLEAN'
  | 'STRING'
  | 'BYTES'
  | 'ARRAY'
  | 'MAP'
  | 'STRUCT';

export const SCHEMA_TYPES: readonly SchemaType[] = [
  'INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES', 'ARRAY', 'MAP', 'STRUCT',
];

const PRIMITIVES: ReadonlySet<SchemaType> = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES']);

export function isPrimitiveType(type: SchemaType): boolean {
  return PRIMITIVES.has(type);
}

/** Kafka's `Schema.Type.getName()`: `int8`, `float64`, `boolean`, `struct`, ... */
export function schemaTypeName(type: SchemaType): string {
  return type.toLowerCase();
}

/** The type named by Kafka's lower-case name (case-insensitive), or undefined. */
export function schemaTypeFromName(name: string): SchemaType | undefined {
  const upper = name.toUpperCase() as SchemaType;
  return PRIMITIVES.has(upper) || upper === 'ARRAY' || upper === 'MAP' || upper === 'STRUCT' ? upper : undefined;
}
