/**
 * Reads the binlog from a stored position and turns it into change records: transactions in
 * order, rows decoded with the schema current at their position, DDL applied to the schema model
 * and kept in the schema history before any row that depends on it.
 *
 * Concurrency: one loop. It awaits the record sink between events, so a full queue stops the
 * reading (and, through the stream's bounded buffer, the socket). A dropped connection is
 * re-established with back-off from the restart point of the last handled event, skipping what
 * was already emitted, exactly as a task restart would.
 */
import type { BinlogEvent, EventHeader, MariaDbGtidEvent, QueryEvent, RowsEvent, TableMapEvent } from '../binlog/binlog-event.js';
import { BinlogConnectionError, BinlogServerError } from '../binlog/binlog-errors.js';
import { BinlogStream, type BinlogStreamOptions } from '../binlog/binlog-stream.js';
import { decodeRows } from '../binlog/rows-decoder.js';
import type { BinlogOffset } from '../offsets/binlog-offset.js';
import type { TableDefinition } from '../schema/table-definition.js';
import { ConnectError } from '../../sdk/errors.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { BinlogPositionTracker } from './binlog-position-tracker.js';
import type { ChangeSink, RowsContext } from './change-sink.js';
import { isTransientConnectionError } from '../connection/connection-options.js';
import type { DdlApplier } from './ddl-applier.js';

export interface BinlogStreamerOptions {
  readonly stream: Omit<BinlogStreamOptions, 'start'>;
  readonly flavor: 'mysql' | 'mariadb';
  readonly start: BinlogOffset;
  /** Resume by the offset's GTID set instead of its file/pos (the file is not on this server, e.g. after a failover). */
  readonly startByGtid?: boolean;
  readonly sink: ChangeSink;
  readonly ddl: DdlApplier;
  readonly tableFor: (database: string, table: string) => TableDefinition | undefined;
  readonly isCaptured: (database: string, table: string) => boolean;
  readonly logger: TaskLogger;
  readonly maxRetries: number;
  readonly maxBackoffMs: number;
  readonly heartbeatIntervalMs: number;
  readonly includeQuery: boolean;
  /** Called when the binlog position the task asked for is no longer on the server. */
  readonly purgedMessage: (offset: BinlogOffset, serverMessage: string) => string;
}

const TRANSACTION_CONTROL = /^\s*(BEGIN|XA\s+START)\b/i;
const COMMIT = /^\s*(COMMIT|XA\s+COMMIT|XA\s+END)\b/i;
const ROLLBACK = /^\s*(ROLLBACK|XA\s+ROLLBACK)\b/i;

export class BinlogStreamer {
  readonly #o: BinlogStreamerOptions;
  #tracker: BinlogPositionTracker;
  readonly #tableMaps = new Map<bigint, TableMapEvent>();
  #stream: BinlogStream | null = null;
  #annotation: string | null = null;
  #lastHeartbeat = Date.now();
  #standaloneGtid = false;
  /** Until the server names a file (the dump's first ROTATE), resume by GTIDs if asked to. */
  #startByGtid: boolean;
  /** Whether the current connection delivered an event (a working connection resets the retry count). */
  #receivedEvents = false;

  constructor(options: BinlogStreamerOptions) {
    this.#o = options;
    this.#tracker = new BinlogPositionTracker(options.start, options.flavor);
    this.#startByGtid = options.startByGtid === true && options.start.gtids !== null;
  }

  /** The restart point of the last handled event. */
  offset(): BinlogOffset {
    return this.#tracker.offset();
  }

