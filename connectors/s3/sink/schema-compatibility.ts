/**
 * Confluent's schema.compatibility for files holding one schema (AvroFormat, ParquetFormat), as
 * its StorageSchemaCompatibility decides it for a record's value schema against the schema of
 * the open file it would join:
 *
 * - NONE: any other schema starts new files.
 * - BACKWARD and FULL: a higher schema version starts new files; a record of a lower (or the
 *   same) version is projected onto the open file's schema (Kafka's SchemaProjector).
 * - FORWARD: a lower version starts new files; a higher one is projected.
 *
 * Outside NONE both schemas need versions and the same name, and records with and without
 * schemas cannot mix: such a record is a DataError, as Confluent's SchemaProjectorException.
 */
import type { Schema } from '../../sdk/data/schema.js';
import { projectValue } from '../../sdk/data/schema-projector.js';
import { DataError } from '../../sdk/errors.js';

export const SCHEMA_COMPATIBILITIES = ['NONE', 'BACKWARD', 'FORWARD', 'FULL'] as const;
export type SchemaCompatibility = typeof SCHEMA_COMPATIBILITIES[number];

/** What a record does to the open file of `current` schema: join it as it is, join it projected, or start new files. */
export type SchemaDecision = { readonly kind: 'join' } | { readonly kind: 'project'; readonly value: unknown; readonly schema: Schema } | { readonly kind: 'rotate' };

const JOIN: SchemaDecision = { kind: 'join' };
const ROTATE: SchemaDecision = { kind: 'rotate' };

export function decideSchema(mode: SchemaCompatibility, schema: Schema | null, value: unknown, current: Schema | null): SchemaDecision {
  if (schema === current || (schema !== null && current !== null && schema.equals(current))) return JOIN;
  if (mode === 'NONE') return ROTATE;
  if (schema === null || current === null) throw new DataError('Switch between schema-based and schema-less data is not supported');
  if (schema.name !== current.name) throw new DataError(`Schema name mismatch. source name: ${schema.name} and target name: ${current.name}`);
  if (schema.version === null || current.version === null) throw new DataError(`Schema version required for ${mode} compatibility`);
  const newer = mode === 'FORWARD' ? schema.version < current.version : schema.version > current.version;
  if (newer) return ROTATE;
  return { kind: 'project', value: projectValue(schema, value, current), schema: current };
}
