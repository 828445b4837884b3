import { describe, expect, it } from 'vitest';
import { CONFIG_MISMATCH } from '../../../../runtime/control/distributed/connect-protocol.js';
import {
  assignIncrementally,
  type AssignorState,
  type ConnectorWork,
  type MemberPlan,
} from '../../../../runtime/control/distributed/incremental-assignor.js';
import { EMPTY_WORK, subtractWork, unionWork, workSize, type WorkSet } from '../../../../runtime/control/distributed/work-set.js';

/** "c/-1" for a connector instance, "c/3" for a task. */
function names(work: WorkSet): string[] {
  return [...work.connectors.map((c) => `${c}/-1`), ...work.tasks.map((t) => `${t.connector}/${t.task}`)].sort();
}

function connectors(count: number, tasks: number): ConnectorWork[] {
  return Array.from({ length: count }, (_, i) => ({ connector: `conn-${i}`, tasks }));
}

/** A tiny cluster: members' owned work, and the leader's remembered state. */
class Cluster {
  owned = new Map<string, WorkSet>();
  state: AssignorState | null = null;
  generation = 0;

  constructor(ids: string[]) {
    for (const id of ids) this.owned.set(id, EMPTY_WORK);
  }

  /** One round: the leader assigns and every member applies its plan (stops revoked, starts assigned). */
  round(work: ConnectorWork[], now = 0, maxDelayMs = 0): Map<string, MemberPlan> {
    const result = assignIncrementally({
      generation: ++this.generation,
      members: [...this.owned].map(([id, owned]) => ({ id, owned })),
      connectors: work,
      previous: this.state,
      now,
      maxDelayMs,
    });
    this.state = result.state;
    for (const [id, plan] of result.plans) {
      this.owned.set(id, unionWork(subtractWork(this.owned.get(id)!, plan.revoked), plan.assigned));
    }
    return new Map(result.plans);
  }

  /** Rounds until nothing is revoked (revocations make members rejoin); returns how many ran. */
  settle(work: ConnectorWork[], now = 0, maxDelayMs = 0): number {
    for (let i = 1; i <= 10; i++) {
      const plans = this.round(work, now, maxDelayMs);
      if ([...plans.values()].every((p) => workSize(p.revoked) === 0)) return i;
    }
    throw new Error('assignment did not settle');
  }

  loads(): number[] {
    return [...this.owned.values()].map(workSize);
  }

  all(): string[] {
    return [...this.owned.values()].flatMap(names).sort();
  }

  leave(id: string): WorkSet {
    const work = this.owned.get(id)!;
    this.owned.delete(id);
    return work;
  }
}

function everyUnit(work: ConnectorWork[]): string[] {
  return work.flatMap((c) => [`${c.connector}/-1`, ...Array.from({ length: c.tasks }, (_, i) => `${c.connector}/${i}`)]).sort();
}

