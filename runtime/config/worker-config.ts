/**
 * Worker properties (Kafka Connect's WorkerConfig, DistributedConfig and StandaloneConfig) with
 * Kafka's defaults. Keys the spec does not declare (`producer.*`, `consumer.*`, `admin.*`,
 * `key.converter.*`, `config.providers.<name>.*`, further `ssl.*`/`sasl.*` settings, ...) are kept
 * by the caller as unknown keys and read with the prefix helpers. Docs are ferry's own words.
 */
import { boolean, choice, classField, defineConfig, int, list, long, password, short, string, type ParsedConfig } from '../../connectors/sdk/config/config-spec.js';
import { positiveOrBrokerDefault } from './connector-config.js';
import { atLeast, between, eachItem, matches, nonEmptyList, nonEmptyString, validator } from '../../connectors/sdk/config/validators.js';
import { DISTRIBUTED_GROUP_DEFAULTS } from '../control/distributed/distributed-defaults.js';
import { keyGenerationProblem, macAlgorithmProblem } from '../control/distributed/request-signature.js';

export const DEFAULT_HEADER_CONVERTER = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';
const MAX_INT = 2 ** 31 - 1;

const KAFKA = 'Kafka cluster';
const CONVERTERS = 'Converters';
const TASKS = 'Tasks and offsets';
const REST = 'REST API';
const PLUGINS = 'Plugins';
const TOPICS = 'Topics';
const METRICS = 'Metrics';
const SECURITY = 'Security';
const GROUP = 'Group membership';
const INTERNAL = 'Internal topics';
const EOS = 'Exactly-once source';
const SIGNING = 'Internal request signing';
const CLIENT = 'Kafka client';
const STANDALONE = 'Standalone';

const listener = matches(/[Hh][Tt][Tt][Pp][Ss]?:\/\/(\[[^\]]*\]|[^:/[\]]*):\d+/, 'http://host:port or https://host:port');
const listeners = eachItem(listener);
/** inter.worker.* algorithms: the HMACs ferry signs and verifies with (request-signature.ts). */
const MAC_ALGORITHM = validator((name: string) => macAlgorithmProblem(name), 'an HMAC algorithm, e.g. HmacSHA256');

