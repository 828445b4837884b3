/** One member of a classic group, with its parked JoinGroup/SyncGroup answers and session timer. */
import type { TimerHandle } from './timers.js';
import type { JoinGroupProtocol, JoinGroupResult, SyncGroupResult } from './group-types.js';

export type JoinCallback = (result: JoinGroupResult) => void;
export type SyncCallback = (result: SyncGroupResult) => void;

const EMPTY = Buffer.alloc(0);

export class GroupMember {
  assignment: Buffer = EMPTY;
  awaitingJoin: JoinCallback | null = null;
  awaitingSync: SyncCallback | null = null;
  /** Joined but has not yet received a JoinGroup answer; expires after the new-member timeout. */
  isNew = false;
  sessionTimer: TimerHandle | null = null;
  /** When sessionTimer fires (clock ms); it may be earlier than the deadline, never later. */
  sessionTimerDue = 0;
  /** When the session expires unless the member is heard from again (clock ms). */
  sessionDeadline = 0;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: JoinGroupProtocol[],
  ) {}

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  metadata(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY;
  }

  /** Same protocol names with the same metadata bytes, in the same order. */
  matches(protocols: JoinGroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata));
  }

  /** The member's most preferred protocol among the candidates. */
  vote(candidates: Set<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }
}
