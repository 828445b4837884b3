import { describe, expect, it } from 'vitest';
import {
  configKey,
  decodeConfigRecord,
  encodeConfigRecord,
  parseConfigKey,
} from '../../../../runtime/stores/topic/config-records.js';
import type { ConfigRecord } from '../../../../runtime/stores/topic/config-records.js';

function encoded(record: ConfigRecord): { key: string; value: string | null } {
  const { key, value } = encodeConfigRecord(record);
  return { key: key.toString('utf8'), value: value && value.toString('utf8') };
}

function decoded(key: string, value: string | null): ConfigRecord {
  const result = decodeConfigRecord(Buffer.from(key), value === null ? null : Buffer.from(value));
  if (!result.ok) throw new Error(`record was skipped: ${result.reason}`);
  return result.record;
}

function skipped(key: string, value: string | null): boolean {
  return !decodeConfigRecord(key, value === null ? null : Buffer.from(value)).ok;
}

/** Values as a Kafka Connect 3.x worker writes them for the quickstart file source. */
const KAFKA_WRITTEN = {
  connector:
    '{"properties":{"connector.class":"org.apache.kafka.connect.file.FileStreamSourceConnector","tasks.max":"1",' +
    '"file":"/tmp/test.txt","topic":"connect-test","name":"local-file-source"}}',
  task:
    '{"properties":{"connector.class":"org.apache.kafka.connect.file.FileStreamSourceConnector",' +
    '"task.class":"org.apache.kafka.connect.file.FileStreamSourceTask","tasks.max":"1","file":"/tmp/test.txt",' +
    '"topic":"connect-test","name":"local-file-source"}}',
  commit: '{"tasks":1}',
  targetState: '{"state":"PAUSED","state.v2":"STOPPED"}',
  restart: '{"include-tasks":true,"only-failed":false}',
  fencing: '{"task-count":3}',
  sessionKey: '{"key":"c2VjcmV0LWtleS1ieXRlcw==","algorithm":"HmacSHA256","creation-timestamp":1700000000000}',
  logger: '{"level":"DEBUG"}',
};

