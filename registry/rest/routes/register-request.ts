/**
 * Reads a RegisterSchemaRequest body (register, lookup, compatibility checks): `schema`,
 * `schemaType`, `references`, `version`, `id`; unknown properties are ignored as Confluent's
 * Jackson mapping ignores them. A field of the wrong JSON type is 400, as rest-utils answers a
 * JSON mapping error; a missing body 422.
 */
import type { SchemaReference } from '../../store/schemas-topic-codec.js';
import { RegistryError } from '../../service/registry-errors.js';
import type { RegisterSchemaRequest } from '../../service/schema-registry-service.js';
import { requiredBody } from '../registry-http.js';

const wrongType = (field: string, expected: string) => new RegistryError(400, 400, `Field '${field}' must be ${expected}`);

function optionalInteger(o: Record<string, unknown>, field: string): number | undefined {
  const value = o[field];
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value)) throw wrongType(field, 'an integer');
  return value as number;
}

function reference(r: unknown, index: number): SchemaReference {
  const o = r as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw wrongType(`references[${index}]`, 'an object');
  if (typeof o.name !== 'string') throw wrongType(`references[${index}].name`, 'a string');
  if (typeof o.subject !== 'string') throw wrongType(`references[${index}].subject`, 'a string');
  if (!Number.isInteger(o.version)) throw wrongType(`references[${index}].version`, 'an integer');
  return { name: o.name, subject: o.subject, version: o.version as number };
}

export function registerRequestOf(body: unknown): RegisterSchemaRequest {
  const o = requiredBody<Record<string, unknown>>(body);
  if (o.schema !== undefined && o.schema !== null && typeof o.schema !== 'string') throw wrongType('schema', 'a string');
  if (o.schemaType !== undefined && o.schemaType !== null && typeof o.schemaType !== 'string') throw wrongType('schemaType', 'a string');
  if (o.references !== undefined && o.references !== null && !Array.isArray(o.references)) throw wrongType('references', 'a list');
  const version = optionalInteger(o, 'version');
  const id = optionalInteger(o, 'id');
  return {
    ...(typeof o.schema === 'string' ? { schema: o.schema } : {}),
    ...(typeof o.schemaType === 'string' ? { schemaType: o.schemaType } : {}),
    references: Array.isArray(o.references) ? o.references.map(reference) : [],
    ...(version !== undefined && version !== -1 ? { version } : {}),
    ...(id !== undefined && id !== -1 ? { id } : {}),
  };
}
