/**
 * Route schemas with the documentation keys the OpenAPI document reads (fastify ignores them):
 * `summary`, `description`, `deprecated`, and `hide` to leave a route out of the document
 * (internal and inter-worker routes).
 */
import type { FastifySchema } from 'fastify';

export interface DocumentedSchema extends FastifySchema {
  summary?: string;
  description?: string;
  deprecated?: boolean;
  hide?: boolean;
}

export function documented(schema: DocumentedSchema): FastifySchema {
  return schema;
}
