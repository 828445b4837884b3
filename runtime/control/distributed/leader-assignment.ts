/**
 * The glue between GroupMembership's leader callback and the pure incremental assignor: reads
 * each member's allocation from its metadata, remembers the assignor state between the rounds
 * this worker leads, and applies scheduled.rebalance.max.delay.ms.
 *
 * Under the eager protocol (`default`) every member gave up its work before joining, so the
 * round starts from scratch: nobody owns anything, nothing is held back for departed members,
 * and each member's plan is its complete work (Kafka Connect's eager assignment also spreads
 * everything evenly from nothing).
 */
import type { LeaderRound } from './group-membership.js';
import { assignIncrementally, type AssignorState, type AssignResult, type ConnectorWork, type MemberPlan } from './incremental-assignor.js';
import { EMPTY_WORK } from './work-set.js';

export interface LeaderAssignmentOptions {
  /** Connectors of the leader's config snapshot and their task counts. */
  readonly connectors: () => readonly ConnectorWork[];
  /** scheduled.rebalance.max.delay.ms */
  readonly maxDelayMs: number;
  /** The leader's config offset; when given, members ahead of it get CONFIG_MISMATCH. */
  readonly configOffset?: () => number;
  readonly clock?: () => number;
  /** Sees every result (logging, metrics, tests). */
  readonly onResult?: (round: LeaderRound, result: AssignResult) => void;
}

export type LeaderAssign = (round: LeaderRound) => ReadonlyMap<string, MemberPlan>;

export function createLeaderAssign(options: LeaderAssignmentOptions): LeaderAssign {
  let previous: AssignorState | null = null;
  const clock = options.clock ?? Date.now;
  return (round) => {
    const eager = round.protocol === 'default';
    const result = assignIncrementally({
      generation: round.generation,
      members: round.members.map((m) => ({
        id: m.memberId,
        configOffset: m.metadata.configOffset,
        owned: eager ? EMPTY_WORK : m.metadata.allocation?.assigned ?? EMPTY_WORK,
      })),
      connectors: options.connectors(),
      previous: eager ? null : previous,
      now: clock(),
      maxDelayMs: eager ? 0 : options.maxDelayMs,
      ...(options.configOffset ? { leaderConfigOffset: options.configOffset() } : {}),
    });
    previous = eager ? null : result.state;
    options.onResult?.(round, result);
    return result.plans;
  };
}
