/**
 * Kafka Connect's SchemaProjector: a value written with one schema, read as a compatible other
 * schema of the same name and parameters. Struct fields missing in the source take the target
 * field's default (or null when optional; a required field without default cannot be
 * projected); numbers are widened along INT8 → INT16 → INT32 → INT64 → FLOAT32 → FLOAT64; an
 * optional source needs a default in a required target. Anything else throws a DataError
 * (Kafka's SchemaProjectorException, a DataException) saying what does not match.
 */
import { DataError } from '../errors.js';
import type { Schema } from './schema.js';
import type { SchemaType } from './schema-type.js';
import { Struct } from './struct.js';

const PROMOTIONS: Partial<Record<SchemaType, readonly SchemaType[]>> = {
  INT8: ['INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64'],
  INT16: ['INT32', 'INT64', 'FLOAT32', 'FLOAT64'],
  INT32: ['INT64', 'FLOAT32', 'FLOAT64'],
  INT64: ['FLOAT32', 'FLOAT64'],
  FLOAT32: ['FLOAT64'],
};

export function projectValue(source: Schema, value: unknown, target: Schema): unknown {
  checkMaybeCompatible(source, target);
  if (value === null || value === undefined) {
    if (source.optional && !target.optional) {
      if (target.defaultValue !== null) return target.defaultValue;
      throw new DataError('Writer schema is optional, however, target schema does not provide a default value.');
    }
    return null;
  }
  return projectRequired(source, value, target);
}

function projectRequired(source: Schema, value: unknown, target: Schema): unknown {
  switch (target.type) {
    case 'STRUCT': {
      const from = value as Struct;
      const out = new Struct(target);
      for (const field of target.fields) {
        const sourceField = source.field(field.name);
        if (sourceField !== null) {
          out.put(field, projectValue(sourceField.schema, from.get(sourceField), field.schema));
        } else if (field.schema.defaultValue !== null) {
          out.put(field, field.schema.defaultValue);
        } else if (field.schema.optional) {
          out.put(field, null);
        } else {
          throw new DataError(`Required field \`${field.name}\` is missing from source schema: ${source.toString()}`);
        }
      }
      return out;
    }
    case 'ARRAY':
      return (value as unknown[]).map((item) => projectValue(source.valueSchema!, item, target.valueSchema!));
    case 'MAP':
      return new Map([...(value as Map<unknown, unknown>)].map(([k, v]) => [
        projectValue(source.keySchema!, k, target.keySchema!), projectValue(source.valueSchema!, v, target.valueSchema!),
      ]));
    default:
      return source.type === target.type ? value : promote(value, target.type);
  }
}

function promote(value: unknown, target: SchemaType): unknown {
  if (target === 'INT64') return value;
  const n = Number(value as number | bigint);
  return target === 'FLOAT32' ? Math.fround(n) : n;
}

function checkMaybeCompatible(source: Schema, target: Schema): void {
  if (source.type !== target.type && !(PROMOTIONS[source.type]?.includes(target.type) ?? false)) {
    throw new DataError(`Schema type mismatch. source type: ${source.type} and target type: ${target.type}`);
  }
  if (source.name !== target.name) throw new DataError(`Schema name mismatch. source name: ${source.name} and target name: ${target.name}`);
  if (!sameParameters(source.parameters, target.parameters)) {
    throw new DataError(`Schema parameters not equal. source parameters: ${show(source.parameters)} and target parameters: ${show(target.parameters)}`);
  }
}

function sameParameters(a: ReadonlyMap<string, string> | null, b: ReadonlyMap<string, string> | null): boolean {
  if (a === null || b === null) return a === b;
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

const show = (p: ReadonlyMap<string, string> | null) => (p === null ? 'null' : `{${[...p].map(([k, v]) => `${k}=${v}`).join(', ')}}`);
