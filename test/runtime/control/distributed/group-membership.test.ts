import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition, Encodable, Fields, Struct } from '../../../../broker/protocol/schema.js';
import type { SendOptions } from '../../../../runtime/kafka/wire/broker-connection.js';
import { WireConnectionError } from '../../../../runtime/kafka/wire/kafka-error.js';
import { WireCluster } from '../../../../runtime/kafka/wire/wire-cluster.js';
import {
  GroupMembership,
  type AssignmentEvent,
  type LeaderRound,
  type MembershipLostEvent,
} from '../../../../runtime/control/distributed/group-membership.js';
import type { ConnectorWork } from '../../../../runtime/control/distributed/incremental-assignor.js';
import { offeredSubProtocols, type ConnectSubProtocol } from '../../../../runtime/control/distributed/connect-protocol.js';
import { DISTRIBUTED_GROUP_DEFAULTS } from '../../../../runtime/control/distributed/distributed-defaults.js';
import { createLeaderAssign } from '../../../../runtime/control/distributed/leader-assignment.js';
import type { WorkSet } from '../../../../runtime/control/distributed/work-set.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';
import { until } from '../../../helpers/until.js';

const logger = pino({ level: process.env.FERRY_TEST_LOG ?? 'silent' });

/** A cluster client whose requests can be cut off, as if the network to the broker failed. */
class PartitionableCluster extends WireCluster {
  partitioned = false;

  override sendToNode<Req extends Fields, Res extends Fields>(
    nodeId: number, api: ApiDefinition<Req, Res>, body: Encodable<Struct<Req>>, options: SendOptions & { lane?: string } = {},
  ): Promise<Struct<Res>> {
    if (this.partitioned) return Promise.reject(new WireConnectionError('network partition (test)'));
    return super.sendToNode(nodeId, api, body, options);
  }
}

const unitNames = (work: WorkSet) => [...work.connectors.map((c) => `${c}/-1`), ...work.tasks.map((t) => `${t.connector}/${t.task}`)];

function allUnits(work: readonly ConnectorWork[]): string[] {
  return work.flatMap((c) => [`${c.connector}/-1`, ...Array.from({ length: c.tasks }, (_, i) => `${c.connector}/${i}`)]).sort();
}

interface WorkerSettings {
  sessionTimeoutMs?: number;
  sessionTimeoutFallbacksMs?: number[];
  heartbeatIntervalMs?: number;
  maxDelayMs?: number;
  /** How long the worker takes to stop revoked work. */
  stopTakesMs?: number;
  /** What the worker offers in JoinGroup (connect.protocol); ferry's default when absent. */
  subProtocols?: ConnectSubProtocol[];
}

let broker: TestBroker;
let groupSeq = 0;
const started: Worker[] = [];

/** Which worker runs which unit, across the whole test cluster; a second runner is a violation. */
class Runners {
  readonly byUnit = new Map<string, string>();
  readonly violations: string[] = [];

  start(worker: string, units: string[]): void {
    for (const u of units) {
      const other = this.byUnit.get(u);
      if (other !== undefined && other !== worker) this.violations.push(`${u} started on ${worker} while running on ${other}`);
      this.byUnit.set(u, worker);
    }
  }

  stop(worker: string, units: string[]): void {
    for (const u of units) if (this.byUnit.get(u) === worker) this.byUnit.delete(u);
  }
}

/** A stand-in for a ferry worker: runs what the group assigns, stops what it revokes. */
class Worker {
  readonly cluster: PartitionableCluster;
  readonly membership: GroupMembership;
  readonly assignments: AssignmentEvent[] = [];
  readonly losses: MembershipLostEvent[] = [];
  readonly rounds: LeaderRound[] = [];
  readonly fatal: Error[] = [];
  running = new Set<string>();

