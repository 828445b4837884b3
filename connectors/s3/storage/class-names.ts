/**
 * The plugin classes users name in `format.class`, `partitioner.class` and
 * `timestamp.extractor`: Confluent's Java class names and the short names, resolved to the kind
 * ferry implements. A validator for each lists every accepted spelling.
 */
import { validators, type Validator } from '../../sdk/config/config-spec.js';

export type FormatKind = 'json' | 'bytearray' | 'avro' | 'parquet';
export type PartitionerKind = 'default' | 'field' | 'time' | 'daily' | 'hourly';
export type ExtractorKind = 'record' | 'recordfield' | 'wallclock';

const PARTITIONER_PACKAGE = 'io.confluent.connect.storage.partitioner.';

const FORMATS: ReadonlyMap<string, FormatKind> = new Map([
  ['io.confluent.connect.s3.format.json.JsonFormat', 'json'],
  ['JsonFormat', 'json'],
  ['io.confluent.connect.s3.format.bytearray.ByteArrayFormat', 'bytearray'],
  ['ByteArrayFormat', 'bytearray'],
  ['io.confluent.connect.s3.format.avro.AvroFormat', 'avro'],
  ['AvroFormat', 'avro'],
  ['io.confluent.connect.s3.format.parquet.ParquetFormat', 'parquet'],
  ['ParquetFormat', 'parquet'],
]);

const PARTITIONERS: ReadonlyMap<string, PartitionerKind> = new Map([
  ...aliases<PartitionerKind>('DefaultPartitioner', 'default'),
  ...aliases<PartitionerKind>('FieldPartitioner', 'field'),
  ...aliases<PartitionerKind>('TimeBasedPartitioner', 'time'),
  ...aliases<PartitionerKind>('DailyPartitioner', 'daily'),
  ...aliases<PartitionerKind>('HourlyPartitioner', 'hourly'),
]);

const EXTRACTORS: ReadonlyMap<string, ExtractorKind> = new Map([
  ['Record', 'record'],
  [`${PARTITIONER_PACKAGE}TimeBasedPartitioner$RecordTimestampExtractor`, 'record'],
  ['RecordField', 'recordfield'],
  [`${PARTITIONER_PACKAGE}TimeBasedPartitioner$RecordFieldTimestampExtractor`, 'recordfield'],
  ['Wallclock', 'wallclock'],
  [`${PARTITIONER_PACKAGE}TimeBasedPartitioner$WallclockTimestampExtractor`, 'wallclock'],
]);

function aliases<K>(simple: string, kind: K): [string, K][] {
  return [[`${PARTITIONER_PACKAGE}${simple}`, kind], [simple, kind]];
}

function lookup<K>(table: ReadonlyMap<string, K>, what: string, name: string): K {
  const kind = table.get(name.trim());
  if (kind === undefined) throw new Error(`Unknown ${what} ${name}`);
  return kind;
}

export const formatKindOf = (name: string): FormatKind => lookup(FORMATS, 'format class', name);
export const partitionerKindOf = (name: string): PartitionerKind => lookup(PARTITIONERS, 'partitioner class', name);
export const extractorKindOf = (name: string): ExtractorKind => lookup(EXTRACTORS, 'timestamp extractor', name);

function knownName<K>(table: ReadonlyMap<string, K>, later: ReadonlySet<string> = new Set()): Validator<string> {
  const listed = [...table.keys()].join(', ');
  return validators.validator((name: string) => {
    if (table.has(name.trim())) return undefined;
    if (later.has(name.trim())) return `${name} is not supported by ferry yet; use one of: ${listed}`;
    return `Must be one of: ${listed}`;
  }, `one of ${listed}`);
}

export const formatClassValidator = knownName(FORMATS);
export const partitionerClassValidator = knownName(PARTITIONERS);
export const extractorValidator = knownName(EXTRACTORS);
