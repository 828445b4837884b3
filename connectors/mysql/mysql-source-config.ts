/**
 * Keys of the MySQL/MariaDB CDC source: Debezium's property names and defaults (3.x), so an
 * existing Debezium connector JSON loads unchanged. Keys Debezium has and ferry does not act on
 * are not declared: the connector logs them once at start ("ignored") instead of failing.
 *
 * Groups follow Debezium's documentation: connection, filters, snapshot, events, history,
 * signals, performance.
 */
import { parseRegexList } from './schema/table-filter.js';
import {
  boolean, choice, defineConfig, int, list, long, password, string, validators, type FieldIssue, type ParsedConfig,
} from '../sdk/config/config-spec.js';

/** Debezium's regex lists: comma-separated, `\\,` escapes a comma inside an expression. */
function regexList(name: string) {
  return validators.validator<string | null>((value) => {
    if (value === null) return undefined;
    try {
      parseRegexList(value, name);
      return undefined;
    } catch (error) {
      return (error as Error).message.replace(`${name}: `, '');
    }
  }, 'comma-separated regular expressions');
}

const CONNECTION = 'Connection';
const FILTERS = 'Filters';
const SNAPSHOT = 'Snapshot';
const EVENTS = 'Events';
const HISTORY = 'Schema history';
const SIGNALS = 'Signals';
const PERFORMANCE = 'Performance';

export const SNAPSHOT_MODES = [
  'initial', 'initial_only', 'when_needed', 'no_data', 'schema_only', 'never', 'recovery', 'schema_only_recovery', 'always',
] as const;
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number];

