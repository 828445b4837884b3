/**
 * Elects the one registry instance that writes `_schemas`, over Kafka's classic group protocol
 * as Confluent's registries do (group `schema-registry`, protocol type `sr`), on the runtime's
 * shared group engine (runtime/kafka/wire/classic-group-member.ts).
 *
 * Each member offers `{"version":1,"url":…,"leaderEligibility":…}` under the protocol name
 * `ferry-v0`. The group's leader (chosen by the coordinator) names the registry leader: itself
 * when eligible, else the eligible member with the smallest member id; every member receives
 * `{"error":0,"leaderId":…,"leaderUrl":…}` (`error` 1: no eligible member, nobody writes).
 * The protocol name differs from Confluent's on purpose: a Confluent registry joining the same
 * group gets INCONSISTENT_GROUP_PROTOCOL instead of a leader it cannot understand.
 *
 * Safety: an instance writes only while `isLeader()`: it holds the assignment naming it and
 * its membership is active. It gives the role up before every rejoin (eager) and when the
 * engine declares its membership lost, which happens before the coordinator can have handed
 * the role to someone else, so two instances never both believe they lead.
 */
import type { Logger } from 'pino';
import { ClassicGroupMember, type GroupProtocolHandler, type GroupRound } from '../../runtime/kafka/wire/classic-group-member.js';
import type { WireCluster } from '../../runtime/kafka/wire/wire-cluster.js';
import type { LeaderRole } from '../rest/write-forwarding.js';

export const REGISTRY_PROTOCOL_TYPE = 'sr';
export const REGISTRY_PROTOCOL = 'ferry-v0';
export const DEFAULT_REGISTRY_GROUP = 'schema-registry';

interface MemberMetadata {
  readonly version: number;
  readonly url: string;
  readonly leaderEligibility: boolean;
}

interface Assignment {
  readonly error: number;
  readonly leaderId: string | null;
  readonly leaderUrl: string | null;
}

export interface RegistryElectionOptions {
  readonly cluster: WireCluster;
  readonly groupId: string;
  /** This instance's URL as the others reach it. */
  readonly url: string;
  readonly leaderEligibility: boolean;
  readonly logger: Logger;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
}

function decodeJson<T>(bytes: Buffer): T | undefined {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

export class RegistryElection implements LeaderRole {
  readonly #member: ClassicGroupMember;
  #assignment: Assignment | null = null;
  #onElected: () => void = () => undefined;
  readonly #firstElection = new Promise<void>((resolve) => { this.#onElected = resolve; });

  constructor(options: RegistryElectionOptions) {
    const handler: GroupProtocolHandler = {
      protocolType: REGISTRY_PROTOCOL_TYPE,
      joinProtocols: () => [{
        name: REGISTRY_PROTOCOL,
        metadata: Buffer.from(JSON.stringify({ version: 1, url: options.url, leaderEligibility: options.leaderEligibility } satisfies MemberMetadata)),
      }],
      beforeJoin: async () => {
        this.#assignment = null;
      },
      assign: async (round, members) => this.#assign(round, members),
      apply: async (round, bytes) => {
        const assignment = decodeJson<Assignment>(bytes) ?? { error: 1, leaderId: null, leaderUrl: null };
        round.settle();
        this.#assignment = assignment;
        if (assignment.error !== 0) options.logger.warn({ generation: round.generation }, 'no registry instance is eligible to lead: writes fail until one joins');
        else options.logger.info({ generation: round.generation, leader: assignment.leaderUrl, self: this.isLeader() }, 'schema registry leader elected');
        this.#onElected();
      },
      holdsWork: () => this.isLeader(),
      membershipLost: (loss) => {
        this.#assignment = null;
        options.logger.warn({ reason: loss.reason }, 'lost the schema registry group membership');
      },
      fatal: (err) => options.logger.error({ err }, 'the schema registry group membership stopped for good'),
    };
    this.#member = new ClassicGroupMember({
      cluster: options.cluster,
      groupId: options.groupId,
      handler,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
      rebalanceTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      lanePrefix: 'schema-registry',
      logger: options.logger,
    });
  }

  async #assign(round: GroupRound, members: readonly { memberId: string; metadata: Buffer }[]): Promise<{ memberId: string; assignment: Buffer }[]> {
    const eligible = members
      .map((m) => ({ memberId: m.memberId, metadata: decodeJson<MemberMetadata>(Buffer.from(m.metadata)) }))
      .filter((m) => m.metadata?.leaderEligibility === true)
      .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
    const leader = eligible.find((m) => m.memberId === round.memberId) ?? eligible[0];
    const assignment: Assignment = leader
      ? { error: 0, leaderId: leader.memberId, leaderUrl: leader.metadata!.url }
      : { error: 1, leaderId: null, leaderUrl: null };
    const bytes = Buffer.from(JSON.stringify(assignment));
    return members.map((m) => ({ memberId: m.memberId, assignment: bytes }));
  }

  start(): void {
    this.#member.start();
  }

  /** Resolves at the first election (true) or after `timeoutMs` without one (false). */
  async firstElection(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    try {
      return await Promise.race([this.#firstElection.then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  isLeader(): boolean {
    const a = this.#assignment;
    return a !== null && a.error === 0 && a.leaderId === this.#member.memberId && this.#member.isActive();
  }

  leaderUrl(): string | null {
    const a = this.#assignment;
    return a !== null && a.error === 0 ? a.leaderUrl : null;
  }

  /** Leaves the group so another instance takes over at once. */
  stop(): Promise<void> {
    return this.#member.stop();
  }

  /** Drops out without LeaveGroup (a crash, to the group). */
  kill(): void {
    this.#member.kill();
  }
}
