/**
 * MaskField$Key / MaskField$Value: replaces the listed fields with their type's empty value (0,
 * false, "", the epoch for dates, an empty array or map), or with `replacement` converted to the
 * field's type (numbers and strings only). Null fields stay null.
 *
 * With a schema the field's schema decides the type; without one the JS value does (an integral
 * number counts as an integer, any other number as a double). Unlike Kafka, a null key/value is
 * passed through instead of failing, since masking it could only give null.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../../../connectors/sdk/data/logical-names.js';
import { LogicalDecimal } from '../../../connectors/sdk/data/logical-types.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { defineConfig, list, string, validators } from '../../../connectors/sdk/config/config-spec.js';
import { parseJavaFloat, parseJavaInteger } from './java-numbers.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { kindOf, requireMap, requireStruct } from './requirements.js';
import { getField, isPlainObject, sameKindAs, workingCopy } from './schemaless-map.js';
import { fieldValue } from './struct-values.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins, replaceNullWithDefaultField } from './transform-plugin.js';

const PURPOSE = 'mask fields';

export const maskFieldSpec = defineConfig({
  'fields': list({ doc: 'Names of the fields to mask.', validator: validators.nonEmptyList(), importance: 'HIGH' }),
  'replacement': string({
    doc: 'Value put in every masked field instead of its type\'s empty value; numeric and string fields only.',
    default: null, validator: validators.nonEmptyString(), importance: 'LOW',
  }),
  'replace.null.with.default': replaceNullWithDefaultField(),
});

/** How a value is masked: decided by its schema when there is one, else by the JS value. */
type MaskKind = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'bigint' | 'boolean' | 'string'
  | 'decimal' | 'date' | 'array' | 'map' | 'object' | 'unsupported';

function kindFromSchema(schema: Schema): MaskKind {
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME:
      return 'decimal';
    case DATE_LOGICAL_NAME:
    case TIME_LOGICAL_NAME:
    case TIMESTAMP_LOGICAL_NAME:
      return 'date';
    default:
      break;
  }
  switch (schema.type) {
    case 'INT8': return 'int8';
    case 'INT16': return 'int16';
    case 'INT32': return 'int32';
    case 'INT64': return 'int64';
    case 'FLOAT32': return 'float32';
    case 'FLOAT64': return 'float64';
    case 'BOOLEAN': return 'boolean';
    case 'STRING': return 'string';
    case 'ARRAY': return 'array';
    case 'MAP': return 'map';
    default: return 'unsupported';
  }
}

function kindFromValue(value: unknown): MaskKind {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'bigint') return 'bigint';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (value instanceof Decimal) return 'decimal';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'map';
  if (isPlainObject(value)) return 'object';
  return 'unsupported';
}

function emptyValue(kind: MaskKind, value: unknown, schema: Schema | null): unknown {
  switch (kind) {
    case 'int8': case 'int16': case 'int32': case 'int64': case 'float32': case 'float64':
      return 0;
    case 'bigint':
      return 0n;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'decimal':
      return new Decimal(0n, schema !== null ? LogicalDecimal.scale(schema) : 0);
    case 'date':
      return new Date(0);
    case 'array':
      return [];
    case 'map':
      return new Map();
    case 'object':
      return {};
    default:
      throw new DataError(`Cannot mask value of type: ${kindOf(value)}`);
  }
}

const INTEGER_BITS: Partial<Record<MaskKind, 8 | 16 | 32 | 64>> = { int8: 8, int16: 16, int32: 32, int64: 64 };

function replacementValue(kind: MaskKind, value: unknown, replacement: string, schema: Schema | null): unknown {
  const notANumber = () => new DataError(`Unable to convert ${replacement} (string) to number`);
  const bits = INTEGER_BITS[kind];
  if (bits !== undefined) {
    const n = parseJavaInteger(replacement, bits);
    if (n === null) throw notANumber();
    return n;
  }
  switch (kind) {
    case 'float32':
    case 'float64': {
      const n = parseJavaFloat(replacement);
      if (n === null) throw notANumber();
      return kind === 'float32' ? Math.fround(n) : n;
    }
    case 'bigint':
      if (!/^[+-]?\d+$/.test(replacement)) throw notANumber();
      return BigInt(replacement);
    case 'decimal': {
      let decimal: Decimal;
      try {
        decimal = Decimal.parse(replacement);
      } catch {
        throw notANumber();
      }
      return schema !== null ? decimal.setScale(LogicalDecimal.scale(schema)) : decimal;
    }
    case 'string':
      return replacement;
    default:
      throw new DataError(`Cannot mask value of type ${kindOf(value)} with custom replacement.`);
  }
}

class MaskField implements RecordTransform {
  readonly #part: RecordPart;
  #fields: readonly string[] = [];
  #replacement: string | null = null;
  #replaceNullWithDefault = true;

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    const c = maskFieldSpec.parse(config);
    this.#fields = [...new Set(c.fields)];
    this.#replacement = c.replacement;
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = valueOf(record, this.#part);
    if (value === null || value === undefined) return record;
    const schema = schemaOf(record, this.#part);
    if (schema === null) {
      const original = requireMap(value, PURPOSE);
      const updated = workingCopy(original);
      for (const name of this.#fields) updated.set(name, this.#masked(getField(original, name), null));
      return withPart(record, this.#part, null, sameKindAs(original, updated));
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(struct.schema);
    const masked = new Set(this.#fields);
    for (const field of struct.schema.fields) {
      const original = fieldValue(struct, field, this.#replaceNullWithDefault);
      updated.put(field, masked.has(field.name) ? this.#masked(original, field.schema) : original);
    }
    return withPart(record, this.#part, schema, updated);
  }

  #masked(value: unknown, schema: Schema | null): unknown {
    if (value === null || value === undefined) return null;
    const kind = schema !== null ? kindFromSchema(schema) : kindFromValue(value);
    return this.#replacement === null ? emptyValue(kind, value, schema) : replacementValue(kind, value, this.#replacement, schema);
  }
}

export const maskFieldPlugins = keyValuePlugins(
  'MaskField',
  'Replaces fields with an empty value of their type, or with a fixed replacement.',
  maskFieldSpec,
  (part) => new MaskField(part),
);
