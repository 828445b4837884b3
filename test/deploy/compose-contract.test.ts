/**
 * docker-compose.yml against the deployment's shared contract (the table of services in the
 * deployment plan): names, images, published ports, one-shots and the ferry workers'
 * environment. The end-to-end pipeline test runs real `ferry worker` processes with exactly
 * this environment, so it is pinned here value by value.
 */
import { describe, expect, it } from 'vitest';
import {
  argvOf, dependenciesOf, environmentOf, healthcheckCommand, loadCompose, mountsOf, portsOf, type ComposeService,
} from './compose-model.js';

const compose = loadCompose();
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
};
const published = (name: string) => portsOf(service(name)).map((p) => `${p.hostIp}:${p.published}:${p.target}`);
const dependencies = (name: string) => Object.fromEntries(dependenciesOf(service(name)).map((d) => [d.service, d.condition]));

const WORKER_ENV = {
  CONNECT_CONFIG_STORAGE_TOPIC: 'connect-configs',
  CONNECT_OFFSET_STORAGE_TOPIC: 'connect-offsets',
  CONNECT_STATUS_STORAGE_TOPIC: 'connect-status',
  CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: '1',
  CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: '1',
  CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: '1',
  CONNECT_KEY_CONVERTER: 'org.apache.kafka.connect.json.JsonConverter',
  CONNECT_VALUE_CONVERTER: 'org.apache.kafka.connect.json.JsonConverter',
  CONNECT_KEY_CONVERTER_SCHEMAS_ENABLE: 'true',
  CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE: 'true',
  CONNECT_LISTENERS: 'http://0.0.0.0:8083',
  CONNECT_CONFIG_PROVIDERS: 'env',
  CONNECT_CONFIG_PROVIDERS_ENV_CLASS: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
  CONNECT_OFFSET_FLUSH_INTERVAL_MS: '10000',
};

describe('services of the contract', () => {
  it('has exactly the contract\'s services, under project name ferry', () => {
    expect(compose.name).toBe('ferry');
    expect(Object.keys(compose.services).sort()).toEqual([
      'connectors-a', 'connectors-b', 'elasticsearch', 'ferry-a1', 'ferry-a2', 'ferry-a3', 'ferry-b',
      'kafka-a', 'kafka-b', 'minio', 'minio-init', 'mysql',
    ]);
  });

  it('pins the contract\'s images and builds ferry from the repository', () => {
    const images = Object.fromEntries(Object.entries(compose.services).map(([name, s]) => [name, s.image ?? `build:${String(s.build)}`]));
    expect(images).toEqual({
      'kafka-a': 'apache/kafka:4.1.0',
      'kafka-b': 'apache/kafka:4.1.0',
      mysql: 'mysql:8.4.6',
      minio: 'minio/minio:RELEASE.2025-09-07T16-13-09Z',
      'minio-init': 'minio/mc:RELEASE.2025-08-13T08-35-41Z',
      elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.4',
      'ferry-a1': 'build:.', 'ferry-a2': 'build:.', 'ferry-a3': 'build:.', 'ferry-b': 'build:.',
      'connectors-a': 'build:.', 'connectors-b': 'build:.',
    });
  });

  it('publishes the contract\'s ports on 127.0.0.1 only', () => {
    const ports = Object.fromEntries(Object.keys(compose.services).map((name) => [name, published(name)]));
    expect(ports).toEqual({
      'kafka-a': ['127.0.0.1:9092:9092'],
      'kafka-b': ['127.0.0.1:9192:9092'],
      mysql: ['127.0.0.1:3306:3306'],
      minio: ['127.0.0.1:9000:9000', '127.0.0.1:9001:9001'],
      'minio-init': [],
      elasticsearch: ['127.0.0.1:9200:9200'],
      'ferry-a1': ['127.0.0.1:8083:8083'],
      'ferry-a2': ['127.0.0.1:8084:8083'],
      'ferry-a3': ['127.0.0.1:8085:8083'],
      'ferry-b': ['127.0.0.1:8183:8083'],
      'connectors-a': [],
      'connectors-b': [],
    });
  });
});

describe('Kafka', () => {
  it.each([
    ['kafka-a', 'PLAINTEXT://kafka-a:19092,PLAINTEXT_HOST://localhost:9092'],
    ['kafka-b', 'PLAINTEXT://kafka-b:19092,PLAINTEXT_HOST://localhost:9192'],
  ])('%s is a single KRaft node with the contract\'s listeners, RFs of 1 and its log on a volume', (name, advertised) => {
    const env = environmentOf(service(name));
    expect(env).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:19092,CONTROLLER://:9093,PLAINTEXT_HOST://:9092',
      KAFKA_ADVERTISED_LISTENERS: advertised,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_LOG_DIRS: '/var/lib/kafka/data',
    });
    for (const [key, value] of Object.entries(env)) {
      if (/REPLICATION_FACTOR|MIN_ISR|MIN_INSYNC/.test(key)) expect(value, key).toBe('1');
    }
    expect(mountsOf(service(name)).find((m) => m.target === '/var/lib/kafka/data')?.type).toBe('volume');
    expect(healthcheckCommand(service(name).healthcheck)?.argv).toEqual([
      '/opt/kafka/bin/kafka-broker-api-versions.sh', '--bootstrap-server', 'localhost:19092',
    ]);
  });
});

