/**
 * Java Kafka client properties (as users write them in worker and connector configs) turned
 * into the settings ferry's clients use. What maps, per client:
 *
 * every client   bootstrap.servers, client.id, security.protocol (PLAINTEXT, SSL,
 *                SASL_PLAINTEXT, SASL_SSL), sasl.mechanism (PLAIN, SCRAM-SHA-256,
 *                SCRAM-SHA-512), sasl.jaas.config (username/password options of
 *                PlainLoginModule / ScramLoginModule), ssl.truststore.type PEM with
 *                ssl.truststore.location or ssl.truststore.certificates, ssl.keystore.type
 *                PEM (ssl.keystore.location, or ssl.keystore.key + ssl.keystore.certificate.chain,
 *                ssl.key.password) or PKCS12 (ssl.keystore.location + ssl.keystore.password),
 *                ssl.endpoint.identification.algorithm ("" disables host name checks),
 *                ssl.enabled.protocols (TLSv1.2/TLSv1.3 bounds), request.timeout.ms,
 *                socket.connection.setup.timeout.ms, retry.backoff.ms, retry.backoff.max.ms,
 *                default.api.timeout.ms, metadata.max.age.ms
 * producer       acks, compression.type, linger.ms, max.request.size, enable.idempotence,
 *                max.in.flight.requests.per.connection, retries, delivery.timeout.ms,
 *                transaction.timeout.ms (transactional producers)
 * consumer       group.id, auto.offset.reset (earliest, latest; none is read as earliest),
 *                max.poll.records, session.timeout.ms, heartbeat.interval.ms,
 *                max.poll.interval.ms (rebalance timeout), fetch.min.bytes, fetch.max.bytes,
 *                max.partition.fetch.bytes, fetch.max.wait.ms, isolation.level, client.rack,
 *                allow.auto.create.topics, exclude.internal.topics
 *
 * Not supported, and rejected rather than silently ignored because the connection would not
 * be what the user asked for: GSSAPI, OAUTHBEARER and other SASL mechanisms, JKS stores and
 * PKCS12 truststores. Every other property is ignored with a debug log.
 */
import fs from 'node:fs';
import type tls from 'node:tls';
import type { Logger } from 'pino';
import type { SaslCredentials, SaslMechanism } from './wire/broker-connection.js';
import type { RetryPolicy } from './wire/retry.js';

/** batch.size when unset: see wire/wire-record-producer.ts. */
export const DEFAULT_BATCH_SIZE_BYTES = 1_048_576;

export class KafkaClientConfigError extends Error {
  override readonly name = 'KafkaClientConfigError';
}

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface CommonSettings {
  readonly bootstrap: readonly string[];
  readonly clientId: string;
  readonly tls?: tls.ConnectionOptions;
  readonly sasl?: SaslCredentials;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly metadataMaxAgeMs: number;
}

export interface ProducerSettings extends CommonSettings {
  /** -1 = all */
  readonly acks: -1 | 0 | 1;
  readonly compression: Compression;
  readonly lingerMs: number;
  /** Upper bound of the record bytes put in one produce request. */
  readonly maxRequestBytes: number;
  readonly idempotent: boolean;
  readonly maxInFlight: number;
  readonly retries: number;
  readonly deliveryTimeoutMs: number;
  /** transaction.timeout.ms: how long the coordinator lets a transaction stay open (transactional producers). */
  readonly transactionTimeoutMs: number;
}

export interface ConsumerSettings extends CommonSettings {
  readonly groupId: string | undefined;
  /** none: a sink consumer fails on a partition without a committed offset (Java's NoOffsetForPartitionException). */
  readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
  readonly maxPollRecords: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly fetchMinBytes: number;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly readCommitted: boolean;
  readonly rack: string | undefined;
  readonly allowAutoCreateTopics: boolean;
  /** Internal topics (__consumer_offsets, ...) never match a pattern subscription. */
  readonly excludeInternalTopics: boolean;
}

