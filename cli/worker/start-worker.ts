/**
 * startWorker: the composition root of a Connect worker. From Kafka Connect worker
 * properties it builds the Kafka client, creates and checks the internal topics, reads
 * the config, offset and status topics, starts every stored connector, and serves the
 * REST API. stop() shuts down in reverse: REST first, then tasks (committing offsets), then
 * the stores and clients.
 */
import type { Logger } from 'pino';
import { loadRestSecurity } from '../../api/security/load-rest-security.js';
import { buildApiServer, startApiServer } from '../../api/server.js';
import { defaultConsoleDir } from '../../api/routes/console.js';
import type { RawConfig } from '../../connectors/sdk/connector.js';
import { ConfigError } from '../../connectors/sdk/config/config-spec.js';
import { extractPrefixed } from '../../runtime/config/config-prefix.js';
import { distributedWorkerSpec, type DistributedWorkerConfig } from '../../runtime/config/worker-config.js';
import { firstRestListener, withLegacyRestListeners } from '../../runtime/config/rest-listeners.js';
import { WorkerControl } from '../../runtime/control/worker-control.js';
import { fenceWithConnectorAdmin } from '../../runtime/control/zombie-fencing.js';
import { workerLoggerLevels } from '../../runtime/control/logger-levels.js';
import { STARTING } from '../../runtime/control/worker-health.js';
import type { ClusterControl } from '../../runtime/control/cluster-control.js';
import { RebalanceInProgressError, TaskNotFoundError } from '../../runtime/errors.js';
import { requestWorker } from '../../api/plugins/leader-forwarding.js';
import { kafkaClustersFactory } from '../../runtime/kafka/connector-clusters.js';
import { createKafkaClient } from '../../runtime/kafka/create-kafka-client.js';
import { kafkaCompactedTopic } from '../../runtime/kafka/topic-compacted-topic.js';
import { configTopicLeaderWriter } from '../../runtime/kafka/transactional-topic-writer.js';
import { ConnectMetrics } from '../../runtime/metrics/connect-metrics.js';
import { workerPlugins } from '../../runtime/plugins/worker-plugins.js';
import { ConfigStore } from '../../runtime/stores/config-store.js';
import { OffsetStore } from '../../runtime/stores/offset-store.js';
import { StatusStore } from '../../runtime/stores/status-store.js';
import { resolveWorkerProperties } from '../../runtime/config/config-providers/index.js';
import { configResolution } from '../../runtime/worker/connector-config-resolution.js';
import { ensureInternalTopic } from '../../runtime/worker/internal-topics.js';
import { createTaskRunnerFactory } from '../../runtime/worker/task-runner-factory.js';
import { Worker } from '../../runtime/worker/worker.js';
import { ClusterMembership } from '../../runtime/worker/cluster-membership.js';
import { SessionKeys } from '../../runtime/control/distributed/session-keys.js';
import { WireCluster } from '../../runtime/kafka/wire/wire-cluster.js';
import { parseCommonSettings } from '../../runtime/kafka/client-settings.js';
import { FERRY_VERSION } from '../../runtime/version.js';

export interface RunningWorker {
  readonly workerId: string;
  readonly restPort: number;
  readonly restUrl: string;
  readonly control: WorkerControl;
  /** Served at GET /metrics; its `rebalance` hooks are for the group membership. */
  readonly metrics: ConnectMetrics;
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  logger: Logger;
}

