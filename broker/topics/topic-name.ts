/**
 * Topic name rules (broker notes §6.1): `[a-zA-Z0-9._-]`, 1–249 characters, not `.` or `..`.
 * Names that differ only in `.` versus `_` collide (their metric names would), so Kafka
 * refuses the second one.
 */
export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Why `name` is not a legal topic name, or null when it is. */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `topic name is longer than ${MAX_TOPIC_NAME_LENGTH} characters`;
  if (!LEGAL.test(name)) return `topic name "${name}" has characters outside [a-zA-Z0-9._-]`;
  return null;
}

export function collisionKey(name: string): string {
  return name.replace(/\./g, '_');
}

/** Topics Kafka reports as internal. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);
