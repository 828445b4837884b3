/**
 * Debezium's binlog source offset (§1.7 of the connector reference): where a restarted task
 * resumes. `file`/`pos` name the start of the transaction in progress (or the next event when
 * between transactions), `gtids` the GTID set completed before it, `event` how many events of
 * that transaction were already handled (the transaction's first event counts) and `row` how
 * many rows of the next rows event to skip. Keys that are zero or unset are left out, as
 * Debezium does, so either side reads the other's offsets.
 */
import type { SourceOffset } from '../../sdk/connect-record.js';
import { ConnectError } from '../../sdk/errors.js';

export type SnapshotKind = 'INITIAL' | 'BLOCKING';

export interface BinlogOffset {
  readonly file: string;
  readonly pos: number;
  readonly gtids: string | null;
  readonly event: number;
  readonly row: number;
  readonly serverId: number;
  readonly tsSec: number | null;
  /** Set while an initial or blocking snapshot is under way (its rows carry it). */
  readonly snapshot: SnapshotKind | null;
  /** Incremental-snapshot state (Debezium's incremental_snapshot_* keys), kept opaque here. */
  readonly incremental: Readonly<Record<string, string>>;
}

export const SOURCE_PARTITION_KEY = 'server';

function asNumber(value: unknown, key: string): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new ConnectError(`Source offset '${key}' is not a number: ${JSON.stringify(value)}`);
  return n;
}

/** Reads an offset written by ferry or by Debezium; throws when `file` is missing, as Debezium does. */
export function parseBinlogOffset(map: Readonly<Record<string, unknown>>): BinlogOffset {
  const file = map.file;
  if (typeof file !== 'string' || file === '') throw new ConnectError("Source offset 'file' parameter is missing");
  const rawSnapshot = map.snapshot;
  let snapshot: SnapshotKind | null = null;
  if (rawSnapshot === true || rawSnapshot === 'true' || rawSnapshot === 'INITIAL') snapshot = 'INITIAL';
  else if (rawSnapshot === 'BLOCKING') snapshot = 'BLOCKING';
  const incremental: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    if (key.startsWith('incremental_snapshot_') && typeof value === 'string') incremental[key] = value;
  }
  return {
    file,
    pos: asNumber(map.pos, 'pos'),
    gtids: typeof map.gtids === 'string' && map.gtids.trim() !== '' ? map.gtids.replace(/[\r\n]/g, '') : null,
    event: asNumber(map.event, 'event'),
    row: asNumber(map.row, 'row'),
    serverId: asNumber(map.server_id, 'server_id'),
    tsSec: map.ts_sec === undefined || map.ts_sec === null ? null : asNumber(map.ts_sec, 'ts_sec'),
    snapshot,
    incremental,
  };
}

/** The offset map as Debezium writes it (key order as in its offsets topic records). */
export function binlogOffsetMap(offset: BinlogOffset): SourceOffset {
  const map: Record<string, string | number> = {};
  if (offset.tsSec !== null) map.ts_sec = offset.tsSec;
  map.file = offset.file;
  map.pos = offset.pos;
  if (offset.gtids !== null) map.gtids = offset.gtids;
  if (offset.row !== 0) map.row = offset.row;
  if (offset.serverId !== 0) map.server_id = offset.serverId;
  if (offset.event !== 0) map.event = offset.event;
  if (offset.snapshot !== null) map.snapshot = offset.snapshot;
  for (const [key, value] of Object.entries(offset.incremental)) map[key] = value;
  return map;
}

/** The numeric suffix of a binlog file name (`mysql-bin.000012` → 12), for ordering files. */
export function binlogFileIndex(file: string): number {
  const match = /\.(\d+)$/.exec(file);
  return match ? Number(match[1]) : 0;
}

/** Orders two positions in the binlog: file, then pos, then events and rows within a transaction. */
export function compareBinlogPositions(a: Pick<BinlogOffset, 'file' | 'pos' | 'event' | 'row'>, b: Pick<BinlogOffset, 'file' | 'pos' | 'event' | 'row'>): number {
  return (binlogFileIndex(a.file) - binlogFileIndex(b.file))
    || (a.pos - b.pos)
    || (a.event - b.event)
    || (a.row - b.row);
}
