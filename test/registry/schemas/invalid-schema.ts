import { expect } from 'vitest';
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

/** Asserts `text` is refused with 42201, `Invalid schema of type <TYPE>, details: <detail>`, and the detail. */
export function expectInvalidSchema(schemaType: SchemaType, text: string, detail: string | RegExp): void {
  const error = invalidSchemaError(schemaType, text);
  expect(error.errorCode).toBe(42201);
  expect(error.message).toBe(`Invalid schema of type ${schemaType}, details: ${error.detail}`);
  if (typeof detail === 'string') expect(error.detail).toBe(detail);
  else expect(error.detail).toMatch(detail);
}
