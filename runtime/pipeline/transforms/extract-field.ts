/**
 * ExtractField$Key / ExtractField$Value: replaces the key/value with one of its fields, found by
 * `field` read as a field path (`field.syntax.version`). With a schema the result takes the
 * field's schema and an unknown field fails; without one a missing field gives null. Null
 * keys/values pass through as null.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { defineConfig, string } from '../../../connectors/sdk/config/config-spec.js';
import { fieldSyntaxVersionField, SingleFieldPath } from './field-path.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { requireMapOrNull, requireStructOrNull } from './requirements.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins, replaceNullWithDefaultField } from './transform-plugin.js';

const PURPOSE = 'field extraction';

export const extractFieldSpec = defineConfig({
  'field': string({ doc: 'The field to extract, as a field path.' }),
  'replace.null.with.default': replaceNullWithDefaultField(),
  'field.syntax.version': fieldSyntaxVersionField(),
}, {
  validateCrossField(v) {
    if (v.field === undefined || v.fieldSyntaxVersion === undefined) return [];
    try {
      new SingleFieldPath(v.field, v.fieldSyntaxVersion);
      return [];
    } catch (err) {
      return [{ name: 'field', message: (err as Error).message }];
    }
  },
});

class ExtractField implements RecordTransform {
  readonly #part: RecordPart;
  #path = new SingleFieldPath('', 'V1');
  #originalPath = '';
  #replaceNullWithDefault = true;

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    const c = extractFieldSpec.parse(config);
    this.#originalPath = c.field;
    this.#path = new SingleFieldPath(c.field, c.fieldSyntaxVersion);
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = schemaOf(record, this.#part);
    const value = valueOf(record, this.#part);
    if (schema === null) {
      const map = requireMapOrNull(value, PURPOSE);
      return withPart(record, this.#part, null, map === null ? null : this.#path.valueFromMap(map));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const field = this.#path.fieldFrom(schema);
    if (field === null) throw new DataError(`Unknown field: ${this.#originalPath}`);
    return withPart(record, this.#part, field.schema, struct === null ? null : this.#path.valueFromStruct(struct, this.#replaceNullWithDefault));
  }
}

export const extractFieldPlugins = keyValuePlugins(
  'ExtractField',
  'Replaces the data with one of its fields, nested fields included.',
  extractFieldSpec,
  (part) => new ExtractField(part),
);
