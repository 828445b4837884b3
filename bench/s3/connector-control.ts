/**
 * The REST and admin steps of the S3 benchmark around its timed windows: create a connector
 * paused, wait until it is ready to work (a sink's consumer group joined with its partition
 * assigned, a source's task started), and resume it. The timed window starts at the resume, so
 * it holds the data path only (consume, convert, write, upload, commit), not connector
 * start-up or the group join, which a bare upload loop has no counterpart for.
 */
import type { Admin } from 'kafkajs';
import { connectorStatus } from '../runtime/connect-rest.js';

async function call(base: string, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${base}${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 600_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function createPaused(rest: string, name: string, config: Record<string, string>): Promise<void> {
  await call(rest, 'POST', '/connectors', { name, config, initial_state: 'PAUSED' });
}

export async function resume(rest: string, name: string): Promise<void> {
  await call(rest, 'PUT', `/connectors/${encodeURIComponent(name)}/resume`);
}

/** Deletes the connector, so that its finished task stops using the worker's CPU before the next window. */
export async function remove(rest: string, name: string): Promise<void> {
  await call(rest, 'DELETE', `/connectors/${encodeURIComponent(name)}`);
}

/** Every task of the connector reports PAUSED (started, holding still). */
export async function tasksPaused(rest: string, name: string): Promise<boolean> {
  try {
    const status = await connectorStatus(rest, name);
    const failed = status.tasks.find((t) => t.state === 'FAILED');
    if (failed) throw new Error(`${name}-${failed.id} failed: ${failed.trace ?? ''}`);
    return status.tasks.length > 0 && status.tasks.every((t) => t.state === 'PAUSED');
  } catch (err) {
    if ((err as Error).message.includes('failed:')) throw err;
    return false;
  }
}

/** The sink's group `connect-<name>` is Stable with a member holding an assignment. */
export async function groupJoined(admin: Admin, name: string): Promise<boolean> {
  const { groups } = await admin.describeGroups([`connect-${name}`]);
  const group = groups[0];
  return group !== undefined && group.state === 'Stable' && group.members.some((m) => m.memberAssignment.length > 0);
}

/** The sum of the committed offsets of the sink's partitions, -1 before the first commit. */
export async function committed(rest: string, connector: string): Promise<number> {
  const response = await fetch(`${rest}/connectors/${connector}/offsets`);
  if (!response.ok) return -1;
  const body = await response.json() as { offsets: { offset: { kafka_offset: number } }[] };
  return body.offsets.reduce((sum, o) => sum + o.offset.kafka_offset, 0);
}

/**
 * The Kafka offset of the last record an S3 source committed (start offset of its object plus
 * its index there, which is its offset under the DefaultPartitioner), -1 before the first
 * commit. With exactly-once support the offsets are written in the same transaction as the
 * records, so this is also the last record read_committed consumers can see.
 */
export async function restoredThrough(rest: string, connector: string): Promise<number> {
  const response = await fetch(`${rest}/connectors/${connector}/offsets`);
  if (!response.ok) return -1;
  const body = await response.json() as { offsets: { offset: { start?: number; record?: number } }[] };
  const last = body.offsets.map((o) => (o.offset.start ?? -1) + (o.offset.record ?? 0));
  return last.length === 0 ? -1 : Math.max(...last);
}
