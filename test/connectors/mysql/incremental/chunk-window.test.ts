/**
 * The chunk window's de-duplication rule: a streamed change of a buffered key drops it only
 * while the window is open; the close watermark hands back the rest in key order; watermarks of
 * other chunks change nothing.
 */
import { describe, expect, it } from 'vitest';
import { ChunkWindow, type WindowRow } from '../../../../connectors/mysql/incremental/chunk-window.js';
import { encodeKey } from '../../../../connectors/mysql/incremental/key-values.js';

const row = (id: number): WindowRow => ({ identity: encodeKey([id]), key: [id], values: [id, `row ${id}`] });

describe('ChunkWindow', () => {
  it('drops keys changed while open and emits the rest in key order at close', () => {
    const window = new ChunkWindow();
    window.fill('c1', [row(1), row(2), row(3), row(4)]);
    expect(window.changed(encodeKey([2])), 'a change before the open watermark is older than the SELECT').toBe(false);
    expect(window.open('c1')).toBe(true);
    expect(window.changed(encodeKey([3]))).toBe(true);
    expect(window.changed(encodeKey([9])), 'a key outside the chunk').toBe(false);
    expect(window.end).toEqual([4]);
    expect(window.close('c1')!.map((r) => r.key)).toEqual([[1], [2], [4]]);
    expect(window.isOpen).toBe(false);
    expect(window.changed(encodeKey([1])), 'after the close watermark nothing is buffered').toBe(false);
  });

  it('ignores watermarks of another chunk (replayed after a restart)', () => {
    const window = new ChunkWindow();
    window.fill('new', [row(5)]);
    expect(window.open('old')).toBe(false);
    expect(window.changed(encodeKey([5]))).toBe(false);
    expect(window.close('old')).toBeNull();
    expect(window.size).toBe(1);
    window.open('new');
    expect(window.close('new')!.map((r) => r.key)).toEqual([[5]]);
  });

  it('an empty chunk closes with nothing and keeps no end', () => {
    const window = new ChunkWindow();
    window.fill('c', []);
    window.open('c');
    expect(window.end).toBeNull();
    expect(window.close('c')).toEqual([]);
  });
});
