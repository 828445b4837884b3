/**
 * The streaming baseline: `mariadb-binlog --read-from-remote-server` (Debian's mysqlbinlog) of
 * exactly the binlog range the connector drains, written to /dev/null. Plain, it fetches the
 * events over the replication protocol and prints each row event as base64 (the server's
 * ceiling for shipping that range to one replica); with `--verbose` it also decodes every row
 * into pseudo-SQL, closer to the connector's own work.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { reapedChildrenCpuSeconds } from '../broker/proc-stats.js';
import type { BinlogPosition } from './bench-database.js';

export interface BinlogReadOutcome {
  seconds: number;
  /** CPU seconds of the mariadb-binlog process. */
  cpuSeconds: number;
}

const CANDIDATES = ['/usr/bin/mariadb-binlog', '/usr/bin/mysqlbinlog'];

export function binlogReader(): { path: string; version: string } | null {
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) return null;
  const out = spawnSync(found, ['--version'], { encoding: 'utf8' });
  return { path: found, version: (out.stdout || out.stderr).trim() };
}

export async function readBinlogRange(
  reader: string, port: number, from: BinlogPosition, to: BinlogPosition, verbose: boolean,
): Promise<BinlogReadOutcome> {
  if (from.file !== to.file) throw new Error(`the range crosses binlog files (${from.file} to ${to.file})`);
  const args = [
    '--no-defaults', '--read-from-remote-server', '--host', '127.0.0.1', '--port', String(port), '--user', 'root',
    `--start-position=${from.pos}`, `--stop-position=${to.pos}`, ...(verbose ? ['--verbose'] : []), from.file,
  ];
  const out = fs.openSync('/dev/null', 'w');
  const cpu0 = reapedChildrenCpuSeconds();
  const start = performance.now();
  try {
    const child = spawn(reader, args, { stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`${reader} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  } finally {
    fs.closeSync(out);
  }
  return { seconds: (performance.now() - start) / 1000, cpuSeconds: reapedChildrenCpuSeconds() - cpu0 };
}
