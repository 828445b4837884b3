/**
 * Which schema history records apply at a restart offset: those at or before it. When both sides
 * carry GTIDs the GTID sets decide (positions in different files after a failover still compare
 * right), as Debezium's binlog history comparator does; otherwise file, position, events, rows.
 */
import { MariaDbGtidPosition, MySqlGtidSet } from '../binlog/gtid-set.js';
import { compareBinlogPositions, parseBinlogOffset, type BinlogOffset } from './binlog-offset.js';

function gtidsAtOrBefore(flavor: 'mysql' | 'mariadb', record: string, restart: string): boolean | null {
  try {
    if (flavor === 'mysql') {
      const a = MySqlGtidSet.parse(record);
      const b = MySqlGtidSet.parse(restart);
      if (a.equals(b)) return null;
      return b.containsAll(a);
    }
    const a = MariaDbGtidPosition.parse(record);
    const b = MariaDbGtidPosition.parse(restart);
    if (a.toString() === b.toString()) return null;
    return a.gtids().every((g) => {
      const seq = b.sequenceIn(g.domainId);
      return seq !== undefined && seq >= g.sequence;
    });
  } catch {
    return null;
  }
}

/** True when the history record at `position` belongs to the schema in force at `restart`. */
export function historyRecordApplies(position: Readonly<Record<string, unknown>>, restart: BinlogOffset, flavor: 'mysql' | 'mariadb'): boolean {
  let record: BinlogOffset;
  try {
    record = parseBinlogOffset(position);
  } catch {
    return false;
  }
  if (record.gtids !== null && restart.gtids !== null) {
    const byGtids = gtidsAtOrBefore(flavor, record.gtids, restart.gtids);
    if (byGtids !== null) return byGtids;
  }
  return compareBinlogPositions(record, restart) <= 0;
}
