/** Filter: drops every record it is applied to; meant to be made conditional with a predicate. */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { transformPlugin } from './transform-plugin.js';

export const filterSpec = defineConfig({});

class Filter implements RecordTransform {
  configure(config: RawConfig): void {
    filterSpec.parse(config);
  }

  apply<R extends ConnectRecord>(_record: R): R | null {
    return null;
  }
}

export const filterPlugin = transformPlugin(
  'Filter',
  'Drops every record it applies to; pair it with a predicate to drop only some records.',
  filterSpec,
  () => new Filter(),
);
