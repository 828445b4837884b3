import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../../runtime/pipeline/converters/lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry, counting repeated hits on the newest entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.get('c')).toBe(3);
    cache.set('d', 4);
    expect(cache.get('a')).toBeUndefined();
    expect([cache.get('c'), cache.get('d'), cache.size]).toEqual([3, 4, 2]);
  });

  it('keeps nothing when its size is zero', () => {
    const cache = new LruCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
