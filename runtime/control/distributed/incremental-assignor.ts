/**
 * The leader's incremental cooperative assignment (KIP-415, simplified): a pure function of
 * the members' current work, the configured connectors, what the leader decided last round,
 * and the clock.
 *
 * Units of work are connector instances and tasks; a member's load is how many it holds.
 *
 * Rules, in order:
 * 1. Work stays where it is while its owner is present. Work that no longer exists (deleted
 *    connector, fewer tasks) is revoked; work two members claim stays with one of them.
 * 2. Work of members that left since the last round is *lost*. It stays unassigned until
 *    `maxDelayMs` after the round that first noticed the departure (each departure has its own
 *    deadline), and every member is told the remaining `delay` so the group rebalances then.
 *    With `maxDelayMs` 0 it is reassigned at once.
 * 3. Everything else that nobody runs (new connectors and tasks, expired lost work, work
 *    revoked last round, work a present member should have received but does not report) is
 *    handed out one unit at a time to the least-loaded member (ties: the member holding fewer
 *    units of the same connector, then member id), which spreads each connector's tasks.
 * 4. If loads then differ by more than one, the most loaded members give up just enough units
 *    (revoked this round, not handed to anyone) that a second round, which the revocation
 *    triggers, can give them to the least loaded. A donor gives up units of the connector it
 *    holds most of compared with the receiver, tasks before connector instances. No balancing
 *    happens while lost work is held back: that work will fill the gap when released.
 * 5. If any member's config offset is ahead of the leader's, nothing moves and every member
 *    gets error CONFIG_MISMATCH (the leader must catch up first), as in Kafka Connect.
 *
 * The state returned must be passed back as `previous` in the leader's next round. It is only
 * trusted when it comes from the immediately preceding generation: a leader that missed a
 * generation (another member led) has no reliable picture of departures, so unowned work is
 * then simply treated as new — like Kafka Connect, a departed leader's work is therefore
 * reassigned without delay.
 */
import { ASSIGNMENT_OK, CONFIG_MISMATCH, CONNECTOR_INSTANCE } from './connect-protocol.js';
import type { TaskId, WorkSet } from './work-set.js';

export interface AssignorMember {
  readonly id: string;
  /** The config offset the member has read up to (its metadata); checked against the leader's. */
  readonly configOffset?: number;
  /** What the member runs now (its metadata allocation). */
  readonly owned: WorkSet;
}

export interface ConnectorWork {
  readonly connector: string;
  /** Number of tasks (0 while the connector has not generated task configs). */
  readonly tasks: number;
}

export interface Departure {
  readonly memberId: string;
  /** When the leader first noticed the member gone (ms, the `now` of that round). */
  readonly since: number;
  /** Its work that is still held back. */
  readonly work: WorkSet;
}

export interface AssignorState {
  readonly generation: number;
  /** What each member should run once it applied this round (owned − revoked + assigned). */
  readonly expected: Readonly<Record<string, WorkSet>>;
  /** Departed members whose work is held back. */
  readonly departures: readonly Departure[];
}

export interface AssignInput {
  /** The generation being assigned (JoinGroup's generation id). */
  readonly generation: number;
  readonly members: readonly AssignorMember[];
  /** Every connector of the config snapshot that should run (any target state). */
  readonly connectors: readonly ConnectorWork[];
  readonly previous: AssignorState | null;
  readonly now: number;
  /** scheduled.rebalance.max.delay.ms */
  readonly maxDelayMs: number;
  /** The config offset of the leader's snapshot; omit to skip the check. */
  readonly leaderConfigOffset?: number;
}

export interface MemberPlan {
  readonly error: number;
  /** Work the member gains this round. */
  readonly assigned: WorkSet;
  /** Work the member must stop before rejoining. */
  readonly revoked: WorkSet;
  /** ms until the next scheduled rebalance, 0 for none. */
  readonly delay: number;
}

export interface AssignResult {
  readonly plans: ReadonlyMap<string, MemberPlan>;
  readonly state: AssignorState;
  /** Lost work held back this round. */
  readonly held: WorkSet;
}

type UnitKey = string;

interface Unit {
  readonly connector: string;
  readonly task: number;
}

const keyOf = (u: Unit): UnitKey => `${u.connector}\u0000${u.task}`;