type Props = Readonly<Record<string, string>>;

/** Reads properties, remembering which ones it used so the rest can be reported. */
class PropertyReader {
  readonly #used = new Set<string>();

  constructor(readonly props: Props) {}

  string(name: string): string | undefined {
    this.#used.add(name);
    const v = this.props[name];
    return v === undefined ? undefined : v.trim();
  }

  int(name: string, fallback: number): number {
    const text = this.string(name);
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isInteger(n)) throw new KafkaClientConfigError(`${name} must be an integer, got "${text}"`);
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const text = this.string(name)?.toLowerCase();
    if (text === undefined || text === '') return fallback;
    if (text !== 'true' && text !== 'false') throw new KafkaClientConfigError(`${name} must be true or false, got "${text}"`);
    return text === 'true';
  }

  reportUnused(logger: Logger, client: string): void {
    for (const name of Object.keys(this.props)) {
      if (!this.#used.has(name)) logger.debug({ property: name, client }, 'kafka client property ignored (not supported by ferry\'s clients)');
    }
  }
}

export function parseBootstrap(servers: string | readonly string[]): string[] {
  const list = typeof servers === 'string' ? servers.split(',') : [...servers];
  const entries = list.map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) throw new KafkaClientConfigError('bootstrap.servers is empty');
  return entries;
}

function readCommon(r: PropertyReader, base: { bootstrap: string | readonly string[]; clientId: string }): CommonSettings {
  const bootstrap = parseBootstrap(r.string('bootstrap.servers') || base.bootstrap);
  const clientId = r.string('client.id') || base.clientId;
  const protocol = (r.string('security.protocol') || 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new KafkaClientConfigError(`security.protocol ${protocol} is not supported (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)`);
  }
  const useTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const useSasl = protocol.startsWith('SASL_');
  const sslProps = useTls ? readTls(r) : undefined;
  const saslProps = useSasl ? readSasl(r) : undefined;
  const backoffMs = r.int('retry.backoff.ms', 100);
  return {
    bootstrap,
    clientId,
    ...(sslProps ? { tls: sslProps } : {}),
    ...(saslProps ? { sasl: saslProps } : {}),
    requestTimeoutMs: r.int('request.timeout.ms', 30_000),
    connectTimeoutMs: r.int('socket.connection.setup.timeout.ms', 10_000),
    retry: {
      backoffMs,
      maxBackoffMs: Math.max(backoffMs, r.int('retry.backoff.max.ms', 1000)),
      timeoutMs: r.int('default.api.timeout.ms', 60_000),
    },
    metadataMaxAgeMs: r.int('metadata.max.age.ms', 300_000),
  };
}

function readSasl(r: PropertyReader): SaslCredentials {
  const mechanism = (r.string('sasl.mechanism') || 'GSSAPI').toUpperCase();
  const jaas = r.string('sasl.jaas.config');
  if (!['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'].includes(mechanism)) {
    throw new KafkaClientConfigError(`sasl.mechanism ${mechanism} is not supported (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)`);
  }
  if (!jaas) throw new KafkaClientConfigError(`sasl.jaas.config is required for sasl.mechanism ${mechanism}`);
  const options = parseJaasConfig(jaas);
  const username = options.get('username');
  const password = options.get('password');
  if (username === undefined || password === undefined) {
    throw new KafkaClientConfigError('sasl.jaas.config must set username="..." and password="..."');
  }
  return { mechanism: mechanism as SaslMechanism, username, password };
}

/**
 * The options of a JAAS login module line, e.g.
 * `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";`
 */
