import { describe, expect, it } from 'vitest';
import { FetchSession, type FetchPartition } from '../../../../runtime/kafka/wire/fetch-session.js';

const p = (topic: string, partition: number, fetchOffset: number): FetchPartition => ({ topic, partition, fetchOffset, partitionMaxBytes: 1024 });
const listed = (fields: { topics: { topic: string; partitions: { partition: number; fetchOffset: number }[] }[] }) =>
  fields.topics.flatMap((t) => t.partitions.map((x) => `${t.topic}-${x.partition}@${x.fetchOffset}`));

describe('FetchSession (client side of KIP-227)', () => {
  it('asks for a session with every partition, then sends only what changed and what to forget, one epoch further each time', () => {
    const session = new FetchSession();
    const first = session.request([p('a', 0, 0), p('a', 1, 0), p('b', 0, 5)], true);
    expect(first).toMatchObject({ sessionId: 0, sessionEpoch: 0, forgottenTopicsData: [] });
    expect(listed(first)).toEqual(['a-0@0', 'a-1@0', 'b-0@5']);
    session.answered(42);

    const second = session.request([p('a', 0, 10), p('a', 1, 0), p('b', 0, 5)], true);
    expect(second).toMatchObject({ sessionId: 42, sessionEpoch: 1, forgottenTopicsData: [] });
    expect(listed(second)).toEqual(['a-0@10']);
    session.answered(42);

    const third = session.request([p('a', 1, 0), p('c', 0, 0)], true);
    expect(third).toMatchObject({ sessionId: 42, sessionEpoch: 2 });
    expect(listed(third)).toEqual(['c-0@0']);
    expect(third.forgottenTopicsData).toEqual([{ topic: 'a', partitions: [0] }, { topic: 'b', partitions: [0] }]);
  });

  it('starts over with a full request after a reset (a lost session or a failed request), and after a broker that made no session', () => {
    const session = new FetchSession();
    session.request([p('a', 0, 0)], true);
    session.answered(7);
    session.request([p('a', 0, 3)], true);
    session.reset();
    const again = session.request([p('a', 0, 3)], true);
    expect(again).toMatchObject({ sessionId: 0, sessionEpoch: 0 });
    expect(listed(again)).toEqual(['a-0@3']);
    session.answered(0);
    expect(session.request([p('a', 0, 4)], true)).toMatchObject({ sessionId: 0, sessionEpoch: 0 });
  });

  it('a request that was never answered does not count: the next one still lists its changes', () => {
    const session = new FetchSession();
    session.request([p('a', 0, 0)], true);
    session.answered(9);
    session.request([p('a', 0, 8)], true);
    const retried = session.request([p('a', 0, 8)], true);
    expect(retried).toMatchObject({ sessionId: 9, sessionEpoch: 1 });
    expect(listed(retried)).toEqual(['a-0@8']);
  });

  it('fetches without a session from brokers below Fetch v7', () => {
    const session = new FetchSession();
    const fields = session.request([p('a', 0, 0), p('a', 1, 4)], false);
    expect(fields).toMatchObject({ sessionId: 0, sessionEpoch: -1, forgottenTopicsData: [] });
    expect(listed(fields)).toEqual(['a-0@0', 'a-1@4']);
  });
});
