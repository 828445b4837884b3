/**
 * Kafka Connect's rebalance semantics between ferry workers and a worker the test plays on the
 * wire (JoinGroup/SyncGroup/LeaveGroup by hand, member metadata and assignments encoded and
 * decoded here from the protocol's layout): the connect sub-protocol the group falls back to,
 * the leader refusing to assign while a member is ahead of it on the config topic, the 409s
 * while a rebalance is pending, and zombie status writes ignored by readers. Workers run
 * in-process (startWorker) on one bundled broker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Heartbeat } from '../../../broker/protocol/apis/heartbeat.js';
import { JoinGroup } from '../../../broker/protocol/apis/join-group.js';
import { LeaveGroup } from '../../../broker/protocol/apis/leave-group.js';
import { SyncGroup } from '../../../broker/protocol/apis/sync-group.js';
import { Reader } from '../../../broker/protocol/reader.js';
import { Writer } from '../../../broker/protocol/writer.js';
import type { ConnectRest } from '../../helpers/connect-rest.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { until } from '../../helpers/until.js';
import { LoggedWorkers, type LoggedWorker } from './logged-workers.js';

const STALE = 'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)';
const dir = tempDir('ferry-rebalance-');
let broker: TestBroker;
const cluster = new LoggedWorkers(() => broker.bootstrap);
const members: RawMember[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
});

afterEach(async () => {
  for (const member of members.splice(0)) await member.leave().catch(() => undefined);
});

afterAll(async () => {
  await cluster.stopAll();
  await broker?.close();
});

async function createSource(rest: ConnectRest, name: string): Promise<void> {
  const file = path.join(dir, `${name}.txt`);
  fs.writeFileSync(file, 'one\n');
  const created = await rest.request('POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', file, topic: name } });
  expect(created.status).toBe(201);
  await rest.untilStates(name, { connector: 'RUNNING', tasks: ['RUNNING'] });
}

/** The protocols of the group's assignments this worker logged, in order. */
function protocolsLogged(worker: LoggedWorker): string[] {
  return worker.log().split('\n').filter((l) => l.includes('"msg":"joined the group with an assignment"'))
    .map((l) => (JSON.parse(l) as { protocol: string }).protocol);
}

// --- a Connect worker played on the wire ---------------------------------------------------------

/** Member metadata as Kafka Connect encodes it: V0 url + config offset; V1/V2 add a (here null) allocation. */
function memberMetadata(version: number, url: string, configOffset: number): Buffer {
  const w = new Writer(64);
  w.int16(version);
  w.string(url);
  w.int64(configOffset);
  if (version >= 1) w.int32(-1);
  return w.toBuffer();
}

interface DecodedAssignment {
  version: number;
  error: number;
  leaderUrl: string;
  configOffset: number;
  /** `connector/task`, task -1 for the connector instance. */
  units: string[];
}

function decodeAssignment(bytes: Buffer): DecodedAssignment {
  const r = new Reader(bytes);
  const version = r.int16();
  const error = r.int16();
  r.string();
  const leaderUrl = r.string();
  const configOffset = Number(r.int64());
  const units: string[] = [];
  const connectors = r.int32();
  for (let i = 0; i < connectors; i++) {
    const connector = r.string();
    const tasks = r.int32();
    for (let j = 0; j < tasks; j++) units.push(`${connector}/${r.int32()}`);
  }
  return { version, error, leaderUrl, configOffset, units };
}

const REBALANCE_IN_PROGRESS = 27;

/** A V2 (sessioned) assignment as a Java leader encodes it: connector instances only, nothing revoked. */
function encodeAssignment(leader: string, configOffset: number, connectors: string[]): Buffer {
  const w = new Writer(128);
  w.int16(2);
  w.int16(0);
  w.string(leader);
  w.string('http://java-worker:8083');
  w.int64(configOffset);
  w.int32(connectors.length);
  for (const c of connectors) {
    w.string(c);
    w.int32(1);
    w.int32(-1);
  }
  w.int32(0);
  w.int32(0);
  return w.toBuffer();
}

