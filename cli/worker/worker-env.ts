/**
 * Worker properties from environment variables, read the way Kafka Connect's container images
 * read them, so the environment of a compose file written for confluentinc/cp-kafka-connect or
 * debezium/connect configures ferry unchanged.
 *
 * CONNECT_* variables (Confluent's rule): the prefix is dropped and the rest lower-cased; then
 *   1. every `_` with a character other than `_` on both sides becomes `.`,
 *   2. then every `___` becomes `-` (left to right),
 *   3. then every `__` becomes `_`.
 * CONNECT_BOOTSTRAP_SERVERS → bootstrap.servers, CONNECT_FOO__BAR → foo_bar, CONNECT_FOO___BAR → foo-bar.
 * A run of four or more underscores has no single meaning (`foo____bar` may be `foo__bar` or
 * `foo-_bar`). ferry reads it exactly as Confluent's images do, so one environment means the same
 * in both (4 and 5 underscores → `-_`, 6 → `--`), and warns, since no Kafka property needs it and
 * the result is rarely what was meant.
 *
 * Not properties:
 * - CONNECT_LOG4J_*: Java logging settings. CONNECT_LOG4J_ROOT_LOGLEVEL becomes the log level;
 *   the others are ignored.
 * - CONNECT_CUB_*: the cp images' wait-for-Kafka step before start; ferry's worker waits for
 *   the brokers itself.
 *
 * Debezium's short names (BOOTSTRAP_SERVERS, GROUP_ID, ...) are read only when asked for (the
 * worker runs from the environment alone) and only for properties no CONNECT_* variable sets.
 */
import { isClientPasswordKey, passwordKeysOf } from '../../runtime/config/config-providers/redaction.js';
import { distributedWorkerSpec } from '../../runtime/config/worker-config.js';

export const ENV_PREFIX = 'CONNECT_';

/** debezium/connect's variables without prefix, and the property each sets. */
export const DEBEZIUM_SHORT_NAMES: Readonly<Record<string, string>> = {
  BOOTSTRAP_SERVERS: 'bootstrap.servers',
  GROUP_ID: 'group.id',
  CONFIG_STORAGE_TOPIC: 'config.storage.topic',
  OFFSET_STORAGE_TOPIC: 'offset.storage.topic',
  STATUS_STORAGE_TOPIC: 'status.storage.topic',
  REST_HOST_NAME: 'rest.host.name',
  REST_PORT: 'rest.port',
  ADVERTISED_HOST_NAME: 'rest.advertised.host.name',
  ADVERTISED_PORT: 'rest.advertised.port',
  KEY_CONVERTER: 'key.converter',
  VALUE_CONVERTER: 'value.converter',
  OFFSET_FLUSH_INTERVAL_MS: 'offset.flush.interval.ms',
  OFFSET_FLUSH_TIMEOUT_MS: 'offset.flush.timeout.ms',
  SHUTDOWN_TIMEOUT: 'task.shutdown.graceful.timeout.ms',
};

/** log4j's level names (CONNECT_LOG4J_ROOT_LOGLEVEL) and the pino level each means. */
const LOG4J_LEVELS: Readonly<Record<string, string>> = {
  ALL: 'trace', TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error', FATAL: 'fatal', OFF: 'silent',
};

const ROOT_LOG_LEVEL = `${ENV_PREFIX}LOG4J_ROOT_LOGLEVEL`;
const NOT_PROPERTIES = [`${ENV_PREFIX}LOG4J_`, `${ENV_PREFIX}CUB_`];

export interface EnvWorkerSettings {
  /** Worker properties taken from the environment. */
  readonly properties: Readonly<Record<string, string>>;
  /** For each of `properties`, the variable it came from. */
  readonly origins: Readonly<Record<string, string>>;
  /** The pino level CONNECT_LOG4J_ROOT_LOGLEVEL asks for, if set to a level log4j knows. */
  readonly logLevel: string | undefined;
  /** CONNECT_* variables read as no property (CONNECT_LOG4J_*, CONNECT_CUB_*). */
  readonly ignored: readonly string[];
  /** What deserves a warning: ambiguous names, an unknown log level, two variables for one property. */
  readonly warnings: readonly string[];
}

