import { describe, expect, it } from 'vitest';
import { BatchBufferPool } from '../../../../runtime/kafka/wire/batch-buffer-pool.js';

describe('BatchBufferPool', () => {
  it('hands out buffers of the size asked for, and reuses the memory of one given back', () => {
    const pool = new BatchBufferPool(1024, 4);
    const first = pool.take(700);
    expect(first.length).toBe(700);
    pool.give(first);
    const second = pool.take(1024);
    expect(second.length).toBe(1024);
    expect(second.buffer).toBe(first.buffer);
    expect(pool.allocatedBytes).toBe(1024);
  });

  it('never hands the same memory to two holders, even when a buffer is given back twice', () => {
    const pool = new BatchBufferPool(1024, 4);
    const a = pool.take(10);
    pool.give(a);
    pool.give(a);
    const b = pool.take(10);
    const c = pool.take(10);
    expect(b.buffer).not.toBe(c.buffer);
  });

  it('ignores buffers it did not hand out', () => {
    const pool = new BatchBufferPool(1024, 4);
    pool.give(Buffer.alloc(1024));
    pool.give(Buffer.allocUnsafeSlow(1024));
    pool.take(10);
    expect(pool.allocatedBytes).toBe(1024);
  });

  it('gives a batch larger than its buffers memory of its own, which it does not keep', () => {
    const pool = new BatchBufferPool(1024, 4);
    const large = pool.take(5000);
    expect(large.length).toBe(5000);
    pool.give(large);
    expect(pool.take(5000).buffer).not.toBe(large.buffer);
    expect(pool.allocatedBytes).toBe(0);
  });

  it('keeps at most maxFree buffers for reuse', () => {
    const pool = new BatchBufferPool(1024, 2);
    const taken = Array.from({ length: 5 }, () => pool.take(100));
    expect(pool.allocatedBytes).toBe(5 * 1024);
    for (const buffer of taken) pool.give(buffer);
    expect(pool.allocatedBytes).toBe(2 * 1024);
    const again = [pool.take(100), pool.take(100), pool.take(100)];
    expect(new Set(again.map((b) => b.buffer)).size).toBe(3);
    expect(pool.allocatedBytes).toBe(3 * 1024);
  });
});
