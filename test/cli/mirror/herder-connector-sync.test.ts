import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { buildApiServer } from '../../../api/server.js';
import { HerderConnectorSync } from '../../../cli/mirror/herder-connector-sync.js';
import { restLeaderWrites } from '../../../cli/mirror/leader-writes.js';
import type { ConnectorPlan } from '../../../connectors/mirror/dedicated/mirror-maker-config.js';
import { FakeControl } from '../../api/fake-control.js';
import { until } from '../../helpers/until.js';

/**
 * Two nodes of one herder group in front of one config store (FakeControl): each node's REST API
 * forwards as a real worker's does, with the leader chosen by the test.
 */
const store = new FakeControl();
const nodes: { app: FastifyInstance; url: string }[] = [];
let leader: 0 | 1 | 'rebalancing' = 0;

function leaderUrlFor(node: number): string | null {
  if (leader === 'rebalancing') return '';
  return leader === node ? null : nodes[leader]!.url;
}

beforeAll(async () => {
  for (const node of [0, 1]) {
    const app = buildApiServer({ control: store, forwarding: { leaderUrl: () => leaderUrlFor(node) } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    nodes.push({ app, url });
  }
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.app.close()));
});

beforeEach(() => {
  store.connectors.clear();
  leader = 0;
});

const plan = (topics: string): ConnectorPlan[] => [
  { name: 'MirrorSourceConnector', config: { name: 'MirrorSourceConnector', 'connector.class': 'FileSource', topics, 'tasks.max': '2' } },
  { name: 'MirrorHeartbeatConnector', config: { name: 'MirrorHeartbeatConnector', 'connector.class': 'FileSource', 'tasks.max': '1' } },
];

function sync(node: number, connectors: ConnectorPlan[], intervalMs?: number): HerderConnectorSync {
  return new HerderConnectorSync({
    control: store, writes: restLeaderWrites(nodes[node]!.url), connectors, logger: pino({ level: 'silent' }), ...(intervalMs ? { intervalMs } : {}),
  });
}

const stored = (name: string) => store.connectors.get(name)?.config;

it('the leader writes every planned connector; a follower with the same plan writes nothing', async () => {
  leader = 1;
  expect(await sync(0, plan('orders')).syncOnce()).toEqual({ written: [], deleted: [], leftToLeader: ['MirrorSourceConnector', 'MirrorHeartbeatConnector'] });
  expect(store.connectors.size).toBe(0);

  expect(await sync(1, plan('orders')).syncOnce()).toEqual({ written: ['MirrorSourceConnector', 'MirrorHeartbeatConnector'], deleted: [], leftToLeader: [] });
  expect(stored('MirrorSourceConnector')).toEqual(plan('orders')[0]!.config);

  expect(await sync(0, plan('orders')).syncOnce()).toEqual({ written: [], deleted: [], leftToLeader: [] });
  expect(await sync(1, plan('orders')).syncOnce()).toEqual({ written: [], deleted: [], leftToLeader: [] });
});

it('a changed file is written by the leader only; a follower with an older file does not undo it', async () => {
  await sync(0, plan('orders')).syncOnce();
  expect((await sync(0, plan('orders,payments')).syncOnce()).written).toEqual(['MirrorSourceConnector']);
  expect(stored('MirrorSourceConnector')?.topics).toBe('orders,payments');

  expect((await sync(1, plan('orders')).syncOnce()).leftToLeader).toEqual(['MirrorSourceConnector']);
  expect(stored('MirrorSourceConnector')?.topics).toBe('orders,payments');
});

it('the leader deletes Mirror connectors the file no longer runs and leaves other connectors alone', async () => {
  await store.putConnectorConfig('MirrorCheckpointConnector', { name: 'MirrorCheckpointConnector', 'connector.class': 'FileSource' });
  await store.putConnectorConfig('my-sink', { name: 'my-sink', 'connector.class': 'FileSink' });
  leader = 1;
  expect((await sync(0, plan('t')).syncOnce()).leftToLeader).toContain('MirrorCheckpointConnector');
  expect(store.connectors.has('MirrorCheckpointConnector')).toBe(true);
  leader = 0;
  expect(await sync(0, plan('t')).syncOnce()).toMatchObject({ deleted: ['MirrorCheckpointConnector'] });
  expect([...store.connectors.keys()].sort()).toEqual(['MirrorHeartbeatConnector', 'MirrorSourceConnector', 'my-sink']);
});

it('nobody writes during a rebalance', async () => {
  leader = 'rebalancing';
  expect((await sync(0, plan('t')).syncOnce()).leftToLeader).toHaveLength(2);
  expect(store.connectors.size).toBe(0);
});

it('a config the worker rejects fails the pass with the worker\'s message', async () => {
  const bad: ConnectorPlan[] = [{ name: 'MirrorSourceConnector', config: { name: 'MirrorSourceConnector', 'connector.class': 'NoSuchConnector' } }];
  await expect(sync(0, bad).syncOnce()).rejects.toThrow(/answered 500: Failed to find any class that implements Connector and which name matches NoSuchConnector/);
});

it('keeps checking after start(): when leadership moves to a node, that node writes its file', async () => {
  leader = 1;
  const rest = restLeaderWrites(nodes[0]!.url);
  let asked = 0;
  const running = new HerderConnectorSync({
    control: store,
    writes: { ...rest, putConnectorConfig: (name, config) => { asked++; return rest.putConnectorConfig(name, config); } },
    connectors: plan('orders'),
    logger: pino({ level: 'silent' }),
    intervalMs: 20,
  });
  running.start();
  try {
    await until(() => asked >= 4, { what: 'two passes as a follower' });
    expect(store.connectors.size).toBe(0);
    leader = 0;
    await until(() => stored('MirrorSourceConnector')?.topics === 'orders', { what: 'the new leader to write its connector' });
    await store.deleteConnector('MirrorHeartbeatConnector');
    await until(() => stored('MirrorHeartbeatConnector'), { what: 'the removed connector to come back' });
  } finally {
    await running.stop();
  }
});
