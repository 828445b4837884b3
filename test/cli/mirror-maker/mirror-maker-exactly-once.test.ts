/**
 * MirrorMaker 2 exactly-once in dedicated mode (issue 13, exactly-once.md §8), from the build:
 * `ferry mirror-maker` with the properties MirrorMaker's docs give for it
 * (`B.exactly.once.source.support = enabled`, `A.consumer.isolation.level = read_committed`,
 * `dedicated.mode.enable.internal.rest = true` with `listeners`), SIGKILLed and restarted three
 * times while a producer writes to A through committed and aborted transactions and plain
 * sends. Read committed (kcat), B's remote topic then equals A's topic, and the transactions on
 * B carry MirrorMaker's names.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DescribeTransactions } from '../../../broker/protocol/apis/describe-transactions.js';
import { ListTransactions } from '../../../broker/protocol/apis/list-transactions.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { spawnFerryCommand, type FerryChild } from '../../helpers/ferry-process.js';
import { until } from '../../helpers/until.js';
import { RawKafkaSocket } from '../../helpers/raw-kafka-socket.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { expectMirroredExactlyOnce, killLoop, progressOf, TransactionalSourceWriter } from '../../connectors/mirror/exactly-once-kit.js';
import { startExactlyOnceRegion, startRegion, stopRegion, type Region } from '../../connectors/mirror/mirror-harness.js';
import { createTopic } from '../../connectors/mirror/mirror-topics.js';

const PARTITIONS = 3;
const KILLS = 3;
const REPLICATION_FACTOR_KEYS = ['replication.factor', 'checkpoints.topic.replication.factor', 'heartbeats.topic.replication.factor',
  'offset-syncs.topic.replication.factor', 'offset.storage.replication.factor', 'status.storage.replication.factor', 'config.storage.replication.factor'];

let A: Region;
let B: Region;
let node: MirrorNode | undefined;
let other: MirrorNode | undefined;
let file = '';

beforeAll(async () => {
  [A, B] = await Promise.all([startRegion('A'), startExactlyOnceRegion('B')]);
  file = path.join(tempDir('ferry-mm2-eos-'), 'mm2.properties');
  writeFileSync(file, `
clusters = A, B
A.bootstrap.servers = ${A.bootstrap}
B.bootstrap.servers = ${B.bootstrap}
A->B.enabled = true
A->B.topics = orders
# exactly-once, as MirrorMaker's docs set it up
B.exactly.once.source.support = enabled
A.consumer.isolation.level = read_committed
dedicated.mode.enable.internal.rest = true
listeners = http://127.0.0.1:0
# one transaction per poll of the source
A->B.transaction.boundary = poll
# a killed node leaves the group quickly, so its restarted self gets the tasks; the transactions
# it left open end within seconds (the restarted herder reads past them before it starts tasks):
# its tasks' (producer.*), and its leader's on the config topic (the un-prefixed setting, as in
# Kafka Connect), which the restarted herder reads read_committed before it even serves REST
A->B.session.timeout.ms = 3000
B->A.session.timeout.ms = 3000
B.producer.transaction.timeout.ms = 5000
B.transaction.timeout.ms = 5000
tasks.max = ${PARTITIONS}
refresh.topics.interval.seconds = 1
${REPLICATION_FACTOR_KEYS.map((key) => `${key} = 1`).join('\n')}
`);
}, 60_000);

afterAll(async () => {
  await Promise.all([node?.stop(), other?.stop()]);
  await Promise.all([A, B].filter(Boolean).map(stopRegion));
});

interface MirrorNode extends FerryChild {
  /** The A->B herder's REST API on this node. */
  readonly rest: ConnectRest;
}

/** Starts a node from the file; resolves once the A->B herder runs every MirrorSourceConnector task (on this node or another). */
async function startNode(): Promise<MirrorNode> {
  const started = await spawnFerryCommand(['mirror-maker', file], { what: 'ferry mirror-maker', ready: (line) => line.msg === 'mirror-maker is ready', timeoutMs: 60_000 });
  const herders = started.readyLine.herders as { flow: string; rest: string }[];
  const rest = new ConnectRest(herders.find((h) => h.flow === 'A->B')!.rest);
  await rest.untilStates('MirrorSourceConnector', { connector: 'RUNNING', tasks: Array<string>(PARTITIONS).fill('RUNNING') }, 60_000);
  return { ...started, rest };
}

/** The workers running MirrorSourceConnector's tasks, once all of them run. */
async function sourceTaskWorkers(rest: ConnectRest): Promise<Set<string> | undefined> {
  const status = await rest.status('MirrorSourceConnector');
  if (status?.tasks.length !== PARTITIONS || status.tasks.some((t) => t.state !== 'RUNNING')) return undefined;
  return new Set(status.tasks.map((t) => t.worker_id));
}