describe('assignIncrementally', () => {
  it('spreads 4 connectors with 5 tasks each evenly over 3 workers, each connector\'s tasks too', () => {
    const work = connectors(4, 5);
    const cluster = new Cluster(['w1', 'w2', 'w3']);
    expect(cluster.settle(work)).toBe(1);
    expect(cluster.loads()).toEqual([8, 8, 8]);
    expect(cluster.all()).toEqual(everyUnit(work));
    for (const owned of cluster.owned.values()) {
      for (const c of work) {
        expect(owned.tasks.filter((t) => t.connector === c.connector).length).toBeLessThanOrEqual(2);
      }
    }
  });

  it('when a 4th worker joins, revokes only the units that must move and gives them to it in the next round', () => {
    const work = connectors(4, 5);
    const cluster = new Cluster(['w1', 'w2', 'w3']);
    cluster.settle(work);
    const before = new Map([...cluster.owned].map(([id, w]) => [id, names(w)]));
    cluster.owned.set('w4', EMPTY_WORK);

    const first = cluster.round(work);
    const revoked = [...first.values()].flatMap((p) => names(p.revoked));
    expect(revoked).toHaveLength(6);
    expect([...first.values()].flatMap((p) => names(p.assigned))).toEqual([]);
    expect(names(first.get('w4')!.revoked)).toEqual([]);

    const second = cluster.round(work);
    expect(names(second.get('w4')!.assigned)).toEqual([...revoked].sort());
    for (const id of ['w1', 'w2', 'w3']) {
      expect(names(second.get(id)!.assigned)).toEqual([]);
      expect(names(second.get(id)!.revoked)).toEqual([]);
      const kept = before.get(id)!.filter((u) => !revoked.includes(u));
      expect(names(cluster.owned.get(id)!)).toEqual(kept);
    }
    expect(cluster.loads()).toEqual([6, 6, 6, 6]);
    expect(cluster.all()).toEqual(everyUnit(work));
  });

  it('keeps a departed worker\'s units unassigned until the delay expires, reporting the remaining delay, then spreads them', () => {
    const work = connectors(3, 3);
    const cluster = new Cluster(['w1', 'w2', 'w3']);
    cluster.settle(work, 0, 10_000);
    const gone = names(cluster.leave('w2'));
    expect(gone).toHaveLength(4);

    const noticed = cluster.round(work, 1_000, 10_000);
    for (const plan of noticed.values()) {
      expect(plan.delay).toBe(10_000);
      expect(names(plan.assigned)).toEqual([]);
      expect(names(plan.revoked)).toEqual([]);
    }

    const waiting = cluster.round(work, 7_000, 10_000);
    for (const plan of waiting.values()) expect(plan.delay).toBe(4_000);
    expect(cluster.all()).toHaveLength(8);

    const expired = cluster.round(work, 11_000, 10_000);
    for (const plan of expired.values()) expect(plan.delay).toBe(0);
    expect([...expired.values()].flatMap((p) => names(p.assigned)).sort()).toEqual(gone);
    expect(cluster.all()).toEqual(everyUnit(work));
    expect(cluster.loads()).toEqual([6, 6]);
  });

  it('reassigns a departed worker\'s units at once when the delay is 0', () => {
    const work = connectors(3, 3);
    const cluster = new Cluster(['w1', 'w2', 'w3']);
    cluster.settle(work);
    const gone = names(cluster.leave('w3'));
    const plans = cluster.round(work, 5, 0);
    expect([...plans.values()].flatMap((p) => names(p.assigned)).sort()).toEqual(gone);
    for (const plan of plans.values()) expect(plan.delay).toBe(0);
    expect(cluster.loads()).toEqual([6, 6]);
  });

  it('gives held work to a worker that comes back (with a new member id) once the delay expires, without moving anything else', () => {
    const work = connectors(2, 5);
    const cluster = new Cluster(['w1', 'w2', 'w3']);
    cluster.settle(work, 0, 5_000);
    const w1Before = names(cluster.owned.get('w1')!);
    const gone = names(cluster.leave('w3'));
    cluster.round(work, 100, 5_000);
    cluster.owned.set('w3-restarted', EMPTY_WORK);
    const during = cluster.round(work, 2_000, 5_000);
    for (const plan of during.values()) {
      expect(names(plan.revoked)).toEqual([]);
      expect(names(plan.assigned)).toEqual([]);
      expect(plan.delay).toBe(3_100);
    }
    const after = cluster.round(work, 5_100, 5_000);
    expect(names(after.get('w3-restarted')!.assigned)).toEqual(gone);
    expect(names(cluster.owned.get('w1')!)).toEqual(w1Before);
    expect(cluster.loads()).toEqual([4, 4, 4]);
  });

  it('assigns new connectors and tasks to the least loaded workers and revokes deleted ones', () => {
    const cluster = new Cluster(['w1', 'w2']);
    cluster.settle([{ connector: 'a', tasks: 3 }]);
    const plans = cluster.round([{ connector: 'a', tasks: 1 }, { connector: 'b', tasks: 2 }]);
    const revoked = [...plans.values()].flatMap((p) => names(p.revoked)).sort();
    expect(revoked).toEqual(['a/1', 'a/2']);
    const assigned = [...plans.values()].flatMap((p) => names(p.assigned)).sort();
    expect(assigned).toEqual(['b/-1', 'b/0', 'b/1']);
    expect(cluster.all()).toEqual(['a/-1', 'a/0', 'b/-1', 'b/0', 'b/1']);
    expect(Math.max(...cluster.loads()) - Math.min(...cluster.loads())).toBeLessThanOrEqual(1);
  });

  it('leaves work claimed by two members with only one of them, the less loaded', () => {
    const owned: WorkSet = { connectors: ['a'], tasks: [{ connector: 'a', task: 0 }] };
    const result = assignIncrementally({
      generation: 1,
      members: [{ id: 'w1', owned }, { id: 'w2', owned }],
      connectors: [{ connector: 'a', tasks: 1 }],
      previous: null,
      now: 0,
      maxDelayMs: 0,
    });
    expect(names(result.plans.get('w1')!.revoked)).toEqual(['a/0']);
    expect(names(result.plans.get('w2')!.revoked)).toEqual(['a/-1']);
    expect(names(result.state.expected['w1']!)).toEqual(['a/-1']);
    expect(names(result.state.expected['w2']!)).toEqual(['a/0']);
    for (const plan of result.plans.values()) expect(names(plan.assigned)).toEqual([]);
  });

  it('answers CONFIG_MISMATCH to everyone and moves nothing while a member has read more config than the leader', () => {
    const result = assignIncrementally({
      generation: 3,
      members: [{ id: 'w1', configOffset: 10, owned: EMPTY_WORK }, { id: 'w2', configOffset: 12, owned: EMPTY_WORK }],
      connectors: [{ connector: 'a', tasks: 2 }],
      previous: null,
      now: 0,
      maxDelayMs: 0,
      leaderConfigOffset: 10,
    });
    for (const plan of result.plans.values()) {
      expect(plan.error).toBe(CONFIG_MISMATCH);
      expect(workSize(plan.assigned)).toBe(0);
    }
  });

  it('treats unowned work as new when its state is not from the previous generation (a new leader)', () => {
    const cluster = new Cluster(['w1', 'w2', 'w3']);
    const work = connectors(1, 2);
    cluster.settle(work, 0, 60_000);
    cluster.leave('w1');
    cluster.generation += 1;
    const plans = cluster.round(work, 10, 60_000);
    for (const plan of plans.values()) expect(plan.delay).toBe(0);
    expect(cluster.all()).toEqual(everyUnit(work));
  });

  it('after any sequence of joins, departures and connector changes, runs every unit exactly once, balanced, within two rounds', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const cluster = new Cluster(['w0']);
    let nextWorker = 1;
    let work: ConnectorWork[] = [];
    for (let step = 0; step < 200; step++) {
      const action = random(4);
      if (action === 0) cluster.owned.set(`w${nextWorker++}`, EMPTY_WORK);
      else if (action === 1 && cluster.owned.size > 1) cluster.leave([...cluster.owned.keys()][random(cluster.owned.size)]!);
      else if (action === 2) work = [...work.filter((c) => c.connector !== `c${random(6)}`), { connector: `c${random(6)}`, tasks: random(7) }];
      else work = work.filter((_, i) => i !== random(work.length + 1));
      const unique = new Map(work.map((c) => [c.connector, c]));
      work = [...unique.values()];
      expect(cluster.settle(work)).toBeLessThanOrEqual(2);
      expect(cluster.all()).toEqual(everyUnit(work));
      const loads = cluster.loads();
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    }
  });
});
