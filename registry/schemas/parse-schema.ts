/**
 * The registry's entry point for schema text: parse and validate a schema of any supported type with
 * its references resolved, and give the canonical text Confluent stores and hashes.
 *
 * Bad input throws `InvalidSchemaError` (HTTP 422, error code 42201, message
 * `Invalid schema of type <TYPE>, details: <parser detail>`).
 */
import { parseAvroSchema } from './avro-schema.js';
import type { AvroParsedSchema } from './avro-schema.js';
import { parseJsonSchema } from './json-schema.js';
import type { JsonParsedSchema } from './json-schema.js';
import { parseProtobufSchema } from './protobuf-schema.js';
import type { ProtobufParsedSchema } from './protobuf-schema.js';
import { InvalidSchemaError } from './schema-types.js';
import type { ReferenceResolver, SchemaReference, SchemaType } from './schema-types.js';

export { InvalidSchemaError } from './schema-types.js';
export { normalizeSchema } from './normalize-schema.js';
export type { ReferenceResolver, ResolvedReference, SchemaReference, SchemaType } from './schema-types.js';
export type { AvroParsedSchema } from './avro-schema.js';
export type { JsonParsedSchema } from './json-schema.js';
export type { ProtobufParsedSchema } from './protobuf-schema.js';

export type ParsedSchema = AvroParsedSchema | JsonParsedSchema | ProtobufParsedSchema;

export function parseSchema(
  schemaType: SchemaType,
  text: string,
  references: readonly SchemaReference[],
  resolveReference: ReferenceResolver,
): ParsedSchema {
  if (typeof text !== 'string' || text.trim() === '') throw new InvalidSchemaError(schemaType, 'Empty schema', 'Empty schema');
  switch (schemaType) {
    case 'AVRO':
      return parseAvroSchema(text, references, resolveReference);
    case 'JSON':
      return parseJsonSchema(text, references, resolveReference);
    case 'PROTOBUF':
      return parseProtobufSchema(text, references, resolveReference);
    default:
      throw new InvalidSchemaError(schemaType, `Invalid schema type ${String(schemaType)}`, `Invalid schema type ${String(schemaType)}`);
  }
}
