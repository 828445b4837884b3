/**
 * When a checkpoint for a (group, topic, partition) is emitted (reference §6.5 step 4): the first
 * one; one whose upstream offset moved backwards (the group was rewound on purpose); or one whose
 * translated downstream offset moved forward. Repeats and downstream-only rewinds (a coarser
 * sync) are suppressed, so consumers failed over never move back because translation got worse.
 */
import type { Checkpoint } from '../records/checkpoint.js';

export function shouldEmitCheckpoint(previous: Checkpoint | undefined, next: Checkpoint): boolean {
  if (previous === undefined) return true;
  return next.upstreamOffset < previous.upstreamOffset || next.downstreamOffset > previous.downstreamOffset;
}
