/**
 * The CDC task: decides from the stored offset, the snapshot mode and the server what to do
 * (snapshot, schema-only snapshot, recovery, streaming), then runs it in the background while
 * `poll` hands the queued records to the runtime.
 *
 * Life cycle: `start` checks everything it can before returning — connection, credentials,
 * binlog settings, grants, offsets, schema history, binlog availability — so a misconfiguration
 * fails the task at once with a message that says what to change. The background run ends only
 * when the task stops; its failures reach the runtime through the next `poll`, after every record
 * queued before them.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { SourcePartition, SourceRecord } from '../sdk/connect-record.js';
import type { RawConfig } from '../sdk/connector.js';
import { ConnectError } from '../sdk/errors.js';
import type { SourceTask, SourceTaskContext } from '../sdk/source-task.js';
import type { TaskLogger } from '../sdk/task-logger.js';
import { connectionOptions, describeConnectionFailure, endpointOf } from './connection/connection-options.js';
import { loadMysqlModule } from './connection/mysql-module.js';
import { checkGrants, inspectServer, type ServerFacts } from './connection/server-checks.js';
import { ChangeEventBuilder } from './events/change-event-builder.js';
import { resolveEventSettings, type Flavor } from './events/event-settings.js';
import { snapshotTypeCast } from './events/snapshot-values.js';
import { effectiveSnapshotMode, mysqlSourceSpec, type MySqlSourceConfig } from './mysql-source-config.js';
import { binlogFileIndex, parseBinlogOffset, SOURCE_PARTITION_KEY, type BinlogOffset } from './offsets/binlog-offset.js';
import { gtidsStillAvailable } from './offsets/gtid-availability.js';
import { historyRecordApplies } from './offsets/history-position.js';
import { KafkaSchemaHistory, schemaHistoryOptionsFrom } from './schema/schema-history.js';
import { SchemaModel } from './schema/schema-model.js';
import { listDatabases, listTables, readServerCharset, readTableDefinitions } from './schema/server-schema-reader.js';
import { TableFilter } from './schema/table-filter.js';
import type { TableDefinition, TableId } from './schema/table-definition.js';
import { runSnapshot, type SnapshotSchemaHandler } from './snapshot/snapshot-runner.js';
import { BinlogStreamer } from './streaming/binlog-streamer.js';
import { incrementalSnapshotterFor } from './incremental/incremental-wiring.js';
import { ProgressStampingQueue } from './incremental/progress-stamping-queue.js';
import { DebeziumRecordSink } from './task/debezium-record-sink.js';
import { SchemaChangeApplier } from './task/schema-change-applier.js';
import type { TypeCast } from 'mysql2';
import { randomUUID } from 'node:crypto';

type Plan =
  | { kind: 'snapshot'; withData: boolean; thenStream: boolean; reason: string }
  | { kind: 'stream'; from: BinlogOffset; model: SchemaModel; byGtid?: boolean }
  | { kind: 'idle'; reason: string };

export class MySqlSourceTask implements SourceTask {
  readonly #flavor: Flavor;
  #config!: MySqlSourceConfig;
  #raw!: RawConfig;
  #logger!: TaskLogger;
  #queue!: ProgressStampingQueue;
  #history: KafkaSchemaHistory | null = null;
  #streamer: BinlogStreamer | null = null;
  #runner: Promise<void> | null = null;
  readonly #abort = new AbortController();
  #partition!: SourcePartition;

  /** `flavor` decides how events are named (`source.connector`, schema names): the connector class's. */
  constructor(flavor: Flavor) {
    this.#flavor = flavor;
  }

  async start(raw: RawConfig, context: SourceTaskContext): Promise<void> {
    const config = mysqlSourceSpec.parse(raw);
    this.#config = config;
    this.#raw = raw;
    this.#logger = context.logger;
    this.#partition = { [SOURCE_PARTITION_KEY]: config.topicPrefix };
    this.#queue = new ProgressStampingQueue(config.maxQueueSize);

    const stored = (await context.offsets.offsets([this.#partition])).get(this.#partition);
    const offset = stored === undefined ? null : parseBinlogOffset(stored);

    const control = await this.#connect();
    try {
      const facts = await inspectServer(control);
      await checkGrants(control, config.databaseUser);
      const filter = this.#filter();
      const history = new KafkaSchemaHistory({
        ...schemaHistoryOptionsFrom(raw as Record<string, unknown>, raw.name ?? config.topicPrefix, config.topicPrefix),
        clusters: context.kafka,
        flavor: facts.flavor,
        filter,
        logger: { warn: (m) => this.#logger.warn(m), info: (m) => this.#logger.info(m) },
      });
      this.#history = history;
      await history.open();
      const plan = await this.#plan(control, facts, offset, history);
      const builder = new ChangeEventBuilder(this.#eventSettings(filter));
      const sink = new DebeziumRecordSink(builder, this.#queue, this.#logger);
      this.#logger.info({ plan: plan.kind, ...(plan.kind === 'stream' ? { file: plan.from.file, pos: plan.from.pos } : { reason: plan.reason }) },
        plan.kind === 'stream' ? `Resuming the binlog at ${plan.from.file}:${plan.from.pos}` : `Starting: ${plan.reason}`);
      this.#runner = this.#run(plan, facts, filter, history, builder, sink).catch((error: unknown) => {
        if (this.#abort.signal.aborted) return;
        this.#queue.fail(error instanceof ConnectError ? error : new ConnectError(String((error as Error)?.message ?? error), { cause: error }));
      });
    } catch (error) {
      await this.#history?.close().catch(() => undefined);
      this.#history = null;
      throw error;
    } finally {
      await control.end().catch(() => control.destroy());
    }
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    return this.#queue.take(this.#config.maxBatchSize, this.#config.pollIntervalMs, signal);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#streamer?.close();
    await this.#runner;
    this.#runner = null;
    await this.#history?.close().catch(() => undefined);
    this.#history = null;
  }

  async #connect(): Promise<Connection> {
    try {
      const mysql = await loadMysqlModule();
      return await mysql.createConnection(connectionOptions(this.#config));
    } catch (error) {
      throw new ConnectError(describeConnectionFailure(endpointOf(this.#config), error), { cause: error });
    }
  }

  #filter(): TableFilter {
    const raw = this.#raw;
    try {
      return new TableFilter({
        'database.include.list': raw['database.include.list'],
        'database.exclude.list': raw['database.exclude.list'],
        'table.include.list': raw['table.include.list'],
        'table.exclude.list': raw['table.exclude.list'],
        'column.include.list': raw['column.include.list'],
        'column.exclude.list': raw['column.exclude.list'],
        'table.ignore.builtin': this.#config.tableIgnoreBuiltin,
      });
    } catch (error) {
      throw new ConnectError((error as Error).message, { cause: error });
    }
  }

  #eventSettings(filter: TableFilter) {
    const c = this.#config;
    return resolveEventSettings({
      flavor: this.#flavor,
      topicPrefix: c.topicPrefix,
      topicDelimiter: c.topicDelimiter,
      heartbeatTopicPrefix: c.topicHeartbeatPrefix,
      decimalHandlingMode: c.decimalHandlingMode,
      timePrecisionMode: c.timePrecisionMode as 'adaptive_time_microseconds',
      bigintUnsignedHandlingMode: c.bigintUnsignedHandlingMode,
      binaryHandlingMode: c.binaryHandlingMode,
      tombstonesOnDelete: c.tombstonesOnDelete,
      skippedOperations: new Set(c.skippedOperations.filter((op): op is 'c' | 'u' | 'd' | 't' => op !== 'none')),
      provideTransactionMetadata: c.provideTransactionMetadata,
      columnFilter: (database, table, column) => filter.isColumnIncluded({ database, table }, column),
      extendedHeadersEnabled: c.extendedHeadersEnabled,
      skipMessagesWithoutChange: c.skipMessagesWithoutChange,
      enableTimeAdjuster: c.enableTimeAdjuster,
      includeSchemaComments: c.includeSchemaComments,
      schemaNameAdjustmentMode: c.schemaNameAdjustmentMode,
      fieldNameAdjustmentMode: c.fieldNameAdjustmentMode,
      transactionTopic: c.topicTransaction,
      heartbeatTopicName: c.topicHeartbeatName,
      taskId: '0',
      runId: randomUUID(),
    });
  }

  async #plan(control: Connection, facts: ServerFacts, offset: BinlogOffset | null, history: KafkaSchemaHistory): Promise<Plan> {
    const mode = effectiveSnapshotMode(this.#config.snapshotMode);
    if (offset === null) {
      if (mode === 'never') {
        const [first] = await binaryLogs(control);
        if (first === undefined) throw new ConnectError('The server lists no binary logs (SHOW BINARY LOGS is empty)');
        return { kind: 'stream', from: emptyOffset(first.name), model: new SchemaModel({ flavor: facts.flavor }) };
      }
      if (mode === 'no_data' || mode === 'recovery') return { kind: 'snapshot', withData: false, thenStream: true, reason: 'no stored offset; capturing the schema only' };
      return { kind: 'snapshot', withData: true, thenStream: mode !== 'initial_only', reason: 'no stored offset; taking the initial snapshot' };
    }
    if (offset.snapshot !== null) {
      return { kind: 'snapshot', withData: mode !== 'no_data', thenStream: mode !== 'initial_only', reason: 'the previous snapshot did not complete; taking it again from the beginning' };
    }
    if (mode === 'always') return { kind: 'snapshot', withData: true, thenStream: true, reason: 'snapshot.mode=always' };
    if (mode === 'initial_only') return { kind: 'idle', reason: 'snapshot.mode=initial_only and the snapshot is complete: nothing more to read' };
    const logs = await binaryLogs(control);
    let byGtid = false;
    if (!logs.some((l) => l.name === offset.file) && offset.gtids !== null
      && await gtidsStillAvailable(control, facts.flavor, offset.gtids, logs[0]?.name)) {
      // The file is not on this server (a failover, renamed files) but every transaction after the
      // stored GTIDs is: resume by GTIDs, as Debezium does.
      this.#logger.warn({ file: offset.file, gtids: offset.gtids },
        `The stored binlog file ${offset.file} is not on this server; resuming after GTIDs ${offset.gtids}`);
      byGtid = true;
    }
    if (!byGtid && !logs.some((l) => l.name === offset.file)) {
      if (mode === 'when_needed') {
        this.#logger.warn({ file: offset.file, pos: offset.pos }, `The stored binlog position ${offset.file}:${offset.pos} is no longer on the server; snapshot.mode=when_needed takes a new snapshot`);
        return { kind: 'snapshot', withData: true, thenStream: true, reason: 'the stored binlog position was purged; taking a new snapshot (when_needed)' };
      }
      throw new ConnectError(this.#purgedMessage(offset, `the oldest binlog on the server is ${logs[0]?.name ?? 'none'}`));
    }
    if (mode === 'recovery') {
      const model = await this.#recoverHistoryFromServer(control, facts, offset, history);
      return { kind: 'stream', from: offset, model, byGtid };
    }
    await history.checkRecoverable();
    const model = await history.recover((position) => historyRecordApplies(position, offset, facts.flavor),
      new SchemaModel({ flavor: facts.flavor, serverCharset: await readServerCharset(control) }));
    return { kind: 'stream', from: offset, model, byGtid };
  }

  /** snapshot.mode=recovery: the history is rebuilt from the tables as they are now, at the stored offset. */
  async #recoverHistoryFromServer(control: Connection, facts: ServerFacts, offset: BinlogOffset, history: KafkaSchemaHistory): Promise<SchemaModel> {
    const filter = this.#filter();
    const schema = await readTableDefinitions(control, filter, { flavor: facts.flavor });
    const position = { ...offset, snapshot: null, event: 0, row: 0 };
    for (const table of schema.tables) {
      await history.record(positionMap(position), table.id.database, table.ddl, [{ type: 'CREATE', id: table.id, table: table.definition }]);
    }
    this.#logger.warn({ tables: schema.tables.length },
      `snapshot.mode=recovery: the schema history was rebuilt from the ${schema.tables.length} table(s) as they are now; `
      + 'rows are decoded with these definitions, which is right only if no schema changed since the stored offset');
    return schema.model;
  }

  #purgedMessage(offset: BinlogOffset, detail: string): string {
    const name = this.#raw.name ?? '<connector>';
    return `The connector is trying to read binlog starting at ${offset.file}:${offset.pos}${offset.gtids ? ` (GTIDs ${offset.gtids})` : ''}, `
      + `but this is no longer available on the server (${detail}). Reconfigure the connector with snapshot.mode=when_needed to take a new `
      + `snapshot automatically, or stop it and delete its offsets (DELETE /connectors/${name}/offsets) to start from a new snapshot; `
      + 'keep binlogs longer (binlog_expire_logs_seconds) so a stopped connector can resume.';
  }

  async #run(plan: Plan, facts: ServerFacts, filter: TableFilter, history: KafkaSchemaHistory, builder: ChangeEventBuilder, sink: DebeziumRecordSink): Promise<void> {
    const signal = this.#abort.signal;
    if (plan.kind === 'idle') {
      this.#logger.info(plan.reason);
      return;
    }
    let start: BinlogOffset;
    let model: SchemaModel;
    const startByGtid = plan.kind === 'stream' && plan.byGtid === true;
    if (plan.kind === 'snapshot') {
      model = new SchemaModel({ flavor: facts.flavor });
      const outcome = await runSnapshot({
        openConnection: () => this.#connect(),
        flavor: facts.flavor,
        lockingMode: this.#config.snapshotLockingMode,
        withData: plan.withData,
        includeData: this.#snapshotDataFilter(),
        fetchSize: this.#config.snapshotFetchSize,
        typeCastFor: (table) => snapshotTypeCast(table) as unknown as TypeCast,
        schema: this.#snapshotSchema(model, filter, history, builder, sink, !plan.withData),
        sink,
        serverId: facts.serverId,
        logger: this.#logger,
      }, signal);
      if (signal.aborted) return;
      start = outcome.start;
      // Record that the snapshot is complete, so that a restart streams from here instead of
      // snapshotting again at a later position (and missing what changed in between).
      if (!outcome.completionRecorded && !(await sink.heartbeat(start, signal))) return;
      if (!plan.thenStream) {
        this.#logger.info('snapshot.mode=initial_only: the snapshot is complete; the task does not stream');
        return;
      }
    } else {
      start = plan.from;
      model = plan.model;
    }
    const applier = new SchemaChangeApplier({
      model, history, filter, builder, sink,
      includeSchemaChanges: this.#config.includeSchemaChanges,
      skipUnparseable: this.#config.schemaHistoryInternalSkipUnparseableDdl,
      skipTruncate: builder.settings.skippedOperations.has('t'),
      openConnection: () => this.#connect(),
      logger: this.#logger,
    });
    const incremental = await incrementalSnapshotterFor({
      config: this.#config, start, sink, model, filter, openConnection: () => this.#connect(), logger: this.#logger,
    });
    if (incremental !== null) this.#queue.stampWith(() => incremental.offsetKeys());
    const options = connectionOptions(this.#config);
    const streamer = new BinlogStreamer({
      stream: {
        connection: {
          host: this.#config.databaseHostname,
          port: this.#config.databasePort,
          user: this.#config.databaseUser,
          password: String(options.password ?? ''),
          ssl: options.ssl as never,
          connectTimeoutMs: this.#config.connectTimeoutMs,
        },
        serverId: this.#config.databaseServerId,
        heartbeatIntervalMs: this.#config.heartbeatIntervalMs > 0 ? this.#config.heartbeatIntervalMs : undefined,
        annotateRows: this.#config.includeQuery,
      },
      flavor: facts.flavor,
      start,
      startByGtid,
      sink: incremental?.wrap(sink) ?? sink,
      ddl: applier,
      tableFor: (database, table) => model.tableFor({ database, table }) ?? incremental?.signalTableDefinition(database, table),
      isCaptured: (database, table) => filter.isTableIncluded({ database, table }) || (incremental?.isSignalTable(database, table) ?? false),
      logger: this.#logger,
      maxRetries: this.#config.errorsMaxRetries,
      maxBackoffMs: this.#config.connectKeepAliveIntervalMs,
      heartbeatIntervalMs: this.#config.heartbeatIntervalMs,
      includeQuery: this.#config.includeQuery,
      purgedMessage: (offset, serverMessage) => this.#purgedMessage(offset, `the server said: ${serverMessage}`),
    });
    this.#streamer = streamer;
    try {
      await incremental?.resume(signal);
      await streamer.run(signal);
    } finally {
      await incremental?.close();
    }
  }

  #snapshotDataFilter(): (id: TableId) => boolean {
    const list = this.#raw['snapshot.include.collection.list'];
    if (list === undefined || list.trim() === '') return () => true;
    const only = new TableFilter({ 'table.include.list': list, 'table.ignore.builtin': false });
    return (id) => only.isTableIncluded(id);
  }

  #snapshotSchema(model: SchemaModel, filter: TableFilter, history: KafkaSchemaHistory, builder: ChangeEventBuilder, sink: DebeziumRecordSink, schemaOnly: boolean): SnapshotSchemaHandler {
    const includeSchemaChanges = this.#config.includeSchemaChanges;
    return {
      async capturedTables(conn) {
        const ids: TableId[] = [];
        for (const database of await listDatabases(conn, filter)) {
          for (const table of await listTables(conn, database)) {
            if (filter.isTableIncluded({ database, table })) ids.push({ database, table });
          }
        }
        return ids;
      },
      async captureSchema(conn, tables, position, signal) {
        const wanted = new Set(tables.map((t) => `${t.database}.${t.table}`));
        const schema = await readTableDefinitions(conn, filter, { model });
        const definitions = new Map<string, TableDefinition>();
        const captured = schema.tables.filter((t) => wanted.has(`${t.id.database}.${t.id.table}`));
        for (const table of captured) {
          const key = `${table.id.database}.${table.id.table}`;
          // A schema-only snapshot is complete once its last record is written (every history
          // record precedes it): that record carries the streaming offset, so that a restart
          // after it was committed streams instead of snapshotting again at a later position.
          const last = schemaOnly && table === captured[captured.length - 1];
          definitions.set(key, table.definition);
          const changes = [{ type: 'CREATE' as const, id: table.id, table: table.definition }];
          await history.record(positionMap(position), table.id.database, table.ddl, changes);
          if (!includeSchemaChanges) continue;
          const record = builder.schemaChange({ databaseName: table.id.database, ddl: table.ddl, tableChanges: changes }, {
            source: {
              tsMicros: Date.now() * 1000, snapshot: 'true', database: table.id.database, table: table.id.table, serverId: 0,
              gtid: null, file: position.file, pos: position.pos, row: 0, thread: null, query: null,
            },
            offset: positionMap(last ? { ...position, snapshot: null } : position),
          });
          if (!(await sink.enqueue([record], signal))) break;
        }
        return definitions;
      },
    };
  }
}

function positionMap(offset: BinlogOffset): Record<string, string | number> {
  const map: Record<string, string | number> = { file: offset.file, pos: offset.pos };
  if (offset.gtids !== null) map.gtids = offset.gtids;
  if (offset.event !== 0) map.event = offset.event;
  if (offset.row !== 0) map.row = offset.row;
  if (offset.snapshot !== null) map.snapshot = offset.snapshot;
  return map;
}

function emptyOffset(file: string): BinlogOffset {
  return { file, pos: 4, gtids: null, event: 0, row: 0, serverId: 0, tsSec: null, snapshot: null, incremental: {} };
}

async function binaryLogs(conn: Connection): Promise<Array<{ name: string; size: number }>> {
  const [rows] = await conn.query<RowDataPacket[]>('SHOW BINARY LOGS');
  return rows.map((r) => ({ name: String(r.Log_name), size: Number(r.File_size) }))
    .sort((a, b) => binlogFileIndex(a.name) - binlogFileIndex(b.name));
}
