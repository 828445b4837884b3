/**
 * DDL read from the binlog: parsed into the schema model, stored in the schema history before any
 * row that follows it is emitted, and published as schema-change (and truncate) events.
 *
 * A statement that cannot be parsed fails the task unless it clearly concerns no captured table
 * (then it is logged and skipped) or schema.history.internal.skip.unparseable.ddl is set: a
 * captured table whose DDL was skipped would be decoded with a wrong schema, silently.
 */
import type { Connection } from 'mysql2/promise';
import type { ChangeEventBuilder } from '../events/change-event-builder.js';
import type { SourcePosition } from '../events/source-info.js';
import { binlogOffsetMap } from '../offsets/binlog-offset.js';
import { DdlParseError } from '../schema/ddl-parse-error.js';
import type { KafkaSchemaHistory } from '../schema/schema-history.js';
import type { SchemaChange, SchemaModel } from '../schema/schema-model.js';
import { readTableDefinition } from '../schema/server-schema-reader.js';
import type { TableFilter } from '../schema/table-filter.js';
import type { TableId } from '../schema/table-definition.js';
import type { DdlApplier, DdlStatement } from '../streaming/ddl-applier.js';
import { ConnectError } from '../../sdk/errors.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import type { DebeziumRecordSink } from './debezium-record-sink.js';

export interface SchemaChangeApplierOptions {
  readonly model: SchemaModel;
  readonly history: KafkaSchemaHistory;
  readonly filter: TableFilter;
  readonly builder: ChangeEventBuilder;
  readonly sink: DebeziumRecordSink;
  readonly includeSchemaChanges: boolean;
  readonly skipUnparseable: boolean;
  readonly skipTruncate: boolean;
  /** A short-lived connection for re-reading a table the DDL alone does not describe (CREATE ... AS SELECT). */
  readonly openConnection: () => Promise<Connection>;
  readonly logger: TaskLogger;
}

/** Table names a statement mentions, for deciding whether an unparseable one concerns a captured table. */
function mentionedTables(sql: string, database: string): TableId[] {
  const ids: TableId[] = [];
  const name = '(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)';
  const pattern = new RegExp(`\\b(?:TABLE|TABLES|INTO|ON|TO|RENAME)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?${name}(?:\\s*\\.\\s*${name})?`, 'gi');
  const unquote = (s: string): string => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);
  for (const match of sql.matchAll(pattern)) {
    const first = unquote(match[1]!);
    ids.push(match[2] === undefined ? { database, table: first } : { database: first, table: unquote(match[2]) });
  }
  return ids;
}

export class SchemaChangeApplier implements DdlApplier {
  constructor(private readonly o: SchemaChangeApplierOptions) {}

  async apply(statement: DdlStatement, signal: AbortSignal): Promise<void> {
    const { model, filter } = this.o;
    let result;
    try {
      result = model.applyStatements(statement.sql, statement.database === '' ? null : statement.database);
    } catch (error) {
      if (!(error instanceof DdlParseError)) throw error;
      const mentioned = mentionedTables(statement.sql, statement.database);
      const captured = mentioned.length === 0 || mentioned.some((id) => filter.isTableIncluded(id));
      if (this.o.skipUnparseable || !captured) {
        this.o.logger.warn({ sql: statement.sql, file: statement.file, pos: statement.eventPosition },
          `Skipping a DDL statement that cannot be parsed (${error.message})${captured ? ' because schema.history.internal.skip.unparseable.ddl=true' : '; it concerns no captured table'}`);
        return;
      }
      throw new ConnectError(`Cannot parse the DDL statement at ${statement.file}:${statement.eventPosition} (${error.message}): ${statement.sql}. `
        + 'It may change a captured table, so streaming stops rather than decode rows with a wrong schema. If it does not, set '
        + 'schema.history.internal.skip.unparseable.ddl=true and restart the connector.', { cause: error });
    }
    const position = statement.position();
    for (const applied of result.statements) {
      if (applied.ignored) continue;
      let changes: readonly SchemaChange[] = applied.changes;
      if (applied.needsReread !== null) changes = await this.#reread(applied.needsReread, applied.ddl);
      if (applied.truncated !== null) {
        await this.#truncate(applied.truncated, statement, signal);
        continue;
      }
      if (changes.length === 0 && applied.database === null) continue;
      await this.o.history.record(binlogOffsetMap(position), applied.databaseName, applied.ddl, changes, { timestampMs: statement.header.timestamp * 1000 });
      if (!this.o.includeSchemaChanges) continue;
      const concernsCaptured = changes.length > 0
        ? changes.some((c) => filter.isTableIncluded(c.id) || (c.previousId !== undefined && filter.isTableIncluded(c.previousId)))
        : filter.isDatabaseIncluded(applied.databaseName);
      if (!concernsCaptured) continue;
      const source = this.#source(statement, applied.databaseName, null);
      const record = this.o.builder.schemaChange({
        databaseName: applied.databaseName,
        ddl: applied.ddl,
        tableChanges: changes.map((c) => ({ type: c.type, id: c.id, table: c.table })),
      }, { source, offset: binlogOffsetMap(position) });
      if (!(await this.o.sink.enqueue([record], signal))) return;
    }
  }

  async #reread(id: TableId, ddl: string): Promise<SchemaChange[]> {
    const conn = await this.o.openConnection();
    try {
      const { definition } = await readTableDefinition(conn, id, this.o.model);
      this.o.model.put(definition);
      return [{ type: 'CREATE', id, table: definition, databaseName: id.database, ddl }];
    } finally {
      await conn.end().catch(() => conn.destroy());
    }
  }

  async #truncate(id: TableId, statement: DdlStatement, signal: AbortSignal): Promise<void> {
    if (this.o.skipTruncate || !this.o.filter.isTableIncluded(id)) return;
    const table = this.o.model.tableFor(id);
    if (table === undefined) return;
    const source = this.#source(statement, id.database, id.table);
    await this.o.sink.enqueue(this.o.builder.truncate(table, { source, offset: binlogOffsetMap(statement.position()) }), signal);
  }

  #source(statement: DdlStatement, database: string, table: string | null): SourcePosition {
    return {
      tsMicros: statement.header.timestamp * 1_000_000,
      snapshot: null,
      database,
      table,
      serverId: statement.serverId,
      gtid: statement.gtid,
      file: statement.file,
      pos: statement.eventPosition,
      row: 0,
      thread: statement.threadId,
      query: null,
    };
  }
}
