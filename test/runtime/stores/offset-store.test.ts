import { describe, expect, it } from 'vitest';
import { OffsetStore } from '../../../runtime/stores/offset-store.js';
import { InMemoryCompactedTopic } from '../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { InMemoryTopicLog } from '../../../runtime/stores/memory/in-memory-topic-log.js';
import { OffsetFormatError } from '../../../runtime/stores/topic/offset-records.js';

function writeRaw(log: InMemoryTopicLog, records: [string | null, string | null][]): void {
  for (const [key, value] of records) log.append(key === null ? null : Buffer.from(key), value === null ? null : Buffer.from(value));
}

async function startedStore(log = new InMemoryTopicLog()) {
  const skipped: string[] = [];
  const store = new OffsetStore(new InMemoryCompactedTopic(log), { onSkippedRecord: (r) => skipped.push(String(r.key)) });
  await store.start();
  return { log, store, skipped };
}

describe('OffsetStore', () => {
  it('writes offsets in Kafka Connect format and reads them back', async () => {
    const { log, store } = await startedStore();
    const partition = { filename: 'test.txt' };
    await store.set('my-source', [{ partition, offset: { position: 30 } }]);
    expect(log.records.map((r) => [r.key!.toString(), r.value!.toString()])).toEqual([['["my-source",{"filename":"test.txt"}]', '{"position":30}']]);
    const offsets = await store.get('my-source', [partition, { filename: 'other.txt' }]);
    expect([...offsets]).toEqual([[partition, { position: 30 }]]);
  });

  it('keeps the last value per key and deletes on a tombstone', async () => {
    const { store } = await startedStore();
    const p = { filename: 'a' };
    await store.set('src', [{ partition: p, offset: { position: 1 } }]);
    await store.set('src', [{ partition: p, offset: { position: 2 } }]);
    expect((await store.get('src', [p])).get(p)).toEqual({ position: 2 });
    await store.set('src', [{ partition: p, offset: null }]);
    expect((await store.get('src', [p])).has(p)).toBe(false);
    expect(await store.allFor('src')).toEqual([]);
  });

  it('keeps connectors apart', async () => {
    const { store } = await startedStore();
    const p = { table: 'orders' };
    await store.set('one', [{ partition: p, offset: { id: 1 } }]);
    await store.set('two', [{ partition: p, offset: { id: 2 } }]);
    expect((await store.get('one', [p])).get(p)).toEqual({ id: 1 });
    expect(await store.allFor('two')).toEqual([{ partition: p, offset: { id: 2 } }]);
  });

  it('reads offsets a Kafka Connect worker wrote, finding partitions whose members it wrote in another order', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [
      ['["local-file-source",{"filename":"/tmp/test.txt"}]', '{"position":4096}'],
      ['["jdbc",{"table":"orders","schema":"public"}]', '{"incrementing":42}'],
    ]);
    const { store } = await startedStore(log);
    const file = { filename: '/tmp/test.txt' };
    expect((await store.get('local-file-source', [file])).get(file)).toEqual({ position: 4096 });
    const table = { schema: 'public', table: 'orders' };
    expect((await store.get('jdbc', [table])).get(table)).toEqual({ incrementing: 42 });
  });

  it('prefers the exact key bytes over an equivalent partition written in another order', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [
      ['["c",{"a":1,"b":2}]', '{"v":"exact"}'],
      ['["c",{"b":2,"a":1}]', '{"v":"reordered, newer"}'],
    ]);
    const { store } = await startedStore(log);
    const p = { a: 1, b: 2 };
    expect((await store.get('c', [p])).get(p)).toEqual({ v: 'exact' });
    expect(await store.allFor('c')).toEqual([{ partition: { b: 2, a: 1 }, offset: { v: 'reordered, newer' } }]);
  });

  it('lists every partition of a connector once', async () => {
    const { store } = await startedStore();
    await store.set('src', [
      { partition: { f: 'a' }, offset: { pos: 1 } },
      { partition: { f: 'b' }, offset: { pos: 2 } },
      { partition: { f: 'a' }, offset: { pos: 3 } },
    ]);
    expect(await store.allFor('src')).toEqual([
      { partition: { f: 'a' }, offset: { pos: 3 } },
      { partition: { f: 'b' }, offset: { pos: 2 } },
    ]);
  });

  it('ignores records whose key is not [string, map]', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [
      ['["c",null]', '{"x":1}'],
      ['"c"', '{"x":1}'],
      [null, '{"x":1}'],
      ['["c",{"p":1}]', '{"x":1}'],
    ]);
    const { store, skipped } = await startedStore(log);
    expect(await store.allFor('c')).toEqual([{ partition: { p: 1 }, offset: { x: 1 } }]);
    expect(skipped).toEqual(['["c",null]', '"c"', 'null']);
  });

  it('fails loudly when the stored offset is not a map of primitives instead of starting over', async () => {
    const log = new InMemoryTopicLog();
    writeRaw(log, [['["c",{"p":1}]', '{"x":{"nested":true}}']]);
    const { store } = await startedStore(log);
    await expect(store.get('c', [{ p: 1 }])).rejects.toThrow(OffsetFormatError);
    await expect(store.allFor('c')).rejects.toThrow(OffsetFormatError);
  });

  it('rejects offsets with nested values before writing anything', async () => {
    const { log, store } = await startedStore();
    const bad = [
      { partition: { f: 'a' }, offset: { pos: 1 } },
      { partition: { f: 'b' }, offset: { pos: { line: 1 } } as never },
    ];
    await expect(store.set('src', bad)).rejects.toThrow(OffsetFormatError);
    expect(log.records).toEqual([]);
  });

  it('sees offsets another worker committed, because reads catch up with the topic first', async () => {
    const log = new InMemoryTopicLog();
    const writer = await startedStore(log);
    const reader = await startedStore(log);
    const p = { f: 'x' };
    await writer.store.set('src', [{ partition: p, offset: { pos: 9 } }]);
    expect((await reader.store.get('src', [p])).get(p)).toEqual({ pos: 9 });
  });
});
