/**
 * Keys of the S3 sink: Confluent's S3 sink names and defaults (see docs/s3.md), plus ferry's
 * `s3.buffer.max.bytes` (the task's memory cap) and `store.kafka.metadata` (offsets and
 * timestamps for an exact restore).
 */
import {
  boolean, choice, defineConfig, int, list, long, password, string, validators, type FieldIssue, type ParsedConfig,
} from '../../sdk/config/config-spec.js';
import {
  extractorKindOf, extractorValidator, formatClassValidator, formatKindOf, partitionerClassValidator, partitionerKindOf,
} from '../storage/class-names.js';
import { s3ConnectionFields } from '../storage/s3-connection-config.js';
import { AVRO_CODECS } from '../formats/avro-codec.js';
import { PARQUET_CODEC_NAMES } from '../formats/parquet-format.js';
import { SCHEMA_COMPATIBILITIES } from './schema-compatibility.js';
import { timeZoneProblem } from '../partitioners/time-zone.js';
import { pathFormatProblem } from '../partitioners/joda-path-format.js';

const FORMAT = 'Format';
const ROTATION = 'Rotation';
const PARTITIONER = 'Partitioner';
const S3 = 'S3';
const JSON_FORMAT = 'io.confluent.connect.s3.format.json.JsonFormat';
export const MIN_PART_SIZE = 5 * 1024 * 1024;

