/** Reading a BinlogStream in tests: collect events up to a condition, decode a table's row changes. */
import type { BinlogEvent, TableMapEvent } from '../../../../connectors/mysql/binlog/binlog-event.js';
import type { BinlogStream } from '../../../../connectors/mysql/binlog/binlog-stream.js';
import { decodeRows, type RowChange } from '../../../../connectors/mysql/binlog/rows-decoder.js';
import type { TableDefinition } from '../../../../connectors/mysql/schema/table-definition.js';

/** Reads events until `stop` says so (that event included); fails after `timeoutMs`. */
export async function readUntil(stream: BinlogStream, stop: (e: BinlogEvent) => boolean, timeoutMs = 20_000): Promise<BinlogEvent[]> {
  const events: BinlogEvent[] = [];
  const signal = AbortSignal.timeout(timeoutMs);
  for (;;) {
    const e = await stream.next(signal);
    events.push(e);
    if (stop(e)) return events;
  }
}

export interface DecodedChange extends RowChange {
  kind: 'write' | 'update' | 'delete';
}

/** Row changes of `table` in `events`, decoded with the table maps seen before them. */
export function changesOf(events: BinlogEvent[], table: TableDefinition): DecodedChange[] {
  const maps = new Map<bigint, TableMapEvent>();
  const out: DecodedChange[] = [];
  for (const e of events) {
    if (e.type === 'table-map') maps.set(e.tableId, e);
    if (e.type === 'rows') {
      const map = maps.get(e.tableId)!;
      if (map.database !== table.id.database || map.table !== table.id.table) continue;
      for (const change of decodeRows(e, map, table)) out.push({ kind: e.kind, ...change });
    }
  }
  return out;
}

export const isQuery = (sql: RegExp) => (e: BinlogEvent): boolean => e.type === 'query' && sql.test(e.sql);
