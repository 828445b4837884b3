/**
 * InsertHeader: adds a header `header` to every record, holding `value.literal` parsed into a
 * typed value the way header strings are (Values.parseString: `42` is an INT8, `true` a
 * BOOLEAN, `[1,2]` an ARRAY, anything unparsable a STRING). Existing headers are kept.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import type { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { Values } from '../../../connectors/sdk/data/values.js';
import { defineConfig, string } from '../../../connectors/sdk/config/config-spec.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { transformPlugin } from './transform-plugin.js';

export const insertHeaderSpec = defineConfig({
  'header': string({ doc: 'Name of the header to add.', importance: 'HIGH' }),
  'value.literal': string({ doc: 'Value of the header, parsed into a typed value as header strings are.', importance: 'HIGH' }),
});

class InsertHeader implements RecordTransform {
  #header = '';
  #literal: SchemaAndValue = Values.parseString(null);

  configure(config: RawConfig): void {
    const c = insertHeaderSpec.parse(config);
    this.#header = c.header;
    this.#literal = Values.parseString(c.valueLiteral);
  }

  apply<R extends ConnectRecord>(record: R): R {
    const header = { key: this.#header, schema: this.#literal.schema, value: this.#literal.value };
    return { ...record, headers: [...record.headers, header] };
  }
}

export const insertHeaderPlugin = transformPlugin(
  'InsertHeader',
  'Adds a header with a fixed value to every record.',
  insertHeaderSpec,
  () => new InsertHeader(),
);
