/**
 * A private MariaDB server for tests and benchmarks: its own datadir, port and socket, a ROW
 * binlog with full row images, started from Debian's `mariadbd` and stopped with SIGTERM.
 *
 * It imports nothing from vitest, so benchmarks (compiled by tsc) can use it as well; tests
 * call `stopAllMariaDb()` from an afterAll hook (test/helpers/mariadb.ts does that).
 *
 * Readiness is a real `SELECT 1` as root over TCP: `mariadb-admin ping` reports success even
 * while logins are still refused.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

export interface MariaDbOptions {
  /** Extra mariadbd arguments, e.g. `--binlog-row-image=MINIMAL` or `--gtid-strict-mode=1`. */
  extraArgs?: string[];
  /** Server id (default 1). */
  serverId?: number;
  /** Reuse an existing datadir (a restart keeps the data and the binlog). */
  dataDir?: string;
  /** Fixed port; 0 or unset picks a free one. */
  port?: number;
}

export interface MariaDbServer {
  readonly port: number;
  readonly dataDir: string;
  readonly host: '127.0.0.1';
  /** A connection as root (password-less over TCP on 127.0.0.1); the caller ends it. */
  connect(database?: string): Promise<mysql.Connection>;
  /** Runs statements as root on a short-lived connection; returns the last result's rows. */
  query<T = mysql.RowDataPacket[]>(sql: string, params?: unknown[]): Promise<T>;
  /** Creates a user with the grants Debezium documents for CDC (or the ones given). */
  createCdcUser(user: string, password: string, grants?: string): Promise<void>;
  /** SIGTERM and wait for the server to exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash, for recovery tests. */
  kill(): Promise<void>;
  /** Stops (if running) and starts again on the same datadir and port. */
  restart(): Promise<void>;
  readonly running: boolean;
}

export const CDC_GRANTS = 'SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES';

const live = new Set<MariaDbServer>();
const children = new Set<ChildProcess>();
// A test process that dies without its afterAll must not leave servers behind.
process.once('exit', () => { for (const c of children) c.kill('SIGKILL'); });

/** True when Debian's MariaDB server binaries are installed (npm test installs them). */
export function mariaDbInstalled(): boolean {
  return fs.existsSync('/usr/sbin/mariadbd') && fs.existsSync('/usr/bin/mariadb-install-db');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function initialiseDataDir(dataDir: string): void {
  execFileSync('/usr/bin/mariadb-install-db', [
    '--no-defaults', '--user=root', `--datadir=${dataDir}`,
    '--auth-root-authentication-method=normal', '--skip-test-db',
  ], { stdio: 'pipe' });
}

export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDbServer> {
  if (!mariaDbInstalled()) {
    throw new Error('MariaDB is not installed: run `npm test` as root (it installs mariadb-server) or apt-get install mariadb-server');
  }
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-mariadb-'));
  const ownsDataDir = options.dataDir === undefined;
  if (!fs.existsSync(path.join(dataDir, 'mysql'))) initialiseDataDir(dataDir);
  const port = options.port && options.port > 0 ? options.port : await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  const launch = async (): Promise<void> => {
    log = '';
    const args = [
      '--no-defaults', '--user=root', `--datadir=${dataDir}`, `--port=${port}`, '--bind-address=127.0.0.1',
      `--socket=${path.join(dataDir, 'mysqld.sock')}`, `--pid-file=${path.join(dataDir, 'mysqld.pid')}`,
      `--server-id=${options.serverId ?? 1}`, `--log-bin=${path.join(dataDir, 'mysql-bin')}`,
      '--binlog-format=ROW', '--binlog-row-image=FULL', '--skip-name-resolve',
      '--innodb-buffer-pool-size=128M', '--innodb-log-file-size=64M', '--max-connections=200',
      '--skip-log-error', ...(options.extraArgs ?? []),
    ];
    const proc = spawn('/usr/sbin/mariadbd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    children.add(proc);
    proc.once('exit', () => children.delete(proc));
    proc.stdout?.on('data', (c: Buffer) => { log += c.toString(); });
    proc.stderr?.on('data', (c: Buffer) => { log += c.toString(); });
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`mariadbd exited during start-up (${proc.exitCode ?? proc.signalCode}):\n${log.slice(-4000)}`);
      }
      try {
        const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2000 });
        await conn.query('SELECT 1');
        await conn.end();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`mariadbd did not accept logins within 30 s: ${String(err)}\n${log.slice(-4000)}`, { cause: err });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child as ChildProcess | null;
    if (proc === null) return;
    child = null;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };

  await launch();
  const server: MariaDbServer = {
    port,
    dataDir,
    host: '127.0.0.1',
    get running() { return child !== null; },
    connect: (database) => mysql.createConnection({
      host: '127.0.0.1', port, user: 'root', database, multipleStatements: true, supportBigNumbers: true, bigNumberStrings: true,
    }),
    async query<T>(sql: string, params?: unknown[]) {
      const conn = await server.connect();
      try {
        const [rows] = await conn.query(sql, params);
        return rows as T;
      } finally {
        await conn.end();
      }
    },
    async createCdcUser(user, password, grants = CDC_GRANTS) {
      await server.query(`CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '${password}'`);
      await server.query(`GRANT ${grants} ON *.* TO '${user}'@'%'`);
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    async restart() {
      await halt('SIGTERM');
      await launch();
    },
  };
  const originalStop = server.stop;
  server.stop = async () => {
    await originalStop();
    live.delete(server);
    if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  live.add(server);
  return server;
}

/** Stops every server this process started (tests: from afterAll). */
export async function stopAllMariaDb(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop()));
}
