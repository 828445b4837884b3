/** DropHeaders: removes every header whose key is listed in `headers`. */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { defineConfig, list, validators } from '../../../connectors/sdk/config/config-spec.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { transformPlugin } from './transform-plugin.js';

export const dropHeadersSpec = defineConfig({
  'headers': list({ doc: 'Keys of the headers to remove.', validator: validators.nonEmptyList(), importance: 'HIGH' }),
});

class DropHeaders implements RecordTransform {
  #headers: ReadonlySet<string> = new Set();

  configure(config: RawConfig): void {
    this.#headers = new Set(dropHeadersSpec.parse(config).headers);
  }

  apply<R extends ConnectRecord>(record: R): R {
    return { ...record, headers: record.headers.filter((h) => !this.#headers.has(h.key)) };
  }
}

export const dropHeadersPlugin = transformPlugin(
  'DropHeaders',
  'Removes headers by key.',
  dropHeadersSpec,
  () => new DropHeaders(),
);