const s3SinkFields = {
  ...s3ConnectionFields,
  'storage.class': choice({
    doc: 'The storage implementation; S3 is the only one.',
    values: ['io.confluent.connect.s3.storage.S3Storage'], default: 'io.confluent.connect.s3.storage.S3Storage',
    importance: 'LOW', group: S3,
  }),
  'format.class': string({
    doc: 'How record values are written: JsonFormat (one JSON document per line, .json), ByteArrayFormat (the raw '
      + 'value bytes followed by format.bytearray.separator, .bin), AvroFormat (an Avro container file, .avro) or '
      + 'ParquetFormat (a Parquet file, .<codec>.parquet); the last two need records with schemas. Confluent\'s class names are accepted.',
    importance: 'HIGH', group: FORMAT, validator: formatClassValidator,
  }),
  'avro.codec': choice({
    doc: 'Compression of the blocks of AvroFormat files: null (none), deflate or snappy.',
    values: AVRO_CODECS, default: 'null', importance: 'LOW', group: FORMAT,
  }),
  'parquet.codec': choice({
    doc: 'Compression of the pages of ParquetFormat files: none, snappy, gzip or brotli; it names the extension '
      + '(.parquet, .snappy.parquet, .gz.parquet, .br.parquet).',
    values: PARQUET_CODEC_NAMES, default: 'snappy', importance: 'LOW', group: FORMAT,
  }),
  'schema.compatibility': choice({
    doc: 'What a change of the records\' value schema does to AvroFormat and ParquetFormat files, which hold one schema each: '
      + 'NONE completes the open files at every change; BACKWARD and FULL at a higher schema version, projecting records of a '
      + 'lower version onto the file\'s schema; FORWARD at a lower version, projecting higher ones. Outside NONE the schemas '
      + 'need versions.',
    values: SCHEMA_COMPATIBILITIES, caseInsensitive: true, default: 'NONE', importance: 'LOW', group: FORMAT,
  }),
  'enhanced.avro.schema.support': boolean({
    doc: 'AvroFormat and ParquetFormat: keep enum symbols and package names in the Avro schema derived from Connect '
      + '(Confluent\'s AvroData setting; on by default in the S3 sink).',
    default: true, importance: 'LOW', group: FORMAT,
  }),
  'connect.meta.data': boolean({
    doc: 'AvroFormat and ParquetFormat: keep Connect\'s metadata (connect.name, connect.version, connect.parameters) in the Avro schema.',
    default: true, importance: 'LOW', group: FORMAT,
  }),
  'schema.cache.size': int({
    doc: 'AvroFormat and ParquetFormat: how many Connect schemas keep their derived Avro schema cached.',
    default: 1000, importance: 'LOW', group: FORMAT, validator: validators.atLeast(0),
  }),
  'flush.size': int({
    doc: 'Records of one Kafka partition after which its open files are completed and uploaded.',
    importance: 'HIGH', group: ROTATION, validator: validators.atLeast(1),
  }),
  'rotate.interval.ms': long({
    doc: 'Longest span of record time (per timestamp.extractor) one file covers; checked when a record arrives. -1: off.',
    default: -1, importance: 'MEDIUM', group: ROTATION, validator: validators.atLeast(-1),
  }),
  'rotate.schedule.interval.ms': long({
    doc: 'Wall-clock rotation: open files are completed at every multiple of this interval (in timezone), also '
      + 'when no new record arrives. Object boundaries then depend on timing; see the exactly-once notes. -1: off.',
    default: -1, importance: 'MEDIUM', group: ROTATION, validator: validators.atLeast(-1),
  }),
  'rotate.file.on.partition.change': boolean({
    doc: 'With rotate.interval.ms, complete the open files when the encoded partition changes from one record to the next.',
    default: true, importance: 'LOW', group: ROTATION,
  }),
  's3.buffer.max.bytes': long({
    doc: 'ferry: the most bytes one task keeps in memory for its open files (part buffers and compression staging). '
      + 'Above it, the Kafka partition holding the most buffered bytes has its files completed early, so memory stays '
      + 'bounded however many encoded partitions are open.',
    default: 256 * 1024 * 1024, importance: 'MEDIUM', group: ROTATION, validator: validators.atLeast(1024 * 1024),
  }),
  'partitioner.class': string({
    doc: 'How records map to directories: DefaultPartitioner (partition=<kafka partition>), FieldPartitioner '
      + '(<field>=<value> of partition.field.name), TimeBasedPartitioner (path.format of the record time), '
      + 'DailyPartitioner or HourlyPartitioner. Confluent\'s class names are accepted.',
    default: 'io.confluent.connect.storage.partitioner.DefaultPartitioner', importance: 'HIGH', group: PARTITIONER,
    validator: partitionerClassValidator,
  }),
  'partition.field.name': list({
    doc: 'The value fields FieldPartitioner puts into the directory, in order; nested fields with dots.',
    default: [], importance: 'MEDIUM', group: PARTITIONER, omitEmpty: true,
  }),
  'path.format': string({
    doc: 'Joda-Time pattern of TimeBasedPartitioner directories, e.g. \'year\'=YYYY/\'month\'=MM/\'day\'=dd/\'hour\'=HH.',
    default: '', importance: 'MEDIUM', group: PARTITIONER,
  }),
  'partition.duration.ms': long({
    doc: 'Width of one TimeBasedPartitioner directory in milliseconds.',
    default: -1, importance: 'MEDIUM', group: PARTITIONER, validator: validators.atLeast(-1),
  }),
  'locale': string({
    doc: 'Locale of month and day names in path.format, e.g. en-US or en_US (time-based partitioners).',
    default: '', importance: 'LOW', group: PARTITIONER,
  }),
  'timezone': string({
    doc: 'IANA time zone of time-based directories and of rotate.schedule.interval.ms, e.g. UTC or Europe/Paris.',
    default: '', importance: 'MEDIUM', group: PARTITIONER,
  }),
  'timestamp.extractor': string({
    doc: 'Where record time comes from: Record (the Kafka timestamp), RecordField (timestamp.field of the value) or '
      + 'Wallclock (the time the task handles the record).',
    default: 'Wallclock', importance: 'MEDIUM', group: PARTITIONER, validator: extractorValidator,
  }),
  'timestamp.field': string({
    doc: 'The value field RecordField reads (nested with dots): epoch milliseconds, a Timestamp, or an ISO-8601 string.',
    default: 'timestamp', importance: 'LOW', group: PARTITIONER,
  }),
  's3.compression.type': choice({
    doc: 'Compression of value and side files: none, or gzip (adds .gz).',
    values: ['none', 'gzip'], default: 'none', importance: 'LOW', group: FORMAT,
  }),
  's3.compression.level': int({
    doc: 'gzip level, -1 (zlib\'s default) to 9.',
    default: -1, importance: 'LOW', group: FORMAT, validator: validators.between(-1, 9),
  }),
  's3.part.size': int({
    doc: 'Size of the parts of a multipart upload; an open file buffers at most one part. At least 5 MiB.',
    default: 26214400, importance: 'MEDIUM', group: S3, validator: validators.atLeast(MIN_PART_SIZE),
  }),
  'behavior.on.null.values': choice({
    doc: 'Records with a null value: fail (a data error, which error tolerance and the dead-letter topic handle), '
      + 'ignore (skipped), or write (a null line in JSON files, an empty value in ByteArray files).',
    values: ['fail', 'ignore', 'write'], caseInsensitive: true, default: 'fail', importance: 'LOW', group: FORMAT,
  }),
  'store.kafka.keys': boolean({
    doc: 'Also write each record\'s key to a <name>.keys.<ext> file next to the value file, line for line.',
    default: false, importance: 'MEDIUM', group: FORMAT,
  }),
  'keys.format.class': string({
    doc: 'Format of key files (JsonFormat, ByteArrayFormat, AvroFormat or ParquetFormat). Confluent defaults to AvroFormat; ferry to JsonFormat.',
    default: JSON_FORMAT, importance: 'LOW', group: FORMAT, validator: formatClassValidator,
  }),
  'store.kafka.headers': boolean({
    doc: 'Also write each record\'s headers to a <name>.headers.json file: one JSON array of {"key","value"} per record.',
    default: false, importance: 'MEDIUM', group: FORMAT,
  }),
  'headers.format.class': string({
    doc: 'Format of header files; JsonFormat only.',
    default: JSON_FORMAT, importance: 'LOW', group: FORMAT,
    validator: validators.validator((name: string) => (formatKindOfOrNull(name) === 'json' ? undefined : 'Must be JsonFormat'), 'JsonFormat'),
  }),
  'store.kafka.metadata': boolean({
    doc: 'ferry: also write a <name>.metadata.json file with each record\'s Kafka offset and timestamp, which the S3 '
      + 'source uses to restore timestamps and the order of records across encoded partitions.',
    default: false, importance: 'MEDIUM', group: FORMAT,
  }),
  's3.object.tagging': boolean({
    doc: 'Tag each completed object with startOffset, endOffset and recordCount.',
    default: false, importance: 'LOW', group: S3,
  }),
  's3.object.tagging.key.value.pairs': list({
    doc: 'Extra tags as key:value pairs, added when s3.object.tagging is on.',
    default: [], importance: 'LOW', group: S3, omitEmpty: true,
    validator: validators.eachItem(validators.matches(/[^:]+:.*/, 'key:value')),
  }),
  's3.object.behavior.on.tagging.error': choice({
    doc: 'When tagging fails: ignore (log it) or fail the task.',
    values: ['ignore', 'fail'], caseInsensitive: true, default: 'ignore', importance: 'LOW', group: S3,
  }),
  's3.ssea.name': choice({
    doc: 'Server-side encryption: empty (the bucket\'s default), AES256 or aws:kms.',
    values: ['', 'AES256', 'aws:kms'], default: '', importance: 'LOW', group: S3,
  }),
  's3.sse.kms.key.id': string({
    doc: 'The KMS key of aws:kms encryption; empty uses the AWS managed key.',
    default: '', importance: 'LOW', group: S3,
  }),
  's3.sse.customer.key': password({
    doc: 'A base64 AES-256 key for server-side encryption with a customer key (SSE-C).',
    default: null, importance: 'LOW', group: S3,
  }),
  's3.acl.canned': choice({
    doc: 'A canned ACL set on every object, e.g. bucket-owner-full-control.',
    values: ['private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read',
      'bucket-owner-full-control'],
    default: null, importance: 'LOW', group: S3,
  }),
};

