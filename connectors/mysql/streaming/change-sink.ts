/**
 * Where the binlog reader hands what it decoded: it knows positions and rows, the sink knows how
 * Debezium shapes them into records. Each call resolves once the records are queued (false when
 * the task is stopping), so a slow consumer slows the reader.
 */
import type { EventHeader, RowsKind } from '../binlog/binlog-event.js';
import type { RowChange } from '../binlog/rows-decoder.js';
import type { BinlogOffset } from '../offsets/binlog-offset.js';
import type { TableDefinition } from '../schema/table-definition.js';

export interface RowsContext {
  readonly table: TableDefinition;
  readonly kind: RowsKind;
  readonly header: EventHeader;
  readonly file: string;
  /** Start of the rows event in the file (`source.pos`). */
  readonly eventPosition: number;
  readonly gtid: string | null;
  readonly threadId: number | null;
  /** The statement, when include.query is on and the server annotated the rows. */
  readonly query: string | null;
}

export interface ChangeSink {
  /** One row of a rows event (`rowIndex` is its index in the event, for `source.row`). */
  row(context: RowsContext, change: RowChange, rowIndex: number, offset: BinlogOffset, signal: AbortSignal): Promise<boolean>;
  /** A heartbeat carrying the current restart point. */
  heartbeat(offset: BinlogOffset, signal: AbortSignal): Promise<boolean>;
  /** A transaction starts (its BEGIN record, with provide.transaction.metadata). */
  transactionBegin?(id: string, header: EventHeader, offset: BinlogOffset, emit: boolean, signal: AbortSignal): Promise<boolean>;
  /** The transaction in progress committed (its END record). */
  transactionEnd?(header: EventHeader, offset: BinlogOffset, signal: AbortSignal): Promise<boolean>;
}