export function parseJaasConfig(text: string): Map<string, string> {
  const match = /^\s*[\w.$]+\s+(required|requisite|sufficient|optional)\b([\s\S]*)$/i.exec(text);
  if (!match) throw new KafkaClientConfigError('sasl.jaas.config must look like "<LoginModule> required key="value" ...;"');
  const options = new Map<string, string>();
  const body = match[2]!;
  const option = /\s*([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))/y;
  let at = 0;
  for (;;) {
    option.lastIndex = at;
    const m = option.exec(body);
    if (!m) break;
    options.set(m[1]!, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
    at = option.lastIndex;
  }
  if (!/^\s*;?\s*$/.test(body.slice(at))) throw new KafkaClientConfigError(`sasl.jaas.config has unreadable text: "${body.slice(at).trim()}"`);
  return options;
}

function readTls(r: PropertyReader): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {};
  const trustType = (r.string('ssl.truststore.type') || 'JKS').toUpperCase();
  const trustLocation = r.string('ssl.truststore.location');
  const trustInline = r.string('ssl.truststore.certificates');
  r.string('ssl.truststore.password');
  if (trustInline) options.ca = trustInline;
  else if (trustLocation) {
    if (trustType !== 'PEM') throw new KafkaClientConfigError(`ssl.truststore.type ${trustType} is not supported; use a PEM truststore`);
    options.ca = readFile('ssl.truststore.location', trustLocation);
  }

  const keyType = (r.string('ssl.keystore.type') || 'JKS').toUpperCase();
  const keyLocation = r.string('ssl.keystore.location');
  const keyInline = r.string('ssl.keystore.key');
  const chainInline = r.string('ssl.keystore.certificate.chain');
  const keystorePassword = r.string('ssl.keystore.password');
  const keyPassword = r.string('ssl.key.password');
  if (keyInline || chainInline) {
    if (!keyInline || !chainInline) throw new KafkaClientConfigError('ssl.keystore.key and ssl.keystore.certificate.chain must be set together');
    options.key = keyInline;
    options.cert = chainInline;
    if (keyPassword) options.passphrase = keyPassword;
  } else if (keyLocation) {
    if (keyType === 'PEM') {
      const pem = readFile('ssl.keystore.location', keyLocation);
      options.key = pem;
      options.cert = pem;
      if (keyPassword) options.passphrase = keyPassword;
    } else if (keyType === 'PKCS12') {
      options.pfx = fs.readFileSync(keyLocation);
      if (keystorePassword) options.passphrase = keystorePassword;
    } else {
      throw new KafkaClientConfigError(`ssl.keystore.type ${keyType} is not supported; use PEM or PKCS12`);
    }
  }

  const identification = r.string('ssl.endpoint.identification.algorithm');
  if (identification === '') options.checkServerIdentity = () => undefined;

  const protocols = r.string('ssl.enabled.protocols');
  if (protocols) {
    const versions = protocols.split(',').map((p) => p.trim()).filter((p): p is 'TLSv1.2' | 'TLSv1.3' => p === 'TLSv1.2' || p === 'TLSv1.3');
    if (versions.length === 0) throw new KafkaClientConfigError(`ssl.enabled.protocols ${protocols} names no supported protocol (TLSv1.2, TLSv1.3)`);
    options.minVersion = versions.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3';
    options.maxVersion = versions.includes('TLSv1.3') ? 'TLSv1.3' : 'TLSv1.2';
  }
  return options;
}

function readFile(property: string, location: string): string {
  try {
    return fs.readFileSync(location, 'utf8');
  } catch (err) {
    throw new KafkaClientConfigError(`${property} ${location} cannot be read: ${(err as Error).message}`);
  }
}

