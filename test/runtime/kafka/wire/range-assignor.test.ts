/**
 * Java's RangeAssignor: the examples of its documentation and tests, mixed subscriptions, more
 * members than partitions, and random groups cross-checked against kafka-python's
 * RangePartitionAssignor (Debian's python3-kafka), an implementation nobody here wrote.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { TopicPartitions } from '../../../../runtime/kafka/wire/consumer-protocol.js';
import { RANGE_ASSIGNOR, rangeAssign, type RangeMember } from '../../../../runtime/kafka/wire/range-assignor.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

const PYTHON = '/usr/bin/python3';

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
const asObject = (m: Map<string, TopicPartitions[]>) => Object.fromEntries(m);

describe('rangeAssign', () => {
  it('is named "range"', () => {
    expect(RANGE_ASSIGNOR).toBe('range');
  });

  it("matches Java's documented example: 2 consumers, 2 topics of 3 partitions", () => {
    const result = rangeAssign(
      [{ memberId: 'C1', topics: ['t1', 't0'] }, { memberId: 'C0', topics: ['t0', 't1'] }],
      counts({ t0: 3, t1: 3 }),
    );
    expect(asObject(result)).toEqual({
      C0: [{ topic: 't0', partitions: [0, 1] }, { topic: 't1', partitions: [0, 1] }],
      C1: [{ topic: 't0', partitions: [2] }, { topic: 't1', partitions: [2] }],
    });
  });

  it('splits each topic among its own subscribers only', () => {
    // Java's testMultipleConsumersMixedTopics.
    const result = rangeAssign(
      [
        { memberId: 'consumer3', topics: ['topic1'] },
        { memberId: 'consumer2', topics: ['topic1', 'topic2'] },
        { memberId: 'consumer1', topics: ['topic1'] },
      ],
      counts({ topic1: 3, topic2: 2 }),
    );
    expect(asObject(result)).toEqual({
      consumer1: [{ topic: 'topic1', partitions: [0] }],
      consumer2: [{ topic: 'topic1', partitions: [1] }, { topic: 'topic2', partitions: [0, 1] }],
      consumer3: [{ topic: 'topic1', partitions: [2] }],
    });
  });

  it('gives the first n % c members one extra partition, in contiguous ranges', () => {
    const result = rangeAssign(
      ['d', 'a', 'c', 'b'].map((memberId) => ({ memberId, topics: ['t'] })),
      counts({ t: 10 }),
    );
    expect(asObject(result)).toEqual({
      a: [{ topic: 't', partitions: [0, 1, 2] }],
      b: [{ topic: 't', partitions: [3, 4, 5] }],
      c: [{ topic: 't', partitions: [6, 7] }],
      d: [{ topic: 't', partitions: [8, 9] }],
    });
  });

  it('leaves members beyond the partition count with nothing, but present', () => {
    const result = rangeAssign(
      [{ memberId: 'm2', topics: ['t'] }, { memberId: 'm0', topics: ['t'] }, { memberId: 'm1', topics: ['t'] }],
      counts({ t: 2 }),
    );
    expect(asObject(result)).toEqual({
      m0: [{ topic: 't', partitions: [0] }],
      m1: [{ topic: 't', partitions: [1] }],
      m2: [],
    });
  });

  it('skips topics without partition metadata and keeps members without subscriptions', () => {
    const result = rangeAssign(
      [{ memberId: 'a', topics: ['known', 'unknown'] }, { memberId: 'b', topics: ['unknown'] }, { memberId: 'c', topics: [] }],
      counts({ known: 2, unused: 4 }),
    );
    expect(asObject(result)).toEqual({ a: [{ topic: 'known', partitions: [0, 1] }], b: [], c: [] });
    expect(asObject(rangeAssign([], counts({ t: 3 })))).toEqual({});
  });

  it('sorts topics by name and members by id in code-unit order, and counts a repeated topic once', () => {
    const result = rangeAssign(
      [{ memberId: 'b', topics: ['zeta', 'Alpha', 'alpha', 'zeta'] }, { memberId: 'B', topics: ['zeta'] }],
      counts({ zeta: 3, alpha: 1, Alpha: 1 }),
    );
    // 'B' (0x42) sorts before 'b' (0x62); 'Alpha' before 'alpha'.
    expect(asObject(result)).toEqual({
      B: [{ topic: 'zeta', partitions: [0, 1] }],
      b: [{ topic: 'Alpha', partitions: [0] }, { topic: 'alpha', partitions: [0] }, { topic: 'zeta', partitions: [2] }],
    });
  });

  it('rejects duplicate member ids and bad partition counts', () => {
    expect(() => rangeAssign([{ memberId: 'a', topics: [] }, { memberId: 'a', topics: [] }], counts({}))).toThrow(/appears twice/);
    expect(() => rangeAssign([{ memberId: 'a', topics: ['t'] }], counts({ t: -1 }))).toThrow(/partition count -1/);
    expect(() => rangeAssign([{ memberId: 'a', topics: ['t'] }], counts({ t: 1.5 }))).toThrow(/partition count 1.5/);
  });

  it('assigns every partition of a subscribed topic exactly once', () => {
    const members: RangeMember[] = Array.from({ length: 7 }, (_, i) => ({ memberId: `m${i}`, topics: i % 2 === 0 ? ['x', 'y'] : ['y'] }));
    const result = rangeAssign(members, counts({ x: 5, y: 23 }));
    for (const [topic, n] of [['x', 5], ['y', 23]] as const) {
      const all = [...result.values()].flat().filter((tp) => tp.topic === topic).flatMap((tp) => tp.partitions);
      expect(all).toEqual(Array.from({ length: n }, (_, p) => p));
    }
  });
});

/** kafka-python's RangePartitionAssignor on the same input, with topics that got nothing dropped. */
function kafkaPythonRange(members: readonly RangeMember[], partitionCounts: Record<string, number>): Record<string, TopicPartitions[]> {
  const script = `
import json, sys
from kafka.coordinator.assignors.range import RangePartitionAssignor
from kafka.coordinator.protocol import ConsumerProtocolMemberMetadata
job = json.load(sys.stdin)
class Cluster:
    def partitions_for_topic(self, topic):
        n = job['counts'].get(topic)
        return None if n is None else set(range(n))
metadata = {m['memberId']: ConsumerProtocolMemberMetadata(0, m['topics'], b'') for m in job['members']}
result = RangePartitionAssignor.assign(Cluster(), metadata)
print(json.dumps({member: [{'topic': t, 'partitions': list(p)} for t, p in a.assignment if len(p) > 0]
                  for member, a in result.items()}))
`;
  const input = JSON.stringify({ members, counts: partitionCounts });
  const result = spawnSync(PYTHON, ['-c', script], { input, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`kafka-python exited ${result.status} (install Debian's python3-kafka, see scripts/test.sh):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Record<string, TopicPartitions[]>;
}

describe('rangeAssign against kafka-python', () => {
  it('agrees on random groups', () => {
    const next = seededRandom(16);
    for (let round = 0; round < 25; round++) {
      const topics = Array.from({ length: 1 + Math.floor(next() * 5) }, (_, i) => `topic-${String.fromCharCode(97 + Math.floor(next() * 26))}${i}`);
      const partitionCounts: Record<string, number> = {};
      for (const t of topics) if (next() < 0.85) partitionCounts[t] = Math.floor(next() * 12);
      const members: RangeMember[] = Array.from({ length: 1 + Math.floor(next() * 8) }, (_, i) => ({
        memberId: `consumer-${Math.floor(next() * 1000)}-${i}`,
        topics: topics.filter(() => next() < 0.6),
      }));
      const ours = asObject(rangeAssign(members, new Map(Object.entries(partitionCounts))));
      expect(ours, JSON.stringify({ members, partitionCounts })).toEqual(kafkaPythonRange(members, partitionCounts));
    }
  });
});
