/**
 * ferry's monitoring extensions of the REST API (docs/console.md, "REST extensions used by the
 * console"): a sink's consumer lag per partition and what a MirrorMaker connector replicates.
 * Offsets are Kafka's next offsets; lags count records.
 */
import type { MirrorKind } from './mirror-class.js';
import { rest, seg } from './rest-client.js';
import type { ConnectorType } from './types.js';

export { mirrorKindOfClass, type MirrorKind } from './mirror-class.js';

/** GET /connectors/{name}/lag, one partition. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** null before the group's first commit on the partition. */
  committed_offset: number | null;
  end_offset: number;
  lag: number;
}

/** GET /connectors/{name}/lag. Connectors that are not sinks: group and total_lag null, no partitions. */
export interface ConnectorLag {
  name: string;
  type: ConnectorType;
  group: string | null;
  total_lag: number | null;
  partitions: PartitionLag[];
}

export interface ReplicatedPartition {
  partition: number;
  /** The next source offset to replicate; null before the first commit. */
  upstream_offset: number | null;
  /** null when the source cluster could not be read. */
  upstream_end_offset: number | null;
  lag: number | null;
}

export interface ReplicatedTopic {
  source_topic: string;
  target_topic: string;
  lag: number | null;
  partitions: ReplicatedPartition[];
}

export interface CheckpointEntry {
  group: string;
  /** Named as on the target cluster. */
  topic: string;
  partition: number;
  upstream_offset: number;
  downstream_offset: number;
  /** ms since the epoch. */
  timestamp: number;
}

/** GET /connectors/{name}/replication. */
export interface ConnectorReplication {
  name: string;
  connector_class: string;
  kind: MirrorKind;
  source_cluster_alias: string;
  target_cluster_alias: string;
  topics: ReplicatedTopic[];
  total_lag: number | null;
  checkpoints_topic: string | null;
  checkpoints: CheckpointEntry[];
  /** Why some figures are missing; null when none are. */
  error: string | null;
}

export function connectorLag(name: string): Promise<ConnectorLag> {
  return rest.get<ConnectorLag>(`/connectors/${seg(name)}/lag`);
}

export function connectorReplication(name: string): Promise<ConnectorReplication> {
  return rest.get<ConnectorReplication>(`/connectors/${seg(name)}/replication`);
}
