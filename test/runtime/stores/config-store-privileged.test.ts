/**
 * The config store's privileged (leader) writes with exactly-once source support, on the bundled
 * broker: written in transactions of the leader's `connect-cluster-{group.id}` producer, refused
 * before privileges are claimed, lost to a newer leader and claimed back (Kafka Connect's
 * testFencedLeaderRecovery). What lands is read back with kcat in read_committed mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaClient, TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { KafkaCompactedTopic } from '../../../runtime/kafka/topic-compacted-topic.js';
import { configTopicLeaderWriter } from '../../../runtime/kafka/transactional-topic-writer.js';
import { CONFIG_WRITE_FAILED, ConfigStore, NO_WRITE_PRIVILEGES } from '../../../runtime/stores/config-store.js';
import { startTestBroker, type TestBroker } from '../../helpers/test-broker.js';
import { createTopic, kcatLines, testClient, topicName } from '../kafka/kafka-test-kit.js';

let broker: TestBroker;
let client: KafkaClient;
let admin: TopicAdmin;

beforeAll(async () => {
  broker = await startTestBroker();
  client = testClient(broker.bootstrap);
  admin = client.admin({ clientId: 'privileged-config-test', role: 'internal' });
});

afterAll(async () => {
  await client.close();
  await broker.close();
});

/** A worker's config store on `topic` whose leader writes are privileged. */
async function workerStore(topic: string, worker: string): Promise<ConfigStore> {
  const compacted = new KafkaCompactedTopic(topic,
    client.producer({ clientId: `${worker}-configs`, role: 'internal' }),
    client.topicReader({ topic, clientId: `${worker}-configs`, readCommitted: true }));
  const store = new ConfigStore(compacted, {
    privilegedWriter: () => configTopicLeaderWriter(client, { topic, clientId: worker, groupId: `group-${process.pid}` }),
  });
  await store.start();
  return store;
}

describe('ConfigStore privileged writes', () => {
  it('writes as leader only after claiming, loses the privileges to a newer leader, and claims them back', async () => {
    const topic = await createTopic(admin, topicName('privileged-configs'), 1, { 'cleanup.policy': 'compact' });
    const first = await workerStore(topic, 'first');
    const second = await workerStore(topic, 'second');

    await expect(first.putConnectorConfig('early', { name: 'early' })).rejects.toThrow(NO_WRITE_PRIVILEGES);
    await first.putTargetState('early', 'PAUSED');

    await first.claimWritePrivileges();
    await first.putConnectorConfig('one', { name: 'one' });
    await first.putTaskConfigs('one', [{ n: '0' }, { n: '1' }]);
    await first.putTaskCountRecord('one', 2);

    // A newer leader claims the privileges: the old one's next write fails and leaves nothing behind.
    await second.claimWritePrivileges();
    await expect(first.putConnectorConfig('lost', { name: 'lost' })).rejects.toThrow(CONFIG_WRITE_FAILED);
    expect(first.hasWritePrivileges).toBe(false);
    await second.putConnectorConfig('two', { name: 'two' });

    // The old leader claims them back (as after a rebalance that made it leader again) and its retry succeeds.
    await first.claimWritePrivileges();
    await first.putConnectorConfig('lost', { name: 'lost' });
    await expect(second.removeConnector('two')).rejects.toThrow(CONFIG_WRITE_FAILED);

    expect(await kcatLines(broker.bootstrap, topic, '%k\n', 'read_committed')).toEqual([
      'target-state-early', 'connector-one', 'task-one-0', 'task-one-1', 'commit-one', 'tasks-fencing-one', 'connector-two', 'connector-lost',
    ]);
    await second.readToEnd();
    expect(second.snapshot().connectors().sort()).toEqual(['lost', 'one', 'two']);
    expect(second.snapshot().taskCountRecord('one')).toBe(2);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('runs a leader\'s concurrent writes one transaction after another (a REST create while its connector writes task configs)', async () => {
    const topic = await createTopic(admin, topicName('privileged-concurrent'), 1, { 'cleanup.policy': 'compact' });
    const leader = await workerStore(topic, 'leader');
    await leader.claimWritePrivileges();
    await Promise.all([
      leader.putConnectorConfig('a', { name: 'a' }),
      leader.putTaskConfigs('a', [{ 'task.class': 'T' }]),
      leader.putConnectorConfig('b', { name: 'b' }),
      leader.putTaskCountRecord('a', 1),
    ]);
    expect(leader.hasWritePrivileges).toBe(true);
    expect((await kcatLines(broker.bootstrap, topic, '%k\n', 'read_committed')).sort()).toEqual(
      ['commit-a', 'connector-a', 'connector-b', 'task-a-0', 'tasks-fencing-a'],
    );
    await leader.stop();
  });
});
