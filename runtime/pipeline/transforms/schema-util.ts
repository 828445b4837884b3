/** Schema helpers shared by transforms (Kafka's transforms SchemaUtil). */
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../../../connectors/sdk/data/logical-names.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';

/** Sets `source`'s name, version, doc and parameters on `builder` (a builder of `source`'s type when absent). */
export function copySchemaBasics(source: Schema, builder?: SchemaBuilder): SchemaBuilder {
  const target = builder ?? basicBuilder(source);
  if (source.name !== null) target.name(source.name);
  if (source.version !== null) target.version(source.version);
  if (source.doc !== null) target.doc(source.doc);
  if (source.parameters !== null) target.parameters(source.parameters);
  return target;
}

function basicBuilder(source: Schema): SchemaBuilder {
  if (source.type === 'ARRAY' && source.valueSchema !== null) return SchemaBuilder.array(source.valueSchema);
  if (source.type === 'MAP' && source.keySchema !== null && source.valueSchema !== null) {
    return SchemaBuilder.map(source.keySchema, source.valueSchema);
  }
  if (source.type === 'ARRAY' || source.type === 'MAP') {
    return SchemaBuilder.untypedContainer(source.type, source.keySchema, source.valueSchema);
  }
  return SchemaBuilder.type(source.type);
}

const LOGICAL_NAMES: ReadonlySet<string> = new Set([DECIMAL_LOGICAL_NAME, DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME]);

export function isLogicalSchema(schema: Schema): boolean {
  return schema.name !== null && LOGICAL_NAMES.has(schema.name);
}