describe('config records', () => {
  it('encodes a connector config as {"properties":…} with the members in the order given', () => {
    const config = {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: '/tmp/test.txt',
      topic: 'connect-test',
      name: 'local-file-source',
    };
    expect(encoded({ kind: 'connector', connector: 'local-file-source', config })).toEqual({
      key: 'connector-local-file-source',
      value: KAFKA_WRITTEN.connector,
    });
  });

  it('writes every record kind byte for byte as Kafka Connect does', () => {
    expect(encoded({ kind: 'task', connector: 'my-conn', task: 2, config: { 'task.class': 'T', x: null } })).toEqual({
      key: 'task-my-conn-2',
      value: '{"properties":{"task.class":"T","x":null}}',
    });
    expect(encoded({ kind: 'commit', connector: 'my-conn', taskCount: 1 })).toEqual({ key: 'commit-my-conn', value: KAFKA_WRITTEN.commit });
    expect(encoded({ kind: 'target-state', connector: 'c', state: 'STOPPED' })).toEqual({
      key: 'target-state-c',
      value: KAFKA_WRITTEN.targetState,
    });
    expect(encoded({ kind: 'restart-connector', request: { connector: 'c', includeTasks: true, onlyFailed: false } })).toEqual({
      key: 'restart-connector-c',
      value: KAFKA_WRITTEN.restart,
    });
    expect(encoded({ kind: 'tasks-fencing', connector: 'c', taskCount: 3 })).toEqual({ key: 'tasks-fencing-c', value: KAFKA_WRITTEN.fencing });
    expect(
      encoded({
        kind: 'session-key',
        sessionKey: { key: Buffer.from('secret-key-bytes'), algorithm: 'HmacSHA256', creationTimestamp: 1700000000000 },
      }),
    ).toEqual({ key: 'session-key', value: KAFKA_WRITTEN.sessionKey });
    expect(encoded({ kind: 'logger-cluster', namespace: 'org.apache.kafka.connect', level: 'DEBUG' })).toEqual({
      key: 'logger-cluster-org.apache.kafka.connect',
      value: KAFKA_WRITTEN.logger,
    });
  });

  it('writes the pre-3.5 state field as PAUSED for STOPPED and as the state itself otherwise', () => {
    expect(encoded({ kind: 'target-state', connector: 'c', state: 'STARTED' }).value).toBe('{"state":"STARTED","state.v2":"STARTED"}');
    expect(encoded({ kind: 'target-state', connector: 'c', state: 'PAUSED' }).value).toBe('{"state":"PAUSED","state.v2":"PAUSED"}');
  });

  it('writes a deleted connector and a removed target state as tombstones', () => {
    expect(encoded({ kind: 'connector', connector: 'c', config: null })).toEqual({ key: 'connector-c', value: null });
    expect(encoded({ kind: 'target-state', connector: 'c', state: null })).toEqual({ key: 'target-state-c', value: null });
  });

  it('reads records Kafka Connect wrote and writes them back to the same bytes', () => {
    const samples: [string, string][] = [
      ['connector-local-file-source', KAFKA_WRITTEN.connector],
      ['task-local-file-source-0', KAFKA_WRITTEN.task],
      ['commit-local-file-source', KAFKA_WRITTEN.commit],
      ['target-state-local-file-source', KAFKA_WRITTEN.targetState],
      ['restart-connector-local-file-source', KAFKA_WRITTEN.restart],
      ['tasks-fencing-local-file-source', KAFKA_WRITTEN.fencing],
      ['session-key', KAFKA_WRITTEN.sessionKey],
      ['logger-cluster-org.apache.kafka', KAFKA_WRITTEN.logger],
    ];
    for (const [key, value] of samples) expect(encoded(decoded(key, value))).toEqual({ key, value });
  });

  it('decodes the meaning of each record kind', () => {
    expect(decoded('commit-local-file-source', KAFKA_WRITTEN.commit)).toEqual({ kind: 'commit', connector: 'local-file-source', taskCount: 1 });
    expect(decoded('restart-connector-a-b', KAFKA_WRITTEN.restart)).toEqual({
      kind: 'restart-connector',
      request: { connector: 'a-b', includeTasks: true, onlyFailed: false },
    });
    expect(decoded('session-key', KAFKA_WRITTEN.sessionKey)).toEqual({
      kind: 'session-key',
      sessionKey: { key: Buffer.from('secret-key-bytes'), algorithm: 'HmacSHA256', creationTimestamp: 1700000000000 },
    });
    expect(decoded('logger-cluster-root', KAFKA_WRITTEN.logger)).toEqual({ kind: 'logger-cluster', namespace: 'root', level: 'DEBUG' });
  });

  it('takes the task number from the last dash-separated element, so connector names may contain dashes', () => {
    expect(parseConfigKey('task-my-jdbc-source-12')).toEqual({ kind: 'task', connector: 'my-jdbc-source', task: 12 });
    expect(parseConfigKey('task-ends-with-dash--0')).toEqual({ kind: 'task', connector: 'ends-with-dash-', task: 0 });
    expect(parseConfigKey('task--leading-3')).toEqual({ kind: 'task', connector: '-leading', task: 3 });
    expect(parseConfigKey(configKey({ kind: 'task', connector: 'a-1-b', task: 7 }))).toEqual({ kind: 'task', connector: 'a-1-b', task: 7 });
  });

  it('discards task keys without a task number, as Kafka Connect does', () => {
    expect(parseConfigKey('task-conn')).toBeUndefined();
    expect(parseConfigKey('task-conn-x')).toBeUndefined();
    expect(parseConfigKey('task-conn-')).toBeUndefined();
    expect(parseConfigKey('task-conn-99999999999')).toBeUndefined();
  });

  it('takes everything after the prefix as the connector name for the other kinds', () => {
    expect(parseConfigKey('connector-a-b-1')).toEqual({ kind: 'connector', connector: 'a-b-1' });
    expect(parseConfigKey('target-state-connector-x')).toEqual({ kind: 'target-state', connector: 'connector-x' });
    expect(parseConfigKey('commit-task-1')).toEqual({ kind: 'commit', connector: 'task-1' });
    expect(parseConfigKey('restart-connector-c')).toEqual({ kind: 'restart-connector', connector: 'c' });
    expect(parseConfigKey('tasks-fencing-c')).toEqual({ kind: 'tasks-fencing', connector: 'c' });
    expect(parseConfigKey('session-key')).toEqual({ kind: 'session-key' });
    expect(parseConfigKey('logger-cluster-org.foo')).toEqual({ kind: 'logger-cluster', namespace: 'org.foo' });
  });

  it('ignores keys it does not know', () => {
    expect(parseConfigKey('session-key-2')).toBeUndefined();
    expect(parseConfigKey('something-else')).toBeUndefined();
    expect(skipped('future-record-kind-c', '{"x":1}')).toBe(true);
  });

  it('prefers state.v2 and falls back to state when state.v2 is missing or null', () => {
    expect(decoded('target-state-c', '{"state":"PAUSED","state.v2":"STOPPED"}')).toMatchObject({ state: 'STOPPED' });
    expect(decoded('target-state-c', '{"state":"PAUSED"}')).toMatchObject({ state: 'PAUSED' });
    expect(decoded('target-state-c', '{"state":"STARTED","state.v2":null}')).toMatchObject({ state: 'STARTED' });
  });

  it('skips a target state whose preferred field is not a valid state, without falling back', () => {
    expect(skipped('target-state-c', '{"state":"PAUSED","state.v2":"SLEEPING"}')).toBe(true);
    expect(skipped('target-state-c', '{"state":"RUNNING"}')).toBe(true);
    expect(skipped('target-state-c', '{}')).toBe(true);
  });

  it('decodes tombstones for connectors and target states and skips them for the other kinds', () => {
    expect(decoded('connector-c', null)).toEqual({ kind: 'connector', connector: 'c', config: null });
    expect(decoded('target-state-c', null)).toEqual({ kind: 'target-state', connector: 'c', state: null });
    for (const key of ['task-c-0', 'commit-c', 'restart-connector-c', 'tasks-fencing-c', 'session-key', 'logger-cluster-x']) {
      expect(skipped(key, null)).toBe(true);
    }
  });

  it('treats restart flags that are not booleans as false', () => {
    expect(decoded('restart-connector-c', '{"include-tasks":"yes"}')).toEqual({
      kind: 'restart-connector',
      request: { connector: 'c', includeTasks: false, onlyFailed: false },
    });
  });

  it('skips malformed values', () => {
    expect(skipped('connector-c', '{"properties":"x"}')).toBe(true);
    expect(skipped('connector-c', '{"properties":{"a":1}}')).toBe(true);
    expect(skipped('connector-c', '[1]')).toBe(true);
    expect(skipped('commit-c', '{"tasks":1.5}')).toBe(true);
    expect(skipped('commit-c', '{"tasks":"1"}')).toBe(true);
    expect(skipped('session-key', '{"key":"not base64!","algorithm":"HmacSHA256","creation-timestamp":1}')).toBe(true);
    const notJson = decodeConfigRecord('connector-c', Buffer.from('{oops'));
    expect(notJson).toMatchObject({ ok: false, valueUnreadable: true });
  });
});
