import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestMariaDb, type MariaDbServer } from '../../../helpers/mariadb.js';
import { BinlogStream, type BinlogStreamOptions } from '../../../../connectors/mysql/binlog/binlog-stream.js';
import { BinlogConnectionError, BinlogServerError, BinlogStreamClosedError } from '../../../../connectors/mysql/binlog/binlog-errors.js';
import { readServerBinlogState } from '../../../../connectors/mysql/binlog/server-binlog-state.js';
import { ALL_TYPES_DDL, ALL_TYPES_INSERTS, allTypes } from './all-types.js';
import { selectRows } from './select-values.js';
import { tableDefinition } from './table-definitions.js';
import { changesOf, isQuery, readUntil } from './stream-helpers.js';

let server: MariaDbServer;
const streams: BinlogStream[] = [];

beforeAll(async () => {
  server = await startTestMariaDb();
  await server.createCdcUser('cdc', 'cdc-pw');
  await server.query('CREATE DATABASE cdc');
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
});

async function open(options: Partial<BinlogStreamOptions> = {}): Promise<BinlogStream> {
  const stream = await BinlogStream.open({
    connection: { host: server.host, port: server.port, user: 'cdc', password: 'cdc-pw' },
    serverId: 1000 + streams.length,
    start: { kind: 'position', file: 'mysql-bin.000001', pos: 4 },
    ...options,
  });
  streams.push(stream);
  return stream;
}

