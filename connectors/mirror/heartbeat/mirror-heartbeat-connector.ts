/**
 * MirrorHeartbeatConnector: creates the `heartbeats` topic on the target (one partition,
 * compacted, heartbeats.topic.replication.factor) and runs one task that emits heartbeats.
 * No task when `enabled` or `emit.heartbeats.enabled` is false.
 *
 * The first taskConfigs call waits (briefly) for the topic to exist, so the first heartbeat is
 * not produced into a topic the broker would auto-create uncompacted. A replication factor the
 * target cannot satisfy fails the connector with a message naming the key; an unreachable target
 * is retried with back-off.
 */
import type { Connector, ConnectorContext, RawConfig } from '../../sdk/connector.js';
import type { ClusterClient } from '../../sdk/kafka-clusters.js';
import { BackgroundJobs } from '../background-jobs.js';
import { FIRST_LISTING_WAIT_MS } from '../checkpoint/mirror-checkpoint-connector.js';
import { createInternalTopic } from '../config/internal-topic.js';
import { mirrorHeartbeatSettings, type MirrorHeartbeatSettings } from '../config/mirror-heartbeat-config.js';

export class MirrorHeartbeatConnector implements Connector {
  #config: RawConfig = {};
  #settings: MirrorHeartbeatSettings | undefined;
  #jobs: BackgroundJobs | undefined;
  #target: ClusterClient | undefined;
  #topicCreated: Promise<unknown> | undefined;

  start(config: RawConfig, context: ConnectorContext): void {
    const settings = mirrorHeartbeatSettings(config);
    this.#config = config;
    this.#settings = settings;
    if (!runsTask(settings)) {
      context.logger.info('MirrorHeartbeatConnector emits no heartbeats: enabled or emit.heartbeats.enabled is false');
      return;
    }
    const jobs = new BackgroundJobs(context.logger);
    this.#jobs = jobs;
    const id = `${settings.sourceClusterAlias}->${settings.targetClusterAlias}|${config['name'] ?? 'MirrorHeartbeatConnector'}`;
    const target = context.kafka.connect(settings.targetAdminProps, { clientId: `${id}|target-admin` });
    this.#target = target;
    this.#topicCreated = jobs.retrying(`create ${settings.heartbeatsTopic} on the target`, async () => {
      await createInternalTopic(target.admin(), {
        name: settings.heartbeatsTopic, replicationFactor: settings.heartbeatsTopicReplicationFactor,
        replicationFactorKey: 'heartbeats.topic.replication.factor', cluster: 'target',
      });
    }).catch((err: unknown) => context.raiseError(err instanceof Error ? err : new Error(String(err))));
  }

  async taskConfigs(_maxTasks: number): Promise<RawConfig[]> {
    if (this.#settings === undefined || !runsTask(this.#settings)) return [];
    if (this.#topicCreated) await Promise.race([this.#topicCreated, this.#jobs!.sleep(FIRST_LISTING_WAIT_MS)]);
    return [{ ...this.#config }];
  }

  async stop(): Promise<void> {
    this.#jobs?.stop();
    const target = this.#target;
    this.#target = undefined;
    await target?.close();
  }
}

function runsTask(s: MirrorHeartbeatSettings): boolean {
  return s.enabled && s.emitHeartbeatsEnabled;
}
