/**
 * What a MirrorMaker connector has replicated (GET /connectors/{c}/replication, a ferry extension
 * the web console uses), read from Kafka so that any worker of a cluster answers the same:
 *
 * - MirrorSourceConnector: per source partition, the upstream offset replicated so far (the
 *   connector's committed source offset + 1, i.e. the next upstream record to copy; committed
 *   every `offset.flush.interval.ms`), the upstream log end offset read from the source cluster
 *   the connector is configured with, and the difference (replication lag, in records). Partitions
 *   are those the connector's tasks are assigned, or, while it has no tasks (stopped), those it
 *   has committed offsets for. A partition with nothing committed counts from its log start.
 * - MirrorCheckpointConnector: the latest checkpoint of every group/partition in the checkpoints
 *   topic on the target cluster (`<source alias>.checkpoints.internal`), read to its end.
 * - MirrorHeartbeatConnector: the flow (aliases) only.
 *
 * A cluster that cannot be reached does not fail the request: the figures it would give are null
 * and `error` says why (with the connector's secrets scrubbed). Each request opens its own
 * clients and closes them; admin calls give up after REQUEST_TIMEOUT_MS.
 */
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import type { ClientProperties, ClusterClient, KafkaClusters } from '../../../connectors/sdk/kafka-clusters.js';
import { mirrorCheckpointSettings, mirrorHeartbeatSettings, mirrorSourceSettings } from '../../../connectors/mirror/config/index.js';
import { decodeCheckpoint } from '../../../connectors/mirror/records/checkpoint.js';
import { ASSIGNED_PARTITIONS, parseAssignedPartitions } from '../../../connectors/mirror/source/assigned-partitions.js';
import type { StoredOffset } from '../../stores/offset-store.js';

const MIRROR_PACKAGE = 'org.apache.kafka.connect.mirror.';
export const MIRROR_SOURCE_CLASS = `${MIRROR_PACKAGE}MirrorSourceConnector`;
export const MIRROR_CHECKPOINT_CLASS = `${MIRROR_PACKAGE}MirrorCheckpointConnector`;
export const MIRROR_HEARTBEAT_CLASS = `${MIRROR_PACKAGE}MirrorHeartbeatConnector`;

export type MirrorKind = 'source' | 'checkpoint' | 'heartbeat';

const KIND_OF_CLASS: Readonly<Record<string, MirrorKind>> = {
  [MIRROR_SOURCE_CLASS]: 'source',
  [MIRROR_CHECKPOINT_CLASS]: 'checkpoint',
  [MIRROR_HEARTBEAT_CLASS]: 'heartbeat',
};

/** How long one admin call on a mirrored cluster may take before the answer goes without it. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Reading the checkpoints topic stops after this long, or once a poll brings nothing new. */
const CHECKPOINT_READ_MS = 10_000;
const CHECKPOINT_IDLE_POLL_MS = 1_000;

export interface ReplicatedPartition {
  partition: number;
  /** The next upstream offset to replicate (committed source offset + 1); null before the first commit. */
  upstream_offset: number | null;
  /** The upstream partition's log end offset; null when the source cluster could not be read. */
  upstream_end_offset: number | null;
  /** Records not replicated yet; null when the end offset is unknown. */
  lag: number | null;
}

export interface ReplicatedTopic {
  source_topic: string;
  /** The topic's name on the target cluster (the replication policy's remote topic name). */
  target_topic: string;
  /** Sum of the partitions' lag; null when any is unknown. */
  lag: number | null;
  partitions: ReplicatedPartition[];
}

export interface CheckpointEntry {
  group: string;
  /** The topic as named on the target cluster. */
  topic: string;
  partition: number;
  /** The group's committed offset on the source cluster. */
  upstream_offset: number;
  /** That offset translated to the target topic. */
  downstream_offset: number;
  /** When the checkpoint was written (ms since the epoch). */
  timestamp: number;
}

