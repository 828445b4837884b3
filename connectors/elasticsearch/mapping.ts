/**
 * The index mapping Confluent's sink puts for a value schema (when schemas are not ignored and
 * the index has no mapping yet): Connect types to Elasticsearch field types, strings as `text`
 * with a `keyword` sub-field, Date/Time/Timestamp as `date`, Decimal as `double`, structs and maps
 * as `properties`, arrays as their element type, and schema defaults as `null_value` (not for
 * text or binary, which Elasticsearch does not allow).
 */
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../sdk/data/logical-names.js';
import type { Schema } from '../sdk/data/schema.js';
import { DataError } from '../sdk/errors.js';
import { decimalToDouble } from './decimal-double.js';

export type MappingNode = { [key: string]: unknown };

const PRIMITIVE_TYPES: Readonly<Record<string, string>> = {
  BOOLEAN: 'boolean', INT8: 'byte', INT16: 'short', INT32: 'integer', INT64: 'long',
  FLOAT32: 'float', FLOAT64: 'double', STRING: 'text', BYTES: 'binary',
};

/** The body of `PUT <index>/_mapping` for `schema`. */
export function mappingOf(schema: Schema | null): MappingNode {
  if (schema === null) throw new DataError('Cannot infer mapping without schema.');
  switch (schema.name) {
    case DATE_LOGICAL_NAME:
    case TIME_LOGICAL_NAME:
    case TIMESTAMP_LOGICAL_NAME:
      return primitive('date', schema.defaultValue instanceof Date ? schema.defaultValue.getTime() : null);
    case DECIMAL_LOGICAL_NAME:
      return primitive('double', schema.defaultValue === null ? null : decimalToDouble(schema.defaultValue));
    default:
      break;
  }
  switch (schema.type) {
    case 'ARRAY':
      return mappingOf(schema.valueSchema);
    case 'MAP':
      return { properties: { key: mappingOf(schema.keySchema), value: mappingOf(schema.valueSchema) } };
    case 'STRUCT': {
      const properties: MappingNode = {};
      for (const field of schema.fields) properties[field.name] = mappingOf(field.schema);
      return { properties };
    }
    default: {
      const type = PRIMITIVE_TYPES[schema.type];
      if (type === undefined) throw new DataError(`Invalid primitive type ${schema.type}.`);
      return primitive(type, schema.defaultValue);
    }
  }
}

function primitive(type: string, defaultValue: unknown): MappingNode {
  const node: MappingNode = { type };
  if (type === 'text') node.fields = { keyword: { type: 'keyword', ignore_above: 256 } };
  if (defaultValue === null || defaultValue === undefined || type === 'text' || type === 'binary') return node;
  node.null_value = typeof defaultValue === 'bigint' ? Number(defaultValue) : defaultValue;
  return node;
}
