/**
 * A stand-in for the formats registry/schemas does not parse yet (Protobuf): the schema must be
 * non-empty text (JSON for a JSON-based format) and is stored trimmed (compact JSON); the only
 * compatibility rule is that an earlier version of another type is incompatible.
 */
import { InvalidSchemaError } from '../schemas/schema-types.js';
import type { SchemaType } from '../store/schemas-topic-codec.js';
import type { CompatibilityLevel, ProvidedSchema } from './schema-provider.js';

export function parseInterim(schemaType: SchemaType, text: string): ProvidedSchema {
  if (text.trim() === '') throw new InvalidSchemaError(schemaType, 'Empty schema');
  if (schemaType === 'PROTOBUF') return { schemaType, canonicalText: text.trim() };
  try {
    return { schemaType, canonicalText: JSON.stringify(JSON.parse(text)) };
  } catch (err) {
    throw new InvalidSchemaError(schemaType, `the schema is not JSON: ${(err as Error).message}`);
  }
}

export function checkInterim(candidate: ProvidedSchema, previous: readonly ProvidedSchema[], level: CompatibilityLevel): string[] {
  if (level === 'NONE') return [];
  const checked = level.endsWith('_TRANSITIVE') ? [...previous].reverse() : previous.slice(-1);
  const other = checked.find((p) => p.schemaType !== candidate.schemaType);
  if (!other) return [];
  return [
    'Incompatible because of different schema type',
    ...(other.version === undefined ? [] : [`{oldSchemaVersion: ${other.version}}`]),
    `{oldSchema: '${other.canonicalText}'}`,
    `{validateFields: 'false', compatibility: '${level}'}`,
  ];
}
