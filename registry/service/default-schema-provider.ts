/**
 * The registry's schema formats: registry/schemas parses and canonicalizes, registry/compatibility
 * checks, for the formats they support (PARSED_FORMATS); the others go through the interim
 * stand-in until they land.
 */
import { checkCompatibility } from '../compatibility/check-compatibility.js';
import { parseSchema, type ParsedSchema } from '../schemas/parse-schema.js';
import type { SchemaType } from '../store/schemas-topic-codec.js';
import { checkInterim, parseInterim } from './interim-schema-provider.js';
import type { ProvidedSchema, SchemaProvider } from './schema-provider.js';

const PARSED_FORMATS: ReadonlySet<SchemaType> = new Set<SchemaType>(['AVRO', 'JSON']);

export const defaultSchemaProvider: SchemaProvider = {
  parse(schemaType, text, references, lookup) {
    if (!PARSED_FORMATS.has(schemaType)) return parseInterim(schemaType, text);
    return parseSchema(schemaType, text, references, (ref) => lookup(ref));
  },
  check(candidate, previous, level) {
    if (!PARSED_FORMATS.has(candidate.schemaType)) return checkInterim(candidate, previous, level);
    return checkCompatibility(candidate as ParsedSchema, previous as readonly ProvidedSchema[] as readonly ParsedSchema[], level);
  },
};
