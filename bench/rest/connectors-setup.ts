/**
 * The connectors the REST benchmark reads the status of: FileStreamSource connectors, each
 * on its own one-line file and topic, created over REST with an initial state (PAUSED by
 * default: connector and task exist and have a status, but use no CPU while the load runs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { connectorStatus, describeStatuses, type ConnectorStatus } from '../runtime/connect-rest.js';

export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED';
export const INITIAL_STATES: InitialState[] = ['RUNNING', 'PAUSED', 'STOPPED'];

const POLL_MS = 200;

/** Names of equal length, so every status body has the same size. */
export function connectorNames(count: number): string[] {
  const width = Math.max(3, String(count - 1).length);
  return Array.from({ length: count }, (_, i) => `rest-bench-${String(i).padStart(width, '0')}`);
}

export function statusPath(name: string): string {
  return `/connectors/${encodeURIComponent(name)}/status`;
}

export async function createConnectors(rest: string, names: string[], state: InitialState, fileDir: string): Promise<void> {
  fs.mkdirSync(fileDir, { recursive: true });
  for (const name of names) {
    const file = path.join(fileDir, `${name}.txt`);
    fs.writeFileSync(file, `${name}\n`);
    const res = await fetch(`${rest}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        config: { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file, topic: name },
        initial_state: state,
      }),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST /connectors ${name}: HTTP ${res.status} ${text}`);
  }
}

function settled(s: ConnectorStatus, state: InitialState): boolean {
  if (s.connector.state !== state) return false;
  if (state === 'STOPPED') return s.tasks.length === 0;
  return s.tasks.length === 1 && s.tasks[0]!.state === state;
}

/** Until every connector (and its task, unless STOPPED) reports `state`. */
export async function waitForStatuses(rest: string, names: string[], state: InitialState, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let pending = names;
  while (pending.length > 0) {
    const still: string[] = [];
    for (const name of pending) {
      try {
        if (!settled(await connectorStatus(rest, name), state)) still.push(name);
      } catch {
        still.push(name);
      }
    }
    pending = still;
    if (pending.length === 0) return;
    if (performance.now() > deadline) {
      throw new Error(`${pending.length} of ${names.length} connectors not ${state} within ${timeoutMs} ms:\n`
        + await describeStatuses(rest, pending.slice(0, 5)));
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The raw status body of one connector, for the baseline server to answer with. */
export async function statusBody(rest: string, name: string): Promise<Buffer> {
  const res = await fetch(`${rest}${statusPath(name)}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${statusPath(name)}: HTTP ${res.status} ${body.toString()}`);
  return body;
}
