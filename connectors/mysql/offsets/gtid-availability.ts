/**
 * Whether the server still holds every transaction after a stored GTID set, so a connector whose
 * binlog file is not on this server (a failover to another server, renamed files) can resume by
 * GTIDs instead of failing.
 *
 * MariaDB: the first binlog's GTID_LIST event is the state before everything the server still
 * has; the stored position must be at or past it in every replication domain. MySQL: every
 * purged GTID (@@gtid_purged) must be in the stored set.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { MariaDbGtidPosition, MySqlGtidSet, parseMariaDbGtid } from '../binlog/gtid-set.js';

export async function gtidsStillAvailable(conn: Connection, flavor: 'mysql' | 'mariadb', gtids: string, oldestBinlog: string | undefined): Promise<boolean> {
  try {
    if (flavor === 'mysql') {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT @@GLOBAL.gtid_purged AS purged');
      const purged = String(rows[0]?.purged ?? '').replace(/\s+/g, '');
      return purged === '' || MySqlGtidSet.parse(gtids).containsAll(MySqlGtidSet.parse(purged));
    }
    if (oldestBinlog === undefined) return false;
    const [events] = await conn.query<RowDataPacket[]>(`SHOW BINLOG EVENTS IN ${conn.escape(oldestBinlog)} LIMIT 6`);
    const list = events.find((e) => String(e.Event_type) === 'Gtid_list');
    if (list === undefined) return false;
    const entries = String(list.Info ?? '').replace(/[[\]\s]/g, '').split(',').filter((e) => e !== '');
    const position = MariaDbGtidPosition.parse(gtids);
    return entries.every((entry) => {
      const gtid = parseMariaDbGtid(entry);
      const ours = position.sequenceIn(gtid.domainId);
      return gtid.sequence === 0n || (ours !== undefined && ours >= gtid.sequence);
    });
  } catch {
    return false;
  }
}
