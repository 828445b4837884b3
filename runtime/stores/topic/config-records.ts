/**
 * Records of the config topic (`config.storage.topic`), byte-compatible with Kafka Connect
 * (docs: shared/reference/kafka-connect.md §2.3). Keys are UTF-8 strings; values are compact
 * JSON with members in the order Kafka's record schemas declare them:
 *
 *   connector-{c}          {"properties":{…}}                            null: connector deleted
 *   task-{c}-{n}           {"properties":{…}}
 *   commit-{c}             {"tasks":3}
 *   target-state-{c}       {"state":"PAUSED","state.v2":"STOPPED"}       null: removed
 *   restart-connector-{c}  {"include-tasks":true,"only-failed":false}
 *   tasks-fencing-{c}      {"task-count":3}
 *   session-key            {"key":"<base64>","algorithm":"HmacSHA256","creation-timestamp":1700000000000}
 *   logger-cluster-{ns}    {"level":"DEBUG"}
 *
 * `state` is the pre-3.5 field and says PAUSED where `state.v2` says STOPPED; readers prefer
 * `state.v2` and fall back to `state` when it is missing or null. Decoding never throws: a record
 * Kafka Connect would log and skip comes back as `{ ok: false, reason }`.
 */
import { decodeJson, encodeJson, isJsonObject } from './jackson-json.js';
import type { JsonObject, JsonValue } from './jackson-json.js';
import { parseTaskKey } from './task-key-parts.js';

