import { beforeAll, describe, expect, test } from 'vitest';
import { startTestMariaDb, type MariaDbServer } from '../../../helpers/mariadb.js';
import { until } from '../../../helpers/until.js';
import { BinlogStream, type BinlogStreamOptions } from '../../../../connectors/mysql/binlog/binlog-stream.js';
import { BinlogConnectionError } from '../../../../connectors/mysql/binlog/binlog-errors.js';
import { RowImageError } from '../../../../connectors/mysql/binlog/rows-decoder.js';
import { tableDefinition } from './table-definitions.js';
import { changesOf, isQuery, readUntil } from './stream-helpers.js';

let server: MariaDbServer;
let nextServerId = 2000;

beforeAll(async () => {
  server = await startTestMariaDb({ extraArgs: ['--max-allowed-packet=64M', '--binlog-row-metadata=FULL'] });
  await server.createCdcUser('cdc', 'cdc-pw');
  await server.query('CREATE DATABASE cdc');
});

async function open(options: Partial<BinlogStreamOptions> = {}): Promise<BinlogStream> {
  return BinlogStream.open({
    connection: { host: server.host, port: server.port, user: 'cdc', password: 'cdc-pw' },
    serverId: nextServerId++,
    start: { kind: 'position', file: 'mysql-bin.000001', pos: 4 },
    ...options,
  });
}

describe('BinlogStream limits and failures against MariaDB', () => {
  test('a row event over 16 MiB arrives whole (packets reassembled) and decodes', async () => {
    await server.query('CREATE TABLE cdc.big (id INT PRIMARY KEY, body LONGBLOB)');
    await server.query("INSERT INTO cdc.big VALUES (1, REPEAT('x', 20 * 1024 * 1024))");
    await server.query('CREATE TABLE cdc.big_done (x INT)');
    const stream = await open();
    try {
      const events = await readUntil(stream, isQuery(/big_done/));
      const def = tableDefinition('cdc', 'big', [{ name: 'id', type: 'INT', optional: false }, { name: 'body', type: 'LONGBLOB' }]);
      const [change] = changesOf(events, def);
      const body = change!.after![1] as Buffer;
      expect(body.length).toBe(20 * 1024 * 1024);
      expect(body.every((b) => b === 0x78)).toBe(true);
    } finally {
      await stream.close();
    }
  });

  test('FULL row metadata: the table map carries column names, signedness, charsets, ENUM/SET members and the primary key', async () => {
    await server.query(`CREATE TABLE cdc.meta (a INT UNSIGNED, b VARCHAR(5) CHARACTER SET latin1, id BIGINT NOT NULL,
      e ENUM('x','yy'), s SET('p','q'), d DECIMAL(5,2), PRIMARY KEY (id, a)) DEFAULT CHARSET=utf8mb4`);
    await server.query("INSERT INTO cdc.meta VALUES (1, 'b', 2, 'yy', 'p,q', -1.5)");
    const stream = await open();
    try {
      const events = await readUntil(stream, (e) => e.type === 'table-map' && e.table === 'meta');
      const map = events[events.length - 1]!;
      expect(map).toMatchObject({
        type: 'table-map', database: 'cdc', table: 'meta',
        metadata: {
          columnNames: ['a', 'b', 'id', 'e', 's', 'd'],
          signedness: [true, undefined, false, undefined, undefined, false],
          enumValues: [undefined, undefined, undefined, ['x', 'yy'], undefined, undefined],
          setValues: [undefined, undefined, undefined, undefined, ['p', 'q'], undefined],
          primaryKey: [2, 0],
        },
      });
      // latin1_swedish_ci is collation 8.
      expect(map.type === 'table-map' && map.metadata.charsets?.[1]).toBe(8);
    } finally {
      await stream.close();
    }
  });

  test('a row image without every column is refused with the setting to change', async () => {
    await server.query('CREATE TABLE cdc.minimal (id INT PRIMARY KEY, a INT, b INT)');
    await server.query('INSERT INTO cdc.minimal VALUES (1, 1, 1)');
    await server.query("SET SESSION binlog_row_image = 'MINIMAL'; UPDATE cdc.minimal SET a = 2 WHERE id = 1; CREATE TABLE cdc.minimal_done (x INT)");
    const stream = await open();
    try {
      const events = await readUntil(stream, isQuery(/minimal_done/));
      const def = tableDefinition('cdc', 'minimal', [{ name: 'id', type: 'INT' }, { name: 'a', type: 'INT' }, { name: 'b', type: 'INT' }]);
      expect(() => changesOf(events, def)).toThrow(RowImageError);
      expect(() => changesOf(events, def)).toThrow(/binlog_row_image=FULL/);
    } finally {
      await stream.close();
    }
  });

  test('a consumer that lags pauses reading; draining resumes it and loses nothing', async () => {
    await server.query('CREATE TABLE cdc.many (id INT PRIMARY KEY)');
    for (let batch = 0; batch < 20; batch++) {
      await server.query(Array.from({ length: 100 }, (_, k) => `INSERT INTO cdc.many VALUES (${batch * 100 + k})`).join('; '));
    }
    await server.query('CREATE TABLE cdc.many_done (x INT)');
    const stream = await open({ maxBufferedEvents: 50 });
    try {
      await until(() => stream.readingPaused, { what: 'reading paused' });
      // Paused: the queue stops growing far beyond the limit (one socket chunk at most).
      const held = stream.bufferedEvents;
      await new Promise((r) => setTimeout(r, 200));
      expect(stream.bufferedEvents).toBe(held);
      const events = await readUntil(stream, isQuery(/many_done/));
      const def = tableDefinition('cdc', 'many', [{ name: 'id', type: 'INT', optional: false }]);
      expect(changesOf(events, def).map((c) => c.after![0])).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    } finally {
      await stream.close();
    }
  });

  test('a server restart mid-stream makes next() reject with a connection error', async () => {
    const stream = await open();
    try {
      await readUntil(stream, (e) => e.type === 'format-description');
      const failed = readUntil(stream, () => false, 60_000).catch((e: unknown) => e);
      await server.restart();
      const err = await failed;
      expect(err).toBeInstanceOf(BinlogConnectionError);
      await expect(stream.next()).rejects.toBe(err);
    } finally {
      await stream.close();
    }
  });
});
