import { InvalidSchemaError, parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { ReferenceResolver, SchemaReference, SchemaType } from '../../../registry/schemas/parse-schema.js';

/** The InvalidSchemaError `parseSchema` throws for `text`; fails the test when it parses. */
export function invalidSchemaError(
  schemaType: SchemaType,
  text: string,
  references: readonly SchemaReference[] = [],
  resolve: ReferenceResolver = () => undefined,
): InvalidSchemaError {
  try {
    parseSchema(schemaType, text, references, resolve);
  } catch (error) {
    if (error instanceof InvalidSchemaError) return error;
    throw error;
  }
  throw new Error(`expected the ${schemaType} schema ${text} to be rejected`);
}
