/**
 * Where the binlog reader stands, in Debezium's terms, so that every record carries an offset
 * a restarted task (ferry's or Debezium's) resumes from without losing or repeating a change.
 *
 * Rules (as Debezium's binlog offset context applies them):
 * - Between transactions the restart point is the next event (`logPos`).
 * - A transaction's first event (BEGIN query, or MariaDB's GTID event) fixes the restart point
 *   at its own start; every event handled after that, the first included, counts in `event`.
 * - A row's offset names the rows to skip in the rows event being emitted: `row` = index + 1.
 * - At commit (XID, COMMIT) the restart point moves past the commit and the GTID set grows by
 *   the transaction's GTID; the set in an offset is always the one completed *before* the
 *   transaction in progress.
 * - A restart first skips `event` events after the transaction start (still reading table maps)
 *   and then `row` rows of the next rows event.
 */
import { MariaDbGtidPosition, MySqlGtidSet } from '../binlog/gtid-set.js';
import type { EventHeader } from '../binlog/binlog-event.js';
import type { BinlogOffset } from '../offsets/binlog-offset.js';

interface GtidSetValue {
  add(gtid: string): GtidSetValue;
  toString(): string;
}

function parseGtids(flavor: 'mysql' | 'mariadb', text: string | null): GtidSetValue | null {
  if (text === null || text.trim() === '') return null;
  return flavor === 'mariadb' ? MariaDbGtidPosition.parse(text) : MySqlGtidSet.parse(text);
}

function emptyGtids(flavor: 'mysql' | 'mariadb'): GtidSetValue {
  return flavor === 'mariadb' ? MariaDbGtidPosition.empty() : MySqlGtidSet.empty();
}

export class BinlogPositionTracker {
  readonly #flavor: 'mysql' | 'mariadb';
  #file: string;
  #eventStart = 0;
  #eventSize = 0;
  #restartFile: string;
  #restartPos: number;
  #restartGtids: GtidSetValue | null;
  #currentGtids: GtidSetValue | null;
  #restartEvents = 0;
  #restartRows = 0;
  #inTransaction = false;
  #serverId: number;
  #tsSec: number | null;
  #gtid: string | null = null;
  #threadId: number | null = null;
  // Skipping what a previous run already emitted.
  #eventsToSkip: number;
  #skipping = false;
  #startingRow: number;

  constructor(start: BinlogOffset, flavor: 'mysql' | 'mariadb') {
    this.#flavor = flavor;
    this.#file = start.file;
    this.#restartFile = start.file;
    this.#restartPos = start.pos;
    this.#restartGtids = parseGtids(flavor, start.gtids);
    this.#currentGtids = this.#restartGtids;
    this.#serverId = start.serverId;
    this.#tsSec = start.tsSec;
    this.#eventsToSkip = start.event;
    this.#startingRow = start.row;
  }

  get file(): string { return this.#file; }
  get gtid(): string | null { return this.#gtid; }
  get threadId(): number | null { return this.#threadId; }
  get serverId(): number { return this.#serverId; }
  get inTransaction(): boolean { return this.#inTransaction; }
  /** Start of the event being handled (`pos` of the source block). */
  get eventPosition(): number { return this.#eventStart; }
  /** True while the events of a transaction emitted by a previous run are being passed over. */
  get skippingEvent(): boolean { return this.#skipping; }

  /** A ROTATE names the file (and position) the following events come from. */
  rotate(file: string, position: number): void {
    this.#file = file;
    this.#restartFile = file;
    this.#restartPos = position;
    this.#restartEvents = 0;
    this.#restartRows = 0;
  }

  /** Called for every event before it is handled. */
  beforeEvent(header: EventHeader): void {
    if (header.serverId !== 0) this.#serverId = header.serverId;
    if (header.timestamp !== 0) this.#tsSec = header.timestamp;
    if (header.logPos > 0) {
      this.#eventStart = header.logPos - header.eventSize;
      this.#eventSize = header.eventSize;
      if (!this.#inTransaction) {
        this.#restartPos = header.logPos;
        this.#restartEvents = 0;
        this.#restartRows = 0;
      }
    }
  }

  /** A GTID event: the GTID of the transaction that follows. */
  startGtid(gtid: string): void {
    this.#gtid = gtid;
    const base = this.#currentGtids ?? emptyGtids(this.#flavor);
    this.#restartGtids = this.#currentGtids;
    this.#currentGtids = base.add(gtid);
  }

  beginTransaction(threadId: number | null): void {
    this.#restartEvents = 0;
    this.#restartRows = 0;
    this.#restartFile = this.#file;
    this.#restartPos = this.#eventStart;
    this.#inTransaction = true;
    if (threadId !== null) this.#threadId = threadId;
    if (this.#eventsToSkip > 0) this.#skipping = true;
  }

  commitTransaction(): void {
    this.#restartGtids = this.#currentGtids;
    this.#restartFile = this.#file;
    this.#restartPos = this.#eventStart + this.#eventSize;
    this.#restartEvents = 0;
    this.#restartRows = 0;
    this.#inTransaction = false;
  }

  /** A statement outside any transaction (DDL) completed: its GTID now counts as done. */
  completeStandaloneStatement(): void {
    this.#restartGtids = this.#currentGtids;
  }

  /** Called for every event after it was handled. */
  afterEvent(): void {
    if (this.#inTransaction) this.#restartEvents++;
    if (this.#skipping) {
      this.#eventsToSkip--;
      this.#skipping = this.#eventsToSkip > 0;
    }
  }

  /** Rows of the current rows event that a previous run emitted; 0 from then on. */
  takeRowsToSkip(): number {
    const rows = this.#startingRow;
    this.#startingRow = 0;
    return rows;
  }

  /** The offset of row `index` of a rows event with `count` rows. */
  rowOffset(index: number): BinlogOffset {
    this.#restartRows = index + 1;
    return this.offset();
  }

  /** All rows of the current rows event were emitted. */
  rowsEventCompleted(): void {
    this.#restartRows = 0;
  }

  /** The restart point as it stands now. */
  offset(): BinlogOffset {
    return {
      file: this.#restartFile,
      pos: this.#restartPos,
      gtids: this.#restartGtids === null ? null : (this.#restartGtids.toString() || null),
      event: this.#restartEvents,
      row: this.#restartRows,
      serverId: this.#serverId,
      tsSec: this.#tsSec,
      snapshot: null,
      incremental: {},
    };
  }

  /** The GTID set including the transaction in progress (for `source.gtid` bookkeeping and logs). */
  currentGtids(): string | null {
    return this.#currentGtids === null ? null : (this.#currentGtids.toString() || null);
  }
}
