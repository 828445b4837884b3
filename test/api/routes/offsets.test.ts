import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiHarness, SINK_CONFIG } from '../api-harness.js';

const api = createApiHarness();
const SOURCE_CONFIG = { 'connector.class': 'FileSource', 'tasks.max': '1', topic: 't' };
const NOT_STOPPED = (name: string) => 'Connectors must be in the STOPPED state before their offsets can be modified. This can be done '
  + `for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`;
const ALTERED = { message: 'The offsets for this connector have been altered successfully' };
const RESET = { message: 'The offsets for this connector have been reset successfully' };
const sinkPartition = (topic: string, partition: number) => ({ kafka_topic: topic, kafka_partition: partition });

beforeEach(async () => {
  api.control.reset();
  expect((await api.send('POST', '/connectors', { name: 'sink', config: SINK_CONFIG })).status).toBe(201);
  expect((await api.send('POST', '/connectors', { name: 'source', config: SOURCE_CONFIG })).status).toBe(201);
});

afterAll(async () => {
  await api.app.close();
});

describe('GET /connectors/{c}/offsets', () => {
  it('answers with the connector\'s offsets', async () => {
    api.control.setOffsets('source', [{ partition: { filename: 'a.txt' }, offset: { position: 30 } }]);
    const res = await api.send('GET', '/connectors/source/offsets');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ offsets: [{ partition: { filename: 'a.txt' }, offset: { position: 30 } }] });
  });

  it('answers with an empty list for a connector without offsets', async () => {
    const res = await api.send('GET', '/connectors/sink/offsets');
    expect(res.json).toEqual({ offsets: [] });
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('GET', '/connectors/nope/offsets');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('PATCH /connectors/{c}/offsets', () => {
  it('alters the offsets of a stopped sink connector', async () => {
    await api.send('PUT', '/connectors/sink/stop');
    const res = await api.send('PATCH', '/connectors/sink/offsets', {
      offsets: [
        { partition: sinkPartition('t', 0), offset: { kafka_offset: 5 } },
        { partition: { kafka_topic: 't', kafka_partition: '1' }, offset: { kafka_offset: '7' } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(ALTERED);
    expect((await api.send('GET', '/connectors/sink/offsets')).json).toEqual({
      offsets: [
        { partition: sinkPartition('t', 0), offset: { kafka_offset: 5 } },
        { partition: sinkPartition('t', 1), offset: { kafka_offset: 7 } },
      ],
    });
  });

  it('removes the offset of a partition given with a null offset', async () => {
    api.control.setOffsets('source', [{ partition: { filename: 'a.txt' }, offset: { position: 30 } }]);
    await api.send('PUT', '/connectors/source/stop');
    const res = await api.send('PATCH', '/connectors/source/offsets', { offsets: [{ partition: { filename: 'a.txt' }, offset: null }] });
    expect(res.json).toEqual(ALTERED);
    expect((await api.send('GET', '/connectors/source/offsets')).json).toEqual({ offsets: [] });
  });

  it('answers 400 with Kafka\'s message when the connector is not stopped', async () => {
    const res = await api.send('PATCH', '/connectors/sink/offsets', { offsets: [{ partition: sinkPartition('t', 0), offset: null }] });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: NOT_STOPPED('sink') });
  });

  it.each([
    ['no body', undefined],
    ['an empty object', {}],
    ['an empty list', { offsets: [] }],
    ['null offsets', { offsets: null }],
  ])('answers 400 when the request has %s', async (_what, body) => {
    await api.send('PUT', '/connectors/sink/stop');
    const res = await api.send('PATCH', '/connectors/sink/offsets', body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: 'Partitions / offsets need to be provided for an alter offsets request' });
  });

  it.each([
    ['a missing partition', [{}], 'The partition for a sink connector offset cannot be null or missing'],
    ['a null partition', [{ partition: null, offset: null }], 'The partition for a sink connector offset cannot be null or missing'],
    ['a partition without kafka_partition', [{ partition: { kafka_topic: 't' }, offset: null }],
      'The partition for a sink connector offset must contain the keys \'kafka_topic\' and \'kafka_partition\''],
    ['a null topic', [{ partition: { kafka_topic: null, kafka_partition: 0 }, offset: null }],
      'Kafka topic names must be valid strings and may not be null'],
    ['a partition that is not a number', [{ partition: { kafka_topic: 't', kafka_partition: 'not a number' }, offset: null }],
      'Failed to parse the following Kafka partition value in the provided offsets: \'not a number\'. Partition values for sink connectors need to be integers.'],
    ['an offset without kafka_offset', [{ partition: sinkPartition('t', 1), offset: {} }],
      'The offset for a sink connector should either be null or contain the key \'kafka_offset\''],
    ['an offset that is not a number', [{ partition: sinkPartition('t', 1), offset: { kafka_offset: 'not a number' } }],
      'Failed to parse the following Kafka offset value in the provided offsets: \'not a number\'. Offset values for sink connectors need to be integers.'],
  ])('answers 400 for a sink connector given %s', async (_what, offsets, message) => {
    await api.send('PUT', '/connectors/sink/stop');
    const res = await api.send('PATCH', '/connectors/sink/offsets', { offsets });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message });
  });

  it('answers 400 naming the field when an entry is not an object', async () => {
    const res = await api.send('PATCH', '/connectors/sink/offsets', { offsets: [123] });
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toMatch(/^body\/offsets\/0 /);
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('PATCH', '/connectors/nope/offsets', { offsets: [{ partition: sinkPartition('t', 0), offset: null }] });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('DELETE /connectors/{c}/offsets', () => {
  it('resets the offsets of a stopped connector', async () => {
    api.control.setOffsets('source', [{ partition: { filename: 'a.txt' }, offset: { position: 30 } }]);
    await api.send('PUT', '/connectors/source/stop');
    const res = await api.send('DELETE', '/connectors/source/offsets');
    expect(res.status).toBe(200);
    expect(res.json).toEqual(RESET);
    expect((await api.send('GET', '/connectors/source/offsets')).json).toEqual({ offsets: [] });
  });

  it('answers 400 with Kafka\'s message when the connector is not stopped', async () => {
    const res = await api.send('DELETE', '/connectors/source/offsets');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error_code: 400, message: NOT_STOPPED('source') });
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await api.send('DELETE', '/connectors/nope/offsets');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });

  it('answers 500 with the message of an unexpected failure', async () => {
    api.control.failNextCall(new Error('Failed to reset consumer group offsets for sink connector sink'));
    const res = await api.send('DELETE', '/connectors/sink/offsets');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error_code: 500, message: 'Failed to reset consumer group offsets for sink connector sink' });
  });
});
