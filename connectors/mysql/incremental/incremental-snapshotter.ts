/**
 * Incremental snapshots (Debezium's `execute-snapshot` signal, DBLog's watermark algorithm): a
 * table is read again in primary-key chunks while the binlog keeps streaming, and every chunk is
 * merged into the stream so that no snapshot row overtakes a newer change of the same key.
 *
 * One chunk:
 * 1. write the open watermark (`<chunk>-open`, `snapshot-window-open`) into the signal table;
 * 2. SELECT the chunk (keys after the last one emitted, up to the table's maximum key when its
 *    snapshot started) and hold its rows in the window;
 * 3. write the close watermark (`<chunk>-close`; insert_delete: delete the open row instead).
 * The binlog reader meets the open watermark, then every change committed while the chunk was
 * read, then the close watermark. A change of a key held in the open window drops that row (the
 * change event is newer); at the close watermark the rows left are emitted as `op: "r"` with
 * `source.snapshot: "incremental"`, and the next chunk is read.
 *
 * Concurrency: everything runs on the binlog reader's loop (the sink's `row` awaits it), as
 * Debezium does: reading a chunk pauses streaming briefly; the stream's bounded buffer holds
 * what arrives meanwhile.
 *
 * Offsets: every record emitted while a snapshot runs carries the progress (incremental-offset.ts;
 * the task's queue stamps it). Snapshot rows carry the close watermark's streaming offset and
 * their own key as the restart key, so a restart after any of them reads on from the next key.
 *
 * Signal table: it is captured implicitly (its rows are read from the binlog for signals and
 * watermarks) and its rows are published as change events only when the table filters include
 * it. The connector needs INSERT (and DELETE for insert_delete) on it.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import type { RowChange } from '../binlog/rows-decoder.js';
import type { SourcePosition } from '../events/source-info.js';
import { binlogOffsetMap, type BinlogOffset } from '../offsets/binlog-offset.js';
import { readTableDefinitions } from '../schema/server-schema-reader.js';
import { tableIdString, type TableDefinition, type TableId } from '../schema/table-definition.js';
import type { ChangeSink, RowsContext } from '../streaming/change-sink.js';
import type { DebeziumRecordSink } from '../task/debezium-record-sink.js';
import { ConnectError } from '../../sdk/errors.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { ChunkReader, unusableKey } from './chunk-reader.js';
import { ChunkWindow, type WindowRow } from './chunk-window.js';
import { decodeProgress, encodeProgress, NO_PROGRESS, type IncrementalProgress, type SnapshotCollection } from './incremental-offset.js';
import { keyIdentity, type KeyValues } from './key-values.js';
import { parseSignal, SignalError, WINDOW_CLOSE, WINDOW_OPEN, type Signal } from './signal.js';

export type WatermarkingStrategy = 'insert_insert' | 'insert_delete';

export interface IncrementalSnapshotterOptions {
  /** `signal.data.collection` as configured (`db.table`). */
  readonly signalDataCollection: string;
  readonly chunkSize: number;
  readonly strategy: WatermarkingStrategy;
  readonly openConnection: () => Promise<Connection>;
  readonly sink: DebeziumRecordSink;
  /** The streaming schema: the definition of a table at the reader's position. */
  readonly tableFor: (id: TableId) => TableDefinition | undefined;
  /** The captured tables (data-collections are matched against them). */
  readonly capturedTables: () => TableId[];
  /** Whether the table filters include a table (the signal table's rows are published only then). */
  readonly isIncluded: (id: TableId) => boolean;
  /** The incremental_snapshot_* keys of the stored offset. */
  readonly stored: Readonly<Record<string, string>>;
  readonly databaseUser: string;
  readonly logger: TaskLogger;
}

interface Current {
  readonly table: TableDefinition;
  readonly keyColumns: readonly number[];
}

/** Parses `db.table` (the first dot separates; database and table names may not contain one). */
export function parseTableId(text: string): TableId {
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) throw new ConnectError(`'${text}' is not a table name of the form <database>.<table>`);
  return { database: text.slice(0, dot), table: text.slice(dot + 1) };
}

