import { describe, expect, it } from 'vitest';
import { batchesIn } from '../../../broker/protocol/record-batch.js';
import { ReadBufferPool } from '../../../broker/log/read-buffers.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { append, batch, decodeAll, openLog, text, values } from './log-test-kit.js';

const KiB = 1024;

describe('ReadBufferPool', () => {
  it('hands a buffer out again only after the lease that held it is released', () => {
    const pool = new ReadBufferPool();
    const a = pool.lease();
    const first = a.alloc(100 * KiB);
    expect(first.length).toBe(100 * KiB);
    const b = pool.lease();
    const second = b.alloc(100 * KiB);
    expect(second.buffer === first.buffer && second.byteOffset === first.byteOffset).toBe(false);
    a.release();
    const c = pool.lease();
    const third = c.alloc(90 * KiB);
    expect(third.buffer).toBe(first.buffer);
    expect(third.length).toBe(90 * KiB);
    a.release(); // idempotent: must not give the buffer c now holds back a second time
    expect(pool.idleBytes).toBe(0);
  });

  it('does not pool small or very large reads, nor a buffer more than twice the size asked for', () => {
    const pool = new ReadBufferPool({ minPooledSize: 64 * KiB, maxPooledSize: 1024 * KiB });
    const lease = pool.lease();
    lease.alloc(1 * KiB);
    lease.alloc(2048 * KiB);
    lease.alloc(512 * KiB);
    lease.release();
    expect(pool.idleBytes).toBe(512 * KiB);
    const next = pool.lease();
    const small = next.alloc(100 * KiB);
    expect(small.buffer.byteLength).toBeLessThan(512 * KiB);
    expect(pool.idleBytes).toBe(512 * KiB);
  });

  it('keeps at most maxPooledBytes of idle buffers', () => {
    const pool = new ReadBufferPool({ maxPooledBytes: 1024 * KiB });
    const lease = pool.lease();
    for (let i = 0; i < 5; i++) lease.alloc(256 * KiB);
    lease.release();
    expect(pool.idleBytes).toBe(1024 * KiB);
  });
});

describe('PartitionLog reads into pooled buffers', () => {
  const pooled = () => new ReadBufferPool({ minPooledSize: 1 });

  it('returns the same bytes as a plain read for a fetch spanning several segments', () => {
    const log = openLog(tempDir(), { segmentBytes: 600 });
    for (let i = 0; i < 40; i++) append(log, batch(values(3, 'v', i * 3)));
    expect(log.segmentCount).toBeGreaterThan(4);
    const plain = log.read(10, 3000, { minOneBatch: true });
    const lease = pooled().lease();
    const viaPool = log.read(10, 3000, { minOneBatch: true, buffers: lease });
    if ('error' in plain || 'error' in viaPool) throw new Error('out of range');
    expect(viaPool.records.equals(plain.records)).toBe(true);
    const offsets = decodeAll(viaPool.records).map((r) => r.offset);
    expect(offsets[0]).toBe(9);
    expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => 9 + i));
  });

  it('stops before a batch that would cross the size limit, and reads an oversized first batch whole', () => {
    const log = openLog(tempDir());
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const b = batch(values(2, 'x', i * 2));
      sizes.push(b.length);
      append(log, b);
    }
    append(log, batch([{ key: 'k', value: 'y'.repeat(100_000) }]));
    const pool = pooled();
    const partial = log.read(0, sizes[0]! + sizes[1]! + 10, { minOneBatch: true, buffers: pool.lease() });
    if ('error' in partial) throw new Error(partial.error);
    expect(partial.records.length).toBe(sizes[0]! + sizes[1]!);
    expect([...batchesIn(partial.records)].length).toBe(2);
    const big = log.read(8, 100, { minOneBatch: true, buffers: pool.lease() });
    if ('error' in big) throw new Error(big.error);
    expect(text(decodeAll(big.records)[0]!.value)).toBe('y'.repeat(100_000));
  });

  it('reuses a released buffer for the next read, and leaves records of an unreleased lease intact', () => {
    const log = openLog(tempDir());
    for (let i = 0; i < 10; i++) append(log, batch(values(5, 'v', i * 5)));
    const pool = pooled();
    const held = pool.lease();
    const kept = log.read(0, 1 << 16, { minOneBatch: true, buffers: held });
    if ('error' in kept) throw new Error(kept.error);
    const copy = Buffer.from(kept.records);
    const other = pool.lease();
    const again = log.read(25, 1 << 16, { minOneBatch: true, buffers: other });
    if ('error' in again) throw new Error(again.error);
    expect(again.records.buffer).not.toBe(kept.records.buffer);
    other.release();
    const third = log.read(40, 1 << 16, { minOneBatch: true, buffers: pool.lease() });
    if ('error' in third) throw new Error(third.error);
    expect(third.records.buffer).toBe(again.records.buffer);
    expect(kept.records.equals(copy)).toBe(true);
  });
});
