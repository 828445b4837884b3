/**
 * The part of a record a `$Key` or `$Value` transform works on, and how to read and replace it.
 * Replacing spreads the record, so SourceRecord and SinkRecord fields survive.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';

export type RecordPart = 'key' | 'value';

export function schemaOf(record: ConnectRecord, part: RecordPart): Schema | null {
  return part === 'key' ? record.keySchema : record.valueSchema;
}

export function valueOf(record: ConnectRecord, part: RecordPart): unknown {
  return part === 'key' ? record.key : record.value;
}

/** A copy of `record` whose key (or value) and its schema are replaced. */
export function withPart<R extends ConnectRecord>(record: R, part: RecordPart, schema: Schema | null, value: unknown): R {
  return part === 'key' ? { ...record, keySchema: schema, key: value } : { ...record, valueSchema: schema, value };
}