export class IncrementalSnapshotter {
  readonly #o: IncrementalSnapshotterOptions;
  readonly #signalTable: TableId;
  readonly #reader: ChunkReader;
  readonly #window = new ChunkWindow();
  #progress: IncrementalProgress;
  #current: Current | null = null;
  #paused = false;
  #signalDefinition: TableDefinition | undefined;

  constructor(options: IncrementalSnapshotterOptions) {
    this.#o = options;
    this.#signalTable = parseTableId(options.signalDataCollection.trim());
    this.#reader = new ChunkReader(options.openConnection);
    const decoded = decodeProgress(options.stored);
    this.#progress = decoded.progress;
    if (decoded.warning !== null) options.logger.warn(`Incremental snapshot: ${decoded.warning}`);
  }

  get progress(): IncrementalProgress { return this.#progress; }

  /** The offset keys every record emitted now must carry. */
  offsetKeys(): Record<string, string> {
    return encodeProgress(this.#progress);
  }

  isSignalTable(database: string, table: string): boolean {
    return database === this.#signalTable.database && table === this.#signalTable.table;
  }

  /** The signal table's definition read at start (used when the schema history does not have it). */
  signalTableDefinition(database: string, table: string): TableDefinition | undefined {
    return this.isSignalTable(database, table) ? this.#signalDefinition : undefined;
  }

  /** Reads the signal table's definition; warns when the table does not exist (signals cannot arrive then). */
  async prepare(): Promise<void> {
    const conn = await this.#o.openConnection();
    try {
      const id = this.#signalTable;
      const schema = await readTableDefinitions(conn, {
        isDatabaseIncluded: (database) => database === id.database,
        isTableIncluded: (t) => t.database === id.database && t.table === id.table,
      });
      this.#signalDefinition = schema.tables[0]?.definition;
      if (this.#signalDefinition === undefined) {
        this.#o.logger.warn({ signalTable: tableIdString(id) },
          `The signal table ${tableIdString(id)} (signal.data.collection) does not exist: create it as `
          + `CREATE TABLE ${tableIdString(id)} (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL) to send signals`);
      } else if (this.#signalDefinition.columns.length < 3) {
        throw new ConnectError(`The signal table ${tableIdString(id)} must have the columns id, type and data (it has ${this.#signalDefinition.columns.map((c) => c.name).join(', ')})`);
      }
    } finally {
      await conn.end().catch(() => conn.destroy());
    }
  }

  /** Continues an incremental snapshot the stored offset says was running. */
  async resume(signal: AbortSignal): Promise<void> {
    if (this.#progress.collections.length === 0) return;
    this.#o.logger.info({ collections: this.#progress.collections.map((c) => c.id) },
      `Continuing the incremental snapshot of ${this.#progress.collections.map((c) => c.id).join(', ')}`);
    await this.#readChunk(signal);
  }

  async close(): Promise<void> {
    await this.#reader.close();
  }

  /** The sink the binlog reader writes to: signals and de-duplication, then `inner`. */
  wrap(inner: ChangeSink): ChangeSink {
    const wrapped: ChangeSink = {
      row: async (context, change, rowIndex, offset, signal) => {
        const id = context.table.id;
        if (this.isSignalTable(id.database, id.table)) {
          if (!(await this.#signalRow(context, change, offset, signal))) return false;
          return this.#o.isIncluded(id) ? inner.row(context, change, rowIndex, offset, signal) : true;
        }
        this.#streamedChange(context, change);
        return inner.row(context, change, rowIndex, offset, signal);
      },
      heartbeat: (offset, signal) => inner.heartbeat(offset, signal),
    };
    // Optional hooks of the sink (transaction metadata) pass straight through.
    if (inner.transactionBegin) wrapped.transactionBegin = inner.transactionBegin.bind(inner);
    if (inner.transactionEnd) wrapped.transactionEnd = inner.transactionEnd.bind(inner);
    return wrapped;
  }

  #streamedChange(context: RowsContext, change: RowChange): void {
    const current = this.#current;
    if (current === null || !this.#window.isOpen) return;
    const id = context.table.id;
    if (id.database !== current.table.id.database || id.table !== current.table.id.table) return;
    // As Debezium: a change whose event is not published (skipped.operations) does not replace the row read.
    const op = context.kind === 'write' ? 'c' : context.kind === 'delete' ? 'd' : 'u';
    if (this.#o.sink.builder.settings.skippedOperations.has(op)) return;
    for (const image of [change.before, change.after]) {
      if (image === null) continue;
      this.#window.changed(keyIdentity(context.table, current.keyColumns, image));
    }
  }

  async #signalRow(context: RowsContext, change: RowChange, offset: BinlogOffset, signal: AbortSignal): Promise<boolean> {
    const insert = context.kind === 'write';
    const deleteOfOpen = context.kind === 'delete' && this.#o.strategy === 'insert_delete';
    const image = insert ? change.after : deleteOfOpen ? change.before : null;
    if (image === null) return true;
    const [rawId, rawType, rawData] = image;
    const id = String(rawId ?? '');
    const type = String(rawType ?? '');
    let parsed: Signal;
    try {
      parsed = parseSignal(id, type, rawData === null || rawData === undefined ? null : String(rawData));
    } catch (error) {
      if (!(error instanceof SignalError)) throw error;
      this.#o.logger.warn({ signal: id }, `${error.message}; the signal is ignored`);
      return true;
    }
    if (deleteOfOpen) {
      // insert_delete: the open watermark row's deletion closes the window.
      return parsed.type === WINDOW_OPEN ? this.#closeWindow(id.replace(/-open$/, ''), context, offset, signal) : true;
    }
    switch (parsed.type) {
      case WINDOW_OPEN:
        this.#window.open(id.replace(/-open$/, ''));
        return true;
      case WINDOW_CLOSE:
        return this.#closeWindow(id.replace(/-close$/, ''), context, offset, signal);
      case 'execute-snapshot':
        await this.#execute(parsed, signal);
        return true;
      case 'stop-snapshot':
        await this.#stop(parsed.dataCollections, signal);
        return true;
      case 'pause-snapshot':
        if (this.#progress.collections.length > 0 && !this.#paused) {
          this.#paused = true;
          this.#o.logger.info({ signal: id }, 'Incremental snapshot paused (pause-snapshot signal)');
        }
        return true;
      case 'resume-snapshot':
        if (this.#paused) {
          this.#paused = false;
          this.#o.logger.info({ signal: id }, 'Incremental snapshot resumed (resume-snapshot signal)');
          if (this.#window.chunkId === null) await this.#readChunk(signal);
        }
        return true;
      case 'log':
        this.#o.logger.info({ signal: id }, parsed.message);
        return true;
      case 'unknown':
        this.#o.logger.warn({ signal: id, type: parsed.name }, `Signal '${id}' has a type ferry does not know (${parsed.name}); it is ignored`);
        return true;
    }
  }

  async #execute(signal: Extract<Signal, { type: 'execute-snapshot' }>, abort: AbortSignal): Promise<void> {
    if (signal.snapshotType !== 'incremental') {
      this.#o.logger.warn({ signal: signal.id, snapshotType: signal.snapshotType },
        `Signal '${signal.id}' asks for a ${signal.snapshotType} snapshot; ferry takes incremental snapshots only, the signal is ignored`);
      return;
    }
    const captured = this.#o.capturedTables().map(tableIdString);
    const added: SnapshotCollection[] = [];
    for (const requested of signal.dataCollections) {
      let matches = captured.filter((id) => id === requested);
      if (matches.length === 0) {
        try {
          const pattern = new RegExp(`^(?:${requested})$`);
          matches = captured.filter((id) => pattern.test(id));
        } catch {
          matches = [];
        }
      }
      if (matches.length === 0) {
        this.#o.logger.warn({ signal: signal.id, dataCollection: requested },
          `Incremental snapshot: ${requested} is not a captured table (table.include.list / database.include.list); it is skipped`);
      }
      for (const id of matches) {
        if (id === tableIdString(this.#signalTable)) continue;
        const condition = signal.additionalConditions.find((c) => c.dataCollection.test(id))?.filter ?? null;
        added.push({ id, additionalCondition: condition, surrogateKey: signal.surrogateKey, correlationId: signal.id });
      }
    }
    if (added.length === 0) return;
    const wasRunning = this.#progress.collections.length > 0;
    this.#progress = { ...this.#progress, collections: [...this.#progress.collections, ...added], correlationId: signal.id };
    this.#o.logger.info({ signal: signal.id, collections: added.map((c) => c.id) },
      `Incremental snapshot of ${added.map((c) => c.id).join(', ')} requested (signal '${signal.id}')`);
    if (!wasRunning) await this.#readChunk(abort);
  }

  async #stop(dataCollections: readonly string[], signal: AbortSignal): Promise<void> {
    const collections = this.#progress.collections;
    if (collections.length === 0) return;
    const patterns = dataCollections.map((d) => {
      try {
        return new RegExp(`^(?:${d})$`);
      } catch {
        return null;
      }
    });
    const stopped = (id: string): boolean => dataCollections.length === 0
      || dataCollections.includes(id) || patterns.some((p) => p !== null && p.test(id));
    const currentStopped = stopped(collections[0]!.id);
    const remaining = collections.filter((c) => !stopped(c.id));
    this.#o.logger.info({ stopped: collections.filter((c) => stopped(c.id)).map((c) => c.id) }, 'Incremental snapshot stopped for these tables (stop-snapshot signal)');
    if (!currentStopped) {
      this.#progress = { ...this.#progress, collections: remaining };
      return;
    }
    this.#window.clear();
    this.#current = null;
    this.#progress = { ...this.#progress, collections: remaining, lastKey: null, maximumKey: null };
    if (remaining.length === 0) this.#progress = NO_PROGRESS;
    else await this.#readChunk(signal);
  }

  async #closeWindow(chunkId: string, context: RowsContext, offset: BinlogOffset, signal: AbortSignal): Promise<boolean> {
    const current = this.#current;
    const end = this.#window.end;
    const rows = this.#window.close(chunkId);
    if (rows === null || current === null || end === null) return true;
    if (!(await this.#emit(current.table, rows, end, context, offset, signal))) return false;
    this.#progress = { ...this.#progress, lastKey: end };
    await this.#readChunk(signal);
    return true;
  }

  async #emit(table: TableDefinition, rows: readonly WindowRow[], end: KeyValues, context: RowsContext, offset: BinlogOffset, signal: AbortSignal): Promise<boolean> {
    const sink = this.#o.sink;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const restartKey = i === rows.length - 1 ? end : row.key;
      const source: SourcePosition = {
        tsMicros: Date.now() * 1000,
        snapshot: 'incremental',
        database: table.id.database,
        table: table.id.table,
        serverId: context.header.serverId,
        gtid: context.gtid,
        file: context.file,
        pos: context.eventPosition,
        row: 0,
        thread: null,
        query: null,
      };
      const map = binlogOffsetMap({ ...offset, incremental: encodeProgress({ ...this.#progress, lastKey: restartKey }) });
      if (!(await sink.enqueue(sink.builder.read(table, row.values, { source, offset: map }), signal))) return false;
    }
    return true;
  }

  /** Opens a window and reads the next chunk of the table in progress (moving on past finished or unusable tables). */
  async #readChunk(signal: AbortSignal): Promise<void> {
    if (this.#progress.collections.length === 0 || this.#paused || signal.aborted) return;
    const chunkId = randomUUID();
    await this.#watermark(`${chunkId}-open`, WINDOW_OPEN);
    while (this.#progress.collections.length > 0) {
      const collection = this.#progress.collections[0]!;
      const current = this.#prepareTable(collection);
      if (current === null) {
        this.#nextCollection();
        continue;
      }
      this.#current = current;
      const { table, keyColumns } = current;
      if (this.#progress.maximumKey === null) {
        const maximumKey = await this.#reader.maximumKey(table, keyColumns, collection.additionalCondition);
        if (maximumKey === null) {
          this.#o.logger.info({ table: collection.id }, `Incremental snapshot of ${collection.id}: the table is empty`);
          this.#nextCollection();
          continue;
        }
        this.#progress = { ...this.#progress, maximumKey };
      }
      const rows = await this.#reader.chunk({
        table, keyColumns, after: this.#progress.lastKey, upTo: this.#progress.maximumKey!,
        condition: collection.additionalCondition, limit: this.#o.chunkSize,
      });
      if (rows.length === 0) {
        this.#o.logger.info({ table: collection.id }, `Incremental snapshot of ${collection.id} completed`);
        this.#nextCollection();
        continue;
      }
      this.#window.fill(chunkId, rows.map((values) => {
        const key = keyColumns.map((i) => values[i] ?? null);
        return { identity: keyIdentity(table, keyColumns, values), key, values };
      }));
      if (this.#o.strategy === 'insert_delete') await this.#deleteWatermark(`${chunkId}-open`);
      else await this.#watermark(`${chunkId}-close`, WINDOW_CLOSE);
      return;
    }
    this.#current = null;
    this.#progress = NO_PROGRESS;
    this.#o.logger.info('Incremental snapshot completed');
  }

