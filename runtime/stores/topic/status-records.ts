/**
 * Records of the status topic (`status.storage.topic`), byte-compatible with Kafka Connect
 * (docs: shared/reference/kafka-connect.md §2.5):
 *
 *   status-connector-{c}                 {"state":"RUNNING","trace":null,"worker_id":"host:8083","generation":7}
 *   status-task-{c}-{n}                  same fields
 *   status-topic-{topic}:connector-{c}   {"topic":{"name":"t","connector":"c","task":0,"discoverTimestamp":1700000000000}}
 *
 * A tombstone removes the status. Key parsing follows Kafka: the task number is the last
 * `-`-separated element; the topic is the text between the prefix and the first `:`, the
 * connector whatever follows the `:connector-` separator's length.
 */
import { decodeJson, encodeJson, isJsonObject } from './jackson-json.js';
import { parseTaskKey } from './task-key-parts.js';

export const STATUS_STATES = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'RESTARTING', 'STOPPED'] as const;
export type StatusState = (typeof STATUS_STATES)[number];

/** What a worker observed, as stored: `generation` is the group generation of the writer. */
export interface StatusValue {
  readonly state: StatusState;
  readonly trace: string | null;
  readonly workerId: string;
  readonly generation: number;
}

/** A sink connector's task consumed from `topic`, first seen at `discoverTimestamp` (KIP-558). */
export interface TopicStatus {
  readonly topic: string;
  readonly connector: string;
  readonly task: number;
  readonly discoverTimestamp: number;
}

export type StatusKey =
  | { readonly kind: 'connector'; readonly connector: string }
  | { readonly kind: 'task'; readonly connector: string; readonly task: number }
  | { readonly kind: 'topic'; readonly topic: string; readonly connector: string };

const CONNECTOR_PREFIX = 'status-connector-';
const TASK_PREFIX = 'status-task-';
const TOPIC_PREFIX = 'status-topic-';
const TOPIC_SEPARATOR = ':connector-';

export function statusKey(key: StatusKey): string {
  switch (key.kind) {
    case 'connector':
      return `${CONNECTOR_PREFIX}${key.connector}`;
    case 'task':
      return `${TASK_PREFIX}${key.connector}-${key.task}`;
    case 'topic':
      return `${TOPIC_PREFIX}${key.topic}${TOPIC_SEPARATOR}${key.connector}`;
  }
}

export function encodeStatusKey(key: StatusKey): Buffer {
  return Buffer.from(statusKey(key), 'utf8');
}

/** `undefined` for keys Kafka Connect discards. */
export function parseStatusKey(key: string): StatusKey | undefined {
  if (key.startsWith(CONNECTOR_PREFIX)) {
    const connector = key.slice(CONNECTOR_PREFIX.length);
    return connector === '' ? undefined : { kind: 'connector', connector };
  }
  if (key.startsWith(TASK_PREFIX)) {
    const parsed = parseTaskKey(key, 2);
    return parsed && { kind: 'task', connector: parsed.connector, task: parsed.task };
  }
  if (key.startsWith(TOPIC_PREFIX)) {
    const colon = key.indexOf(':');
    if (colon < TOPIC_PREFIX.length) return undefined;
    const topic = key.slice(TOPIC_PREFIX.length, colon);
    const connectorStart = colon + TOPIC_SEPARATOR.length;
    if (topic === '' || connectorStart > key.length) return undefined;
    const connector = key.slice(connectorStart);
    return connector === '' ? undefined : { kind: 'topic', topic, connector };
  }
  return undefined;
}

export function encodeStatusValue(status: StatusValue): Buffer {
  return encodeJson({ state: status.state, trace: status.trace, worker_id: status.workerId, generation: status.generation });
}

/** `undefined` when Kafka Connect could not parse the value either. */
export function decodeStatusValue(value: Buffer): StatusValue | undefined {
  const json = decodeJson(value);
  if (!isJsonObject(json)) return undefined;
  const { state, trace, worker_id: workerId, generation } = json;
  if (!isStatusState(state)) return undefined;
  if (trace !== null && trace !== undefined && typeof trace !== 'string') return undefined;
  if (typeof workerId !== 'string' || !isInteger(generation)) return undefined;
  return { state, trace: trace ?? null, workerId, generation };
}

export function encodeTopicStatusValue(status: TopicStatus): Buffer {
  return encodeJson({
    topic: { name: status.topic, connector: status.connector, task: status.task, discoverTimestamp: status.discoverTimestamp },
  });
}

export function decodeTopicStatusValue(value: Buffer): TopicStatus | undefined {
  const json = decodeJson(value);
  const inner = isJsonObject(json) ? json.topic : undefined;
  if (!isJsonObject(inner)) return undefined;
  const { name, connector, task, discoverTimestamp } = inner;
  if (typeof name !== 'string' || typeof connector !== 'string' || !isInteger(task) || !isInteger(discoverTimestamp)) {
    return undefined;
  }
  return { topic: name, connector, task, discoverTimestamp };
}

export function isStatusState(value: unknown): value is StatusState {
  return typeof value === 'string' && (STATUS_STATES as readonly string[]).includes(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
