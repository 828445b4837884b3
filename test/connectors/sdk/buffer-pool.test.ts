import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../../connectors/sdk/buffer-pool.js';

const pool = (maxFreeBytes = 4096) => new BufferPool({ minCapacity: 1024, maxFreeBytes });

describe('BufferPool', () => {
  it('hands out buffers of the size asked for, and reuses the memory of one given back', () => {
    const buffers = pool();
    const first = buffers.take(700);
    expect(first.length).toBe(700);
    buffers.give(first);
    const second = buffers.take(1024);
    expect(second.length).toBe(1024);
    expect(second.buffer).toBe(first.buffer);
    expect(buffers.allocatedBytes).toBe(1024);
  });

  it('never hands the same memory to two holders, even when a buffer is given back twice', () => {
    const buffers = pool();
    const a = buffers.take(10);
    buffers.give(a);
    buffers.give(a);
    const b = buffers.take(10);
    const c = buffers.take(10);
    expect(b.buffer).not.toBe(c.buffer);
  });

  it('ignores buffers it did not hand out', () => {
    const buffers = pool();
    buffers.give(Buffer.alloc(1024));
    buffers.give(Buffer.allocUnsafeSlow(1024));
    buffers.take(10);
    expect(buffers.allocatedBytes).toBe(1024);
  });

  it('gives a buffer larger than minCapacity a slab of its size, reused for the smallest request it holds', () => {
    const buffers = pool(1 << 20);
    const large = buffers.take(5000);
    const small = buffers.take(100);
    expect(large.length).toBe(5000);
    buffers.give(large);
    buffers.give(small);
    expect(buffers.take(900).buffer).toBe(small.buffer);
    expect(buffers.take(4000).buffer).toBe(large.buffer);
    expect(buffers.allocatedBytes).toBe(6024);
  });

  it('keeps at most maxFreeBytes of free slabs for reuse', () => {
    const buffers = pool(2048);
    const taken = Array.from({ length: 5 }, () => buffers.take(100));
    expect(buffers.allocatedBytes).toBe(5 * 1024);
    for (const buffer of taken) buffers.give(buffer);
    expect(buffers.allocatedBytes).toBe(2 * 1024);
    const again = [buffers.take(100), buffers.take(100), buffers.take(100)];
    expect(new Set(again.map((b) => b.buffer)).size).toBe(3);
    expect(buffers.allocatedBytes).toBe(3 * 1024);
  });
});