export const mysqlSourceSpec = defineConfig({
  'database.hostname': string({
    doc: 'Host name or IP address of the MySQL or MariaDB server.', importance: 'HIGH', group: CONNECTION,
    validator: validators.nonEmptyString(),
  }),
  'database.port': int({
    doc: 'Port of the database server.', default: 3306, importance: 'HIGH', group: CONNECTION,
    validator: validators.between(1, 65535),
  }),
  'database.user': string({
    doc: 'User the connector logs in as. It needs SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE and REPLICATION CLIENT.',
    importance: 'HIGH', group: CONNECTION, validator: validators.nonEmptyString(),
  }),
  'database.password': password({
    doc: 'Password of database.user. Never logged, never shown in status traces or GET responses once resolved.',
    default: null, importance: 'HIGH', group: CONNECTION,
  }),
  'database.server.id': long({
    doc: 'Numeric id the connector uses as a replica; it must differ from every server id and every other replica of the source.',
    importance: 'HIGH', group: CONNECTION, validator: validators.between(1, 4294967295),
  }),
  'topic.prefix': string({
    doc: 'Logical name of the source server: the prefix of every topic the connector writes and the value of its source partition.',
    importance: 'HIGH', group: CONNECTION,
    validator: validators.matches(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"'),
  }),
  'database.ssl.mode': choice({
    doc: 'TLS to the server: disabled, preferred (TLS when the server offers it), required, verify_ca, verify_identity.',
    values: ['disabled', 'preferred', 'required', 'verify_ca', 'verify_identity'], caseInsensitive: true,
    default: 'preferred', importance: 'MEDIUM', group: CONNECTION,
  }),
  'database.ssl.truststore': string({
    doc: 'PEM file of the certificate authorities that verify the server (verify_ca and verify_identity).',
    default: null, importance: 'LOW', group: CONNECTION,
  }),
  'connect.timeout.ms': long({
    doc: 'How long connecting to the server may take before the attempt fails.',
    default: 30000, importance: 'MEDIUM', group: CONNECTION, validator: validators.atLeast(1),
  }),
  'connect.keep.alive.interval.ms': long({
    doc: 'After the binlog connection drops, the longest wait between reconnection attempts (the back-off starts at 1 s and doubles).',
    default: 60000, importance: 'LOW', group: CONNECTION, validator: validators.atLeast(100),
  }),
  'errors.max.retries': int({
    doc: 'How many times a dropped binlog connection is re-established in a row before the task fails; -1 retries without limit.',
    default: -1, importance: 'LOW', group: CONNECTION, validator: validators.atLeast(-1),
  }),
  'database.include.list': string({
    doc: 'Regular expressions (anchored, case-insensitive) of the databases to capture; all when empty.',
    default: null, importance: 'HIGH', group: FILTERS, validator: regexList('database.include.list'),
  }),
  'database.exclude.list': string({
    doc: 'Regular expressions of databases not to capture. Use either the include or the exclude list.',
    default: null, importance: 'MEDIUM', group: FILTERS, validator: regexList('database.exclude.list'),
  }),
  'table.include.list': string({
    doc: 'Regular expressions (anchored, case-insensitive) of `db.table` names to capture; all when empty.',
    default: null, importance: 'HIGH', group: FILTERS, validator: regexList('table.include.list'),
  }),
  'table.exclude.list': string({
    doc: 'Regular expressions of `db.table` names not to capture. Use either the include or the exclude list.',
    default: null, importance: 'MEDIUM', group: FILTERS, validator: regexList('table.exclude.list'),
  }),
  'column.include.list': string({
    doc: 'Regular expressions of `db.table.column` names to keep in change event values; all when empty. Key columns are always kept in keys.',
    default: null, importance: 'MEDIUM', group: FILTERS, validator: regexList('column.include.list'),
  }),
  'column.exclude.list': string({
    doc: 'Regular expressions of `db.table.column` names to leave out of change event values.',
    default: null, importance: 'MEDIUM', group: FILTERS, validator: regexList('column.exclude.list'),
  }),
  'table.ignore.builtin': boolean({
    doc: 'Ignore the system databases mysql, sys, performance_schema and information_schema.',
    default: true, importance: 'LOW', group: FILTERS,
  }),
  'snapshot.mode': choice({
    doc: 'When to read the tables\' current rows: initial (once, then stream), initial_only (once, no streaming), '
      + 'when_needed (also when the stored position is no longer on the server), no_data/schema_only (schema only, then stream), '
      + 'never (stream from the oldest binlog), recovery/schema_only_recovery (rebuild a lost schema history, then stream), always (at every start).',
    values: SNAPSHOT_MODES, caseInsensitive: true, default: 'initial', importance: 'HIGH', group: SNAPSHOT,
  }),
  'snapshot.locking.mode': choice({
    doc: 'Locks taken while the snapshot reads the schema. On MariaDB ferry needs no global read lock in any mode: the snapshot '
      + 'transaction\'s binlog position comes from binlog_snapshot_file/position. On MySQL, minimal holds FLUSH TABLES WITH READ LOCK '
      + 'only while it reads the position and the schema; extended until the rows are read; none takes no lock.',
    values: ['minimal', 'minimal_percona', 'minimal_percona_no_table_locks', 'extended', 'none', 'custom'], caseInsensitive: true,
    default: 'minimal', importance: 'MEDIUM', group: SNAPSHOT,
  }),
  'snapshot.fetch.size': int({
    doc: 'Rows read from the server per round trip while a table is snapshotted; the rows stream, so memory stays flat for any table size.',
    default: null, importance: 'MEDIUM', group: SNAPSHOT, validator: validators.atLeast(1),
  }),
  'snapshot.include.collection.list': string({
    doc: 'The captured tables (`db.table` regular expressions) whose rows the snapshot reads; all captured tables when empty.',
    default: null, importance: 'LOW', group: SNAPSHOT, validator: regexList('snapshot.include.collection.list'),
  }),
  'include.schema.changes': boolean({
    doc: 'Publish schema changes (DDL) to the topic named topic.prefix.',
    default: true, importance: 'MEDIUM', group: EVENTS,
  }),
  'include.query': boolean({
    doc: 'Fill source.query with the SQL statement (needs binlog_annotate_row_events on MariaDB, binlog_rows_query_log_events on MySQL).',
    default: false, importance: 'LOW', group: EVENTS,
  }),
  'tombstones.on.delete': boolean({
    doc: 'Follow every delete event with a tombstone (null value) for the same key, so compaction can remove the row.',
    default: true, importance: 'MEDIUM', group: EVENTS,
  }),
  'skipped.operations': list({
    doc: 'Operations not published: c (create), u (update), d (delete), t (truncate), or none.',
    default: ['t'], omitEmpty: true, importance: 'LOW', group: EVENTS,
    validator: validators.eachItem(validators.matches(/^(c|u|d|t|none)$/, 'c, u, d, t or none')),
  }),
  'decimal.handling.mode': choice({
    doc: 'DECIMAL and NUMERIC columns as precise (Connect Decimal), double or string.',
    values: ['precise', 'double', 'string'], caseInsensitive: true, default: 'precise', importance: 'MEDIUM', group: EVENTS,
  }),
  'time.precision.mode': choice({
    doc: 'How temporal columns are represented: adaptive_time_microseconds (default), connect (Kafka Connect\'s logical types, ms), isostring, microseconds, nanoseconds.',
    values: ['adaptive_time_microseconds', 'connect', 'isostring', 'microseconds', 'nanoseconds'], caseInsensitive: true,
    default: 'adaptive_time_microseconds', importance: 'MEDIUM', group: EVENTS,
  }),
  'bigint.unsigned.handling.mode': choice({
    doc: 'BIGINT UNSIGNED columns as long (int64; values above 2^63-1 wrap) or precise (Decimal with scale 0).',
    values: ['long', 'precise'], caseInsensitive: true, default: 'long', importance: 'MEDIUM', group: EVENTS,
  }),
  'binary.handling.mode': choice({
    doc: 'BINARY, VARBINARY and BLOB columns as bytes, base64, base64-url-safe or hex strings.',
    values: ['bytes', 'base64', 'base64-url-safe', 'hex'], caseInsensitive: true, default: 'bytes', importance: 'MEDIUM', group: EVENTS,
  }),
  'skip.messages.without.change': boolean({
    doc: 'Leave out update events whose captured columns did not change (e.g. only an excluded column changed).',
    default: false, importance: 'LOW', group: EVENTS,
  }),
  'extended.headers.enabled': boolean({
    doc: 'Add the __debezium.context.* headers (connector name, task id, run id) to every record, as Debezium 3 does.',
    default: true, importance: 'LOW', group: EVENTS,
  }),
  'enable.time.adjuster': boolean({
    doc: 'Read two-digit YEAR values as 2000-2069 (00-69) and 1970-1999 (70-99).', default: true, importance: 'LOW', group: EVENTS,
  }),
  'include.schema.comments': boolean({
    doc: 'Carry column comments into the field docs of event schemas.', default: false, importance: 'LOW', group: EVENTS,
  }),
  'schema.name.adjustment.mode': choice({
    doc: 'Make schema names valid for Avro (avro, avro_unicode) or keep them (none).',
    values: ['none', 'avro', 'avro_unicode'], caseInsensitive: true, default: 'none', importance: 'LOW', group: EVENTS,
  }),
  'field.name.adjustment.mode': choice({
    doc: 'Make field names valid for Avro (avro, avro_unicode) or keep them (none).',
    values: ['none', 'avro', 'avro_unicode'], caseInsensitive: true, default: 'none', importance: 'LOW', group: EVENTS,
  }),
  'topic.transaction': string({
    doc: 'Suffix of the transaction metadata topic <topic.prefix>.<topic.transaction>.', default: 'transaction', importance: 'LOW', group: EVENTS,
  }),
  'topic.heartbeat.name': string({
    doc: 'The whole name of the heartbeat topic, instead of <topic.heartbeat.prefix>.<topic.prefix>.', default: null, importance: 'LOW', group: EVENTS,
  }),
  'topic.delimiter': string({
    doc: 'Separator between the prefix, database and table in topic names.', default: '.', importance: 'LOW', group: EVENTS,
  }),
  'topic.heartbeat.prefix': string({
    doc: 'Prefix of the heartbeat topic; heartbeats go to <prefix>.<topic.prefix>.',
    default: '__debezium-heartbeat', importance: 'LOW', group: EVENTS,
  }),
  'heartbeat.interval.ms': int({
    doc: 'How often a heartbeat record is sent, carrying the current binlog position, so the stored offset advances even when '
      + 'captured tables are quiet; 0 disables heartbeats.',
    default: 0, importance: 'MEDIUM', group: EVENTS, validator: validators.atLeast(0),
  }),
  'provide.transaction.metadata': boolean({
    doc: 'Publish BEGIN/END transaction records to <topic.prefix>.transaction and fill the envelope\'s transaction block.',
    default: false, importance: 'LOW', group: EVENTS,
  }),
  'schema.history.internal.kafka.topic': string({
    doc: 'The topic holding the DDL history that decodes rows after a restart. One partition, never deleted; created if missing.',
    importance: 'HIGH', group: HISTORY, validator: validators.nonEmptyString(),
  }),
  'schema.history.internal.kafka.bootstrap.servers': string({
    doc: 'Kafka brokers of the schema history topic (host:port, comma-separated).',
    importance: 'HIGH', group: HISTORY, validator: validators.nonEmptyString(),
  }),
  'schema.history.internal.skip.unparseable.ddl': boolean({
    doc: 'Log and skip DDL statements that cannot be parsed instead of failing. A skipped statement that changed a captured table leaves its rows decoded with the old schema.',
    default: false, importance: 'LOW', group: HISTORY,
  }),
  'schema.history.internal.store.only.captured.tables.ddl': boolean({
    doc: 'Store only the DDL of captured tables in the history topic.', default: false, importance: 'LOW', group: HISTORY,
  }),
  'schema.history.internal.store.only.captured.databases.ddl': boolean({
    doc: 'Store only the DDL of captured databases in the history topic.', default: false, importance: 'LOW', group: HISTORY,
  }),
  'signal.data.collection': string({
    doc: 'The signal table (`db.table`, columns id VARCHAR(42) PRIMARY KEY, type VARCHAR(32), data VARCHAR(2048)); rows inserted into it '
      + 'start incremental snapshots (`execute-snapshot`).',
    default: null, importance: 'MEDIUM', group: SIGNALS,
  }),
  'incremental.snapshot.chunk.size': int({
    doc: 'Rows per chunk of an incremental snapshot.', default: 1024, importance: 'LOW', group: SIGNALS, validator: validators.atLeast(1),
  }),
  'incremental.snapshot.watermarking.strategy': choice({
    doc: 'How a chunk\'s window is bracketed in the signal table: insert_insert (an open and a close row are inserted; needs INSERT) '
      + 'or insert_delete (the open row is inserted, then deleted to close; needs INSERT and DELETE, and the table does not grow).',
    values: ['insert_insert', 'insert_delete'], caseInsensitive: true, default: 'insert_insert', importance: 'LOW', group: SIGNALS,
  }),
  'signal.enabled.channels': list({
    doc: 'Where signals are read from. ferry reads the source channel (the signal table); other channels (kafka, jmx, file) are warned about and not read.',
    default: ['source'], importance: 'LOW', group: SIGNALS,
  }),
  'max.batch.size': int({
    doc: 'The most records one poll returns.', default: 2048, importance: 'MEDIUM', group: PERFORMANCE, validator: validators.atLeast(1),
  }),
  'max.queue.size': int({
    doc: 'The most records read from the database and not yet handed to Kafka; reading pauses when it is full. Must be larger than max.batch.size.',
    default: 8192, importance: 'MEDIUM', group: PERFORMANCE, validator: validators.atLeast(1),
  }),
  'poll.interval.ms': long({
    doc: 'How long a poll waits for new records before returning none.',
    default: 500, importance: 'LOW', group: PERFORMANCE, validator: validators.atLeast(1),
  }),
}, {
  validateCrossField(values) {
    const issues: FieldIssue[] = [];
    if (values.maxQueueSize !== undefined && values.maxBatchSize !== undefined && values.maxQueueSize <= values.maxBatchSize) {
      issues.push({ name: 'max.queue.size', message: `Must be larger than max.batch.size (${values.maxBatchSize})` });
    }
    const exclusive: Array<[keyof typeof values, keyof typeof values, string, string]> = [
      ['databaseIncludeList', 'databaseExcludeList', 'database.include.list', 'database.exclude.list'],
      ['tableIncludeList', 'tableExcludeList', 'table.include.list', 'table.exclude.list'],
      ['columnIncludeList', 'columnExcludeList', 'column.include.list', 'column.exclude.list'],
    ];
    for (const [a, b, nameA, nameB] of exclusive) {
      const left = values[a] as string | null | undefined;
      const right = values[b] as string | null | undefined;
      if (left && right && left.trim() !== '' && right.trim() !== '') {
        issues.push({ name: nameB, message: `"${nameA}" is already specified; use only one of ${nameA} and ${nameB}` });
      }
    }
    return issues;
  },
});

export type MySqlSourceConfig = ParsedConfig<typeof mysqlSourceSpec>;

/** Debezium's older names of snapshot modes, mapped to the behaviour they share. */
export function effectiveSnapshotMode(mode: SnapshotMode): 'initial' | 'initial_only' | 'when_needed' | 'no_data' | 'never' | 'recovery' | 'always' {
  if (mode === 'schema_only') return 'no_data';
  if (mode === 'schema_only_recovery') return 'recovery';
  return mode;
}