describe('systems of region A', () => {
  it('mysql runs with the CDC flags, the init folder, and a TCP healthcheck as the CDC user', () => {
    expect(argvOf(service('mysql').command)).toEqual([
      '--server-id=1', '--log-bin=mysql-bin', '--binlog-format=ROW', '--binlog-row-image=FULL', '--binlog-row-metadata=FULL',
      '--gtid-mode=ON', '--enforce-gtid-consistency=ON', '--binlog-expire-logs-seconds=86400',
    ]);
    expect(service('mysql').volumes).toContain('./deploy/mysql/init:/docker-entrypoint-initdb.d:ro');
    expect(healthcheckCommand(service('mysql').healthcheck)?.argv).toEqual([
      'mysql', '-h127.0.0.1', '-uferry_cdc', '-pferry-cdc-secret', '-e', 'SELECT 1 FROM inventory.customers LIMIT 1',
    ]);
  });

  it('minio serves S3 and its console with the contract\'s credentials; minio-init makes the bucket once', () => {
    expect(argvOf(service('minio').command)).toEqual(['server', '/data', '--console-address', ':9001']);
    expect(environmentOf(service('minio'))).toMatchObject({ MINIO_ROOT_USER: 'ferry', MINIO_ROOT_PASSWORD: 'ferry-minio-secret' });
    expect(healthcheckCommand(service('minio').healthcheck)?.argv).toEqual(['mc', 'ready', 'local']);
    expect([...argvOf(service('minio-init').entrypoint), ...argvOf(service('minio-init').command)]).toEqual(['mc', 'mb', '--ignore-existing', 'local/ferry-backup']);
    expect(service('minio-init').restart).toBe('no');
    expect(dependencies('minio-init')).toEqual({ minio: 'service_healthy' });
  });

  it('elasticsearch is one node without security, 512m heap, healthy at yellow', () => {
    expect(environmentOf(service('elasticsearch'))).toMatchObject({
      'discovery.type': 'single-node', 'xpack.security.enabled': 'false', ES_JAVA_OPTS: '-Xms512m -Xmx512m',
    });
    expect(healthcheckCommand(service('elasticsearch').healthcheck)?.argv.join(' ')).toMatch(/^curl .*localhost:9200\/_cluster\/health\?wait_for_status=yellow/);
  });
});

describe('ferry', () => {
  it.each(['ferry-a1', 'ferry-a2', 'ferry-a3'])('%s is a region A worker with the contract\'s environment', (name) => {
    expect(environmentOf(service(name))).toEqual({
      ...WORKER_ENV,
      CONNECT_BOOTSTRAP_SERVERS: 'kafka-a:19092',
      CONNECT_GROUP_ID: 'ferry-region-a',
      CONNECT_REST_ADVERTISED_HOST_NAME: name,
      FERRY_MYSQL_PASSWORD: 'ferry-cdc-secret',
      FERRY_S3_ACCESS_KEY: 'ferry',
      FERRY_S3_SECRET_KEY: 'ferry-minio-secret',
    });
    expect(argvOf(service(name).command)).toEqual([]);
    expect(dependencies(name)).toEqual({ 'kafka-a': 'service_healthy' });
  });

  it('ferry-b is region B\'s worker, with the S3 keys for the restore', () => {
    expect(environmentOf(service('ferry-b'))).toEqual({
      ...WORKER_ENV,
      CONNECT_BOOTSTRAP_SERVERS: 'kafka-b:19092',
      CONNECT_GROUP_ID: 'ferry-region-b',
      CONNECT_REST_ADVERTISED_HOST_NAME: 'ferry-b',
      FERRY_S3_ACCESS_KEY: 'ferry',
      FERRY_S3_SECRET_KEY: 'ferry-minio-secret',
    });
    expect(dependencies('ferry-b')).toEqual({ 'kafka-b': 'service_healthy' });
  });

  it('connectors-a applies region A\'s folder once the workers, MySQL, Elasticsearch and the bucket are ready', () => {
    expect(argvOf(service('connectors-a').command)).toEqual(['connectors', 'apply', '-f', '/etc/ferry/connectors/region-a', '--url', 'http://ferry-a1:8083']);
    expect(service('connectors-a').volumes).toEqual(['./deploy/connectors/region-a:/etc/ferry/connectors/region-a:ro']);
    expect(dependencies('connectors-a')).toEqual({
      'ferry-a1': 'service_healthy', 'ferry-a2': 'service_healthy', 'ferry-a3': 'service_healthy',
      mysql: 'service_healthy', elasticsearch: 'service_healthy', 'minio-init': 'service_completed_successfully',
    });
    expect(service('connectors-a').restart).toBe('no');
  });

  it('connectors-b applies region B\'s folder once ferry-b and region A\'s Kafka are ready, and carries the restore file', () => {
    expect(argvOf(service('connectors-b').command)).toEqual(['connectors', 'apply', '-f', '/etc/ferry/connectors/region-b', '--url', 'http://ferry-b:8083']);
    expect(service('connectors-b').volumes).toEqual([
      './deploy/connectors/region-b:/etc/ferry/connectors/region-b:ro',
      './deploy/connectors/restore:/etc/ferry/connectors/restore:ro',
    ]);
    expect(dependencies('connectors-b')).toEqual({ 'ferry-b': 'service_healthy', 'kafka-a': 'service_healthy' });
    expect(service('connectors-b').restart).toBe('no');
  });
});