export const TARGET_STATES = ['STARTED', 'PAUSED', 'STOPPED'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

/** A raw connector or task config: `${provider:…}` placeholders are kept, values may be null. */
export type PropertyMap = Readonly<Record<string, string | null>>;

export interface RestartRequest {
  readonly connector: string;
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
}

export interface SessionKey {
  readonly key: Buffer;
  readonly algorithm: string;
  readonly creationTimestamp: number;
}

export type ConfigKey =
  | { readonly kind: 'target-state'; readonly connector: string }
  | { readonly kind: 'connector'; readonly connector: string }
  | { readonly kind: 'task'; readonly connector: string; readonly task: number }
  | { readonly kind: 'commit'; readonly connector: string }
  | { readonly kind: 'restart-connector'; readonly connector: string }
  | { readonly kind: 'tasks-fencing'; readonly connector: string }
  | { readonly kind: 'session-key' }
  | { readonly kind: 'logger-cluster'; readonly namespace: string };

export type ConfigRecord =
  | { readonly kind: 'connector'; readonly connector: string; readonly config: PropertyMap | null }
  | { readonly kind: 'task'; readonly connector: string; readonly task: number; readonly config: PropertyMap }
  | { readonly kind: 'commit'; readonly connector: string; readonly taskCount: number }
  | { readonly kind: 'target-state'; readonly connector: string; readonly state: TargetState | null }
  | { readonly kind: 'restart-connector'; readonly request: RestartRequest }
  | { readonly kind: 'tasks-fencing'; readonly connector: string; readonly taskCount: number }
  | { readonly kind: 'session-key'; readonly sessionKey: SessionKey }
  | { readonly kind: 'logger-cluster'; readonly namespace: string; readonly level: string };

/**
 * A skipped record says why. `valueUnreadable` marks values that are not JSON at all: Kafka
 * Connect fails those before looking at the key and does not count them in its config offset.
 */
export type Decoded<T> =
  | { readonly ok: true; readonly record: T }
  | { readonly ok: false; readonly reason: string; readonly valueUnreadable: boolean };

/** Prefixes in the order Kafka Connect tests them; `session-key` is matched exactly. */
const PREFIXES = [
  ['target-state', 'target-state-'],
  ['connector', 'connector-'],
  ['task', 'task-'],
  ['commit', 'commit-'],
  ['restart-connector', 'restart-connector-'],
  ['tasks-fencing', 'tasks-fencing-'],
  ['session-key', 'session-key'],
  ['logger-cluster', 'logger-cluster-'],
] as const;

const INT32_MAX = 2 ** 31 - 1;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export function configKey(key: ConfigKey): string {
  switch (key.kind) {
    case 'task':
      return `task-${key.connector}-${key.task}`;
    case 'session-key':
      return 'session-key';
    case 'logger-cluster':
      return `logger-cluster-${key.namespace}`;
    default:
      return `${key.kind}-${key.connector}`;
  }
}

/** `undefined` for keys Kafka Connect discards (unknown prefix, unparseable task key). */
export function parseConfigKey(key: string): ConfigKey | undefined {
  for (const [kind, prefix] of PREFIXES) {
    if (kind === 'session-key') {
      if (key === prefix) return { kind };
      continue;
    }
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    switch (kind) {
      case 'task': {
        const parsed = parseTaskKey(key, 1);
        return parsed && { kind, connector: parsed.connector, task: parsed.task };
      }
      case 'logger-cluster':
        return { kind, namespace: rest };
      default:
        return { kind, connector: rest };
    }
  }
  return undefined;
}

export function encodeConfigRecord(record: ConfigRecord): { key: Buffer; value: Buffer | null } {
  return { key: Buffer.from(configKey(keyOf(record)), 'utf8'), value: encodeValue(record) };
}

export function decodeConfigRecord(key: Buffer | string, value: Buffer | null): Decoded<ConfigRecord> {
  const keyText = typeof key === 'string' ? key : key.toString('utf8');
  const json = value === null ? null : decodeJson(value);
  if (json === undefined) return { ok: false, reason: `value of '${keyText}' is not JSON`, valueUnreadable: true };
  const parsedKey = parseConfigKey(keyText);
  if (!parsedKey) return skip(`unknown config record key '${keyText}'`);
  return decodeValue(parsedKey, json);
}

/** The `state` field older workers read: they know no STOPPED, so it is written as PAUSED. */
export function legacyTargetState(state: TargetState): TargetState {
  return state === 'STOPPED' ? 'PAUSED' : state;
}

export function isTargetState(value: unknown): value is TargetState {
  return typeof value === 'string' && (TARGET_STATES as readonly string[]).includes(value);
}

function keyOf(record: ConfigRecord): ConfigKey {
  switch (record.kind) {
    case 'task':
      return { kind: 'task', connector: record.connector, task: record.task };
    case 'restart-connector':
      return { kind: 'restart-connector', connector: record.request.connector };
    case 'session-key':
      return { kind: 'session-key' };
    case 'logger-cluster':
      return { kind: 'logger-cluster', namespace: record.namespace };
    default:
      return { kind: record.kind, connector: record.connector };
  }
}

function encodeValue(record: ConfigRecord): Buffer | null {
  switch (record.kind) {
    case 'connector':
      return record.config === null ? null : encodeJson({ properties: record.config });
    case 'task':
      return encodeJson({ properties: record.config });
    case 'commit':
      return encodeJson({ tasks: record.taskCount });
    case 'target-state':
      return record.state === null ? null : encodeJson({ state: legacyTargetState(record.state), 'state.v2': record.state });
    case 'restart-connector':
      return encodeJson({ 'include-tasks': record.request.includeTasks, 'only-failed': record.request.onlyFailed });
    case 'tasks-fencing':
      return encodeJson({ 'task-count': record.taskCount });
    case 'session-key':
      return encodeJson({
        key: record.sessionKey.key.toString('base64'),
        algorithm: record.sessionKey.algorithm,
        'creation-timestamp': record.sessionKey.creationTimestamp,
      });
    case 'logger-cluster':
      return encodeJson({ level: record.level });
  }
}

function decodeValue(key: ConfigKey, json: JsonValue | null): Decoded<ConfigRecord> {
  const name = configKey(key);
  if (json === null) {
    if (key.kind === 'connector') return ok({ kind: 'connector', connector: key.connector, config: null });
    if (key.kind === 'target-state') return ok({ kind: 'target-state', connector: key.connector, state: null });
    return skip(`'${name}' is unexpectedly null`);
  }
  if (!isJsonObject(json)) return skip(`value of '${name}' is not a JSON object`);
  switch (key.kind) {
    case 'connector':
    case 'task': {
      const config = propertyMap(json.properties);
      if (!config) return skip(`'properties' of '${name}' is not a map of strings`);
      return ok({ ...key, config });
    }
    case 'commit': {
      const taskCount = taskCountOf(json.tasks);
      return taskCount === undefined ? skip(`'tasks' of '${name}' is not a task count`) : ok({ ...key, taskCount });
    }
    case 'target-state': {
      const v2 = json['state.v2'];
      const raw = v2 === null || v2 === undefined ? json.state : v2;
      return isTargetState(raw) ? ok({ ...key, state: raw }) : skip(`'${name}' holds no valid target state`);
    }
    case 'restart-connector':
      return ok({
        kind: key.kind,
        request: { connector: key.connector, includeTasks: json['include-tasks'] === true, onlyFailed: json['only-failed'] === true },
      });
    case 'tasks-fencing': {
      const taskCount = taskCountOf(json['task-count']);
      return taskCount === undefined ? skip(`'task-count' of '${name}' is not a task count`) : ok({ ...key, taskCount });
    }
    case 'session-key':
      return decodeSessionKey(json);
    case 'logger-cluster': {
      const level = json.level;
      return typeof level === 'string' ? ok({ ...key, level }) : skip(`'level' of '${name}' is not a string`);
    }
  }
}

function decodeSessionKey(json: JsonObject): Decoded<ConfigRecord> {
  const { key, algorithm } = json;
  const creationTimestamp = json['creation-timestamp'];
  if (typeof key !== 'string' || !BASE64.test(key)) return skip(`'key' of 'session-key' is not base64 text`);
  if (typeof algorithm !== 'string') return skip(`'algorithm' of 'session-key' is not a string`);
  if (typeof creationTimestamp !== 'number' || !Number.isInteger(creationTimestamp)) {
    return skip(`'creation-timestamp' of 'session-key' is not an integer`);
  }
  return ok({ kind: 'session-key', sessionKey: { key: Buffer.from(key, 'base64'), algorithm, creationTimestamp } });
}

function propertyMap(value: JsonValue | undefined): PropertyMap | undefined {
  if (!isJsonObject(value)) return undefined;
  const entries = Object.entries(value);
  for (const [, v] of entries) if (v !== null && typeof v !== 'string') return undefined;
  return Object.freeze(Object.fromEntries(entries) as Record<string, string | null>);
}

function taskCountOf(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX ? value : undefined;
}

function ok(record: ConfigRecord): Decoded<ConfigRecord> {
  return { ok: true, record };
}

function skip(reason: string): Decoded<ConfigRecord> {
  return { ok: false, reason, valueUnreadable: false };
}