export interface SettingsBase {
  readonly bootstrap: string | readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

export function parseCommonSettings(props: Props, base: SettingsBase, client = 'admin'): CommonSettings {
  const r = new PropertyReader(props);
  const settings = readCommon(r, base);
  r.reportUnused(base.logger, client);
  return settings;
}

export function parseProducerSettings(props: Props, base: SettingsBase): ProducerSettings {
  const r = new PropertyReader(props);
  const common = readCommon(r, base);
  const acksText = (r.string('acks') || 'all').toLowerCase();
  const acks = acksText === 'all' || acksText === '-1' ? -1 : acksText === '0' ? 0 : acksText === '1' ? 1 : undefined;
  if (acks === undefined) throw new KafkaClientConfigError(`acks must be all, -1, 0 or 1, got "${acksText}"`);
  const compression = (r.string('compression.type') || 'none').toLowerCase();
  if (!['none', 'gzip', 'snappy', 'lz4', 'zstd'].includes(compression)) {
    throw new KafkaClientConfigError(`compression.type ${compression} is not supported (none, gzip, snappy, lz4, zstd)`);
  }
  const idempotent = r.bool('enable.idempotence', false);
  if (idempotent && acks !== -1) throw new KafkaClientConfigError('enable.idempotence=true requires acks=all');
  const settings: ProducerSettings = {
    ...common,
    acks,
    compression: compression as Compression,
    lingerMs: Math.max(0, r.int('linger.ms', 5)),
    maxRequestBytes: Math.max(1024, r.int('max.request.size', 1_048_576)),
    idempotent,
    maxInFlight: Math.max(1, r.int('max.in.flight.requests.per.connection', 5)),
    retries: Math.max(0, r.int('retries', 2_147_483_647)),
    deliveryTimeoutMs: Math.max(1, r.int('delivery.timeout.ms', 120_000)),
    transactionTimeoutMs: r.int('transaction.timeout.ms', 60_000),
  };
  r.reportUnused(base.logger, 'producer');
  return settings;
}

export function parseConsumerSettings(props: Props, base: SettingsBase): ConsumerSettings {
  const r = new PropertyReader(props);
  const common = readCommon(r, base);
  const reset = (r.string('auto.offset.reset') || 'latest').toLowerCase();
  if (!['earliest', 'latest', 'none'].includes(reset)) throw new KafkaClientConfigError(`auto.offset.reset must be earliest, latest or none, got "${reset}"`);
  const isolation = (r.string('isolation.level') || 'read_uncommitted').toLowerCase();
  if (isolation !== 'read_uncommitted' && isolation !== 'read_committed') {
    throw new KafkaClientConfigError(`isolation.level must be read_uncommitted or read_committed, got "${isolation}"`);
  }
  const sessionTimeoutMs = r.int('session.timeout.ms', 45_000);
  const settings: ConsumerSettings = {
    ...common,
    groupId: r.string('group.id') || undefined,
    autoOffsetReset: reset as 'earliest' | 'latest' | 'none',
    maxPollRecords: Math.max(1, r.int('max.poll.records', 500)),
    sessionTimeoutMs,
    heartbeatIntervalMs: Math.max(1, r.int('heartbeat.interval.ms', 3000)),
    rebalanceTimeoutMs: r.int('max.poll.interval.ms', 300_000),
    fetchMinBytes: r.int('fetch.min.bytes', 1),
    fetchMaxBytes: r.int('fetch.max.bytes', 52_428_800),
    maxPartitionFetchBytes: r.int('max.partition.fetch.bytes', 1_048_576),
    fetchMaxWaitMs: r.int('fetch.max.wait.ms', 500),
    readCommitted: isolation === 'read_committed',
    rack: r.string('client.rack') || undefined,
    allowAutoCreateTopics: r.bool('allow.auto.create.topics', true),
    excludeInternalTopics: r.bool('exclude.internal.topics', true),
  };
  r.reportUnused(base.logger, 'consumer');
  return settings;
}

/** batch.size: record bytes per partition batch of the wire producer (ferry's default 1 MiB instead of Java's 16 KiB). */
export function parseBatchSize(text: string | undefined): number {
  const trimmed = text?.trim();
  if (trimmed === undefined || trimmed === '') return DEFAULT_BATCH_SIZE_BYTES;
  const n = Number(trimmed);
  if (!Number.isInteger(n) || n < 0) throw new KafkaClientConfigError(`batch.size must be a non-negative integer, got "${trimmed}"`);
  return Math.max(1, n);
}