export interface ConnectorReplication {
  name: string;
  /** The connector's full class name. */
  connector_class: string;
  kind: MirrorKind;
  source_cluster_alias: string;
  target_cluster_alias: string;
  /** MirrorSourceConnector: the replicated topics, by source topic name; empty for the others. */
  topics: ReplicatedTopic[];
  /** Sum of every topic's lag; null for the other kinds or when a lag is unknown. */
  total_lag: number | null;
  /** MirrorCheckpointConnector: the checkpoints topic on the target; null for the others. */
  checkpoints_topic: string | null;
  /** MirrorCheckpointConnector: the latest checkpoint per group, topic and partition; empty for the others. */
  checkpoints: CheckpointEntry[];
  /** Why some figures are missing (a cluster could not be read); null when nothing is. */
  error: string | null;
}

/** The Mirror kind of a connector plugin by its full class name, or undefined for other connectors. */
export function mirrorKindOf(resolvedClassName: string): MirrorKind | undefined {
  return Object.hasOwn(KIND_OF_CLASS, resolvedClassName) ? KIND_OF_CLASS[resolvedClassName] : undefined;
}

export interface MirrorReplicationInput {
  readonly name: string;
  readonly className: string;
  readonly kind: MirrorKind;
  /** The connector config with config-provider placeholders resolved. */
  readonly config: RawConfig;
  /** The committed configs of the connector's tasks (empty while it has none). */
  readonly taskConfigs: readonly RawConfig[];
  /** The connector's committed source offsets. */
  readonly storedOffsets: () => Promise<readonly StoredOffset[]>;
  /** Clients for the clusters the connector names; the caller closes them afterwards. */
  readonly clusters: KafkaClusters;
  /** Hides the connector's secrets in error messages. */
  readonly scrub: (text: string) => string;
}

export async function mirrorReplication(input: MirrorReplicationInput): Promise<ConnectorReplication> {
  switch (input.kind) {
    case 'source': return sourceReplication(input);
    case 'checkpoint': return checkpointReplication(input);
    case 'heartbeat': {
      const settings = mirrorHeartbeatSettings(input.config);
      return base(input, settings.sourceClusterAlias, settings.targetClusterAlias);
    }
  }
}

function base(input: MirrorReplicationInput, source: string, target: string): ConnectorReplication {
  return {
    name: input.name, connector_class: input.className, kind: input.kind, source_cluster_alias: source, target_cluster_alias: target,
    topics: [], total_lag: null, checkpoints_topic: null, checkpoints: [], error: null,
  };
}

async function sourceReplication(input: MirrorReplicationInput): Promise<ConnectorReplication> {
  const settings = mirrorSourceSettings(input.config);
  const alias = settings.sourceClusterAlias;
  const result = base(input, alias, settings.targetClusterAlias);
  const committed = new Map<string, number>();
  const fromOffsets = new Map<string, Set<number>>();
  for (const { partition, offset } of await input.storedOffsets()) {
    const topic = partition['topic'];
    const number = partition['partition'];
    const upstream = offset?.['offset'];
    if (partition['cluster'] !== alias || typeof topic !== 'string' || typeof number !== 'number' || typeof upstream !== 'number') continue;
    committed.set(`${number}:${topic}`, upstream + 1);
    add(fromOffsets, topic, number);
  }
  const assigned = new Map<string, Set<number>>();
  for (const task of input.taskConfigs) {
    for (const { topic, partition } of parseAssignedPartitions(task[ASSIGNED_PARTITIONS])) add(assigned, topic, partition);
  }
  const partitionsOf = input.taskConfigs.length > 0 ? assigned : fromOffsets;
  const topics = [...partitionsOf.keys()].sort();

  const client = input.clusters.connect(shortTimeouts(settings.sourceAdminProps), { clientId: `${alias}->${settings.targetClusterAlias}|${input.name}|monitoring` });
  const upstream = new Map<string, { ends: Map<number, number>; starts: Map<number, number> }>();
  try {
    const admin = client.admin();
    await Promise.all(topics.map(async (topic) => {
      const [ends, starts] = await Promise.all([admin.endOffsets(topic), admin.beginningOffsets(topic)]);
      upstream.set(topic, { ends, starts });
    }));
  } catch (err) {
    result.error = input.scrub(`Could not read the end offsets of cluster ${alias}: ${messageOf(err)}`);
  } finally {
    await client.close();
  }

  for (const topic of topics) {
    const offsets = upstream.get(topic);
    const partitions = [...partitionsOf.get(topic)!].sort((a, b) => a - b).map((partition): ReplicatedPartition => {
      const replicated = committed.get(`${partition}:${topic}`) ?? null;
      const end = offsets?.ends.get(partition) ?? null;
      const from = replicated ?? offsets?.starts.get(partition) ?? 0;
      return { partition, upstream_offset: replicated, upstream_end_offset: end, lag: end === null ? null : Math.max(0, end - from) };
    });
    result.topics.push({ source_topic: topic, target_topic: settings.policy.formatRemoteTopic(alias, topic), lag: sum(partitions.map((p) => p.lag)), partitions });
  }
  result.total_lag = sum(result.topics.map((t) => t.lag));
  return result;
}

