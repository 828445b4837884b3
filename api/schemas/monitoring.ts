/**
 * ferry's monitoring extensions to Kafka Connect's REST API, used by the web console:
 * ConnectorLag (`GET /connectors/{c}/lag`) and ConnectorReplication
 * (`GET /connectors/{c}/replication`). Offsets are "next offsets", as in Kafka; lags count records.
 */
const nullableInteger = { type: ['integer', 'null'] } as const;

export const partitionLagSchema = {
  $id: 'PartitionLag',
  type: 'object',
  properties: {
    topic: { type: 'string' },
    partition: { type: 'integer' },
    committed_offset: { ...nullableInteger, description: 'The consumer group\'s committed offset; null before its first commit' },
    end_offset: { type: 'integer', description: 'Log end offset (high watermark)' },
    lag: { type: 'integer', description: 'end_offset minus committed_offset (or minus the log start offset before the first commit)' },
  },
  required: ['topic', 'partition', 'committed_offset', 'end_offset', 'lag'],
} as const;

export const connectorLagSchema = {
  $id: 'ConnectorLag',
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string', enum: ['source', 'sink', 'unknown'] },
    group: { type: ['string', 'null'], description: 'The sink connector\'s consumer group; null for other connectors' },
    total_lag: { ...nullableInteger, description: 'Sum of the partitions\' lag; null for connectors that are not sinks' },
    partitions: { type: 'array', items: { $ref: 'PartitionLag#' } },
  },
  required: ['name', 'type', 'group', 'total_lag', 'partitions'],
} as const;

export const replicatedPartitionSchema = {
  $id: 'ReplicatedPartition',
  type: 'object',
  properties: {
    partition: { type: 'integer' },
    upstream_offset: { ...nullableInteger, description: 'The next source offset to replicate (committed source offset + 1); null before the first commit' },
    upstream_end_offset: { ...nullableInteger, description: 'Log end offset on the source cluster; null when it could not be read' },
    lag: { ...nullableInteger, description: 'Records not replicated yet; null when the end offset is unknown' },
  },
  required: ['partition', 'upstream_offset', 'upstream_end_offset', 'lag'],
} as const;

export const replicatedTopicSchema = {
  $id: 'ReplicatedTopic',
  type: 'object',
  properties: {
    source_topic: { type: 'string' },
    target_topic: { type: 'string' },
    lag: nullableInteger,
    partitions: { type: 'array', items: { $ref: 'ReplicatedPartition#' } },
  },
  required: ['source_topic', 'target_topic', 'lag', 'partitions'],
} as const;

export const checkpointEntrySchema = {
  $id: 'CheckpointEntry',
  type: 'object',
  properties: {
    group: { type: 'string' },
    topic: { type: 'string', description: 'The topic as named on the target cluster' },
    partition: { type: 'integer' },
    upstream_offset: { type: 'integer', description: 'The group\'s committed offset on the source cluster' },
    downstream_offset: { type: 'integer', description: 'That offset translated to the target topic' },
    timestamp: { type: 'integer', description: 'When the checkpoint was written (ms since the epoch)' },
  },
  required: ['group', 'topic', 'partition', 'upstream_offset', 'downstream_offset', 'timestamp'],
} as const;

export const connectorReplicationSchema = {
  $id: 'ConnectorReplication',
  type: 'object',
  properties: {
    name: { type: 'string' },
    connector_class: { type: 'string' },
    kind: { type: 'string', enum: ['source', 'checkpoint', 'heartbeat'] },
    source_cluster_alias: { type: 'string' },
    target_cluster_alias: { type: 'string' },
    topics: { type: 'array', items: { $ref: 'ReplicatedTopic#' } },
    total_lag: nullableInteger,
    checkpoints_topic: { type: ['string', 'null'] },
    checkpoints: { type: 'array', items: { $ref: 'CheckpointEntry#' } },
    error: { type: ['string', 'null'], description: 'Why some figures are missing (a cluster could not be read)' },
  },
  required: ['name', 'connector_class', 'kind', 'source_cluster_alias', 'target_cluster_alias', 'topics', 'total_lag',
    'checkpoints_topic', 'checkpoints', 'error'],
} as const;

export const monitoringSchemas = [
  partitionLagSchema, connectorLagSchema, replicatedPartitionSchema, replicatedTopicSchema, checkpointEntrySchema, connectorReplicationSchema,
];
