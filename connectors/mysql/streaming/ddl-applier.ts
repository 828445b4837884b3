/**
 * What the binlog reader does with a statement that is not transaction control: the applier
 * parses it, updates the schema model, stores it in the schema history (before any row that
 * depends on it), and publishes schema-change and truncate events.
 */
import type { EventHeader } from '../binlog/binlog-event.js';
import type { BinlogOffset } from '../offsets/binlog-offset.js';

export interface DdlStatement {
  readonly sql: string;
  /** The statement's default database (`''` when none). */
  readonly database: string;
  readonly header: EventHeader;
  readonly threadId: number;
  /** The restart point right after the statement: its position in the schema history. */
  readonly position: () => BinlogOffset;
  readonly gtid: string | null;
  readonly file: string;
  readonly eventPosition: number;
  readonly serverId: number;
}

export interface DdlApplier {
  apply(statement: DdlStatement, signal: AbortSignal): Promise<void>;
}