export async function startWorker(rawProperties: RawConfig, { logger }: StartWorkerOptions): Promise<RunningWorker> {
  const { resolver, worker: resolvedWorker } = await resolveWorkerProperties(rawProperties);
  const { properties, config } = parseWorkerConfig(resolvedWorker.resolved, logger);
  const { protocol, host, port } = firstRestListener(config.listeners);
  const security = await loadRestSecurity(properties, { https: protocol === 'https', extensionClasses: config.restExtensionClasses });
  const kafkaLogger = logger.child({ component: 'kafka' });
  const kafka = createKafkaClient({
    bootstrapServers: config.bootstrapServers,
    clientId: config.clientId || config.groupId,
    properties: withoutPrefixes(properties),
    producer: extractPrefixed(properties, 'producer.'),
    consumer: extractPrefixed(properties, 'consumer.'),
    admin: extractPrefixed(properties, 'admin.'),
    logger: kafkaLogger,
  });
  const closers: (() => Promise<void>)[] = [async () => resolver.close(), () => kafka.close()];
  const stopAll = async () => {
    for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'shutdown step failed'));
  };
  try {
    const admin = kafka.admin({ clientId: `${config.groupId}-shared-admin`, role: 'internal' });
    closers.push(() => admin.close());
    await ensureInternalTopic(admin, {
      property: 'config.storage.topic', name: config.configStorageTopic, partitions: 1,
      replicationFactor: config.configStorageReplicationFactor, configs: storageConfigs(properties, 'config.storage.'),
    });
    await ensureInternalTopic(admin, {
      property: 'offset.storage.topic', name: config.offsetStorageTopic, partitions: config.offsetStoragePartitions,
      replicationFactor: config.offsetStorageReplicationFactor, configs: storageConfigs(properties, 'offset.storage.'),
    });
    await ensureInternalTopic(admin, {
      property: 'status.storage.topic', name: config.statusStorageTopic, partitions: config.statusStoragePartitions,
      replicationFactor: config.statusStorageReplicationFactor, configs: storageConfigs(properties, 'status.storage.'),
    });
    const clusterId = await admin.clusterId();

    // With exactly-once source support the internal topics hold transactions: read what committed only, as Kafka Connect does.
    const exactlyOnce = config.exactlyOnceSourceSupport === 'enabled';
    // preparing and enabled: only the leader writes the config topic, through connect-cluster-{group.id} (reference 7.7).
    const leaderWritesConfigs = config.exactlyOnceSourceSupport !== 'disabled';
    const configs = new ConfigStore(kafkaCompactedTopic(kafka, {
      topic: config.configStorageTopic, clientId: `${config.groupId}-configs`, readCommitted: exactlyOnce,
    }), leaderWritesConfigs ? {
      privilegedWriter: () => configTopicLeaderWriter(kafka, { topic: config.configStorageTopic, clientId: `${config.groupId}-configs`, groupId: config.groupId }),
    } : {});
    const offsets = new OffsetStore(kafkaCompactedTopic(kafka, {
      topic: config.offsetStorageTopic, clientId: `${config.groupId}-offsets`, readCommitted: exactlyOnce,
    }));
    const statuses = new StatusStore(kafkaCompactedTopic(kafka, { topic: config.statusStorageTopic, clientId: `${config.groupId}-statuses` }));
    await Promise.all([configs.start(), offsets.start(), statuses.start()]);
    closers.push(() => configs.stop(), () => offsets.stop(), () => statuses.stop());

    const plugins = await workerPlugins(config.pluginPath, logger.child({ component: 'plugins' }));
    const ready: { control?: WorkerControl } = {};
    const restLogger = logger.child({ component: 'rest' });
    const metrics = new ConnectMetrics({ appInfo: { version: FERRY_VERSION, commitId: 'ferry' } });
    closers.push(async () => metrics.close());
    const group: { membership?: ClusterMembership; sessionKeys?: SessionKeys } = {};
    const api = buildApiServer({
      control: whenStarted(() => ready.control),
      forwarding: {
        leaderUrl: () => (!group.membership || group.membership.isLeader ? null : group.membership.leaderUrl ?? ''),
        auth: security.interWorker,
      },
      internalRequests: {
        verify: (signature) => group.sessionKeys?.verify(signature),
        get signaturesRequired() { return group.sessionKeys?.signaturesRequired ?? false; },
      },
      logger: restLogger,
      topicTracking: { enabled: config.topicTrackingEnable, allowReset: config.topicTrackingAllowReset },
      metrics,
      security: security.api,
      ...(config.consoleEnabled ? { console: { dir: defaultConsoleDir() } } : {}),
    });
    const boundPort = await startApiServer(api, { host, port });
    closers.push(() => api.close());
    const advertisedHost = config.restAdvertisedHostName ?? (host === '0.0.0.0' ? '127.0.0.1' : host);
    const workerId = `${advertisedHost}:${config.restAdvertisedPort ?? boundPort}`;
    const taskLogger = logger.child({ component: 'worker' });
    /** The control that fences zombies for this worker's exactly-once tasks (set once built, before any task starts). */
    const fencing: { control?: WorkerControl } = {};
    const kafkaClusters = kafkaClustersFactory(kafkaLogger);
    const worker = new Worker({
      workerId,
      statuses,
      generation: () => group.membership?.generation ?? 0,
      logger: taskLogger,
      kafkaClusters,
      createTaskRunner: createTaskRunnerFactory({
        kafka, kafkaClusters, offsets, converters: plugins.converters, transformPlugins: plugins.transformPlugins(), workerConfig: config, workerProperties: properties, logger: taskLogger,
        activeTopics: config.topicTrackingEnable ? statuses : undefined, metrics,
        offsetsTopic: { name: config.offsetStorageTopic, partitions: config.offsetStoragePartitions, replicationFactor: config.offsetStorageReplicationFactor },
        exactlyOnce: exactlyOnce ? {
          groupId: config.groupId, offsetsTopic: config.offsetStorageTopic, configs,
          fenceZombies: (connector) => {
            if (!fencing.control) throw new RebalanceInProgressError('The worker is still starting');
            return fencing.control.fenceZombies(connector);
          },
        } : undefined,
      }),
      onReconfigurationRequest: (name) => ready.control?.requestReconfiguration(name),
      resolveConfig: configResolution(resolver),
    });
    metrics.bindWorker({
      workerId,
      statuses,
      connectorNames: () => worker.connectorNames(),
      describeConnector: (name) => {
        const className = configs.snapshot().connectorConfig(name)?.['connector.class'];
        if (typeof className !== 'string') return undefined;
        const plugin = plugins.connector(className);
        return { className, type: plugin?.kind ?? 'unknown', version: plugin?.version ?? '' };
      },
    });
    const started = new WorkerControl({
      configs, statuses, worker, plugins, logger: taskLogger, offsets, admin, exactlyOnceSourceSupport: config.exactlyOnceSourceSupport,
      kafkaClusters, resolveConfig: configResolution(resolver),
      ...(exactlyOnce ? { zombieFencing: { groupId: config.groupId, fenceProducers: fenceWithConnectorAdmin(kafka) } } : {}),
      loggerLevels: workerLoggerLevels(logger, { worker: taskLogger, rest: restLogger, kafka: kafkaLogger }),
      serverInfo: { version: FERRY_VERSION, commit: 'ferry', kafka_cluster_id: clusterId },
      distributed: {
        onWorkChanged: () => group.membership?.requestRejoin('connectors or task configs changed'),
        isLeader: () => group.membership?.isLeader ?? false,
        rebalanceSettled: () => group.membership?.settled() ?? Promise.resolve(true),
        restartTaskOn: async (owner, connector, task) => {
          const target = new URL(`${config.restAdvertisedListener ?? protocol}://${owner}`
            + `/connectors/${encodeURIComponent(connector)}/tasks/${task}/restart?forward=false`);
          const answer = await requestWorker(target, { method: 'POST', auth: security.interWorker });
          if (answer.status >= 400) {
            const message = errorMessageOf(answer, `worker ${owner}`);
            if (answer.status === 404) throw new TaskNotFoundError(message);
            throw new RebalanceInProgressError(message);
          }
        },
        // Kafka Connect's internal requests, signed with the session key: to any leader, Java or ferry.
        putTaskConfigsOnLeader: async (connector: string, taskConfigs: readonly Record<string, string>[]) => {
          const leader = group.membership?.leaderUrl;
          if (!leader) throw new RebalanceInProgressError('The leader of the cluster is not known yet');
          const body = Buffer.from(JSON.stringify(taskConfigs), 'utf8');
          const answer = await requestWorker(leaderEndpoint(leader, `connectors/${encodeURIComponent(connector)}/tasks`), {
            method: 'POST', rawBody: body, headers: group.sessionKeys?.signatureHeaders(body), auth: security.interWorker,
          });
          if (answer.status >= 400) throw new RebalanceInProgressError(errorMessageOf(answer, 'the leader'));
        },
        fenceOnLeader: async (connector) => {
          const leader = group.membership?.leaderUrl;
          if (!leader) throw new RebalanceInProgressError('The leader of the cluster is not known yet');
          const answer = await requestWorker(leaderEndpoint(leader, `connectors/${encodeURIComponent(connector)}/fence`), {
            method: 'PUT', headers: group.sessionKeys?.signatureHeaders(Buffer.alloc(0)), auth: security.interWorker,
          });
          if (answer.status >= 400) throw new Error(errorMessageOf(answer, 'the leader'));
        },
      },
    });
    fencing.control = started;
    const restUrl = `${config.restAdvertisedListener ?? protocol}://${advertisedHost}:${config.restAdvertisedPort ?? boundPort}`;
    const groupLogger = logger.child({ component: 'group' });
    const groupCluster = groupWireCluster(properties, config, groupLogger);
    closers.push(() => groupCluster.close());
    const membership = new ClusterMembership({
      cluster: groupCluster, config, sessionTimeoutExplicit: properties['session.timeout.ms'] !== undefined, url: restUrl,
      configs, control: () => started, metrics: metrics.rebalance, logger: groupLogger,
      afterAssignment: () => group.sessionKeys?.check(),
    });
    group.membership = membership;
    statuses.followGroupGeneration(() => membership.generation);
    const sessionKeys = new SessionKeys({
      configs,
      settings: {
        keyGenerationAlgorithm: config.interWorkerKeyGenerationAlgorithm, keySizeBits: config.interWorkerKeySize,
        keyTtlMs: config.interWorkerKeyTtlMs, signatureAlgorithm: config.interWorkerSignatureAlgorithm,
        verificationAlgorithms: config.interWorkerVerificationAlgorithms,
      },
      isLeader: () => membership.isLeader,
      // The negotiated protocol; the configured one until the group has chosen (as Kafka Connect starts).
      protocol: () => membership.membership.protocol ?? config.connectProtocol.toLowerCase(),
      logger: groupLogger,
    });
    group.sessionKeys = sessionKeys;
    closers.push(async () => sessionKeys.stop());
    closers.push(() => membership.stop());
    await started.start();
    closers.push(() => started.stop());
    await membership.start();
    ready.control = started;
    logger.info({ workerId, restUrl, group: config.groupId }, 'worker started');
    return { workerId, restPort: boundPort, restUrl, control: started, metrics, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The group's own connection to Kafka, with the worker's un-prefixed client settings. */
function groupWireCluster(properties: RawConfig, config: DistributedWorkerConfig, logger: Logger): WireCluster {
  const settings = parseCommonSettings(withoutPrefixes(properties), {
    bootstrap: config.bootstrapServers, clientId: `${config.clientId || config.groupId}-group`, logger: logger.child({}, { level: 'silent' }),
  });
  return WireCluster.fromSettings(settings, logger);
}

/** `path` under the leader's advertised URL, which Java workers advertise with a trailing slash and ferry's without. */
function leaderEndpoint(leaderUrl: string, path: string): URL {
  return new URL(path, leaderUrl.endsWith('/') ? leaderUrl : `${leaderUrl}/`);
}

/** The REST facade before the worker finished starting: the health check says `starting`, every other call answers 409. */
/** The `message` of another worker's REST error body, or which worker answered what. */
function errorMessageOf(answer: { status: number; body: Buffer }, who: string): string {
  try {
    const message = (JSON.parse(answer.body.toString() || '{}') as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: fall through
  }
  return `${who} answered ${answer.status}`;
}

function whenStarted(current: () => ClusterControl | undefined): ClusterControl {
  return new Proxy({} as ClusterControl, {
    get: (_target, method: keyof ClusterControl) => (...args: unknown[]) => {
      const control = current();
      if (!control && method === 'health') return Promise.resolve(STARTING);
      if (!control) return Promise.reject(new RebalanceInProgressError('The worker is still starting'));
      return (control[method] as (...a: unknown[]) => unknown)(...args);
    },
  });
}

/** The worker's properties (rest.host.name/rest.port turned into listeners) and their parsed config; warns about unknown keys. */
function parseWorkerConfig(resolved: RawConfig, logger: Logger): { properties: RawConfig; config: DistributedWorkerConfig } {
  try {
    const { properties, legacyKeys, derived } = withLegacyRestListeners(resolved);
    const legacy = legacyKeys.join(' and ');
    if (derived) logger.info({ listeners: derived }, `listeners=${derived} from ${legacy} (removed in Kafka 3.0)`);
    else if (legacy) logger.warn({ ignored: legacyKeys, listeners: properties['listeners'] }, `${legacy} ignored: listeners is set`);
    for (const key of distributedWorkerSpec.unknownKeys(properties)) {
      if (!KNOWN_PREFIXES.some((p) => key.startsWith(p))) logger.warn({ property: key }, `unknown worker property '${key}' is ignored`);
    }
    return { properties, config: distributedWorkerSpec.parse(properties) };
  } catch (err) {
    if (err instanceof ConfigError) throw new Error(`Invalid worker configuration:\n${err.messages.join('\n')}`, { cause: err });
    throw err;
  }
}

const KNOWN_PREFIXES = [
  'producer.', 'consumer.', 'admin.', 'key.converter.', 'value.converter.', 'header.converter.',
  'config.storage.', 'offset.storage.', 'status.storage.', 'config.providers.', 'listeners.', 'ssl.', 'sasl.', 'rest.auth.',
];

/** Topic configs passed at creation: `<prefix>.*` other than topic, partitions, replication.factor, cleanup.policy. */
function storageConfigs(properties: RawConfig, prefix: string): Record<string, string> {
  const out = extractPrefixed(properties, prefix);
  for (const key of ['topic', 'partitions', 'replication.factor', 'cleanup.policy']) delete out[key];
  return out;
}

function withoutPrefixes(properties: RawConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(properties)) {
    if (!/^(producer|consumer|admin)\./.test(k)) out[k] = v;
  }
  return out;
}