  constructor(readonly name: string, groupId: string, readonly work: () => ConnectorWork[], readonly runners: Runners, settings: WorkerSettings = {}) {
    this.cluster = new PartitionableCluster({
      bootstrap: [broker.bootstrap],
      connection: { clientId: name, requestTimeoutMs: 5000 },
      logger,
      retry: { backoffMs: 50, maxBackoffMs: 200, timeoutMs: 5000 },
    });
    this.membership = new GroupMembership({
      cluster: this.cluster,
      groupId,
      url: `http://${name}:8083`,
      sessionTimeoutMs: settings.sessionTimeoutMs ?? 1500,
      sessionTimeoutFallbacksMs: settings.sessionTimeoutFallbacksMs ?? [],
      heartbeatIntervalMs: settings.heartbeatIntervalMs ?? 200,
      rebalanceTimeoutMs: 5000,
      ...(settings.subProtocols ? { subProtocols: settings.subProtocols } : {}),
      configOffset: () => 0,
      assign: createLeaderAssign({
        connectors: work,
        maxDelayMs: settings.maxDelayMs ?? 0,
        onResult: (round) => this.rounds.push(round),
      }),
      listener: {
        onRevoked: async (e) => {
          await new Promise((resolve) => setTimeout(resolve, settings.stopTakesMs ?? 50));
          const units = unitNames(e.revoked);
          for (const u of units) this.running.delete(u);
          runners.stop(name, units);
        },
        onAssignment: (e) => {
          this.assignments.push(e);
          const units = unitNames(e.added);
          runners.start(name, units);
          for (const u of units) this.running.add(u);
        },
        onMembershipLost: (e) => {
          this.losses.push(e);
          runners.stop(name, [...this.running]);
          this.running.clear();
        },
        onFatal: (err) => this.fatal.push(err),
      },
    });
    started.push(this);
  }

  start(): this {
    this.membership.start();
    return this;
  }

  /** The process dies: nothing it ran runs any more, and it says nothing to the group. */
  crash(): void {
    this.membership.kill();
    this.runners.stop(this.name, [...this.running]);
    this.running.clear();
    void this.cluster.close();
  }

  async stop(): Promise<void> {
    this.runners.stop(this.name, [...this.running]);
    this.running.clear();
    await this.membership.stop();
    await this.cluster.close();
  }
}

/** Every unit runs exactly once, loads differ by at most one, and all members agree on the generation. */
function settled(workers: Worker[], units: string[]): boolean {
  const m = workers.map((w) => w.membership);
  if (m.some((x) => x.phase !== 'stable') || new Set(m.map((x) => x.generation)).size !== 1) return false;
  const running = workers.flatMap((w) => [...w.running]).sort();
  const loads = workers.map((w) => w.running.size);
  return JSON.stringify(running) === JSON.stringify(units) && Math.max(...loads) - Math.min(...loads) <= 1;
}

function group(): { groupId: string; runners: Runners } {
  return { groupId: `connect-cluster-${process.pid}-${++groupSeq}`, runners: new Runners() };
}

beforeAll(async () => {
  broker = await startTestBroker({ groupMinSessionTimeoutMs: 500 });
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop().catch(() => {})));
});

afterAll(async () => {
  await broker.close();
});

