/** Which schema history records apply at a restart offset: by GTIDs when both carry them, else by file and position. */
import { describe, expect, it } from 'vitest';
import { parseBinlogOffset } from '../../../../connectors/mysql/offsets/binlog-offset.js';
import { historyRecordApplies } from '../../../../connectors/mysql/offsets/history-position.js';

const restart = (map: Record<string, unknown>) => parseBinlogOffset(map);

describe('historyRecordApplies', () => {
  it('orders positions by file number, position, events and rows without GTIDs', () => {
    const at = restart({ file: 'mysql-bin.000003', pos: 500, event: 2 });
    expect(historyRecordApplies({ file: 'mysql-bin.000002', pos: 9000 }, at, 'mysql')).toBe(true);
    expect(historyRecordApplies({ file: 'mysql-bin.000003', pos: 500 }, at, 'mysql')).toBe(true);
    expect(historyRecordApplies({ file: 'mysql-bin.000003', pos: 501 }, at, 'mysql')).toBe(false);
    expect(historyRecordApplies({ file: 'mysql-bin.000004', pos: 4 }, at, 'mysql')).toBe(false);
  });

  it('decides by MariaDB GTID positions, whatever the files are called', () => {
    const at = restart({ file: 'other-host-bin.000001', pos: 4, gtids: '0-1-50,1-2-7' });
    expect(historyRecordApplies({ file: 'mysql-bin.000009', pos: 800, gtids: '0-1-49,1-2-7' }, at, 'mariadb')).toBe(true);
    expect(historyRecordApplies({ file: 'mysql-bin.000009', pos: 900, gtids: '0-1-51,1-2-7' }, at, 'mariadb')).toBe(false);
    expect(historyRecordApplies({ file: 'mysql-bin.000009', pos: 900, gtids: '0-1-50,1-2-8' }, at, 'mariadb')).toBe(false);
  });

  it('decides by MySQL GTID sets: the restart set must contain the record\'s', () => {
    const uuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
    const at = restart({ file: 'binlog.000001', pos: 4, gtids: `${uuid}:1-20` });
    expect(historyRecordApplies({ file: 'binlog.000007', pos: 100, gtids: `${uuid}:1-19` }, at, 'mysql')).toBe(true);
    expect(historyRecordApplies({ file: 'binlog.000007', pos: 100, gtids: `${uuid}:1-21` }, at, 'mysql')).toBe(false);
  });

  it('falls back to positions when the GTID sets are equal, and refuses a record without a file', () => {
    const at = restart({ file: 'mysql-bin.000002', pos: 700, gtids: '0-1-5' });
    expect(historyRecordApplies({ file: 'mysql-bin.000002', pos: 600, gtids: '0-1-5' }, at, 'mariadb')).toBe(true);
    expect(historyRecordApplies({ file: 'mysql-bin.000002', pos: 800, gtids: '0-1-5' }, at, 'mariadb')).toBe(false);
    expect(historyRecordApplies({ pos: 1 }, at, 'mariadb')).toBe(false);
  });
});