const OFFERS = {
  eager: [['default', 0]],
  compatible: [['compatible', 1], ['default', 0]],
  sessioned: [['sessioned', 2], ['compatible', 1], ['default', 0]],
} as const;

/** A group member speaking Kafka Connect's protocol by hand, with a long session so it never heartbeats. */
class RawMember {
  memberId = '';
  generation = -1;

  private constructor(private readonly socket: RawKafkaSocket, private readonly group: string) {}

  static async connect(group: string): Promise<RawMember> {
    const member = new RawMember(await RawKafkaSocket.connect(broker.port), group);
    members.push(member);
    return member;
  }

  /** Member ids of the last round, when this member leads it. */
  roundMembers: string[] = [];

  /** JoinGroup v3; resolves with the coordinator's answer once the join round completed. */
  async join(offer: keyof typeof OFFERS, configOffset: number): Promise<{ protocol: string | null; errorCode: number }> {
    this.socket.sendRequest(JoinGroup, 3, {
      groupId: this.group, sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 60_000, memberId: this.memberId, groupInstanceId: null,
      protocolType: 'connect',
      protocols: OFFERS[offer].map(([name, version]) => ({ name, metadata: memberMetadata(version, 'http://java-worker:8083', configOffset) })),
    });
    const { body } = await this.socket.readResponse(JoinGroup, 3);
    this.memberId = body.memberId;
    this.generation = body.generationId;
    this.roundMembers = body.members.map((m) => m.memberId);
    return { protocol: body.protocolName, errorCode: body.errorCode };
  }

  /** SyncGroup v2 (a leader passes everyone's assignments): the assignment made for this member. */
  async sync(assignments: { memberId: string; assignment: Buffer }[] = []): Promise<DecodedAssignment> {
    this.socket.sendRequest(SyncGroup, 2, {
      groupId: this.group, generationId: this.generation, memberId: this.memberId, groupInstanceId: null,
      protocolType: null, protocolName: null, assignments,
    });
    const { body } = await this.socket.readResponse(SyncGroup, 2);
    expect(body.errorCode).toBe(0);
    return decodeAssignment(Buffer.from(body.assignment));
  }

  /** Heartbeats until the coordinator answers REBALANCE_IN_PROGRESS, as a worker learns it must rejoin. */
  async untilRebalance(): Promise<void> {
    await until(async () => {
      this.socket.sendRequest(Heartbeat, 2, { groupId: this.group, generationId: this.generation, memberId: this.memberId, groupInstanceId: null });
      return (await this.socket.readResponse(Heartbeat, 2)).body.errorCode === REBALANCE_IN_PROGRESS;
    }, { what: 'the coordinator to report a rebalance' });
  }

  async leave(): Promise<void> {
    if (this.memberId === '' || !this.socket.isOpen) return;
    this.socket.sendRequest(LeaveGroup, 1, { groupId: this.group, memberId: this.memberId, members: [] });
    await this.socket.readResponse(LeaveGroup, 1);
    this.memberId = '';
    this.socket.destroy();
  }
}

