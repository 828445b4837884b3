/**
 * The group-coordinator run: many kafkajs consumers in one consumer group on one topic with
 * as many partitions as members. All start at once (connect, subscribe, run), and the run
 * times them until every member holds exactly one partition (then the group's latest
 * generation has all of them: only a generation of `members` members hands each a single
 * partition of `members`); then each commits the offset of its partition `commitsPerMember`
 * times in a row, all members at once; then all disconnect (LeaveGroup). The broker's CPU
 * time is read at each phase boundary, so each phase is charged its own.
 *
 * kafkajs runs in this process: its CPU time is the client's. Its consumers keep their fetch
 * loops (empty partitions, long polls) and heartbeats going throughout, as real ones would.
 */
import kafkajs from 'kafkajs';
import type { Admin, Consumer, Kafka as KafkaClient } from 'kafkajs';
import type { TimeWindow } from './profile-summary.js';

const { logLevel } = kafkajs;

export interface GroupRunOptions {
  topic: string;
  groupId: string;
  members: number;
  commitsPerMember: number;
  /** Broker CPU seconds so far (read at each phase boundary). */
  brokerCpuSeconds: () => number;
}

export interface GroupPhase {
  seconds: number;
  brokerCpuSeconds: number;
  clientCpuSeconds: number;
  /** When the phase was timed, in monotonic-clock microseconds (selects its profile samples). */
  window: TimeWindow;
}

export interface GroupRunOutcome {
  /** From the first run() until every member is in the final generation (join and sync done). */
  join: GroupPhase;
  /** Join+sync rounds the consumers completed in the join phase (GROUP_JOIN events): members plus the rebalances they went through. */
  joinRounds: number;
  commit: GroupPhase;
  commits: number;
  /** Every member disconnecting (LeaveGroup, and the rebalances the leaves cause among the rest). */
  leave: GroupPhase;
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Times a phase: wall seconds, broker and client CPU seconds, and its monotonic window. */
async function timed(brokerCpuSeconds: () => number, phase: () => Promise<void>): Promise<GroupPhase> {
  const brokerBefore = brokerCpuSeconds();
  const cpu = process.cpuUsage();
  const startUs = monotonicUs();
  const start = performance.now();
  await phase();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    seconds,
    brokerCpuSeconds: brokerCpuSeconds() - brokerBefore,
    clientCpuSeconds: (used.user + used.system) / 1e6,
    window: { startUs, endUs: monotonicUs() },
  };
}

export async function groupRun(bootstrap: string, admin: Admin, o: GroupRunOptions): Promise<GroupRunOutcome> {
  const created = await admin.createTopics({
    topics: [{ topic: o.topic, numPartitions: o.members, replicationFactor: 1 }], waitForLeaders: true,
  });
  if (!created) throw new Error(`topic ${o.topic} already exists`);
  // One client object per member, so each has its own connections, as separate processes would.
  const clients: KafkaClient[] = Array.from({ length: o.members }, (_, i) => new kafkajs.Kafka({
    clientId: `ferry-bench-member-${i}`, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5 },
  }));
  const consumers: Consumer[] = clients.map((k) => k.consumer({ groupId: o.groupId, allowAutoTopicCreation: false }));
  /** Each member's partitions of the topic after its latest join and sync. */
  const assigned: number[][] = consumers.map(() => []);
  let joinRounds = 0;
  let crashed: Error | undefined;
  let allJoined: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => { allJoined = resolve; });
  const everyMemberHoldsOne = () => assigned.every((p) => p.length === 1)
    && new Set(assigned.map((p) => p[0])).size === o.members;
  consumers.forEach((c, i) => {
    c.on(c.events.GROUP_JOIN, (e) => {
      joinRounds++;
      assigned[i] = e.payload.memberAssignment[o.topic] ?? [];
      if (everyMemberHoldsOne()) allJoined();
    });
    c.on(c.events.CRASH, (e) => {
      crashed = e.payload.error;
      allJoined();
    });
  });
  try {
    await Promise.all(consumers.map(async (c) => {
      await c.connect();
      await c.subscribe({ topic: o.topic, fromBeginning: true });
    }));

    const join = await timed(o.brokerCpuSeconds, async () => {
      await Promise.all(consumers.map((c) => c.run({ autoCommit: false, eachBatch: async () => undefined })));
      await joined;
      if (crashed) throw crashed;
    });
    const rounds = joinRounds;
    const described = (await admin.describeGroups([o.groupId])).groups[0];
    if (described?.state !== 'Stable' || described.members.length !== o.members) {
      throw new Error(`group ${o.groupId} is ${described?.state} with ${described?.members.length} members, expected Stable with ${o.members}`);
    }

    const commit = await timed(o.brokerCpuSeconds, async () => {
      await Promise.all(consumers.map(async (c, i) => {
        const partition = assigned[i]![0]!;
        for (let n = 1; n <= o.commitsPerMember; n++) {
          await c.commitOffsets([{ topic: o.topic, partition, offset: String(n) }]);
        }
      }));
      if (crashed) throw crashed;
    });
    const committed = await admin.fetchOffsets({ groupId: o.groupId, topics: [o.topic] });
    const wrong = committed[0]!.partitions.filter((p) => p.offset !== String(o.commitsPerMember));
    if (wrong.length > 0) throw new Error(`${wrong.length} partitions of ${o.topic} have not committed offset ${o.commitsPerMember}`);

    const leave = await timed(o.brokerCpuSeconds, async () => {
      await Promise.all(consumers.map((c) => c.disconnect()));
    });
    return { join, joinRounds: rounds, commit, commits: o.members * o.commitsPerMember, leave };
  } finally {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
  }
}