async function checkpointReplication(input: MirrorReplicationInput): Promise<ConnectorReplication> {
  const settings = mirrorCheckpointSettings(input.config);
  const result = base(input, settings.sourceClusterAlias, settings.targetClusterAlias);
  const topic = settings.checkpointsTopic;
  result.checkpoints_topic = topic;
  const clientId = `${settings.sourceClusterAlias}->${settings.targetClusterAlias}|${input.name}|monitoring`;
  const client = input.clusters.connect(shortTimeouts({ ...settings.targetConsumerProps, ...settings.targetAdminProps }), { clientId });
  try {
    result.checkpoints = await latestCheckpoints(client, topic);
  } catch (err) {
    result.error = input.scrub(`Could not read ${topic} on cluster ${settings.targetClusterAlias}: ${messageOf(err)}`);
  } finally {
    await client.close();
  }
  return result;
}

/** Reads the checkpoints topic to its end and keeps the last checkpoint of each group, topic and partition. */
async function latestCheckpoints(client: ClusterClient, topic: string): Promise<CheckpointEntry[]> {
  const admin = client.admin();
  if (!(await admin.partitionCounts([topic])).has(topic)) return [];
  const ends = await admin.endOffsets(topic);
  const pending = new Map([...ends].filter(([, end]) => end > 0));
  const latest = new Map<string, CheckpointEntry>();
  if (pending.size === 0) return [];
  const reader = client.reader();
  try {
    reader.assign([...pending.keys()].map((partition) => ({ topic, partition, offset: 'earliest' as const })));
    const deadline = Date.now() + CHECKPOINT_READ_MS;
    while (pending.size > 0 && Date.now() < deadline) {
      const records = await reader.poll({ maxWaitMs: CHECKPOINT_IDLE_POLL_MS, maxRecords: 10_000 });
      if (records.length === 0) break;
      for (const record of records) {
        if (record.key === null || record.value === null) continue;
        let checkpoint;
        try {
          checkpoint = decodeCheckpoint(record.key, record.value);
        } catch {
          continue;
        }
        latest.set(JSON.stringify([checkpoint.group, checkpoint.topic, checkpoint.partition]), {
          group: checkpoint.group, topic: checkpoint.topic, partition: checkpoint.partition,
          upstream_offset: checkpoint.upstreamOffset, downstream_offset: checkpoint.downstreamOffset, timestamp: record.timestamp,
        });
      }
      for (const [partition, end] of pending) {
        if ((reader.position({ topic, partition }) ?? 0) >= end) pending.delete(partition);
      }
    }
  } finally {
    await reader.close();
  }
  return [...latest.values()].sort((a, b) => compare(a.group, b.group) || compare(a.topic, b.topic) || a.partition - b.partition);
}

/** The client properties with admin calls bounded by REQUEST_TIMEOUT_MS (a shorter setting is kept). */
function shortTimeouts(props: ClientProperties): ClientProperties {
  const configured = Number(props['default.api.timeout.ms']);
  const timeout = Number.isFinite(configured) && configured > 0 ? Math.min(configured, REQUEST_TIMEOUT_MS) : REQUEST_TIMEOUT_MS;
  return { ...props, 'default.api.timeout.ms': String(timeout) };
}

function add(map: Map<string, Set<number>>, topic: string, partition: number): void {
  let set = map.get(topic);
  if (!set) map.set(topic, set = new Set());
  set.add(partition);
}

function sum(values: readonly (number | null)[]): number | null {
  let total = 0;
  for (const v of values) {
    if (v === null) return null;
    total += v;
  }
  return total;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