describe('connect.protocol negotiation', () => {
  it('falls back to eager when a worker offering only `default` joins, hands out the work afresh, and returns to sessioned when it leaves', async () => {
    const group = 'negotiation';
    const ferry = await cluster.start(group);
    await createSource(ferry.rest, 'spread');
    expect(protocolsLogged(ferry).at(-1)).toBe('sessioned');

    const java = await RawMember.connect(group);
    expect(await java.join('eager', -1)).toEqual({ protocol: 'default', errorCode: 0 });
    // The first eager round hands out nothing: the ferry worker did not give up its work before joining.
    const switching = await java.sync();
    expect(switching).toMatchObject({ version: 0, error: 0, leaderUrl: ferry.worker.restUrl, units: [] });
    // The leader rejoins at once; in the next round, eager from the start, the work is spread afresh.
    await java.untilRebalance();
    expect(await java.join('eager', -1)).toEqual({ protocol: 'default', errorCode: 0 });
    const assignment = await java.sync();
    expect(assignment).toMatchObject({ version: 0, error: 0, leaderUrl: ferry.worker.restUrl });
    expect(assignment.units).toHaveLength(1);
    await until(() => protocolsLogged(ferry).at(-1) === 'default', { what: 'the ferry worker applying an eager assignment' });
    expect(ferry.log()).toContain('the group\'s connect protocol was downgraded, so internal request signing is now off');

    await java.leave();
    await until(() => protocolsLogged(ferry).at(-1) === 'sessioned', { what: 'the group back on sessioned' });
    await ferry.rest.untilStates('spread', { connector: 'RUNNING', tasks: ['RUNNING'] });
  }, 60_000);

  it('uses compatible when a member offers compatible and default only', async () => {
    const group = 'negotiation-compatible';
    const ferry = await cluster.start(group);
    const java = await RawMember.connect(group);
    expect(await java.join('compatible', -1)).toEqual({ protocol: 'compatible', errorCode: 0 });
    const assignment = await java.sync();
    expect(assignment.version).toBe(1);
    await until(() => protocolsLogged(ferry).at(-1) === 'compatible', { what: 'the ferry worker on compatible' });
  }, 60_000);

  it('a ferry worker with connect.protocol=eager offers only `default`, so a sessioned member gets an eager group', async () => {
    const group = 'negotiation-eager-ferry';
    const ferry = await cluster.start(group, { 'connect.protocol': 'eager' });
    expect(protocolsLogged(ferry).at(-1)).toBe('default');
    const java = await RawMember.connect(group);
    expect(await java.join('sessioned', -1)).toEqual({ protocol: 'default', errorCode: 0 });
    expect((await java.sync()).version).toBe(0);
  }, 60_000);
});

describe('config offsets in the group', () => {
  it('the leader refuses to assign while a member reports a config offset it cannot reach: every member gets CONFIG_MISMATCH', async () => {
    const group = 'ahead';
    const ferry = await cluster.start(group, { 'worker.sync.timeout.ms': '300' });
    await createSource(ferry.rest, 'held');
    const java = await RawMember.connect(group);
    expect((await java.join('sessioned', 1_000_000)).protocol).toBe('sessioned');
    const assignment = await java.sync();
    expect(assignment.error).toBe(1);
    expect(assignment.units).toEqual([]);
    expect(ferry.log()).toContain('a member is ahead of the leader on the config topic: reading it up to that offset before assigning');

    // Reporting the offset the leader has read, the same member gets a normal assignment.
    const configEnd = assignment.configOffset;
    expect(configEnd).toBeGreaterThan(0);
    await java.join('sessioned', configEnd);
    expect((await java.sync()).error).toBe(0);
  }, 60_000);
});

describe('a ferry follower behind its assignment', () => {
  it('starts none of the work while it cannot reach the assignment\'s config offset, and runs it once it leads the group alone', async () => {
    const group = 'behind';
    const kafka = kafkaClient(broker.bootstrap, 'behind-setup');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: `${group}-configs`, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
    await admin.disconnect();
    const file = path.join(dir, 'ghost.txt');
    fs.writeFileSync(file, 'line\n');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `${group}-configs`,
      messages: [{ key: 'connector-ghost', value: JSON.stringify({ properties: { name: 'ghost', 'connector.class': 'FileStreamSource', file, topic: 'ghost' } }) }],
    });
    await producer.disconnect();

    // The test's member leads the group; the ferry worker joins as its follower.
    const java = await RawMember.connect(group);
    await java.join('sessioned', 1);
    await java.sync([{ memberId: java.memberId, assignment: encodeAssignment(java.memberId, 1, []) }]);
    const starting = cluster.start(group, { 'worker.sync.timeout.ms': '300' });
    await java.untilRebalance();
    await java.join('sessioned', 1);
    const ferryId = java.roundMembers.find((id) => id !== java.memberId)!;
    await java.sync([
      { memberId: java.memberId, assignment: encodeAssignment(java.memberId, 1_000_000, []) },
      { memberId: ferryId, assignment: encodeAssignment(java.memberId, 1_000_000, ['ghost']) },
    ]);
    const ferry = await starting;
    await until(() => ferry.log().includes('could not catch up with the config topic in time: starting no work and rejoining'), { what: 'the follower giving up' });
    expect(ferry.log()).toContain('behind the assignment on the config topic: catching up before starting work');
    expect((await ferry.rest.status('ghost'))?.connector.state).not.toBe('RUNNING');

    // Once the member that handed out an unreachable offset is gone, the ferry worker leads and runs the connector.
    await java.leave();
    await ferry.rest.untilStates('ghost', { connector: 'RUNNING', tasks: ['RUNNING'] });
  }, 60_000);
});