  /** Streams until `signal` aborts; throws a ConnectError when streaming cannot go on. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.#streamOnce(signal);
        return;
      } catch (caught) {
        const error = caught as Error;
        if (signal.aborted) return;
        if (error instanceof BinlogServerError && error.code === 1236) {
          throw new ConnectError(this.#o.purgedMessage(this.#tracker.offset(), error.serverMessage), { cause: error });
        }
        const transient = error instanceof BinlogConnectionError || isTransientConnectionError(error)
          || (error instanceof BinlogServerError && error.code === 1053);
        if (!transient) throw error;
        failures++;
        if (this.#o.maxRetries >= 0 && failures > this.#o.maxRetries) {
          throw new ConnectError(`The binlog connection was lost and could not be re-established after ${this.#o.maxRetries} attempts: ${String(error.message ?? error)}`, { cause: error });
        }
        const delay = Math.min(this.#o.maxBackoffMs, 1000 * 2 ** Math.min(failures - 1, 16));
        this.#o.logger.warn({ err: error, attempt: failures, delayMs: delay },
          `The binlog connection was lost (${String(error.message ?? error)}); reconnecting in ${delay} ms from ${this.#tracker.offset().file}:${this.#tracker.offset().pos}`);
        await sleep(delay, signal);
        // Resume exactly as a restarted task would: from the restart point, skipping what was emitted.
        this.#tracker = new BinlogPositionTracker(this.#tracker.offset(), this.#o.flavor);
        this.#tableMaps.clear();
      } finally {
        await this.#closeStream();
        if (this.#receivedEvents) failures = 0;
        this.#receivedEvents = false;
      }
    }
  }

  async close(): Promise<void> {
    await this.#closeStream();
  }

  async #closeStream(): Promise<void> {
    const stream = this.#stream;
    this.#stream = null;
    if (stream !== null) await stream.close().catch(() => undefined);
  }

  async #streamOnce(signal: AbortSignal): Promise<void> {
    const start = this.#tracker.offset();
    const byGtid = this.#startByGtid && start.gtids !== null;
    const stream = await BinlogStream.open({
      ...this.#o.stream,
      start: byGtid
        ? { kind: this.#o.flavor === 'mariadb' ? 'mariadb-gtid' : 'mysql-gtid', gtids: start.gtids! }
        : { kind: 'position', file: start.file, pos: start.pos },
    });
    this.#stream = stream;
    let connected = false;
    while (!signal.aborted) {
      const event = await stream.next(signal);
      this.#receivedEvents = true;
      if (!connected) {
        connected = true;
        this.#o.logger.info({ file: start.file, pos: start.pos, gtids: start.gtids, skipEvents: start.event, skipRows: start.row },
          byGtid ? `Streaming the binlog after GTIDs ${start.gtids}` : `Streaming the binlog from ${start.file}:${start.pos}`);
      }
      await this.#handle(event, signal);
    }
  }

  async #handle(event: BinlogEvent, signal: AbortSignal): Promise<void> {
    const tracker = this.#tracker;
    if (event.type === 'rotate') {
      tracker.rotate(event.nextFile, event.nextPosition);
      this.#startByGtid = false;
      return;
    }
    tracker.beforeEvent(event.header);
    switch (event.type) {
      case 'mariadb-gtid':
        await this.#mariaDbGtid(event, signal);
        break;
      case 'mysql-gtid':
        if (!event.anonymous) tracker.startGtid(event.gtid);
        break;
      case 'query':
        await this.#query(event, signal);
        break;
      case 'xid':
        await this.#commit(event.header, signal);
        break;
      case 'table-map':
        this.#tableMaps.set(event.tableId, event);
        break;
      case 'rows':
        await this.#rows(event, signal);
        break;
      case 'annotate-rows':
      case 'rows-query':
        this.#annotation = event.sql;
        break;
      case 'heartbeat':
        break;
      default:
        break;
    }
    tracker.afterEvent();
    await this.#maybeHeartbeat(signal);
  }

  async #mariaDbGtid(event: MariaDbGtidEvent, signal: AbortSignal): Promise<void> {
    this.#tracker.startGtid(event.gtid);
    this.#standaloneGtid = event.standalone;
    // MariaDB sends no BEGIN query to a GTID-capable replica: the GTID event starts the transaction.
    if (!event.standalone) await this.#begin(event.header, null, signal);
  }

  async #begin(header: EventHeader, threadId: number | null, signal: AbortSignal): Promise<void> {
    this.#tracker.beginTransaction(threadId);
    // A restart inside a transaction already emitted its BEGIN record: track it, do not repeat it.
    const emit = !this.#tracker.skippingEvent;
    await this.#o.sink.transactionBegin?.(this.#transactionId(), header, this.#tracker.offset(), emit, signal);
  }

  async #commit(header: EventHeader, signal: AbortSignal): Promise<void> {
    this.#tracker.commitTransaction();
    this.#tableMaps.clear();
    await this.#o.sink.transactionEnd?.(header, this.#tracker.offset(), signal);
  }

  /** Debezium's transaction id: the GTID, or `file=<f>,pos=<p>` of the transaction start without GTIDs. */
  #transactionId(): string {
    const offset = this.#tracker.offset();
    return this.#tracker.gtid ?? `file=${offset.file},pos=${offset.pos}`;
  }

  async #query(event: QueryEvent, signal: AbortSignal): Promise<void> {
    const tracker = this.#tracker;
    const sql = event.sql;
    if (TRANSACTION_CONTROL.test(sql)) {
      if (!tracker.inTransaction) await this.#begin(event.header, event.threadId, signal);
      return;
    }
    if (COMMIT.test(sql) || ROLLBACK.test(sql)) {
      await this.#commit(event.header, signal);
      return;
    }
    if (tracker.skippingEvent) return;
    await this.#o.ddl.apply({
      sql,
      database: event.database,
      header: event.header,
      threadId: event.threadId,
      // The history position of a DDL statement is the point right after it.
      position: () => ({ ...tracker.offset(), pos: event.header.logPos > 0 ? event.header.logPos : tracker.offset().pos, event: 0, row: 0 }),
      gtid: tracker.gtid,
      file: tracker.file,
      eventPosition: tracker.eventPosition,
      serverId: tracker.serverId,
    }, signal);
    if (!tracker.inTransaction || this.#standaloneGtid) tracker.completeStandaloneStatement();
    this.#standaloneGtid = false;
  }

  async #rows(event: RowsEvent, signal: AbortSignal): Promise<void> {
    const tracker = this.#tracker;
    if (tracker.skippingEvent) return;
    const map = this.#tableMaps.get(event.tableId);
    if (map === undefined) {
      throw new ConnectError(`A rows event at ${tracker.file}:${tracker.eventPosition} refers to table id ${event.tableId}, which no table map event announced`);
    }
    const rowsToSkip = tracker.takeRowsToSkip();
    if (!this.#o.isCaptured(map.database, map.table)) return;
    const table = this.#o.tableFor(map.database, map.table);
    if (table === undefined) {
      throw new ConnectError(`Rows of captured table ${map.database}.${map.table} arrived at ${tracker.file}:${tracker.eventPosition}, `
        + 'but the schema history has no definition of it. The schema history topic may be incomplete: '
        + 'restart the connector with snapshot.mode=recovery to rebuild it from the database.');
    }
    checkRowMetadata(map, table);
    const changes = decodeRows(event, map, table);
    const context: RowsContext = {
      table,
      kind: event.kind,
      header: event.header,
      file: tracker.file,
      eventPosition: tracker.eventPosition,
      gtid: tracker.gtid,
      threadId: tracker.threadId,
      query: this.#o.includeQuery ? this.#annotation : null,
    };
    for (let index = rowsToSkip; index < changes.length; index++) {
      const offset = tracker.rowOffset(index);
      const accepted = await this.#o.sink.row(context, changes[index]!, index, offset, signal);
      if (!accepted) return;
    }
    tracker.rowsEventCompleted();
    if ((event.flags & 0x0001) !== 0) this.#annotation = null;
  }

  async #maybeHeartbeat(signal: AbortSignal): Promise<void> {
    const interval = this.#o.heartbeatIntervalMs;
    if (interval <= 0) return;
    const now = Date.now();
    if (now - this.#lastHeartbeat < interval) return;
    this.#lastHeartbeat = now;
    await this.#o.sink.heartbeat(this.#tracker.offset(), signal);
  }
}

/**
 * Where the server writes full row metadata (binlog_row_metadata=FULL), the column names it
 * carries must be those of the definition the schema history gave: otherwise the history is out
 * of date and rows would land in the wrong fields.
 */
function checkRowMetadata(map: TableMapEvent, table: TableDefinition): void {
  const names = map.metadata.columnNames;
  if (names === undefined) return;
  const expected = table.columns.map((c) => c.name);
  if (names.length === expected.length && names.every((n, i) => n.toLowerCase() === expected[i]!.toLowerCase())) return;
  throw new ConnectError(`The schema history disagrees with the binlog's row metadata for ${map.database}.${map.table}: `
    + `the history has columns (${expected.join(', ')}) but the binlog has (${names.join(', ')}). The history topic is out of date; `
    + 'restart the connector with snapshot.mode=recovery to rebuild it from the database.');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