/** The property a CONNECT_* variable sets, from the part after the prefix. */
export function propertyOfEnvName(suffix: string): string {
  return suffix.toLowerCase()
    .replace(/(?<=[^_])_(?=[^_])/g, '.')
    .replace(/___/g, '-')
    .replace(/__/g, '_');
}

/** The CONNECT_* variable that sets `property` (the rule above backwards). */
export function envNameOfProperty(property: string): string {
  return ENV_PREFIX + property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase();
}

/**
 * Worker properties from `env`. `shortNames` also reads Debezium's short names (for the worker
 * running from the environment alone).
 */
export function workerSettingsFromEnv(env: Readonly<Record<string, string | undefined>>, options: { shortNames: boolean }): EnvWorkerSettings {
  const found = new Map<string, { value: string; origin: string }>();
  const ignored: string[] = [];
  const warnings: string[] = [];
  let logLevel: string | undefined;
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || !name.startsWith(ENV_PREFIX) || name.length === ENV_PREFIX.length) continue;
    if (NOT_PROPERTIES.some((prefix) => name.startsWith(prefix))) {
      ignored.push(name);
      if (name !== ROOT_LOG_LEVEL) continue;
      logLevel = LOG4J_LEVELS[value.trim().toUpperCase()];
      if (logLevel === undefined) warnings.push(`${name}=${value} is not a log4j level (${Object.keys(LOG4J_LEVELS).join(', ')}); ignored`);
      continue;
    }
    const property = propertyOfEnvName(name.slice(ENV_PREFIX.length));
    if (/_{4}/.test(name.slice(ENV_PREFIX.length))) {
      warnings.push(`${name} has four or more underscores in a row, which is ambiguous; read as '${property}' as Confluent's images do`);
    }
    const earlier = found.get(property);
    if (earlier) warnings.push(`${earlier.origin} and ${name} both set ${property}; ${name} is used`);
    found.set(property, { value, origin: name });
  }
  if (options.shortNames) {
    for (const [name, property] of Object.entries(DEBEZIUM_SHORT_NAMES)) {
      const value = env[name];
      if (value !== undefined && !found.has(property)) found.set(property, { value, origin: name });
    }
  }
  const entries = [...found];
  return {
    properties: Object.fromEntries(entries.map(([property, { value }]) => [property, value])),
    origins: Object.fromEntries(entries.map(([property, { origin }]) => [property, origin])),
    logLevel,
    ignored,
    warnings,
  };
}

/** The order Confluent's images check their required variables in. */
const REPORT_ORDER = ['bootstrap.servers', 'group.id', 'config.storage.topic', 'offset.storage.topic', 'status.storage.topic', 'key.converter', 'value.converter'];

/**
 * The properties a worker cannot start without, in the order to report them: the spec's required
 * keys, and `bootstrap.servers` too when `envOnly` (its default, localhost:9092, is never right
 * in a container).
 */
export function requiredWorkerProperties(options: { envOnly: boolean }): string[] {
  const required = Object.entries(distributedWorkerSpec.fields).filter(([, field]) => field.required).map(([name]) => name);
  if (options.envOnly) required.push('bootstrap.servers');
  const rank = (name: string) => (REPORT_ORDER.includes(name) ? REPORT_ORDER.indexOf(name) : REPORT_ORDER.length);
  return required.sort((a, b) => rank(a) - rank(b));
}

/** The required properties that `properties` lacks or leaves blank. */
export function missingWorkerProperties(properties: Readonly<Record<string, string>>, options: { envOnly: boolean }): string[] {
  return requiredWorkerProperties(options).filter((name) => (properties[name] ?? '').trim() === '');
}

const WORKER_PASSWORD_KEYS = passwordKeysOf(distributedWorkerSpec);

/** Whether a worker property's value must stay out of logs: declared a password, a client password setting, or named like a secret. */
export function isSecretProperty(property: string): boolean {
  return WORKER_PASSWORD_KEYS.has(property) || isClientPasswordKey(property) || /password|secret|token|credential|jaas/i.test(property);
}
