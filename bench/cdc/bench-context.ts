/** What the phases of the CDC benchmark share: the database, the ferry process, an admin client, the runs' time windows. */
import type { Admin } from 'kafkajs';
import type { MariaDbServer } from '../../test/helpers/mariadb-server.js';
import type { FerryProcess } from '../runtime/ferry-process.js';
import type { TimeWindow } from '../runtime/profile-hotspots.js';
import { connectorStatus, rest, waitFor } from '../distributed/worker-cluster.js';
import type { ConverterVariant } from './connector-configs.js';
import { phaseLine } from '../phase-progress.js';

/** How long a topic may stop growing before a run fails. */
export const STALL_MS = 60_000;
/** Settling time before an idle RSS reading. */
export const SETTLE_MS = 3000;

export interface BenchContext {
  db: MariaDbServer;
  dbPid: number;
  ferry: FerryProcess;
  admin: Admin;
  variants: ConverterVariant[];
  /** Each run's window on the monotonic clock, to cut its samples out of a CPU profile. */
  windows: Map<string, TimeWindow>;
}

export function log(line: string): void {
  phaseLine(line);
}

export function settle(ms = SETTLE_MS): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const MEMBERSHIP_LOST = 'group membership lost; giving up all work';

/**
 * How often, since `sinceEpochMs`, the worker lost its group membership (its heartbeats went
 * unanswered for session.timeout.ms, e.g. a blocked event loop): each time it stops all work
 * and restarts the task, and an unfinished snapshot starts again. Read from ferry's JSON log.
 */
export function membershipLosses(ctx: BenchContext, sinceEpochMs: number): number {
  let count = 0;
  for (const line of ctx.ferry.output().split('\n')) {
    if (!line.includes(MEMBERSHIP_LOST)) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; time?: number };
      if (entry.msg === MEMBERSHIP_LOST && (entry.time ?? 0) >= sinceEpochMs) count++;
    } catch {
      // a line cut by the output buffer
    }
  }
  return count;
}

/** The connector's and its tasks' states and traces, and lost group memberships, for an error message. */
export async function describeConnector(ctx: BenchContext, name: string, sinceEpochMs = 0): Promise<string> {
  const res = await rest(ctx.ferry.rest, 'GET', `/connectors/${encodeURIComponent(name)}/status`);
  const losses = membershipLosses(ctx, sinceEpochMs);
  return `${JSON.stringify(res.body, null, 2)}${losses > 0 ? `\nthe worker lost its group membership ${losses} time(s) during the run (so the task was restarted)` : ''}`;
}

/** A REST call that must succeed. */
export async function restCall<T = unknown>(ctx: BenchContext, method: string, urlPath: string, body?: unknown): Promise<T> {
  const res = await rest<T>(ctx.ferry.rest, method, urlPath, body);
  if (res.status >= 300) throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits until the connector is in `state` and (unless STOPPED) every task too; fails fast on FAILED. */
export async function untilState(ctx: BenchContext, name: string, state: 'RUNNING' | 'STOPPED', timeoutMs = 60_000): Promise<void> {
  await waitFor(async () => {
    const s = await connectorStatus(ctx.ferry.rest, name);
    if (!s) return null;
    if (s.connector.state === 'FAILED' || s.tasks.some((t) => t.state === 'FAILED')) {
      throw new Error(`${name} FAILED:\n${await describeConnector(ctx, name)}`);
    }
    if (s.connector.state !== state) return null;
    return state === 'STOPPED' || (s.tasks.length > 0 && s.tasks.every((t) => t.state === state));
  }, timeoutMs, `${name} ${state}`, 100);
}
