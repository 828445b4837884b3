import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_URL, workerUrlFromEnv } from '../../../cli/worker/health-url.js';
import {
  envNameOfProperty, isSecretProperty, missingWorkerProperties, propertyOfEnvName, workerSettingsFromEnv,
} from '../../../cli/worker/worker-env.js';

describe('CONNECT_* variable names', () => {
  it.each([
    ['BOOTSTRAP_SERVERS', 'bootstrap.servers'],
    ['GROUP_ID', 'group.id'],
    ['CONFIG_STORAGE_REPLICATION_FACTOR', 'config.storage.replication.factor'],
    ['KEY_CONVERTER_SCHEMAS_ENABLE', 'key.converter.schemas.enable'],
    ['PRODUCER_COMPRESSION_TYPE', 'producer.compression.type'],
    ['CONFIG_PROVIDERS_ENV_CLASS', 'config.providers.env.class'],
    ['FOO__BAR', 'foo_bar'],
    ['FOO___BAR', 'foo-bar'],
    ['OFFSET_SYNCS__TOPIC___LOCATION', 'offset.syncs_topic-location'],
    ['Rest_Advertised_Host_Name', 'rest.advertised.host.name'],
  ])('%s is %s', (suffix, property) => {
    expect(propertyOfEnvName(suffix)).toBe(property);
  });

  it('reads four or more underscores as Confluent\'s images do', () => {
    expect(propertyOfEnvName('FOO____BAR')).toBe('foo-_bar');
    expect(propertyOfEnvName('FOO_____BAR')).toBe('foo-_bar');
    expect(propertyOfEnvName('FOO______BAR')).toBe('foo--bar');
  });

  it.each(['bootstrap.servers', 'config.providers.env.class', 'foo_bar', 'foo-bar', 'a.b_c-d'])('%s round-trips through its variable name', (property) => {
    const name = envNameOfProperty(property);
    expect(name.startsWith('CONNECT_')).toBe(true);
    expect(propertyOfEnvName(name.slice('CONNECT_'.length))).toBe(property);
  });
});

describe('worker properties from the environment', () => {
  it('takes every CONNECT_* variable and names where each property came from', () => {
    const settings = workerSettingsFromEnv({
      CONNECT_BOOTSTRAP_SERVERS: 'kafka-a:19092',
      CONNECT_CONFIG_PROVIDERS: 'env',
      CONNECT_CONFIG_PROVIDERS_ENV_CLASS: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      CONNECT_METRIC_REPORTERS: '',
      PATH: '/usr/bin',
      CONNECTOR_NAME: 'not ours',
      CONNECT_: 'no name',
    }, { shortNames: false });
    expect(settings.properties).toEqual({
      'bootstrap.servers': 'kafka-a:19092',
      'config.providers': 'env',
      'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      'metric.reporters': '',
    });
    expect(settings.origins['config.providers.env.class']).toBe('CONNECT_CONFIG_PROVIDERS_ENV_CLASS');
    expect(settings.warnings).toEqual([]);
  });

  it('makes no property of CONNECT_LOG4J_* and CONNECT_CUB_*; the root log4j level becomes the log level', () => {
    const settings = workerSettingsFromEnv({
      CONNECT_LOG4J_ROOT_LOGLEVEL: 'warn',
      CONNECT_LOG4J_LOGGERS: 'org.reflections=ERROR',
      CONNECT_CUB_KAFKA_TIMEOUT: '40',
      CONNECT_GROUP_ID: 'g',
    }, { shortNames: false });
    expect(settings.properties).toEqual({ 'group.id': 'g' });
    expect(settings.logLevel).toBe('warn');
    expect(settings.ignored).toEqual(['CONNECT_CUB_KAFKA_TIMEOUT', 'CONNECT_LOG4J_LOGGERS', 'CONNECT_LOG4J_ROOT_LOGLEVEL']);
  });

  it.each([['TRACE', 'trace'], ['DEBUG', 'debug'], ['INFO', 'info'], ['WARN', 'warn'], ['ERROR', 'error'], ['FATAL', 'fatal'], ['OFF', 'silent']])(
    'log4j level %s is pino level %s', (log4j, pino) => {
      expect(workerSettingsFromEnv({ CONNECT_LOG4J_ROOT_LOGLEVEL: log4j }, { shortNames: false }).logLevel).toBe(pino);
    },
  );

  it('warns about a log level log4j does not know and leaves the level alone', () => {
    const settings = workerSettingsFromEnv({ CONNECT_LOG4J_ROOT_LOGLEVEL: 'LOUD' }, { shortNames: false });
    expect(settings.logLevel).toBeUndefined();
    expect(settings.warnings).toEqual([expect.stringContaining('CONNECT_LOG4J_ROOT_LOGLEVEL=LOUD is not a log4j level')]);
  });

  it('warns about names with four or more underscores in a row', () => {
    const settings = workerSettingsFromEnv({ CONNECT_FOO____BAR: 'x' }, { shortNames: false });
    expect(settings.properties).toEqual({ 'foo-_bar': 'x' });
    expect(settings.warnings).toEqual([expect.stringContaining("CONNECT_FOO____BAR has four or more underscores in a row, which is ambiguous; read as 'foo-_bar'")]);
  });

  it('warns when two variables set one property and uses the later name', () => {
    const settings = workerSettingsFromEnv({ CONNECT_group_id: 'lower', CONNECT_GROUP_ID: 'upper' }, { shortNames: false });
    expect(settings.properties).toEqual({ 'group.id': 'lower' });
    expect(settings.warnings).toEqual(['CONNECT_GROUP_ID and CONNECT_group_id both set group.id; CONNECT_group_id is used']);
  });

  it('reads Debezium\'s short names only when asked, and only where no CONNECT_* variable sets the property', () => {
    const env = {
      BOOTSTRAP_SERVERS: 'kafka:9092', GROUP_ID: 'short', CONNECT_GROUP_ID: 'long', CONFIG_STORAGE_TOPIC: 'c',
      OFFSET_STORAGE_TOPIC: 'o', STATUS_STORAGE_TOPIC: 's', REST_HOST_NAME: '0.0.0.0', REST_PORT: '8084',
      ADVERTISED_HOST_NAME: 'connect-1', ADVERTISED_PORT: '18084', KEY_CONVERTER: 'K', VALUE_CONVERTER: 'V',
      OFFSET_FLUSH_INTERVAL_MS: '1000', OFFSET_FLUSH_TIMEOUT_MS: '2000', SHUTDOWN_TIMEOUT: '3000',
    };
    expect(workerSettingsFromEnv(env, { shortNames: false }).properties).toEqual({ 'group.id': 'long' });
    const settings = workerSettingsFromEnv(env, { shortNames: true });
    expect(settings.properties).toEqual({
      'bootstrap.servers': 'kafka:9092', 'group.id': 'long', 'config.storage.topic': 'c', 'offset.storage.topic': 'o',
      'status.storage.topic': 's', 'rest.host.name': '0.0.0.0', 'rest.port': '8084', 'rest.advertised.host.name': 'connect-1',
      'rest.advertised.port': '18084', 'key.converter': 'K', 'value.converter': 'V', 'offset.flush.interval.ms': '1000',
      'offset.flush.timeout.ms': '2000', 'task.shutdown.graceful.timeout.ms': '3000',
    });
    expect(settings.origins['group.id']).toBe('CONNECT_GROUP_ID');
    expect(settings.origins['rest.advertised.host.name']).toBe('ADVERTISED_HOST_NAME');
  });
});

