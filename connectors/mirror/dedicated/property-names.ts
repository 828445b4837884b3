/**
 * Which top-level keys of a MirrorMaker 2 dedicated-mode file go where (reference
 * connectors.md §6.1, §6.2; kafka-connect.md §3). Names only; mirror-maker-config.ts applies them.
 */

/** Kafka client settings shared by producers, consumers and admin clients (copied to every cluster when set un-prefixed). */
const CLIENT_KEYS = new Set([
  'security.protocol', 'security.providers', 'client.dns.lookup', 'connections.max.idle.ms', 'request.timeout.ms',
  'metadata.max.age.ms', 'reconnect.backoff.ms', 'reconnect.backoff.max.ms', 'retry.backoff.ms', 'retry.backoff.max.ms',
  'send.buffer.bytes', 'receive.buffer.bytes', 'socket.connection.setup.timeout.ms', 'socket.connection.setup.timeout.max.ms',
]);

/** A client setting that an un-prefixed top-level key gives every cluster (bootstrap.servers is per cluster only). */
export function isSharedClientKey(key: string): boolean {
  return CLIENT_KEYS.has(key) || key.startsWith('ssl.') || key.startsWith('sasl.');
}

/** Properties of the three Mirror connectors (and Connect's connector-level keys) that a top-level key sets for every flow. */
const CONNECTOR_KEYS = new Set([
  // Connect, every connector
  'tasks.max', 'transforms', 'predicates', 'config.action.reload', 'exactly.once.support', 'transaction.boundary',
  'transaction.boundary.interval.ms',
  'errors.tolerance', 'errors.log.enable', 'errors.log.include.messages', 'errors.retry.timeout', 'errors.retry.delay.max.ms',
  // all three Mirror connectors
  'admin.timeout.ms', 'forwarding.admin.class', 'offset-syncs.topic.location', 'emit.offset-syncs.enabled',
  'topic.filter.class', 'group.filter.class', 'config.property.filter.class', 'consumer.poll.timeout.ms',
  // MirrorSourceConnector
  'topics', 'topics.exclude', 'topics.blacklist', 'config.properties.exclude', 'config.properties.blacklist',
  'replication.factor', 'offset-syncs.topic.replication.factor', 'refresh.topics.enabled', 'refresh.topics.interval.seconds',
  'sync.topic.configs.enabled', 'sync.topic.configs.interval.seconds', 'sync.topic.acls.enabled', 'sync.topic.acls.interval.seconds',
  'offset.lag.max', 'heartbeats.replication.enabled',
  // MirrorCheckpointConnector
  'groups', 'groups.exclude', 'groups.blacklist', 'refresh.groups.enabled', 'refresh.groups.interval.seconds',
  'emit.checkpoints.enabled', 'emit.checkpoints.interval.seconds', 'sync.group.offsets.enabled', 'sync.group.offsets.interval.seconds',
  'checkpoints.topic.replication.factor',
  // MirrorHeartbeatConnector
  'emit.heartbeats.enabled', 'emit.heartbeats.interval.seconds', 'heartbeats.topic.replication.factor',
]);

const CONNECTOR_PREFIXES = ['transforms.', 'predicates.', 'replication.policy.'];

/** A top-level key that is a connector property of every flow. */
export function isConnectorKey(key: string): boolean {
  return CONNECTOR_KEYS.has(key) || CONNECTOR_PREFIXES.some((p) => key.startsWith(p));
}

/** Top-level families passed to every herder's worker, as MirrorMaker passes them. */
const WORKER_PASSTHROUGH_PREFIXES = [
  'offset.storage.', 'config.storage.', 'status.storage.', 'key.converter', 'value.converter', 'header.converter',
  'task', 'worker', 'replication.policy', 'config.providers',
];

/** The REST settings every herder's worker shares (ferry's addition: the REST API is always served, see docs/mirror-maker.md). */
const WORKER_REST_KEYS = new Set(['rest.advertised.host.name', 'rest.advertised.listener', 'rest.extension.classes']);
const WORKER_REST_PREFIXES = ['listeners.https.', 'rest.auth.'];

/**
 * Worker settings a top-level key gives every herder, which MirrorMaker reads only per cluster
 * (`<target>.exactly.once.source.support`) or per flow: ferry's addition, so one line turns
 * exactly-once on for every flow; a cluster or flow setting still wins.
 */
const WORKER_TOP_LEVEL_KEYS = new Set(['exactly.once.source.support']);

export function isWorkerPassthroughKey(key: string): boolean {
  // tasks.max starts with "task" but is the connectors' setting, not the worker's.
  if (key === 'tasks.max') return false;
  return WORKER_PASSTHROUGH_PREFIXES.some((p) => key.startsWith(p)) || WORKER_TOP_LEVEL_KEYS.has(key)
    || WORKER_REST_KEYS.has(key) || WORKER_REST_PREFIXES.some((p) => key.startsWith(p));
}

/** A cluster's worker-only setting that is not passed on to the Mirror connectors' clients as `<side>.cluster.<key>`. */
export function isClusterWorkerSetting(key: string): boolean {
  return WORKER_TOP_LEVEL_KEYS.has(key);
}

/** Settings only a worker has: a per-flow `src->tgt.<key>` of these configures that flow's herder, not its connectors. */
const WORKER_ONLY_KEYS = new Set([
  'group.id', 'client.id', 'listeners', 'admin.listeners', 'rest.advertised.host.name', 'rest.advertised.port', 'rest.advertised.listener',
  'rest.extension.classes', 'access.control.allow.origin', 'access.control.allow.methods', 'response.http.headers.config',
  'offset.flush.interval.ms', 'offset.flush.timeout.ms', 'task.shutdown.graceful.timeout.ms',
  'session.timeout.ms', 'heartbeat.interval.ms', 'rebalance.timeout.ms', 'scheduled.rebalance.max.delay.ms',
  'worker.sync.timeout.ms', 'worker.unsync.backoff.ms', 'connect.protocol', 'exactly.once.source.support',
  'topic.creation.enable', 'topic.tracking.enable', 'topic.tracking.allow.reset', 'connector.client.config.override.policy',
]);

const WORKER_ONLY_PREFIXES = ['offset.storage.', 'config.storage.', 'status.storage.', 'listeners.', 'admin.listeners.', 'rest.auth.', 'config.providers'];

export function isWorkerOnlyKey(key: string): boolean {
  return WORKER_ONLY_KEYS.has(key) || WORKER_ONLY_PREFIXES.some((p) => key.startsWith(p));
}

/** Converter settings: a per-flow one applies to the herder's worker and to the flow's connectors. */
export function isConverterKey(key: string): boolean {
  return key.startsWith('key.converter') || key.startsWith('value.converter') || key.startsWith('header.converter');
}

/** Top-level keys dedicated mode reads itself (not passed anywhere as they are). */
export const DEDICATED_MODE_KEYS = new Set(['clusters', 'dedicated.mode.enable.internal.rest', 'listeners']);

export const CLIENT_ROLES = ['producer', 'consumer', 'admin'] as const;
export type ClientRole = (typeof CLIENT_ROLES)[number];
