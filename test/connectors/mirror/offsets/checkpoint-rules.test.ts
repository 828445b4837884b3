import { describe, expect, it } from 'vitest';
import { shouldEmitCheckpoint } from '../../../../connectors/mirror/offsets/checkpoint-rules.js';
import type { Checkpoint } from '../../../../connectors/mirror/records/checkpoint.js';

const cp = (upstreamOffset: number, downstreamOffset: number): Checkpoint => ({ group: 'g', topic: 'A.t', partition: 0, upstreamOffset, downstreamOffset, metadata: '' });

describe('shouldEmitCheckpoint', () => {
  it('emits the first checkpoint of a partition', () => {
    expect(shouldEmitCheckpoint(undefined, cp(10, 5))).toBe(true);
  });

  it('emits when the translated offset moves forward', () => {
    expect(shouldEmitCheckpoint(cp(10, 5), cp(20, 6))).toBe(true);
  });

  it('suppresses repeats and a downstream-only rewind (a coarser sync must not move failed-over consumers back)', () => {
    expect(shouldEmitCheckpoint(cp(10, 5), cp(10, 5))).toBe(false);
    expect(shouldEmitCheckpoint(cp(10, 5), cp(30, 5))).toBe(false);
    expect(shouldEmitCheckpoint(cp(10, 5), cp(12, 3))).toBe(false);
  });

  it('emits when the group itself was rewound upstream, even though downstream goes back', () => {
    expect(shouldEmitCheckpoint(cp(10, 5), cp(4, 2))).toBe(true);
  });
});