describe('two ferry workers during a rebalance', () => {
  it('answer restarts with Kafka Connect\'s 409 while a rebalance is held open, and accept them once it completes', async () => {
    const group = 'held-open';
    const first = await cluster.start(group);
    const second = await cluster.start(group);
    await createSource(first.rest, 'steady');
    await until(() => protocolsLogged(second).length > 0, { what: 'the second worker joined' });

    // A member that joins and then never rejoins: the next rebalance waits for it (its rebalance timeout).
    const java = await RawMember.connect(group);
    await java.join('sessioned', -1);
    expect((await java.sync()).error).toBe(0);

    // A new connector makes the leader ask for a rebalance, which cannot complete.
    const file = path.join(dir, 'newcomer.txt');
    fs.writeFileSync(file, '');
    expect((await first.rest.request('POST', '/connectors', {
      name: 'newcomer', config: { 'connector.class': 'FileStreamSource', file, topic: 'newcomer' },
    })).status).toBe(201);

    for (const worker of [first, second]) {
      const refused = await until(async () => {
        const answer = await worker.rest.request('POST', '/connectors/steady/restart');
        return answer.status === 409 ? answer : null;
      }, { what: 'a 409 during the rebalance' });
      expect(refused.body).toEqual({ error_code: 409, message: STALE });
      expect(await worker.rest.request('POST', '/connectors/steady/tasks/0/restart')).toEqual({ status: 409, body: { error_code: 409, message: STALE } });
    }

    await java.leave();
    await until(async () => (await first.rest.request('POST', '/connectors/steady/restart')).status === 204, { what: 'the restart accepted after the rebalance' });
    await first.rest.untilStates('newcomer', { connector: 'RUNNING', tasks: ['RUNNING'] });
  }, 90_000);
});

describe('zombie status writes', () => {
  it('GET /connectors/{c}/status ignores a status written by another worker with an older generation, and takes a newer one', async () => {
    const group = 'zombies';
    const ferry = await cluster.start(group);
    await createSource(ferry.rest, 'guarded');
    await createSource(ferry.rest, 'marker');
    const workerId = ferry.worker.workerId;

    const producer = kafkaClient(broker.bootstrap, 'zombie-writer').producer();
    await producer.connect();
    const status = (state: string, worker: string, generation: number) =>
      JSON.stringify({ state, trace: state === 'FAILED' ? 'zombie' : null, worker_id: worker, generation });
    await producer.send({
      topic: `${group}-status`,
      messages: [
        { key: 'status-task-guarded-0', value: status('FAILED', 'zombie:8083', 0) },
        { key: 'status-connector-guarded', value: status('UNASSIGNED', 'zombie:8083', 0) },
        // Written after the zombie records: once it shows, the reader has passed them.
        { key: 'status-connector-marker', value: status('RUNNING', 'newer:8083', 1_000) },
      ],
    });
    await producer.disconnect();

    await until(async () => (await ferry.rest.status('marker'))?.connector.worker_id === 'newer:8083', { what: 'the newer-generation status read' });
    const guarded = await ferry.rest.status('guarded');
    expect(guarded?.connector).toEqual({ state: 'RUNNING', worker_id: workerId });
    expect(guarded?.tasks).toEqual([{ id: 0, state: 'RUNNING', worker_id: workerId }]);
  }, 60_000);
});
