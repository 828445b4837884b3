/**
 * Waits for a topic to hold `expected` records by polling its end offset with the kafkajs
 * admin (fetchTopicOffsets; nothing is read), noting when the first record past `already`
 * (records there before the run) arrived. A topic that does not exist yet counts as empty. Fails when the end offset stops moving for
 * `stallMs`, or passes `expected` (something other than the expected events was written).
 *
 * `waitForCount` does the same for any count that only grows (documents in an index, records in
 * a bucket), polled every `pollMs`.
 */
import type { Admin } from 'kafkajs';
import { endOffset } from '../broker/kafkajs-runs.js';

const POLL_MS = 100;

export interface TopicFill {
  /** Seconds from `start` until the end offset first passed `already`. */
  firstSeconds: number;
  /** Seconds from `start` until the end offset reached half way from `already` to `expected`. */
  halfSeconds: number;
  /** Seconds from `start` until the end offset reached `expected`. */
  lastSeconds: number;
}

async function size(admin: Admin, topic: string): Promise<number> {
  try {
    return await endOffset(admin, topic);
  } catch {
    return 0;
  }
}

export function waitForTopicFill(
  admin: Admin, topic: string, expected: number, start: number, stallMs: number, describe: () => Promise<string>, already = 0,
): Promise<TopicFill> {
  return waitForCount({ what: topic, count: () => size(admin, topic), expected, start, stallMs, describe, already });
}

export interface CountWatch {
  /** Names the count in errors. */
  readonly what: string;
  readonly count: () => number | Promise<number>;
  readonly expected: number;
  /** performance.now() the seconds count from. */
  readonly start: number;
  readonly stallMs: number;
  readonly describe: () => Promise<string>;
  /** The count before the run. */
  readonly already?: number;
  readonly pollMs?: number;
}

export async function waitForCount(watch: CountWatch): Promise<TopicFill> {
  const { what, expected, start, stallMs, describe } = watch;
  const already = watch.already ?? 0;
  let firstSeconds: number | undefined;
  let halfSeconds: number | undefined;
  let last = 0;
  let lastMove = performance.now();
  for (;;) {
    const n = await watch.count();
    const now = performance.now();
    if (n > already && firstSeconds === undefined) firstSeconds = (now - start) / 1000;
    if (2 * (n - already) >= expected - already && halfSeconds === undefined) halfSeconds = (now - start) / 1000;
    if (n === expected) return { firstSeconds: firstSeconds!, halfSeconds: halfSeconds!, lastSeconds: (now - start) / 1000 };
    if (n > expected) throw new Error(`${what} holds ${n} records, more than the ${expected} expected:\n${await describe()}`);
    if (n !== last) {
      last = n;
      lastMove = now;
    } else if (now - lastMove > stallMs) {
      throw new Error(`${what} stayed at ${n} of ${expected} records for ${stallMs / 1000} s:\n${await describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, watch.pollMs ?? POLL_MS));
  }
}