describe('GroupMembership', () => {
  it('forms one group of two, then three workers with one leader, spreading the work evenly as each joins', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'orders', tasks: 3 }, { connector: 'users', tasks: 3 }];
    const units = allUnits(work);
    const w1 = new Worker('w1', groupId, () => work, runners).start();
    await until(() => settled([w1], units), { what: 'w1 alone runs everything' });
    expect(w1.membership.isLeader).toBe(true);
    expect(w1.membership.protocol).toBe('sessioned');
    expect(w1.membership.memberId).toMatch(/^w1-/);
    const firstGeneration = w1.membership.generation;

    const w2 = new Worker('w2', groupId, () => work, runners).start();
    await until(() => settled([w1, w2], units), { what: 'two workers share the work' });
    expect(w1.membership.generation).toBeGreaterThan(firstGeneration);
    const secondGeneration = w1.membership.generation;

    const w3 = new Worker('w3', groupId, () => work, runners).start();
    const workers = [w1, w2, w3];
    await until(() => settled(workers, units), { what: 'three workers share the work' });
    expect(w1.membership.generation).toBeGreaterThan(secondGeneration);

    expect(workers.filter((w) => w.membership.isLeader)).toHaveLength(1);
    const leader = workers.find((w) => w.membership.isLeader)!;
    for (const w of workers) {
      expect(w.membership.leaderId).toBe(leader.membership.memberId);
      expect(w.membership.leaderUrl).toBe(`http://${leader.name}:8083`);
    }
    const lastRound = leader.rounds.at(-1)!;
    expect(lastRound.members.map((m) => m.metadata.url).sort()).toEqual(['http://w1:8083', 'http://w2:8083', 'http://w3:8083']);
    expect(workers.map((w) => w.running.size).sort()).toEqual([2, 3, 3]);
    expect(runners.violations).toEqual([]);
  });

  it('falls back to eager rebalancing while one member offers only `default`: all work stops before each join and is spread afresh, never run twice', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'a', tasks: 3 }, { connector: 'b', tasks: 2 }];
    const units = allUnits(work);
    const incremental = [new Worker('w1', groupId, () => work, runners).start(), new Worker('w2', groupId, () => work, runners).start()];
    await until(() => settled(incremental, units), { what: 'two sessioned workers share the work' });
    expect(incremental.map((w) => w.membership.protocol)).toEqual(['sessioned', 'sessioned']);

    const eager = new Worker('w3', groupId, () => work, runners, { subProtocols: [...offeredSubProtocols('eager')] }).start();
    const workers = [...incremental, eager];
    await until(() => settled(workers, units) && workers.every((w) => w.membership.protocol === 'default'), { what: 'an eager group of three' });
    const eagerRound = incremental.find((w) => w.membership.isLeader)!.rounds.at(-1)!;
    expect(eagerRound.protocol).toBe('default');
    expect(eagerRound.members.every((m) => m.metadata.version === 0 && m.metadata.allocation === null)).toBe(true);

    // An eager rebalance: every worker gives up everything before it rejoins.
    const revokedBefore = incremental.map((w) => w.running.size);
    incremental[0]!.membership.requestRejoin('config change');
    await until(() => settled(workers, units) && workers.every((w) => w.assignments.at(-1)!.generation === workers[0]!.membership.generation)
      && workers[0]!.membership.generation > eagerRound.generation, { what: 'another eager round' });
    for (const [i, w] of incremental.entries()) {
      const last = w.assignments.at(-1)!;
      expect(unitNames(last.added).sort()).toEqual([...w.running].sort());
      expect(revokedBefore[i]).toBeGreaterThan(0);
    }

    await eager.stop();
    await until(() => settled(incremental, units) && incremental.every((w) => w.membership.protocol === 'sessioned'), { what: 'back to sessioned' });
    expect(runners.violations).toEqual([]);
  });

  it('hands out new connectors when the leader asks for a rebalance after a config change', async () => {
    const { groupId, runners } = group();
    let work: ConnectorWork[] = [{ connector: 'a', tasks: 1 }];
    const workers = [new Worker('w1', groupId, () => work, runners).start(), new Worker('w2', groupId, () => work, runners).start()];
    await until(() => settled(workers, allUnits(work)), { what: 'initial assignment' });
    const before = new Map(workers.map((w) => [w.name, [...w.running]]));

    work = [...work, { connector: 'b', tasks: 3 }];
    workers.find((w) => w.membership.isLeader)!.membership.requestRejoin('connector b created');
    await until(() => settled(workers, allUnits(work)), { what: 'b assigned' });
    for (const w of workers) expect([...w.running]).toEqual(expect.arrayContaining(before.get(w.name)!));
    expect(runners.violations).toEqual([]);
  });

  it('reassigns the work of a worker that leaves with LeaveGroup at once, long before its session would expire', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'a', tasks: 5 }];
    const settings = { sessionTimeoutMs: 20_000 };
    const workers = ['w1', 'w2', 'w3'].map((n) => new Worker(n, groupId, () => work, runners, settings).start());
    await until(() => settled(workers, allUnits(work)), { what: 'three workers share the work' });
    const generation = workers[0]!.membership.generation;

    const leaving = workers.find((w) => !w.membership.isLeader)!;
    const stayed = workers.filter((w) => w !== leaving);
    const leftAt = Date.now();
    await leaving.stop();
    await until(() => settled(stayed, allUnits(work)), { what: 'the rest take over', timeoutMs: 10_000 });
    expect(Date.now() - leftAt).toBeLessThan(5_000);
    expect(stayed[0]!.membership.generation).toBeGreaterThan(generation);
    expect(runners.violations).toEqual([]);
  });

  it('expires a crashed worker after the session timeout and gives its work to the others', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'a', tasks: 4 }, { connector: 'b', tasks: 2 }];
    const workers = ['w1', 'w2', 'w3'].map((n) => new Worker(n, groupId, () => work, runners).start());
    await until(() => settled(workers, allUnits(work)), { what: 'three workers share the work' });

    const victim = workers.find((w) => !w.membership.isLeader)!;
    const survivors = workers.filter((w) => w !== victim);
    const crashedAt = Date.now();
    victim.crash();
    await until(() => settled(survivors, allUnits(work)), { what: 'survivors take over', timeoutMs: 10_000 });
    const took = Date.now() - crashedAt;
    expect(took).toBeGreaterThanOrEqual(1_000);
    expect(took).toBeLessThan(5_000);
    expect(survivors.every((w) => w.losses.length === 0)).toBe(true);
    expect(runners.violations).toEqual([]);
  });

  it('holds a crashed worker\'s work for scheduled.rebalance.max.delay.ms, telling the others when to rejoin', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'a', tasks: 3 }];
    const settings = { maxDelayMs: 1_500 };
    const workers = ['w1', 'w2'].map((n) => new Worker(n, groupId, () => work, runners, settings).start());
    await until(() => settled(workers, allUnits(work)), { what: 'two workers share the work' });

    const [leader, victim] = workers[0]!.membership.isLeader ? [workers[0]!, workers[1]!] : [workers[1]!, workers[0]!];
    const held = [...victim.running].sort();
    victim.crash();
    const delayed = await until(() => leader.assignments.find((a) => a.delay > 0), { what: 'a delayed assignment', timeoutMs: 10_000 });
    const noticedAt = Date.now();
    expect(delayed.delay).toBeLessThanOrEqual(1_500);
    expect(unitNames(delayed.added)).toEqual([]);

    await until(() => settled([leader], allUnits(work)), { what: 'held work released', timeoutMs: 10_000 });
    expect(Date.now() - noticedAt).toBeGreaterThanOrEqual(delayed.delay - 100);
    const released = leader.assignments.at(-1)!;
    expect(unitNames(released.added).sort()).toEqual(held);
    expect(released.delay).toBe(0);
    expect(runners.violations).toEqual([]);
  });

  it('makes a worker cut off from the broker stop its work before anyone else starts it, then lets it rejoin', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'a', tasks: 3 }, { connector: 'b', tasks: 3 }];
    const workers = ['w1', 'w2', 'w3'].map((n) => new Worker(n, groupId, () => work, runners).start());
    await until(() => settled(workers, allUnits(work)), { what: 'three workers share the work' });

    const zombie = workers.find((w) => !w.membership.isLeader)!;
    const others = workers.filter((w) => w !== zombie);
    const hadWork = zombie.running.size;
    expect(hadWork).toBeGreaterThan(0);
    zombie.cluster.partitioned = true;
    const lost = await until(() => zombie.losses[0], { what: 'the zombie notices', timeoutMs: 10_000 });
    expect(unitNames(lost.lost)).toHaveLength(hadWork);
    expect(zombie.membership.isActive()).toBe(false);
    await until(() => settled(others, allUnits(work)), { what: 'the others take over', timeoutMs: 10_000 });
    expect(runners.violations).toEqual([]);

    zombie.cluster.partitioned = false;
    await until(() => settled(workers, allUnits(work)), { what: 'the zombie is back with a share', timeoutMs: 15_000 });
    expect(zombie.membership.isActive()).toBe(true);
    expect(runners.violations).toEqual([]);
  });

  it('with ferry\'s defaults, runs the work of a crashed leader elsewhere within 5 s, under a new leader', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'a', tasks: 4 }, { connector: 'b', tasks: 4 }];
    const settings = {
      sessionTimeoutMs: DISTRIBUTED_GROUP_DEFAULTS['session.timeout.ms'],
      heartbeatIntervalMs: DISTRIBUTED_GROUP_DEFAULTS['heartbeat.interval.ms'],
      maxDelayMs: DISTRIBUTED_GROUP_DEFAULTS['scheduled.rebalance.max.delay.ms'],
    };
    const workers = ['w1', 'w2', 'w3'].map((n) => new Worker(n, groupId, () => work, runners, settings).start());
    await until(() => settled(workers, allUnits(work)), { what: 'three workers share the work', timeoutMs: 20_000 });

    const leader = workers.find((w) => w.membership.isLeader)!;
    const survivors = workers.filter((w) => w !== leader);
    const crashedAt = Date.now();
    leader.crash();
    await until(() => settled(survivors, allUnits(work)), { what: 'survivors take over', timeoutMs: 10_000, intervalMs: 20 });
    expect(Date.now() - crashedAt).toBeLessThanOrEqual(5_000);
    expect(survivors.filter((w) => w.membership.isLeader)).toHaveLength(1);
    expect(runners.violations).toEqual([]);
  });

  it('falls back to a session timeout the coordinator accepts, and fails for good when none is accepted', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'a', tasks: 1 }];
    const adapting = new Worker('w1', groupId, () => work, runners, { sessionTimeoutMs: 100, sessionTimeoutFallbacksMs: [200, 1500] }).start();
    await until(() => settled([adapting], allUnits(work)), { what: 'joined with a fallback session timeout' });
    expect(adapting.membership.sessionTimeoutMs).toBe(1500);

    const stubborn = new Worker('w2', group().groupId, () => work, runners, { sessionTimeoutMs: 100 }).start();
    await until(() => stubborn.fatal[0], { what: 'a fatal error' });
    expect(stubborn.fatal[0]).toMatchObject({ type: 'INVALID_SESSION_TIMEOUT' });
    expect(stubborn.membership.phase).toBe('stopped');
    expect(stubborn.assignments).toEqual([]);
  });

  it('keeps members that take longer than the session timeout to stop revoked work, and a newcomer parked meanwhile', async () => {
    const { groupId, runners } = group();
    const work = [{ connector: 'a', tasks: 7 }];
    const slow = { sessionTimeoutMs: 1_500, stopTakesMs: 2_500 };
    const workers = [new Worker('w1', groupId, () => work, runners, slow).start(), new Worker('w2', groupId, () => work, runners, slow).start()];
    await until(() => settled(workers, allUnits(work)), { what: 'two workers share the work', timeoutMs: 15_000 });

    const w3 = new Worker('w3', groupId, () => work, runners, slow).start();
    await until(() => w3.assignments.length > 0, { what: 'w3 joined' });
    const w4 = new Worker('w4', groupId, () => work, runners, slow).start();
    const all = [...workers, w3, w4];
    await until(() => settled(all, allUnits(work)), { what: 'four workers share the work', timeoutMs: 20_000 });
    expect(all.flatMap((w) => w.losses)).toEqual([]);
    expect(runners.violations).toEqual([]);
  });
});
