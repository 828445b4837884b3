/**
 * The registry's schema formats: registry/schemas parses, canonicalizes and normalizes Avro,
 * JSON Schema and Protobuf, registry/compatibility checks them.
 */
import { checkCompatibility } from '../compatibility/check-compatibility.js';
import { normalizeSchema, parseSchema, type ParsedSchema } from '../schemas/parse-schema.js';
import type { SchemaProvider } from './schema-provider.js';

export const defaultSchemaProvider: SchemaProvider = {
  parse: (schemaType, text, references, lookup, normalize) => {
    const parsed = parseSchema(schemaType, text, references, (ref) => lookup(ref));
    return normalize ? normalizeSchema(parsed, (ref) => lookup(ref)) : parsed;
  },
  // Every ProvidedSchema the service hands back came from parse() above.
  check: (candidate, previous, level) => checkCompatibility(candidate as ParsedSchema, previous as readonly ParsedSchema[], level),
};