export const workerCommonSpec = defineConfig({
  'bootstrap.servers': list({
    doc: 'host:port pairs of Kafka brokers used to find the cluster. The worker\'s own clients and, unless overridden, '
      + 'the connectors\' clients use them.',
    default: ['localhost:9092'], validator: nonEmptyList(), importance: 'HIGH', group: KAFKA,
  }),
  'client.dns.lookup': choice({
    doc: 'How client hostnames are resolved: try every address a name resolves to, or resolve bootstrap names to '
      + 'canonical names first.',
    values: ['use_all_dns_ips', 'resolve_canonical_bootstrap_servers_only'], default: 'use_all_dns_ips', importance: 'MEDIUM', group: KAFKA,
  }),
  'key.converter': classField({
    doc: 'Default converter between record keys and Kafka bytes for connectors that do not set their own. Its '
      + 'settings go under the key.converter. prefix.',
    importance: 'HIGH', group: CONVERTERS,
  }),
  'value.converter': classField({
    doc: 'Default converter between record values and Kafka bytes for connectors that do not set their own. Its '
      + 'settings go under the value.converter. prefix.',
    importance: 'HIGH', group: CONVERTERS,
  }),
  'header.converter': classField({
    doc: 'Default converter between header values and Kafka bytes for connectors that do not set their own. Its '
      + 'settings go under the header.converter. prefix.',
    default: DEFAULT_HEADER_CONVERTER, importance: 'LOW', group: CONVERTERS,
  }),
  'task.shutdown.graceful.timeout.ms': long({
    doc: 'How long to wait for tasks to stop cleanly, in total across all tasks of the worker, before giving up on them.',
    default: 5000, importance: 'LOW', group: TASKS,
  }),
  'offset.flush.interval.ms': long({
    doc: 'How often tasks commit offsets: source offsets to the offsets topic, sink offsets to the consumer group.',
    default: 60000, importance: 'LOW', group: TASKS,
  }),
  'offset.flush.timeout.ms': long({
    doc: 'How long an offset commit may wait for outstanding records to be acknowledged before it is abandoned and '
      + 'retried at the next interval.',
    default: 5000, importance: 'LOW', group: TASKS,
  }),
  'listeners': list({
    doc: 'Addresses the REST API listens on, as http://host:port or https://host:port. An empty host binds the '
      + 'default interface.',
    default: ['http://:8083'], validator: [nonEmptyList(), listeners], importance: 'LOW', group: REST,
  }),
  'rest.advertised.host.name': string({
    doc: 'Host name other workers use to reach this worker\'s REST API. Unset: the host of the first listener.',
    default: null, importance: 'LOW', group: REST,
  }),
  'rest.advertised.port': int({
    doc: 'Port other workers use to reach this worker\'s REST API. Unset: the port of the first listener.',
    default: null, validator: between(0, 65535), importance: 'LOW', group: REST,
  }),
  'rest.advertised.listener': choice({
    doc: 'Protocol other workers use to reach this worker\'s REST API. Unset: the protocol of the first listener.',
    values: ['http', 'https'], caseInsensitive: true, default: null, importance: 'LOW', group: REST,
  }),
  'admin.listeners': list({
    doc: 'Addresses for the /admin endpoints. Unset serves them on the regular listeners; an empty list turns them off.',
    default: null, validator: listeners, importance: 'LOW', group: REST,
  }),
  'access.control.allow.origin': string({
    doc: 'Value of Access-Control-Allow-Origin for REST responses, enabling CORS; "*" allows every origin. Empty '
      + 'disables CORS.',
    default: '', importance: 'LOW', group: REST,
  }),
  'access.control.allow.methods': string({
    doc: 'Comma-separated methods allowed for cross-origin requests (Access-Control-Allow-Methods). Empty means '
      + 'GET, POST and HEAD.',
    default: '', importance: 'LOW', group: REST,
  }),
  'response.http.headers.config': string({
    doc: 'Rules adding headers to REST responses, comma-separated, each "[action] [header]: [value]" with the actions '
      + 'set, add, setDate and addDate.',
    default: '', importance: 'LOW', group: REST,
  }),
  'rest.extension.classes': list({
    doc: 'REST extensions to load, in order, e.g. for authentication.',
    default: [], importance: 'LOW', group: REST,
  }),
  'ssl.client.auth': choice({
    doc: 'Whether HTTPS listeners ask for ("requested") or insist on ("required") client certificates.',
    values: ['none', 'requested', 'required'], caseInsensitive: true, default: 'none', importance: 'LOW', group: REST,
  }),
  'console.enabled': boolean({
    doc: 'ferry-specific: serve the web console at /ui on the REST listeners. Its pages load without credentials; '
      + 'every REST call they make still needs them.',
    default: true, importance: 'LOW', group: REST,
  }),
  'plugin.path': list({
    doc: 'Directories searched for plugins, comma-separated. Each is an npm package folder (package.json, its own '
      + 'node_modules) whose main module exports a plugin package, or holds such folders one level down. Packages that '
      + 'cannot be loaded are refused with a warning naming the folder and the reason; `ferry plugins list` shows both. '
      + 'Config provider placeholders are not allowed here.',
    default: null, importance: 'LOW', group: PLUGINS,
  }),
  'plugin.discovery': choice({
    doc: 'How plugins are found: only_scan, hybrid_warn, hybrid_fail or service_load.',
    values: ['only_scan', 'hybrid_warn', 'hybrid_fail', 'service_load'], caseInsensitive: true, default: 'hybrid_warn',
    importance: 'LOW', group: PLUGINS,
  }),
  'config.providers': list({
    doc: 'Names of config providers. Each is set up with config.providers.<name>.class and '
      + 'config.providers.<name>.param.<key>, and resolves ${<name>:[path:]key} placeholders.',
    default: [], importance: 'LOW', group: PLUGINS,
  }),
  'connector.client.config.override.policy': string({
    doc: 'Which producer.override., consumer.override. and admin.override. settings connectors may use: All, None, '
      + 'Principal, or a policy class.',
    default: 'All', validator: nonEmptyString(), importance: 'MEDIUM', group: PLUGINS,
  }),
  'topic.creation.enable': boolean({
    doc: 'Let source connectors create the topics they write to, following their topic.creation. settings.',
    default: true, importance: 'LOW', group: TOPICS,
  }),
  'topic.tracking.enable': boolean({
    doc: 'Track the topics each connector uses and serve them at /connectors/{name}/topics.',
    default: true, importance: 'LOW', group: TOPICS,
  }),
  'topic.tracking.allow.reset': boolean({
    doc: 'Allow resetting the tracked topics through /connectors/{name}/topics/reset.',
    default: true, importance: 'LOW', group: TOPICS,
  }),
  'metrics.sample.window.ms': long({ doc: 'Window over which metric samples are computed.', default: 30000, validator: atLeast(0), importance: 'LOW', group: METRICS }),
  'metrics.num.samples': int({ doc: 'Number of samples kept to compute metrics.', default: 2, validator: atLeast(1), importance: 'LOW', group: METRICS }),
  'metrics.recording.level': choice({ doc: 'Highest recording level of metrics.', values: ['INFO', 'DEBUG', 'TRACE'], default: 'INFO', importance: 'LOW', group: METRICS }),
  'metric.reporters': list({ doc: 'Metric reporter classes to load.', default: [], importance: 'LOW', group: METRICS }),
  'security.protocol': choice({
    doc: 'Protocol the worker\'s Kafka clients use to reach brokers.',
    values: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'], caseInsensitive: true, default: 'PLAINTEXT', importance: 'MEDIUM', group: SECURITY,
  }),
  'sasl.mechanism': string({ doc: 'SASL mechanism for broker connections, e.g. PLAIN or SCRAM-SHA-512.', default: 'GSSAPI', importance: 'MEDIUM', group: SECURITY }),
  'sasl.jaas.config': password({ doc: 'JAAS login settings for SASL, in the JAAS file format.', default: null, importance: 'MEDIUM', group: SECURITY }),
  'ssl.truststore.type': string({ doc: 'Format of the trust store file.', default: 'JKS', importance: 'MEDIUM', group: SECURITY }),
  'ssl.truststore.location': string({ doc: 'Trust store file for verifying brokers.', default: null, importance: 'HIGH', group: SECURITY }),
  'ssl.truststore.password': password({ doc: 'Password of the trust store file.', default: null, importance: 'HIGH', group: SECURITY }),
  'ssl.keystore.type': string({ doc: 'Format of the key store file.', default: 'JKS', importance: 'MEDIUM', group: SECURITY }),
  'ssl.keystore.location': string({ doc: 'Key store file holding the client certificate.', default: null, importance: 'HIGH', group: SECURITY }),
  'ssl.keystore.password': password({ doc: 'Password of the key store file.', default: null, importance: 'HIGH', group: SECURITY }),
  'ssl.key.password': password({ doc: 'Password of the private key in the key store.', default: null, importance: 'HIGH', group: SECURITY }),
  'ssl.endpoint.identification.algorithm': string({
    doc: 'Server host name verification: "https" checks the broker certificate against its host name; empty disables it.',
    default: 'https', importance: 'LOW', group: SECURITY,
  }),
});