  #nextCollection(): void {
    this.#current = null;
    const [, ...rest] = this.#progress.collections;
    this.#progress = rest.length === 0 ? NO_PROGRESS : { ...this.#progress, collections: rest, lastKey: null, maximumKey: null };
  }

  /** The table and key columns of a collection, or null (logged) when it cannot be snapshotted. */
  #prepareTable(collection: SnapshotCollection): Current | null {
    let id: TableId;
    try {
      id = parseTableId(collection.id);
    } catch (error) {
      this.#o.logger.error(`Incremental snapshot: ${(error as Error).message}; skipped`);
      return null;
    }
    const table = this.#o.tableFor(id);
    if (table === undefined) {
      this.#o.logger.error({ table: collection.id }, `Incremental snapshot of ${collection.id} skipped: the table is not known (dropped, or not captured)`);
      return null;
    }
    const names = collection.surrogateKey !== null ? [collection.surrogateKey] : table.primaryKeyColumnNames;
    const problem = unusableKey(table, names);
    if (problem !== null) {
      this.#o.logger.error({ table: collection.id },
        `Incremental snapshot of ${collection.id} skipped: ${problem}. Add a primary key, or name a unique column as "surrogate-key" in the execute-snapshot signal`);
      return null;
    }
    const keyColumns = names.map((n) => table.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase()));
    return { table, keyColumns };
  }

  async #watermark(id: string, type: string): Promise<void> {
    try {
      await this.#reader.insertSignal(this.#signalTable, id, type, JSON.stringify({ 'data-collection': this.#progress.collections[0]?.id ?? null }));
    } catch (error) {
      throw this.#grantError('INSERT', error);
    }
  }

  async #deleteWatermark(id: string): Promise<void> {
    try {
      await this.#reader.deleteSignal(this.#signalTable, id);
    } catch (error) {
      throw this.#grantError('DELETE', error);
    }
  }

  #grantError(privilege: string, error: unknown): ConnectError {
    const table = tableIdString(this.#signalTable);
    const code = (error as { errno?: number }).errno;
    const denied = code === 1142 || code === 1044 || code === 1045;
    return new ConnectError(`Incremental snapshot: writing the watermark row into the signal table ${table} failed: ${(error as Error).message}. `
      + (denied ? `The connector needs ${privilege} on the signal table: GRANT ${this.#o.strategy === 'insert_delete' ? 'INSERT, DELETE' : 'INSERT'} ON ${table} TO '${this.#o.databaseUser}'`
        : 'The signal table must have the columns id, type and data'), { cause: error });
  }
}
