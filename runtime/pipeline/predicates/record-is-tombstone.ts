/** RecordIsTombstone: true for records whose value is null. */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import type { RecordPredicate } from '../../../connectors/sdk/transform.js';
import { predicatePlugin } from './predicate-plugin.js';

export const recordIsTombstoneSpec = defineConfig({});

class RecordIsTombstone implements RecordPredicate {
  configure(config: RawConfig): void {
    recordIsTombstoneSpec.parse(config);
  }

  test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }
}

export const recordIsTombstonePlugin = predicatePlugin(
  'RecordIsTombstone',
  'True for tombstones: records whose value is null.',
  recordIsTombstoneSpec,
  () => new RecordIsTombstone(),
);
