/**
 * MirrorCheckpointConnector: creates `<source>.checkpoints.internal` on the target, finds the
 * source consumer groups to checkpoint (group-discovery.ts) at start and every
 * `refresh.groups.interval.seconds`, and deals them round-robin over its tasks
 * (`task.assigned.groups`), asking for new task configs when the set changes.
 *
 * No tasks when `enabled`, `emit.checkpoints.enabled` or `emit.offset-syncs.enabled` is false
 * (there would be nothing to translate with), or when no group qualifies. A replication factor
 * the target cannot satisfy fails the connector with a message naming
 * checkpoints.topic.replication.factor; unreachable clusters are retried with back-off.
 */
import type { Connector, ConnectorContext, RawConfig } from '../../sdk/connector.js';
import type { ClusterClient } from '../../sdk/kafka-clusters.js';
import { createInternalTopic } from '../config/internal-topic.js';
import { mirrorCheckpointSettings, type MirrorCheckpointSettings } from '../config/mirror-checkpoint-config.js';
import { ASSIGNED_GROUPS, formatAssignedGroups, spreadGroups } from './assigned-groups.js';
import { BackgroundJobs } from '../background-jobs.js';
import { findCheckpointGroups } from './group-discovery.js';

/** How long the first taskConfigs call waits for the first group listing before answering with what is known. */
export const FIRST_LISTING_WAIT_MS = 5_000;

export class MirrorCheckpointConnector implements Connector {
  #config: RawConfig = {};
  #settings: MirrorCheckpointSettings | undefined;
  #jobs: BackgroundJobs | undefined;
  #clients: ClusterClient[] = [];
  #known: string[] = [];
  #firstListing: Promise<unknown> | undefined;

  start(config: RawConfig, context: ConnectorContext): void {
    const settings = mirrorCheckpointSettings(config);
    this.#config = config;
    this.#settings = settings;
    if (!runsTasks(settings)) {
      context.logger.info('MirrorCheckpointConnector has nothing to do: enabled, emit.checkpoints.enabled or emit.offset-syncs.enabled is false');
      return;
    }
    const kafka = context.kafka;
    const jobs = new BackgroundJobs(context.logger);
    this.#jobs = jobs;
    const id = `${settings.sourceClusterAlias}->${settings.targetClusterAlias}|${config['name'] ?? 'MirrorCheckpointConnector'}`;
    const source = kafka.connect(settings.sourceAdminProps, { clientId: `${id}|source-admin` });
    const target = kafka.connect(settings.targetAdminProps, { clientId: `${id}|target-admin` });
    this.#clients = [source, target];
    const refresh = async () => {
      const groups = await findCheckpointGroups(source.admin(), settings);
      if (groups.length === this.#known.length && groups.every((g, i) => g === this.#known[i])) return;
      context.logger.info({ groups: groups.length }, `Checkpointing ${groups.length} consumer groups of ${settings.sourceClusterAlias}`);
      this.#known = groups;
      context.requestTaskReconfiguration();
    };
    this.#firstListing = jobs.serialized(async () => {
      await jobs.retrying(`create ${settings.checkpointsTopic} on the target`, async () => {
        await createInternalTopic(target.admin(), {
          name: settings.checkpointsTopic, replicationFactor: settings.checkpointsTopicReplicationFactor,
          replicationFactorKey: 'checkpoints.topic.replication.factor', cluster: 'target',
        });
      });
      await jobs.retrying('list the source consumer groups', refresh);
    }).catch((err: unknown) => context.raiseError(err instanceof Error ? err : new Error(String(err))));
    if (settings.refreshGroupsEnabled) jobs.every(settings.refreshGroupsIntervalMs, 'refresh the source consumer groups', refresh);
  }

  async taskConfigs(maxTasks: number): Promise<RawConfig[]> {
    const settings = this.#settings;
    if (settings === undefined || !runsTasks(settings)) return [];
    if (this.#firstListing) await Promise.race([this.#firstListing, this.#jobs!.sleep(FIRST_LISTING_WAIT_MS)]);
    if (this.#known.length === 0) return [];
    return spreadGroups(this.#known, maxTasks).map((groups) => ({ ...this.#config, [ASSIGNED_GROUPS]: formatAssignedGroups(groups) }));
  }

  async stop(): Promise<void> {
    this.#jobs?.stop();
    const clients = this.#clients;
    this.#clients = [];
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}

function runsTasks(s: MirrorCheckpointSettings): boolean {
  return s.enabled && s.emitCheckpointsEnabled && s.emitOffsetSyncsEnabled;
}