describe('required worker properties', () => {
  it('from the environment alone: bootstrap servers, group, topics and converters, blank counting as missing', () => {
    expect(missingWorkerProperties({ 'bootstrap.servers': 'k:9092', 'group.id': ' ', 'key.converter': 'K' }, { envOnly: true })).toEqual([
      'group.id', 'config.storage.topic', 'offset.storage.topic', 'status.storage.topic', 'value.converter',
    ]);
  });

  it('with a file, bootstrap.servers keeps Kafka\'s default', () => {
    expect(missingWorkerProperties({}, { envOnly: false })).not.toContain('bootstrap.servers');
    expect(missingWorkerProperties({}, { envOnly: true })[0]).toBe('bootstrap.servers');
  });
});

it('keeps password-like values out of logs, other values in', () => {
  for (const key of ['sasl.jaas.config', 'ssl.truststore.password', 'producer.ssl.key.password', 'config.providers.vault.param.token', 'rest.auth.secret']) {
    expect(isSecretProperty(key), key).toBe(true);
  }
  for (const key of ['group.id', 'key.converter', 'bootstrap.servers', 'ssl.keystore.location']) expect(isSecretProperty(key), key).toBe(false);
});

describe('the worker URL ferry health asks by default', () => {
  it.each([
    [{}, DEFAULT_HEALTH_URL],
    [{ CONNECT_LISTENERS: 'http://0.0.0.0:8083' }, 'http://127.0.0.1:8083'],
    [{ CONNECT_LISTENERS: 'http://:9000,https://:9443' }, 'http://127.0.0.1:9000'],
    [{ CONNECT_LISTENERS: 'http://[::]:9000' }, 'http://127.0.0.1:9000'],
    [{ CONNECT_LISTENERS: 'https://localhost:9443' }, 'https://localhost:9443'],
    [{ CONNECT_REST_PORT: '18083' }, 'http://127.0.0.1:18083'],
    [{ CONNECT_REST_HOST_NAME: '10.1.2.3', CONNECT_REST_PORT: '18083' }, 'http://10.1.2.3:18083'],
    [{ REST_PORT: '18084' }, 'http://127.0.0.1:18084'],
    [{ CONNECT_LISTENERS: 'http://0.0.0.0:8085', CONNECT_REST_PORT: '18083' }, 'http://127.0.0.1:8085'],
  ])('%j → %s', (env, url) => {
    expect(workerUrlFromEnv(env)).toBe(url);
  });

  it('names the variable when it gives no valid listener', () => {
    expect(() => workerUrlFromEnv({ CONNECT_REST_PORT: 'http' })).toThrow('Invalid value http for configuration rest.port: Value must be a port number (0 to 65535) (from CONNECT_REST_PORT)');
    expect(() => workerUrlFromEnv({ CONNECT_LISTENERS: 'tcp://x:1' })).toThrow("Invalid listener 'tcp://x:1': expected http://host:port or https://host:port (from CONNECT_LISTENERS)");
  });
});
