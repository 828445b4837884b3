/** HasHeaderKey: true for records with at least one header named `name`. */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { defineConfig, string, validators } from '../../../connectors/sdk/config/config-spec.js';
import type { RecordPredicate } from '../../../connectors/sdk/transform.js';
import { predicatePlugin } from './predicate-plugin.js';

export const hasHeaderKeySpec = defineConfig({
  'name': string({ doc: 'The header key to look for.', validator: validators.nonEmptyString() }),
});

class HasHeaderKey implements RecordPredicate {
  #name = '';

  configure(config: RawConfig): void {
    this.#name = hasHeaderKeySpec.parse(config).name;
  }

  test(record: ConnectRecord): boolean {
    return record.headers.some((h) => h.key === this.#name);
  }
}

export const hasHeaderKeyPlugin = predicatePlugin(
  'HasHeaderKey',
  'True for records that carry a header with the given key.',
  hasHeaderKeySpec,
  () => new HasHeaderKey(),
);