function unitsOf(work: WorkSet): Unit[] {
  return [
    ...work.connectors.map((connector) => ({ connector, task: CONNECTOR_INSTANCE })),
    ...work.tasks.map((t) => ({ connector: t.connector, task: t.task })),
  ];
}

function workOf(units: Iterable<Unit>): WorkSet {
  const sorted = [...units].sort(compareUnits);
  const connectors: string[] = [];
  const tasks: TaskId[] = [];
  for (const u of sorted) {
    if (u.task === CONNECTOR_INSTANCE) connectors.push(u.connector);
    else tasks.push({ connector: u.connector, task: u.task });
  }
  return { connectors, tasks };
}

function compareUnits(a: Unit, b: Unit): number {
  if (a.connector !== b.connector) return a.connector < b.connector ? -1 : 1;
  return a.task - b.task;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

class MemberLoad {
  readonly held = new Map<UnitKey, Unit>();
  readonly assigned = new Map<UnitKey, Unit>();
  readonly revoked = new Map<UnitKey, Unit>();
  /** Load counted for balancing: held − revoked + assigned, plus planned receipts. */
  load = 0;
  readonly perConnector = new Map<string, number>();

  constructor(readonly id: string) {}

  count(connector: string): number {
    return this.perConnector.get(connector) ?? 0;
  }

  add(connector: string, delta: number): void {
    this.load += delta;
    this.perConnector.set(connector, this.count(connector) + delta);
  }
}

export function assignIncrementally(input: AssignInput): AssignResult {
  const members = [...input.members].sort(byId).map((m) => ({ member: m, load: new MemberLoad(m.id) }));

  if (input.leaderConfigOffset !== undefined && input.members.some((m) => (m.configOffset ?? -1) > input.leaderConfigOffset!)) {
    const plans = new Map(members.map(({ member }) => [member.id, {
      error: CONFIG_MISMATCH, assigned: workOf([]), revoked: workOf([]), delay: 0,
    }]));
    const kept = input.previous && input.previous.generation === input.generation - 1
      ? { ...input.previous, generation: input.generation }
      : { generation: input.generation, expected: {}, departures: [] };
    return { plans, state: kept, held: workOf([]) };
  }

  const existing = new Map<UnitKey, Unit>();
  for (const c of [...input.connectors].sort((a, b) => (a.connector < b.connector ? -1 : a.connector > b.connector ? 1 : 0))) {
    for (let task = CONNECTOR_INSTANCE; task < c.tasks; task++) {
      const unit = { connector: c.connector, task };
      existing.set(keyOf(unit), unit);
    }
  }

  // 1. Keep what present members run; revoke deleted work, and duplicated work from all but
  //    the least loaded of its claimants.
  const owner = new Map<UnitKey, MemberLoad>();
  const claims = new Map<UnitKey, { unit: Unit; claimants: MemberLoad[] }>();
  for (const { member, load } of members) {
    for (const unit of unitsOf(member.owned)) {
      const key = keyOf(unit);
      if (!existing.has(key)) {
        load.revoked.set(key, unit);
        continue;
      }
      const claim = claims.get(key) ?? { unit, claimants: [] };
      if (!claim.claimants.includes(load)) claim.claimants.push(load);
      claims.set(key, claim);
    }
  }
  const keep = (key: UnitKey, unit: Unit, load: MemberLoad) => {
    owner.set(key, load);
    load.held.set(key, unit);
    load.add(unit.connector, 1);
  };
  for (const [key, { unit, claimants }] of claims) if (claimants.length === 1) keep(key, unit, claimants[0]!);
  for (const [key, { unit, claimants }] of [...claims].sort(([, a], [, b]) => compareUnits(a.unit, b.unit))) {
    if (claimants.length === 1) continue;
    const keeper = claimants.reduce((best, m) => (m.load < best.load ? m : best));
    keep(key, unit, keeper);
    for (const m of claimants) if (m !== keeper) m.revoked.set(key, unit);
  }

  // 2. Lost work of departed members.
  const unowned = new Map([...existing].filter(([key]) => !owner.has(key)));
  const previous = input.previous && input.previous.generation === input.generation - 1 ? input.previous : null;
  const present = new Set(members.map(({ member }) => member.id));
  const departures: { memberId: string; since: number; units: Map<UnitKey, Unit> }[] = [];
  const claimed = new Set<UnitKey>();
  const lostUnits = (work: WorkSet) => {
    const units = new Map<UnitKey, Unit>();
    for (const unit of unitsOf(work)) {
      const key = keyOf(unit);
      if (unowned.has(key) && !claimed.has(key)) {
        units.set(key, unit);
        claimed.add(key);
      }
    }
    return units;
  };
  if (previous) {
    for (const d of previous.departures) {
      const units = lostUnits(d.work);
      if (units.size > 0) departures.push({ memberId: d.memberId, since: d.since, units });
    }
    for (const id of Object.keys(previous.expected).sort()) {
      if (present.has(id)) continue;
      const units = lostUnits(previous.expected[id]!);
      if (units.size > 0) departures.push({ memberId: id, since: input.now, units });
    }
  }
  const heldDepartures = input.maxDelayMs > 0 ? departures.filter((d) => input.now < d.since + input.maxDelayMs) : [];
  const held = new Map<UnitKey, Unit>();
  for (const d of heldDepartures) for (const [key, unit] of d.units) held.set(key, unit);
  const delay = heldDepartures.length === 0 ? 0 : Math.max(1, Math.min(...heldDepartures.map((d) => d.since + input.maxDelayMs - input.now)));

  // 3. Hand out everything else nobody runs.
  for (const [key, unit] of unowned) {
    if (held.has(key)) continue;
    const target = leastLoaded(members.map((m) => m.load), unit.connector);
    target.assigned.set(key, unit);
    target.add(unit.connector, 1);
  }

  // 4. Revoke from the most loaded so the next round can even things out.
  if (held.size === 0) balance(members.map((m) => m.load));

  const plans = new Map<string, MemberPlan>();
  const expected: Record<string, WorkSet> = {};
  for (const { member, load } of members) {
    plans.set(member.id, {
      error: ASSIGNMENT_OK,
      assigned: workOf(load.assigned.values()),
      revoked: workOf(load.revoked.values()),
      delay,
    });
    const after = [...load.held].filter(([key]) => !load.revoked.has(key)).map(([, unit]) => unit);
    expected[member.id] = workOf([...after, ...load.assigned.values()]);
  }
  const state: AssignorState = {
    generation: input.generation,
    expected,
    departures: heldDepartures.map((d) => ({ memberId: d.memberId, since: d.since, work: workOf(d.units.values()) })),
  };
  return { plans, state, held: workOf(held.values()) };
}

function leastLoaded(loads: readonly MemberLoad[], connector: string): MemberLoad {
  let best = loads[0]!;
  for (const m of loads.slice(1)) {
    if (m.load < best.load || (m.load === best.load && m.count(connector) < best.count(connector))) best = m;
  }
  return best;
}

function balance(loads: readonly MemberLoad[]): void {
  for (;;) {
    let donor = loads[0]!;
    let receiver = loads[0]!;
    for (const m of loads) {
      if (m.load > donor.load) donor = m;
      if (m.load < receiver.load) receiver = m;
    }
    if (donor.load - receiver.load <= 1) return;
    const unit = pickRevocation(donor, receiver);
    if (!unit) return;
    donor.revoked.set(keyOf(unit), unit);
    donor.add(unit.connector, -1);
    receiver.add(unit.connector, 1);
  }
}

/** A unit the donor runs and keeps so far: from the connector it holds most of relative to the receiver. */
function pickRevocation(donor: MemberLoad, receiver: MemberLoad): Unit | undefined {
  let best: Unit | undefined;
  let bestScore = -Infinity;
  for (const [key, unit] of donor.held) {
    if (donor.revoked.has(key)) continue;
    const score = (donor.count(unit.connector) - receiver.count(unit.connector)) * 2 + (unit.task === CONNECTOR_INSTANCE ? 0 : 1);
    if (score > bestScore || (score === bestScore && best && preferLater(unit, best))) {
      best = unit;
      bestScore = score;
    }
  }
  return best;
}

/** Among equals, give up the highest task of the alphabetically first connector. */
function preferLater(a: Unit, b: Unit): boolean {
  if (a.connector !== b.connector) return a.connector < b.connector;
  return a.task > b.task;
}
