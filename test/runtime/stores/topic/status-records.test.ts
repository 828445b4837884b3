import { describe, expect, it } from 'vitest';
import {
  decodeStatusValue,
  decodeTopicStatusValue,
  encodeStatusKey,
  encodeStatusValue,
  encodeTopicStatusValue,
  parseStatusKey,
} from '../../../../runtime/stores/topic/status-records.js';

describe('status records', () => {
  it('writes statuses with Kafka field order and a null trace', () => {
    const value = encodeStatusValue({ state: 'RUNNING', trace: null, workerId: 'host:8083', generation: 7 });
    expect(value.toString()).toBe('{"state":"RUNNING","trace":null,"worker_id":"host:8083","generation":7}');
  });

  it('writes a Java stack trace with escaped newlines and tabs', () => {
    const trace = 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat Foo.bar(Foo.java:12)\n';
    const value = encodeStatusValue({ state: 'FAILED', trace, workerId: '10.0.0.1:8083', generation: 12 });
    expect(value.toString()).toBe(
      '{"state":"FAILED","trace":"org.apache.kafka.connect.errors.ConnectException: boom\\n\\tat Foo.bar(Foo.java:12)\\n",' +
        '"worker_id":"10.0.0.1:8083","generation":12}',
    );
    expect(decodeStatusValue(value)).toEqual({ state: 'FAILED', trace, workerId: '10.0.0.1:8083', generation: 12 });
  });

  it('writes topic statuses wrapped in a "topic" member', () => {
    const value = encodeTopicStatusValue({ topic: 't', connector: 'c', task: 0, discoverTimestamp: 1700000000000 });
    expect(value.toString()).toBe('{"topic":{"name":"t","connector":"c","task":0,"discoverTimestamp":1700000000000}}');
    expect(decodeTopicStatusValue(value)).toEqual({ topic: 't', connector: 'c', task: 0, discoverTimestamp: 1700000000000 });
  });

  it('builds keys for connectors, tasks and topics', () => {
    expect(encodeStatusKey({ kind: 'connector', connector: 'my-sink' }).toString()).toBe('status-connector-my-sink');
    expect(encodeStatusKey({ kind: 'task', connector: 'my-sink', task: 4 }).toString()).toBe('status-task-my-sink-4');
    expect(encodeStatusKey({ kind: 'topic', topic: 'orders', connector: 'my-sink' }).toString()).toBe('status-topic-orders:connector-my-sink');
  });

  it('parses task keys with dashes in the connector name', () => {
    expect(parseStatusKey('status-task-my-jdbc-sink-10')).toEqual({ kind: 'task', connector: 'my-jdbc-sink', task: 10 });
    expect(parseStatusKey('status-task-a--0')).toEqual({ kind: 'task', connector: 'a-', task: 0 });
    expect(parseStatusKey('status-task-c')).toBeUndefined();
    expect(parseStatusKey('status-task-c-x')).toBeUndefined();
  });

  it('parses connector and topic keys as Kafka does', () => {
    expect(parseStatusKey('status-connector-a-b')).toEqual({ kind: 'connector', connector: 'a-b' });
    expect(parseStatusKey('status-connector-')).toBeUndefined();
    expect(parseStatusKey('status-topic-my.topic-1:connector-my-conn')).toEqual({ kind: 'topic', topic: 'my.topic-1', connector: 'my-conn' });
    expect(parseStatusKey('status-topic-:connector-c')).toBeUndefined();
    expect(parseStatusKey('status-topic-t:connector-')).toBeUndefined();
    expect(parseStatusKey('status-topic-no-separator')).toBeUndefined();
    expect(parseStatusKey('status-something-else')).toBeUndefined();
  });

  it('reads values Kafka Connect wrote and rejects ones it could not parse either', () => {
    expect(decodeStatusValue(Buffer.from('{"state":"UNASSIGNED","trace":null,"worker_id":"w:1","generation":3}'))).toEqual({
      state: 'UNASSIGNED',
      trace: null,
      workerId: 'w:1',
      generation: 3,
    });
    expect(decodeStatusValue(Buffer.from('{"state":"DESTROYED","trace":null,"worker_id":"w:1","generation":3}'))).toBeUndefined();
    expect(decodeStatusValue(Buffer.from('{"state":"RUNNING","worker_id":"w:1"}'))).toBeUndefined();
    expect(decodeStatusValue(Buffer.from('{"state":"RUNNING","trace":5,"worker_id":"w:1","generation":1}'))).toBeUndefined();
    expect(decodeTopicStatusValue(Buffer.from('{"name":"t"}'))).toBeUndefined();
  });
});