/** The transactions B's coordinator knows, by transactional id: state and producer epoch (ListTransactions v0, DescribeTransactions v0). */
async function transactionsOf(region: Region): Promise<Map<string, { state: string; epoch: number }>> {
  const socket = await RawKafkaSocket.connect(region.broker.port);
  try {
    socket.sendRequest(ListTransactions, 0, { stateFilters: [], producerIdFilters: [] });
    const listed = (await socket.readResponse(ListTransactions, 0)).body.transactionStates.map((t) => t.transactionalId);
    socket.sendRequest(DescribeTransactions, 0, { transactionalIds: listed });
    const described = (await socket.readResponse(DescribeTransactions, 0)).body.transactionStates;
    return new Map(described.map((t) => [t.transactionalId, { state: t.transactionState, epoch: t.producerEpoch }]));
  } finally {
    socket.destroy();
  }
}

it('replicates every committed record exactly once while the node is SIGKILLed and restarted', async () => {
  await createTopic(A.kafka, 'orders', PARTITIONS);
  const writer = new TransactionalSourceWriter(A.kafka, 'orders', PARTITIONS);
  await writer.start();
  node = await startNode();
  expect(node.output()).not.toContain('exactly.once.source.support=enabled but its REST API is private');

  await killLoop({
    kills: KILLS,
    progress: progressOf(B.kafka, 'A.orders'),
    restart: async () => {
      await node!.kill();
      node = await startNode();
    },
  });
  await writer.stop();

  const outcome = await expectMirroredExactlyOnce({
    source: A, target: B, topic: 'orders', remoteTopic: 'A.orders', offsetSyncsTopic: 'mm2-offset-syncs.B.internal',
  });
  // MirrorMaker's names: every source task of the A->B herder writes through {source}-mm2-{connector}-{task}
  // (the heartbeat task too: exactly-once is all or nothing for a worker's source tasks). The B->A
  // herder writes to A, which has no exactly.once.source.support: only the test's own writer is on A.
  const transactions = await transactionsOf(B);
  const ids = [...transactions.keys()].sort();
  expect(ids).toEqual(expect.arrayContaining(['A-mm2-MirrorSourceConnector-0', 'A-mm2-MirrorSourceConnector-1', 'A-mm2-MirrorSourceConnector-2']));
  expect(ids.filter((id) => !/^A-mm2-Mirror(Source|Checkpoint|Heartbeat)Connector-\d+$|^connect-cluster-A-mm2$/.test(id))).toEqual([]);
  expect([...(await transactionsOf(A)).keys()]).toEqual(['orders-writer']);
  // Every restart fenced the task's previous producer (a new epoch per initTransactions).
  for (const task of [0, 1, 2]) expect(transactions.get(`A-mm2-MirrorSourceConnector-${task}`)!.epoch).toBeGreaterThanOrEqual(KILLS);
  console.log(`MirrorMaker exactly-once, dedicated mode: ${KILLS} kills, ${outcome.sourceCommitted} committed source records `
    + `(${writer.aborted} aborted source transactions) replicated once each; ${outcome.abortedOnTarget} records of aborted target `
    + `transactions; ${outcome.syncs} offset syncs, all pointing at committed records; transactional ids on B: ${ids.join(', ')}`);
}, 300_000);

it('two nodes share the tasks, fencing through the leader\'s internal REST API; one SIGKILLed, the other takes over exactly once', async () => {
  const writer = new TransactionalSourceWriter(A.kafka, 'orders', PARTITIONS, 'two-nodes-');
  await writer.start();
  other = await startNode();
  // The second node's tasks ask the first node's leader to fence their predecessors before they start.
  const spread = await until(async () => {
    const workers = await sourceTaskWorkers(other!.rest);
    return workers?.size === 2 ? workers : undefined;
  }, { timeoutMs: 60_000, what: 'the source tasks to run on both nodes' });
  expect(spread.size).toBe(2);
  // A leader fences for its own tasks; the follower's tasks asked it over REST (ferry logs every request it serves).
  const fenceRequest = '"method":"PUT","url":"/connectors/MirrorSourceConnector/fence"';
  expect(node!.output().includes(fenceRequest) || other.output().includes(fenceRequest)).toBe(true);
  const before = await progressOf(B.kafka, 'A.orders')();
  await until(async () => ((await progressOf(B.kafka, 'A.orders')()) > before ? true : null), { timeoutMs: 30_000, what: 'both nodes replicating' });
  await node!.kill();
  node = undefined;
  const survivor = new URL(other.rest.baseUrl).host;
  await until(async () => {
    const workers = await sourceTaskWorkers(other!.rest);
    return workers?.size === 1 && workers.has(survivor) ? true : null;
  }, { timeoutMs: 60_000, what: 'every source task on the surviving node' });
  const afterKill = await progressOf(B.kafka, 'A.orders')();
  await until(async () => ((await progressOf(B.kafka, 'A.orders')()) > afterKill ? true : null), { timeoutMs: 30_000, what: 'replication after the kill' });
  await writer.stop();

  const outcome = await expectMirroredExactlyOnce({
    source: A, target: B, topic: 'orders', remoteTopic: 'A.orders', offsetSyncsTopic: 'mm2-offset-syncs.B.internal',
  });
  console.log(`MirrorMaker exactly-once, two dedicated nodes, one SIGKILLed: ${outcome.sourceCommitted} committed source records replicated once each`);
}, 300_000);
