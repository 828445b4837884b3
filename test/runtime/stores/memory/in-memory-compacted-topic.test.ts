import { describe, expect, it } from 'vitest';
import { InMemoryCompactedTopic } from '../../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { InMemoryTopicLog } from '../../../../runtime/stores/memory/in-memory-topic-log.js';
import type { TopicRecord } from '../../../../runtime/stores/compacted-topic.js';

const b = (s: string) => Buffer.from(s);
const summary = (records: TopicRecord[]) => records.map((r) => `${r.offset}:${r.key}=${r.value ?? 'null'}`);

async function startedReader(log: InMemoryTopicLog): Promise<{ topic: InMemoryCompactedTopic; seen: TopicRecord[] }> {
  const topic = new InMemoryCompactedTopic(log);
  const seen: TopicRecord[] = [];
  topic.onRecord((r) => seen.push(r));
  await topic.start();
  return { topic, seen };
}

describe('InMemoryCompactedTopic', () => {
  it('delivers records already in the log before start resolves', async () => {
    const log = new InMemoryTopicLog();
    log.append(b('a'), b('1'));
    log.append(b('b'), null);
    const { seen } = await startedReader(log);
    expect(summary(seen)).toEqual(['0:a=1', '1:b=null']);
  });

  it('delivers appended records later, in append order, and readToEnd waits for them', async () => {
    const { topic, seen } = await startedReader(new InMemoryTopicLog());
    const appends = [topic.append(b('k1'), b('v1')), topic.appendBatch([{ key: b('k2'), value: b('v2') }, { key: b('k1'), value: null }])];
    await Promise.all(appends);
    expect(seen).toEqual([]);
    await topic.readToEnd();
    expect(summary(seen)).toEqual(['0:k1=v1', '1:k2=v2', '2:k1=null']);
  });

  it('lets every reader of a shared log see every record, including the other readers\' writes', async () => {
    const log = new InMemoryTopicLog();
    const one = await startedReader(log);
    const two = await startedReader(log);
    await one.topic.append(b('from-one'), b('x'));
    await two.topic.append(b('from-two'), b('y'));
    await Promise.all([one.topic.readToEnd(), two.topic.readToEnd()]);
    expect(summary(one.seen)).toEqual(['0:from-one=x', '1:from-two=y']);
    expect(summary(two.seen)).toEqual(summary(one.seen));
  });

  it('compacts to the latest record per key while keeping offsets', async () => {
    const log = new InMemoryTopicLog();
    log.append(b('a'), b('1'));
    log.append(b('b'), b('2'));
    log.append(b('a'), b('3'));
    log.append(b('b'), null);
    log.compact();
    expect(summary((await startedReader(log)).seen)).toEqual(['2:a=3', '3:b=null']);
    log.compact({ dropTombstones: true });
    expect(summary((await startedReader(log)).seen)).toEqual(['2:a=3']);
  });

  it('rejects the pending readToEnd when a listener throws, and keeps delivering', async () => {
    const { topic, seen } = await startedReader(new InMemoryTopicLog());
    topic.onRecord((r) => {
      if (r.key?.toString() === 'bad') throw new Error('listener failed');
    });
    await topic.append(b('bad'), b('1'));
    await expect(topic.readToEnd()).rejects.toThrow('listener failed');
    await topic.append(b('good'), b('2'));
    await topic.readToEnd();
    expect(summary(seen)).toEqual(['0:bad=1', '1:good=2']);
  });

  it('refuses appends before start and after stop, and stops delivering', async () => {
    const topic = new InMemoryCompactedTopic();
    await expect(topic.append(b('a'), null)).rejects.toThrow(/not started/);
    await topic.start();
    await topic.stop();
    await expect(topic.append(b('a'), null)).rejects.toThrow(/not started/);
    await expect(topic.readToEnd()).rejects.toThrow(/not started/);
  });
});