export const distributedWorkerSpec = workerCommonSpec.extend({
  'group.id': string({
    doc: 'Names the Connect cluster: workers with the same group.id share connectors and tasks.',
    validator: nonEmptyString(), importance: 'HIGH', group: GROUP,
  }),
  'session.timeout.ms': int({
    doc: 'How long a worker may go without heartbeats before the group drops it and rebalances its work. '
      + 'ferry defaults to 3000 for fast failover (Kafka Connect: 10000); see docs/distributed-mode.md.',
    default: DISTRIBUTED_GROUP_DEFAULTS['session.timeout.ms'], importance: 'HIGH', group: GROUP,
  }),
  'heartbeat.interval.ms': int({
    doc: 'How often the worker sends heartbeats to the group coordinator; keep it well below session.timeout.ms. '
      + 'ferry defaults to 1000 (Kafka Connect: 3000).',
    default: DISTRIBUTED_GROUP_DEFAULTS['heartbeat.interval.ms'], importance: 'HIGH', group: GROUP,
  }),
  'rebalance.timeout.ms': int({
    doc: 'How long each worker may take to rejoin during a rebalance (stopping its work, committing offsets).',
    default: 60000, importance: 'HIGH', group: GROUP,
  }),
  'worker.sync.timeout.ms': int({
    doc: 'How long a worker waits to catch up with the config topic after falling behind before it gives up its work.',
    default: 3000, importance: 'MEDIUM', group: GROUP,
  }),
  'worker.unsync.backoff.ms': int({
    doc: 'How long a worker that could not catch up with the config topic waits before rejoining the group.',
    default: 300000, importance: 'MEDIUM', group: GROUP,
  }),
  'connect.protocol': choice({
    doc: 'Rebalance protocol: "eager" stops all work on every rebalance, "compatible" rebalances incrementally, '
      + '"sessioned" also signs requests between workers.',
    values: ['eager', 'compatible', 'sessioned'], caseInsensitive: true, default: 'sessioned', importance: 'LOW', group: GROUP,
  }),
  'scheduled.rebalance.max.delay.ms': int({
    doc: 'How long the leader keeps a departed worker\'s connectors and tasks unassigned, waiting for it to return, '
      + 'before moving them elsewhere. ferry defaults to 0 (move at once) for fast failover (Kafka Connect: 300000).',
    default: DISTRIBUTED_GROUP_DEFAULTS['scheduled.rebalance.max.delay.ms'], validator: between(0, MAX_INT), importance: 'LOW', group: GROUP,
  }),
  'config.storage.topic': string({
    doc: 'Compacted single-partition topic holding connector configs, task configs and target states.',
    validator: nonEmptyString(), importance: 'HIGH', group: INTERNAL,
  }),
  'config.storage.replication.factor': short({
    doc: 'Replication factor of the config topic when the worker creates it; -1 uses the broker default.',
    default: 3, validator: positiveOrBrokerDefault, importance: 'LOW', group: INTERNAL,
  }),
  'offset.storage.topic': string({
    doc: 'Compacted topic holding source connector offsets.',
    validator: nonEmptyString(), importance: 'HIGH', group: INTERNAL,
  }),
  'offset.storage.partitions': int({
    doc: 'Partition count of the offsets topic when the worker creates it; -1 uses the broker default.',
    default: 25, validator: positiveOrBrokerDefault, importance: 'LOW', group: INTERNAL,
  }),
  'offset.storage.replication.factor': short({
    doc: 'Replication factor of the offsets topic when the worker creates it; -1 uses the broker default.',
    default: 3, validator: positiveOrBrokerDefault, importance: 'LOW', group: INTERNAL,
  }),
  'status.storage.topic': string({
    doc: 'Compacted topic holding connector and task statuses.',
    validator: nonEmptyString(), importance: 'HIGH', group: INTERNAL,
  }),
  'status.storage.partitions': int({
    doc: 'Partition count of the status topic when the worker creates it; -1 uses the broker default.',
    default: 5, validator: positiveOrBrokerDefault, importance: 'LOW', group: INTERNAL,
  }),
  'status.storage.replication.factor': short({
    doc: 'Replication factor of the status topic when the worker creates it; -1 uses the broker default.',
    default: 3, validator: positiveOrBrokerDefault, importance: 'LOW', group: INTERNAL,
  }),
  'exactly.once.source.support': choice({
    doc: 'Exactly-once delivery for source connectors: "disabled", "preparing" (roll the cluster once with this '
      + 'before "enabled") or "enabled".',
    values: ['disabled', 'preparing', 'enabled'], caseInsensitive: true, default: 'disabled', importance: 'HIGH', group: EOS,
  }),
  'inter.worker.key.generation.algorithm': string({
    doc: 'Algorithm the leader uses to generate the key that signs requests between workers.',
    default: 'HmacSHA256', validator: MAC_ALGORITHM, importance: 'LOW', group: SIGNING,
  }),
  'inter.worker.key.size': int({
    doc: 'Size in bits of the request-signing key (at least 40). Unset uses the algorithm\'s default.',
    default: null, validator: atLeast(1), importance: 'LOW', group: SIGNING,
  }),
  'inter.worker.key.ttl.ms': int({
    doc: 'How long a request-signing key is used before the leader rotates it.',
    default: 3600000, validator: between(0, MAX_INT), importance: 'LOW', group: SIGNING,
  }),
  'inter.worker.signature.algorithm': string({
    doc: 'Algorithm this worker signs requests to other workers with.',
    default: 'HmacSHA256', validator: MAC_ALGORITHM, importance: 'LOW', group: SIGNING,
  }),
  'inter.worker.verification.algorithms': list({
    doc: 'Algorithms accepted when verifying signed requests from other workers; must include '
      + 'inter.worker.signature.algorithm.',
    default: ['HmacSHA256'], validator: [nonEmptyList(), eachItem(MAC_ALGORITHM)], importance: 'LOW', group: SIGNING,
  }),
  'client.id': string({ doc: 'Client id the worker\'s own Kafka clients send to brokers.', default: '', importance: 'LOW', group: CLIENT }),
  'metadata.max.age.ms': long({ doc: 'How often client metadata is refreshed even without errors.', default: 300000, validator: atLeast(0), importance: 'LOW', group: CLIENT }),
  'request.timeout.ms': int({ doc: 'How long a client waits for a broker response before retrying or failing.', default: 40000, validator: atLeast(0), importance: 'MEDIUM', group: CLIENT }),
  'connections.max.idle.ms': long({ doc: 'Idle connections are closed after this long.', default: 540000, importance: 'MEDIUM', group: CLIENT }),
  'send.buffer.bytes': int({ doc: 'TCP send buffer size; -1 uses the OS default.', default: 131072, validator: atLeast(-1), importance: 'MEDIUM', group: CLIENT }),
  'receive.buffer.bytes': int({ doc: 'TCP receive buffer size; -1 uses the OS default.', default: 32768, validator: atLeast(-1), importance: 'MEDIUM', group: CLIENT }),
  'reconnect.backoff.ms': long({ doc: 'Initial wait before reconnecting to a broker.', default: 50, validator: atLeast(0), importance: 'LOW', group: CLIENT }),
  'reconnect.backoff.max.ms': long({ doc: 'Longest wait before reconnecting to a broker.', default: 1000, validator: atLeast(0), importance: 'LOW', group: CLIENT }),
  'retry.backoff.ms': long({ doc: 'Initial wait before retrying a failed request.', default: 100, validator: atLeast(0), importance: 'LOW', group: CLIENT }),
  'retry.backoff.max.ms': long({ doc: 'Longest wait before retrying a failed request.', default: 1000, validator: atLeast(0), importance: 'LOW', group: CLIENT }),
  'socket.connection.setup.timeout.ms': long({ doc: 'Initial time allowed to establish a broker connection.', default: 10000, validator: atLeast(0), importance: 'MEDIUM', group: CLIENT }),
  'socket.connection.setup.timeout.max.ms': long({ doc: 'Longest time allowed to establish a broker connection.', default: 30000, validator: atLeast(0), importance: 'MEDIUM', group: CLIENT }),
  'metadata.recovery.strategy': choice({
    doc: 'What clients do when no known broker is reachable: "none" keeps trying them, "rebootstrap" starts again '
      + 'from bootstrap.servers.',
    values: ['none', 'rebootstrap'], caseInsensitive: true, default: 'none', importance: 'LOW', group: CLIENT,
  }),
}, {
  validateCrossField(v) {
    const problems: { name: string; message: string }[] = [];
    const keyAlgorithm = v.interWorkerKeyGenerationAlgorithm;
    const keyProblem = keyAlgorithm === undefined || macAlgorithmProblem(keyAlgorithm) ? undefined
      : keyGenerationProblem(keyAlgorithm, v.interWorkerKeySize ?? null);
    if (keyProblem) problems.push({ name: 'inter.worker.key.size', message: keyProblem });
    const signature = v.interWorkerSignatureAlgorithm;
    const accepted = v.interWorkerVerificationAlgorithms;
    if (signature === undefined || accepted === undefined || accepted.includes(signature)) return problems;
    return [...problems, {
      name: 'inter.worker.verification.algorithms',
      message: `Signature algorithm '${signature}' must be one of inter.worker.verification.algorithms (${accepted.join(', ')})`,
    }];
  },
});

export const standaloneWorkerSpec = workerCommonSpec.extend({
  'offset.storage.file.filename': string({
    doc: 'File in which a standalone worker keeps source connector offsets.',
    validator: nonEmptyString(), importance: 'HIGH', group: STANDALONE,
  }),
});

export type WorkerCommonConfig = ParsedConfig<typeof workerCommonSpec>;
export type DistributedWorkerConfig = ParsedConfig<typeof distributedWorkerSpec>;
export type StandaloneWorkerConfig = ParsedConfig<typeof standaloneWorkerSpec>;
