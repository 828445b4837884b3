/**
 * The registry's schema formats: the interim provider until registry/schemas (parsing and
 * canonical text) and registry/compatibility (the checkers) are wired in here.
 */
import { interimSchemaProvider } from './interim-schema-provider.js';
import type { SchemaProvider } from './schema-provider.js';

export const defaultSchemaProvider: SchemaProvider = interimSchemaProvider;
