/**
 * Waits for a topic to hold `expected` records by polling its end offset with the kafkajs
 * admin (fetchTopicOffsets; nothing is read), noting when the first record past `already`
 * (records there before the run) arrived. A topic that does not exist yet counts as empty. Fails when the end offset stops moving for
 * `stallMs`, or passes `expected` (something other than the expected events was written).
 */
import type { Admin } from 'kafkajs';
import { endOffset } from '../broker/kafkajs-runs.js';

const POLL_MS = 100;

export interface TopicFill {
  /** Seconds from `start` until the end offset first passed `already`. */
  firstSeconds: number;
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

export async function waitForTopicFill(
  admin: Admin, topic: string, expected: number, start: number, stallMs: number, describe: () => Promise<string>, already = 0,
): Promise<TopicFill> {
  let firstSeconds: number | undefined;
  let last = 0;
  let lastMove = performance.now();
  for (;;) {
    const n = await size(admin, topic);
    const now = performance.now();
    if (n > already && firstSeconds === undefined) firstSeconds = (now - start) / 1000;
    if (n === expected) return { firstSeconds: firstSeconds!, lastSeconds: (now - start) / 1000 };
    if (n > expected) throw new Error(`${topic} holds ${n} records, more than the ${expected} expected:\n${await describe()}`);
    if (n !== last) {
      last = n;
      lastMove = now;
    } else if (now - lastMove > stallMs) {
      throw new Error(`${topic} stayed at ${n} of ${expected} records for ${stallMs / 1000} s:\n${await describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
