/** The Connect data model: schemas, structs, logical types and value helpers. */
export { Decimal } from './decimal.js';
export { displayString } from './display-string.js';
export { formatDouble, formatFloat } from './java-number-format.js';
export {
  DATE_LOGICAL_NAME,
  DECIMAL_LOGICAL_NAME,
  DECIMAL_SCALE_PARAMETER,
  TIME_LOGICAL_NAME,
  TIMESTAMP_LOGICAL_NAME,
} from './logical-names.js';
export { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from './logical-types.js';
export { Field, Schema, type SchemaInit } from './schema.js';
export { SchemaAndValue } from './schema-and-value.js';
export { SchemaBuilder } from './schema-builder.js';
export { SCHEMA_TYPES, isPrimitiveType, schemaTypeFromName, schemaTypeName, type SchemaType } from './schema-type.js';
export { Struct } from './struct.js';
export { describeValue, isInt64, normalizeInt64, validateValue } from './validate-value.js';
export { valuesEqual } from './value-equality.js';
export { Values } from './values.js';
