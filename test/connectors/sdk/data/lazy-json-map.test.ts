import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonSourceOf } from '../../../../connectors/sdk/data/json-source.js';
import { LazyJsonMap } from '../../../../connectors/sdk/data/lazy-json-map.js';
import { valuesEqual } from '../../../../connectors/sdk/data/value-equality.js';

const TEXT = '{"id":7,"tags":["a","b"],"inner":{"x":1}}';

/** A lazy map of TEXT and how many times its entries were read. */
function lazy(): { map: LazyJsonMap; reads: () => number } {
  let reads = 0;
  const map = new LazyJsonMap(Buffer.from(TEXT), (bytes) => {
    reads++;
    const parsed = JSON.parse(bytes.toString('utf8')) as { id: number; tags: string[]; inner: { x: number } };
    return new Map<string, unknown>([['id', parsed.id], ['tags', parsed.tags], ['inner', new Map([['x', parsed.inner.x]])]]);
  });
  return { map, reads: () => reads };
}

const expected = new Map<string, unknown>([['id', 7], ['tags', ['a', 'b']], ['inner', new Map([['x', 1]])]]);

describe('LazyJsonMap', () => {
  it('is read by the first use of any Map method, once, and then is the Map it stands for', () => {
    const uses: ((m: Map<string, unknown>) => unknown)[] = [
      (m) => m.size, (m) => m.get('id'), (m) => m.has('tags'), (m) => [...m], (m) => [...m.keys()], (m) => [...m.values()],
      (m) => [...m.entries()], (m) => { const seen: string[] = []; m.forEach((_v, k) => seen.push(k)); return seen; },
    ];
    for (const use of uses) {
      const { map, reads } = lazy();
      expect(map.unread).toBe(true);
      use(map);
      use(map);
      expect(reads()).toBe(1);
      expect(map.unread).toBe(false);
      expect(map).toBeInstanceOf(Map);
      expect(map).toEqual(expected);
      expect(valuesEqual(map, expected)).toBe(true);
    }
  });

  it('is read before it is changed, so set, delete and clear change what was read', () => {
    const set = lazy().map;
    set.set('extra', true);
    expect([...set.keys()]).toEqual(['id', 'tags', 'inner', 'extra']);
    const deleted = lazy().map;
    expect(deleted.delete('id')).toBe(true);
    expect([...deleted.keys()]).toEqual(['tags', 'inner']);
    const cleared = lazy().map;
    cleared.clear();
    expect(cleared.size).toBe(0);
  });

  it('gives a JSON writer its text without being read, and after being read only while it still holds what was read', () => {
    const { map, reads } = lazy();
    expect(jsonSourceOf(map)?.toString('utf8')).toBe(TEXT);
    expect(reads()).toBe(0);
    map.get('id');
    expect(jsonSourceOf(map)?.toString('utf8')).toBe(TEXT);
    (map.get('inner') as Map<string, unknown>).set('x', 2);
    expect(jsonSourceOf(map)).toBeUndefined();
    const changed = lazy().map;
    changed.set('id', 8);
    expect(jsonSourceOf(changed)).toBeUndefined();
  });

  it('shows its entries when inspected, as a Map does', () => {
    expect(inspect(lazy().map)).toBe(inspect(expected));
  });
});
