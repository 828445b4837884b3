/**
 * JSON Schema (draft-07) for a raw config map. Kafka Connect carries config values as strings and
 * accepts JSON numbers and booleans in their place, so numeric and boolean keys accept either form;
 * lists are comma-separated strings. Only standard keywords are emitted, so strict ajv accepts it.
 * The schema is a coarse check and documentation; `spec.validate` stays authoritative.
 */
import type { ConfigField } from './config-field.js';
import type { ConfigType } from './config-value.js';
import { Password } from './password.js';

export type JsonSchemaObject = Record<string, unknown>;

const INTEGER_TEXT = '^\\s*[+-]?\\d+\\s*$';
const NUMBER_TEXT = '^\\s*[+-]?(NaN|Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)[fFdD]?\\s*$';
const BOOLEAN_TEXT = '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\\s*$';
const INTEGER_LIMITS: Partial<Record<ConfigType, number>> = { SHORT: 2 ** 15, INT: 2 ** 31, LONG: 2 ** 63 };

function valueSchema(f: ConfigField<unknown>): JsonSchemaObject {
  const hints = Object.assign({}, ...f.validators.map((v) => v.jsonSchema ?? {})) as JsonSchemaObject;
  switch (f.type) {
    case 'BOOLEAN':
      return { anyOf: [{ type: 'boolean' }, { type: 'string', pattern: BOOLEAN_TEXT }] };
    case 'DOUBLE':
      return { anyOf: [{ type: 'number', ...pick(hints, 'minimum', 'maximum') }, { type: 'string', pattern: NUMBER_TEXT }] };
    case 'SHORT':
    case 'INT':
    case 'LONG': {
      const limit = INTEGER_LIMITS[f.type] as number;
      const minimum = Math.max(-limit, numberHint(hints.minimum, -limit));
      const maximum = Math.min(limit - 1, numberHint(hints.maximum, limit - 1));
      return { anyOf: [{ type: 'integer', minimum, maximum }, { type: 'string', pattern: INTEGER_TEXT }] };
    }
    case 'PASSWORD':
      return { type: 'string', writeOnly: true };
    case 'LIST':
      return { type: 'string' };
    default:
      return { type: 'string', ...pick(hints, 'enum', 'minLength', 'pattern') };
  }
}

function numberHint(x: unknown, fallback: number): number {
  return typeof x === 'number' ? x : fallback;
}

function pick(source: JsonSchemaObject, ...keys: string[]): JsonSchemaObject {
  const out: JsonSchemaObject = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

function defaultOf(f: ConfigField<unknown>): unknown {
  const d = f.defaultValue;
  if (d === null || d === undefined || d instanceof Password) return undefined;
  if (Array.isArray(d)) return d.join(',');
  return d;
}

export function specToJsonSchema(
  fields: Readonly<Record<string, ConfigField<unknown>>>,
  options: { title?: string; description?: string },
): JsonSchemaObject {
  const properties: Record<string, JsonSchemaObject> = {};
  const required: string[] = [];
  for (const name of Object.keys(fields)) {
    const f = fields[name];
    const schema: JsonSchemaObject = { title: f.displayName ?? name, description: f.doc, ...valueSchema(f) };
    const dflt = defaultOf(f);
    if (dflt !== undefined) schema.default = dflt;
    if (f.deprecated) schema.deprecated = true;
    properties[name] = schema;
    if (f.required) required.push(name);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    type: 'object',
    properties,
    required,
    additionalProperties: true,
  };
}
