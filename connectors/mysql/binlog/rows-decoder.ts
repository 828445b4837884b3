/**
 * Row images of a rows event → RowChange values in the table's column order.
 *
 * Body layout (after the post-header, `RowsEvent.raw`): lenenc column count, columns-present
 * bitmap (and a second one for UPDATE), then rows until the end: per image a null bitmap over
 * the present columns followed by the values of the present, non-null columns. Each UPDATE row
 * is a before/after pair.
 *
 * CDC needs whole rows: an image that lacks a column (binlog_row_image=MINIMAL or NOBLOB) is an
 * error saying so, never a row with holes. The map's column count and types must agree with the
 * definition (a stale schema would otherwise decode garbage).
 */
import type { TableDefinition } from '../schema/table-definition.js';
import type { ColumnValue, RowValues } from '../values/column-value.js';
import { BinlogFormatError, ByteReader } from './byte-reader.js';
import type { RowsEvent, TableMapEvent } from './binlog-event.js';
import { columnReader, type ColumnReader } from './column-decoder.js';

export interface RowChange {
  /** The row before the change (update, delete); null for inserts. */
  readonly before: RowValues | null;
  /** The row after the change (insert, update); null for deletes. */
  readonly after: RowValues | null;
}

export class RowImageError extends BinlogFormatError {
  constructor(message: string) {
    super(message);
    this.name = 'RowImageError';
  }
}

interface Plan {
  readonly table: TableDefinition;
  readonly readers: readonly ColumnReader[];
}

const plans = new WeakMap<TableMapEvent, Plan>();

function planFor(map: TableMapEvent, table: TableDefinition): Plan {
  const cached = plans.get(map);
  if (cached && cached.table === table) return cached;
  const name = `${table.id.database}.${table.id.table}`;
  if (map.columnTypes.length !== table.columns.length) {
    throw new RowImageError(
      `table ${name}: the binlog table map has ${map.columnTypes.length} columns but the table definition has ${table.columns.length}: the schema is out of sync with the binlog`,
    );
  }
  const readers = table.columns.map((col, i) => columnReader(map.columnTypes[i]!, map.columnMeta[i]!, col, table));
  const plan = { table, readers };
  plans.set(map, plan);
  return plan;
}

function requireFull(bitmap: Buffer, count: number, image: string, name: string): void {
  for (let i = 0; i < count; i++) {
    if ((bitmap[i >> 3]! & (1 << (i & 7))) === 0) {
      throw new RowImageError(
        `table ${name}: the ${image} image lacks column ${i + 1}; CDC needs complete rows: set binlog_row_image=FULL on the server`,
      );
    }
  }
}

function readImage(r: ByteReader, plan: Plan): ColumnValue[] {
  const n = plan.readers.length;
  const nulls = r.bytes((n + 7) >> 3, 'row null bitmap');
  const values: ColumnValue[] = new Array<ColumnValue>(n);
  let at = r.pos;
  const buf = r.buf;
  for (let i = 0; i < n; i++) {
    if (nulls[i >> 3]! & (1 << (i & 7))) {
      values[i] = null;
      continue;
    }
    const { value, next } = plan.readers[i]!(buf, at);
    values[i] = value;
    at = next;
  }
  if (at > r.end) throw new RowImageError('row image runs past the end of the event');
  r.pos = at;
  return values;
}

export function decodeRows(event: RowsEvent, map: TableMapEvent, table: TableDefinition): RowChange[] {
  const name = `${table.id.database}.${table.id.table}`;
  if (event.tableId !== map.tableId) {
    throw new RowImageError(`rows event for table id ${event.tableId} decoded with the table map of id ${map.tableId} (${map.database}.${map.table})`);
  }
  const plan = planFor(map, table);
  const r = new ByteReader(event.raw);
  const count = r.lenenc('column count');
  if (count !== table.columns.length) {
    throw new RowImageError(`table ${name}: the rows event has ${count} columns but the table definition has ${table.columns.length}: the schema is out of sync with the binlog`);
  }
  const bitmapSize = (count + 7) >> 3;
  const first = r.bytes(bitmapSize, 'columns-present bitmap');
  requireFull(first, count, event.kind === 'write' ? 'after' : 'before', name);
  if (event.kind === 'update') requireFull(r.bytes(bitmapSize, 'columns-present bitmap (after)'), count, 'after', name);
  // Shrink the reader to the buffer end so column readers' bounds checks see the event's end.
  const buf = r.end === event.raw.length ? event.raw : event.raw.subarray(0, r.end);
  const rows = new ByteReader(buf, r.pos, buf.length);
  const out: RowChange[] = [];
  while (rows.remaining > 0) {
    if (event.kind === 'write') out.push({ before: null, after: readImage(rows, plan) });
    else if (event.kind === 'delete') out.push({ before: readImage(rows, plan), after: null });
    else {
      const before = readImage(rows, plan);
      out.push({ before, after: readImage(rows, plan) });
    }
  }
  return out;
}