export type S3SinkConfig = ParsedConfig<typeof s3SinkFields>;

export const s3SinkSpec = defineConfig(s3SinkFields, { validateCrossField: crossFieldIssues });

function resolvedOrNull<T>(resolve: (name: string) => T, name: string | undefined): T | null {
  if (name === undefined) return null;
  try {
    return resolve(name);
  } catch {
    return null;
  }
}

function formatKindOfOrNull(name: string): string | null {
  return resolvedOrNull(formatKindOf, name);
}

function crossFieldIssues(values: Partial<S3SinkConfig>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const partitioner = resolvedOrNull(partitionerKindOf, values.partitionerClass);
  const timeBased = partitioner === 'time' || partitioner === 'daily' || partitioner === 'hourly';
  if (partitioner === 'field' && values.partitionFieldName !== undefined && values.partitionFieldName.length === 0) {
    issues.push({ name: 'partition.field.name', message: 'FieldPartitioner needs at least one field name' });
  }
  if (partitioner === 'time') {
    if (values.pathFormat !== undefined) {
      const problem = values.pathFormat.trim() === '' ? 'TimeBasedPartitioner needs a path.format' : pathFormatProblem(values.pathFormat);
      if (problem !== undefined) issues.push({ name: 'path.format', message: problem });
    }
    if (values.partitionDurationMs !== undefined && values.partitionDurationMs <= 0) {
      issues.push({ name: 'partition.duration.ms', message: 'TimeBasedPartitioner needs a partition.duration.ms above 0' });
    }
  }
  const needsZone = timeBased || (values.rotateScheduleIntervalMs ?? -1) > 0;
  if (values.timezone !== undefined) {
    const problem = values.timezone === '' ? (needsZone ? 'Time-based partitioners and rotate.schedule.interval.ms need a timezone' : undefined)
      : timeZoneProblem(values.timezone);
    if (problem !== undefined) issues.push({ name: 'timezone', message: problem });
  }
  if (timeBased && values.locale === '') issues.push({ name: 'locale', message: 'Time-based partitioners need a locale, e.g. en-US' });
  if (values.timestampExtractor !== undefined && resolvedOrNull(extractorKindOf, values.timestampExtractor) === 'recordfield'
    && values.timestampField === '') {
    issues.push({ name: 'timestamp.field', message: 'The RecordField extractor needs a timestamp.field' });
  }
  if (values.s3SseaName === 'aws:kms' && values.s3SseCustomerKey != null) {
    issues.push({ name: 's3.sse.customer.key', message: 'A customer key (SSE-C) cannot be combined with aws:kms encryption' });
  }
  return issues;
}
