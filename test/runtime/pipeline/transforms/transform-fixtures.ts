/** Records and configured transforms for transform tests. */
import type { SinkRecord, SourceRecord } from '../../../../connectors/sdk/connect-record.js';
import type { Predicate, RecordTransform } from '../../../../connectors/sdk/transform.js';
import { builtinPredicates } from '../../../../runtime/pipeline/predicates/builtin-predicates.js';
import { builtinTransforms } from '../../../../runtime/pipeline/transforms/builtin-transforms.js';

export function sinkRecord(fields: Partial<SinkRecord> = {}): SinkRecord {
  return {
    topic: 'orders',
    kafkaPartition: 3,
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: 1_700_000_000_000,
    headers: [],
    kafkaOffset: 42,
    timestampType: 'CreateTime',
    originalTopic: 'orders',
    originalKafkaPartition: 3,
    originalKafkaOffset: 42,
    ...fields,
  };
}

export function sourceRecord(fields: Partial<SourceRecord> = {}): SourceRecord {
  return {
    topic: 'orders',
    kafkaPartition: null,
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: 1_700_000_000_000,
    headers: [],
    sourcePartition: { file: 'a.log' },
    sourceOffset: { position: 7 },
    ...fields,
  };
}

/** A new instance of the named built-in transform, configured; built-ins take any record type. */
export function transform(name: string, config: Record<string, string> = {}): RecordTransform {
  const plugin = builtinTransforms.get(name);
  if (plugin === undefined) throw new Error(`no transform ${name}`);
  const t = plugin.create() as unknown as RecordTransform;
  t.configure(config);
  return t;
}

export function predicate(name: string, config: Record<string, string> = {}): Predicate {
  const plugin = builtinPredicates.get(name);
  if (plugin === undefined) throw new Error(`no predicate ${name}`);
  const p = plugin.create();
  p.configure(config);
  return p;
}

/** The ConfigError `fn` throws, as `{ name, message }` issues. */
export function configIssues(fn: () => unknown): { name: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    const issues = (err as { issues?: { name: string; message: string }[] }).issues;
    if (issues === undefined) throw err;
    return issues;
  }
  throw new Error('expected a ConfigError');
}