async function run(sql: string): Promise<void> {
  const conn = await server.connect();
  try {
    await conn.query("SET time_zone = '+00:00', sql_mode = ''");
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

describe('BinlogStream against MariaDB', () => {
  test('every column type decodes to what SELECT returns, for inserts, updates and deletes', async () => {
    await run(ALL_TYPES_DDL);
    for (const sql of ALL_TYPES_INSERTS) await run(sql);
    const conn = await server.connect();
    const inserted = await selectRows(conn, allTypes);
    await run("UPDATE cdc.all_types SET vc = 'changed', biu = 1, tm6 = '-00:00:01.5' WHERE id = 2");
    const afterUpdate = await selectRows(conn, allTypes);
    await run('DELETE FROM cdc.all_types WHERE id = 3');
    await run('CREATE TABLE cdc.end_marker (x INT)');
    await conn.end();

    const stream = await open();
    const events = await readUntil(stream, isQuery(/end_marker/));
    const changes = changesOf(events, allTypes);

    expect(changes.map((c) => c.kind)).toEqual(['write', 'write', 'write', 'write', 'update', 'delete']);
    expect(changes.slice(0, 4).map((c) => c.after)).toEqual(inserted);
    expect(changes[4]!.before).toEqual(inserted[1]);
    expect(changes[4]!.after).toEqual(afterUpdate[1]);
    expect(changes[5]!.before).toEqual(inserted[2]);
    expect(changes[5]!.after).toBeNull();
    // Spot checks of what a user reads, independent of the SELECT baseline.
    const max = changes[1]!.after!;
    expect(max[10]).toBe(18446744073709551615n);
    expect(max[13]).toEqual({ kind: 'decimal', text: '99999999.99' });
    const min = changes[2]!.after!;
    expect(min[9]).toBe(-9223372036854775808n);
    expect(min[14]).toEqual({ kind: 'decimal', text: '-0.0000000001' });
    expect(min[20]).toEqual({ kind: 'date', year: 0, month: 0, day: 0 });
    expect(min[24]).toEqual({ kind: 'time', micros: -(838 * 3600 + 59 * 60 + 59) * 1_000_000 });
    expect(min[49]).toBe('');
  });

  test('streams from a position in the middle of the binlog, and events carry the positions to resume from', async () => {
    await run('CREATE TABLE cdc.mid (id INT PRIMARY KEY, v VARCHAR(10))');
    await run("INSERT INTO cdc.mid VALUES (1, 'one')");
    const conn = await server.connect();
    const state = await readServerBinlogState(conn);
    await conn.end();
    await run("INSERT INTO cdc.mid VALUES (2, 'two')");
    await run("INSERT INTO cdc.mid VALUES (3, 'three')");

    const stream = await open({ start: { kind: 'position', file: state.file!, pos: state.position! } });
    const seen = await readUntil(stream, (e) => e.type === 'rows' && e.raw.includes(Buffer.from('three')));
    const def = tableDefinition('cdc', 'mid', [
      { name: 'id', type: 'INT', optional: false }, { name: 'v', type: 'VARCHAR', length: 10, charset: 'utf8mb4' },
    ]);
    expect(seen[0]!.type).toBe('rotate');
    expect(seen[0]).toMatchObject({ nextFile: state.file, nextPosition: state.position });
    expect(changesOf(seen, def).map((c) => c.after)).toEqual([[2, 'two'], [3, 'three']]);
  });

  test('a purged or missing binlog file surfaces as BinlogServerError 1236 with the server message', async () => {
    const stream = await open({ start: { kind: 'position', file: 'mysql-bin.999999', pos: 4 } });
    const err = await stream.next(AbortSignal.timeout(10_000)).then(() => readUntil(stream, () => false)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinlogServerError);
    expect((err as BinlogServerError).code).toBe(1236);
    expect((err as BinlogServerError).serverMessage).toMatch(/binary log|binlog/i);
    await expect(stream.next()).rejects.toBe(err);
  });

  test('starting from a MariaDB GTID position skips everything up to it', async () => {
    await run('CREATE TABLE cdc.g (id INT PRIMARY KEY)');
    await run('INSERT INTO cdc.g VALUES (1)');
    const conn = await server.connect();
    const state = await readServerBinlogState(conn);
    await conn.end();
    await run('INSERT INTO cdc.g VALUES (2)');
    const stream = await open({ start: { kind: 'mariadb-gtid', gtids: state.gtidBinlogPos! } });
    const events = await readUntil(stream, (e) => e.type === 'xid');
    const def = tableDefinition('cdc', 'g', [{ name: 'id', type: 'INT', optional: false }]);
    expect(changesOf(events, def).map((c) => c.after)).toEqual([[2]]);
    const gtid = events.find((e) => e.type === 'mariadb-gtid');
    const [domain, srv, seq] = state.gtidBinlogPos!.split('-').map(Number);
    expect(gtid).toMatchObject({ domainId: domain, serverId: srv, sequence: BigInt(seq! + 1), standalone: false });
  });

  test('heartbeats arrive while the server is idle', async () => {
    const stream = await open({ heartbeatIntervalMs: 200 });
    const events = await readUntil(stream, (e) => e.type === 'heartbeat', 10_000);
    const hb = events[events.length - 1]!;
    expect(hb).toMatchObject({ type: 'heartbeat', file: expect.stringMatching(/^mysql-bin\.\d+$/) });
  });

  test('close() mid-stream returns promptly and rejects a waiting next()', async () => {
    const stream = await open();
    await readUntil(stream, (e) => e.type === 'format-description');
    const idle = readUntil(stream, () => false, 30_000).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    const started = Date.now();
    await stream.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await idle).toBeInstanceOf(BinlogStreamClosedError);
    await expect(stream.next()).rejects.toBeInstanceOf(BinlogStreamClosedError);
  });

  test('readServerBinlogState reports flavor, settings, position, GTIDs and files', async () => {
    const conn = await server.connect();
    const state = await readServerBinlogState(conn);
    await conn.end();
    expect(state).toMatchObject({
      flavor: 'mariadb', serverId: 1, binlogFormat: 'ROW', binlogRowImage: 'FULL', binlogChecksum: 'CRC32',
      file: expect.stringMatching(/^mysql-bin\.\d+$/), gtidMode: null, gtidExecuted: null, gtidBinlogPos: expect.stringMatching(/^0-1-\d+$/),
    });
    expect(state.binaryLogs.map((f) => f.name)).toContain(state.file);
    expect(state.position).toBeGreaterThan(4);
  });

  test('a wrong password is a server error (1045), a closed port a connection error', async () => {
    const denied = await BinlogStream.open({
      connection: { host: server.host, port: server.port, user: 'cdc', password: 'wrong' }, serverId: 77, start: { kind: 'position', file: 'mysql-bin.000001', pos: 4 },
    }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(BinlogServerError);
    expect((denied as BinlogServerError).code).toBe(1045);
    const refused = await BinlogStream.open({
      connection: { host: '127.0.0.1', port: 1, user: 'cdc', password: 'x' }, serverId: 78, start: { kind: 'position', file: 'mysql-bin.000001', pos: 4 },
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BinlogConnectionError);
  });
});
