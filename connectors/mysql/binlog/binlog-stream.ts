/**
 * A replication stream from MySQL or MariaDB over a mysql2 connection.
 *
 * `open()` connects (mysql2 does auth incl. caching_sha2_password and TLS), declares checksum
 * awareness and the MariaDB GTID capability, sets heartbeats and the MariaDB GTID start state,
 * then sends COM_BINLOG_DUMP (file/position and MariaDB GTID starts) or COM_BINLOG_DUMP_GTID
 * (MySQL GTID sets). Events are then pulled one at a time with `next()`.
 *
 * Concurrency and buffering: packets arrive on the socket and are queued as raw event bytes; they
 * are parsed in order inside `next()`, so a parse error surfaces exactly where it happened and
 * nothing after it is delivered. When more than `maxBufferedEvents` events or `maxBufferedBytes`
 * bytes wait, the socket is paused; it resumes when the queue is down to half. A failure (server
 * error, lost connection, EOF) is delivered after the events that arrived before it; from then on
 * every `next()` rejects with it. `close()` destroys the socket at once and rejects waiting
 * `next()` calls with `BinlogStreamClosedError`. One consumer at a time: `next()` calls are served
 * in call order.
 */
import type { Connection, RowDataPacket, SslOptions } from 'mysql2/promise';
import { loadMysqlModule } from '../connection/mysql-module.js';
import type { BinlogEvent } from './binlog-event.js';
import { BinlogConnectionError, BinlogServerError, BinlogStreamClosedError } from './binlog-errors.js';
import { BINLOG_SEND_ANNOTATE_ROWS_EVENT, binlogDumpGtidPayload, binlogDumpPayload } from './dump-commands.js';
import { BinlogEventParser } from './event-parser.js';
import { MariaDbGtidPosition, MySqlGtidSet } from './gtid-set.js';
import { coreOf, destroyConnection, startDumpCommand, type CoreConnection } from './mysql2-binlog-command.js';

export interface BinlogConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /** mysql2 TLS options (or a profile name); omitted = no TLS. */
  ssl?: string | SslOptions;
  connectTimeoutMs?: number;
}

export type BinlogStart =
  | { kind: 'position'; file: string; pos: number }
  | { kind: 'mariadb-gtid'; gtids: string }
  | { kind: 'mysql-gtid'; gtids: string };

export interface BinlogStreamOptions {
  connection: BinlogConnectionOptions;
  /** Replica server id; must differ from the server's and from every other replica's. */
  serverId: number;
  start: BinlogStart;
  /** Ask the server for a HEARTBEAT event after this much idle time. */
  heartbeatIntervalMs?: number;
  /** MariaDB: also send ANNOTATE_ROWS events (the SQL of row events; binlog_annotate_row_events=ON). */
  annotateRows?: boolean;
  /** Pause reading when this many events wait (default 10 000). */
  maxBufferedEvents?: number;
  /** Pause reading when this many bytes wait (default 64 MiB). */
  maxBufferedBytes?: number;
  /** Verify CRC32 trailers (default true). */
  verifyChecksums?: boolean;
}

interface Waiter {
  resolve(event: BinlogEvent): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class BinlogStream {
  private readonly queue: Buffer[] = [];
  private queueHead = 0;
  private queuedBytes = 0;
  private paused = false;
  private failure: unknown = null;
  private closed = false;
  private readonly waiters: Waiter[] = [];
  private readonly maxEvents: number;
  private readonly maxBytes: number;

  private constructor(
    private readonly conn: Connection,
    private readonly core: CoreConnection,
    private readonly parser: BinlogEventParser,
    /** `mariadb` or `mysql`, from @@version. */
    readonly flavor: 'mariadb' | 'mysql',
    options: BinlogStreamOptions,
  ) {
    this.maxEvents = options.maxBufferedEvents ?? 10_000;
    this.maxBytes = options.maxBufferedBytes ?? 64 * 1024 * 1024;
  }

  static async open(options: BinlogStreamOptions): Promise<BinlogStream> {
    const c = options.connection;
    const mysql = await loadMysqlModule();
    let conn: Connection;
    try {
      conn = await mysql.createConnection({
        host: c.host, port: c.port, user: c.user, password: c.password,
        connectTimeout: c.connectTimeoutMs ?? 10_000, ...(c.ssl !== undefined ? { ssl: c.ssl } : {}),
      });
    } catch (err) {
      const e = err as Error & { errno?: number; sqlState?: string };
      // A server answer (access denied, unknown host name...) will not change by retrying; a network failure may.
      if (typeof e.errno === 'number' && e.errno > 0 && e.sqlState) throw new BinlogServerError(e.errno, e.sqlState, e.message);
      throw new BinlogConnectionError(`cannot open a replication connection to ${c.host}:${c.port}: ${e.message}`, { cause: err });
    }
    try {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT @@version AS version, @@global.binlog_checksum AS checksum');
      const version = String(rows[0]!.version);
      const flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
      const checksum = String(rows[0]!.checksum ?? 'NONE').toUpperCase() === 'CRC32';
      await conn.query('SET @master_binlog_checksum = @@global.binlog_checksum, @mariadb_slave_capability = 4');
      if (options.heartbeatIntervalMs !== undefined && options.heartbeatIntervalMs > 0) {
        await conn.query('SET @master_heartbeat_period = ?', [BigInt(Math.round(options.heartbeatIntervalMs)) * 1_000_000n]);
      }
      const start = options.start;
      let payload: Buffer;
      if (start.kind === 'position') {
        payload = binlogDumpPayload(options.serverId, start.file, start.pos, options.annotateRows ? BINLOG_SEND_ANNOTATE_ROWS_EVENT : 0);
      } else if (start.kind === 'mariadb-gtid') {
        const state = MariaDbGtidPosition.parse(start.gtids).toConnectState();
        await conn.query('SET @slave_connect_state = ?, @slave_gtid_strict_mode = 0, @slave_gtid_ignore_duplicates = 0', [state]);
        payload = binlogDumpPayload(options.serverId, '', 4, options.annotateRows ? BINLOG_SEND_ANNOTATE_ROWS_EVENT : 0);
      } else {
        payload = binlogDumpGtidPayload(options.serverId, MySqlGtidSet.parse(start.gtids));
      }
      const parser = new BinlogEventParser({ checksum, verifyChecksums: options.verifyChecksums ?? true });
      const stream = new BinlogStream(conn, coreOf(conn), parser, flavor, options);
      stream.startDump(payload);
      return stream;
    } catch (err) {
      destroyConnection(coreOf(conn));
      if (err instanceof Error && 'errno' in err && !(err instanceof BinlogConnectionError)) {
        const e = err as Error & { errno: number; sqlState?: string };
        throw new BinlogServerError(e.errno, e.sqlState ?? '', e.message);
      }
      throw err;
    }
  }

  private startDump(payload: Buffer): void {
    this.core.on('error', (err) => this.fail(new BinlogConnectionError(`binlog connection failed: ${(err as Error).message}`, { cause: err })));
    this.core.on('end', () => this.fail(new BinlogConnectionError('the server closed the binlog connection')));
    startDumpCommand(this.core, payload, {
      onPacket: (payload) => this.onPacket(payload),
      onServerError: (e) => this.fail(new BinlogServerError(e.errno, e.sqlState, e.message)),
    });
  }

  private onPacket(payload: Buffer): void {
    if (this.failure !== null || this.closed) return;
    const status = payload[0];
    if (status === 0x00) {
      const event = payload.subarray(1);
      this.queue.push(event);
      this.queuedBytes += event.length;
      this.deliver();
      if (!this.paused && (this.queue.length - this.queueHead > this.maxEvents || this.queuedBytes > this.maxBytes)) {
        this.paused = true;
        this.core.pause();
      }
    } else if (status === 0xfe) {
      this.fail(new BinlogConnectionError('the server ended the binlog stream (EOF)'));
    } else {
      this.fail(new BinlogConnectionError(`unexpected binlog packet status 0x${(status ?? 0).toString(16)}`));
    }
  }

  private fail(err: unknown): void {
    if (this.failure !== null || this.closed) return;
    this.failure = err;
    this.deliver();
  }

  /** Hands queued events (then the failure) to waiting `next()` calls. */
  private deliver(): void {
    while (this.waiters.length > 0) {
      if (this.queueHead < this.queue.length) {
        const waiter = this.waiters.shift()!;
        this.settle(waiter, () => this.take());
      } else if (this.failure !== null) {
        const waiter = this.waiters.shift()!;
        this.settle(waiter, () => { throw this.failure; });
      } else {
        return;
      }
    }
  }

  private settle(waiter: Waiter, produce: () => BinlogEvent): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
    try {
      waiter.resolve(produce());
    } catch (err) {
      waiter.reject(err);
    }
  }

  /** Parses the oldest queued event; a parse error becomes the stream's failure. */
  private take(): BinlogEvent {
    const raw = this.queue[this.queueHead]!;
    this.queue[this.queueHead] = undefined as unknown as Buffer;
    this.queueHead++;
    this.queuedBytes -= raw.length;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    if (this.paused && this.queue.length - this.queueHead <= this.maxEvents / 2 && this.queuedBytes <= this.maxBytes / 2) {
      this.paused = false;
      this.core.resume();
    }
    try {
      return this.parser.parse(raw);
    } catch (err) {
      this.failure = err;
      this.queue.length = 0;
      this.queueHead = 0;
      this.queuedBytes = 0;
      destroyConnection(this.core);
      throw err;
    }
  }

  /** The next event; rejects with BinlogServerError, BinlogConnectionError, a parse error, or the signal's reason. */
  next(signal?: AbortSignal): Promise<BinlogEvent> {
    if (this.closed) return Promise.reject(new BinlogStreamClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.queueHead < this.queue.length) {
      try {
        return Promise.resolve(this.take());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (this.waiters.length === 0 && this.failure !== null) return Promise.reject(this.failure);
    return new Promise<BinlogEvent>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  /** Events received and not yet taken by `next()`. */
  get bufferedEvents(): number {
    return this.queue.length - this.queueHead;
  }

  /** Whether reading from the server is paused because the consumer lags. */
  get readingPaused(): boolean {
    return this.paused;
  }

  /** Ends the connection at once; waiting `next()` calls reject with BinlogStreamClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.queueHead = 0;
    this.queuedBytes = 0;
    const waiters = this.waiters.splice(0);
    for (const w of waiters) {
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.reject(new BinlogStreamClosedError());
    }
    destroyConnection(this.core);
    void this.conn;
  }
}
