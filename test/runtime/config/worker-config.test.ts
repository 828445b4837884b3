import { describe, expect, it } from 'vitest';
import { distributedWorkerSpec, standaloneWorkerSpec } from '../../../runtime/config/worker-config.js';
import { parseProperties } from '../../../runtime/config/properties-file.js';
import { extractPrefixed } from '../../../runtime/config/config-prefix.js';

const minimal = {
  'group.id': 'connect-cluster',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
};

describe('distributed worker config', () => {
  it('fills Kafka\'s defaults', () => {
    const w = distributedWorkerSpec.parse(minimal);
    expect(w).toMatchObject({
      bootstrapServers: ['localhost:9092'],
      headerConverter: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
      offsetFlushIntervalMs: 60000, offsetFlushTimeoutMs: 5000, taskShutdownGracefulTimeoutMs: 5000,
      listeners: ['http://:8083'], restAdvertisedHostName: null, restAdvertisedPort: null, restAdvertisedListener: null,
      pluginPath: null, configProviders: [], connectorClientConfigOverridePolicy: 'All',
      configStorageReplicationFactor: 3, offsetStoragePartitions: 25, offsetStorageReplicationFactor: 3,
      statusStoragePartitions: 5, statusStorageReplicationFactor: 3,
      sessionTimeoutMs: 3000, heartbeatIntervalMs: 1000, rebalanceTimeoutMs: 60000,
      workerSyncTimeoutMs: 3000, workerUnsyncBackoffMs: 300000, scheduledRebalanceMaxDelayMs: 0,
      connectProtocol: 'sessioned', exactlyOnceSourceSupport: 'disabled', interWorkerKeyTtlMs: 3600000,
      interWorkerSignatureAlgorithm: 'HmacSHA256', interWorkerVerificationAlgorithms: ['HmacSHA256'],
      topicCreationEnable: true, pluginDiscovery: 'hybrid_warn', requestTimeoutMs: 40000, metadataMaxAgeMs: 300000,
    });
  });

  it('requires the group id, converters and internal topic names, all reported together', () => {
    expect(distributedWorkerSpec.validate({}).issues.map((i) => i.name)).toEqual([
      'key.converter', 'value.converter', 'group.id', 'config.storage.topic', 'offset.storage.topic', 'status.storage.topic',
    ]);
  });

  it('reads a connect-distributed.properties file, keeping client pass-through keys aside', () => {
    const raw = parseProperties([
      '# A worker', 'bootstrap.servers=broker1:9092,broker2:9092', ...Object.entries(minimal).map(([k, v]) => `${k}=${v}`),
      'key.converter.schemas.enable=false', 'producer.compression.type=lz4', 'listeners=http://0.0.0.0:8083, https://:8443',
      'exactly.once.source.support=ENABLED', 'plugin.path=/opt/a,/opt/b',
    ].join('\n'));
    const w = distributedWorkerSpec.parse(raw);
    expect(w.bootstrapServers).toEqual(['broker1:9092', 'broker2:9092']);
    expect(w.listeners).toEqual(['http://0.0.0.0:8083', 'https://:8443']);
    expect(w.exactlyOnceSourceSupport).toBe('enabled');
    expect(w.pluginPath).toEqual(['/opt/a', '/opt/b']);
    expect(distributedWorkerSpec.unknownKeys(raw)).toEqual(['key.converter.schemas.enable', 'producer.compression.type']);
    expect(extractPrefixed(raw, 'key.converter.')).toEqual({ 'schemas.enable': 'false' });
  });

  it('rejects listeners that are not http or https URLs and bad replication factors', () => {
    const issues = distributedWorkerSpec.validate({ ...minimal, listeners: 'http://:8083,ftp://:21', 'offset.storage.replication.factor': '0' }).issues;
    expect(issues.map((i) => i.name)).toEqual(['listeners', 'offset.storage.replication.factor']);
    expect(distributedWorkerSpec.parse({ ...minimal, 'status.storage.replication.factor': '-1' }).statusStorageReplicationFactor).toBe(-1);
  });

  it('requires the signature algorithm to be among the verification algorithms', () => {
    const issues = distributedWorkerSpec.validate({ ...minimal, 'inter.worker.signature.algorithm': 'HmacSHA512' }).issues;
    expect(issues.map((i) => i.name)).toEqual(['inter.worker.verification.algorithms']);
  });

  it('hides SASL secrets in the parsed config', () => {
    const w = distributedWorkerSpec.parse({ ...minimal, 'sasl.jaas.config': 'user="u" password="p";' });
    expect(JSON.stringify(w)).not.toContain('password="p"');
    expect(w.saslJaasConfig?.reveal()).toBe('user="u" password="p";');
  });
});

describe('standalone worker config', () => {
  it('requires an offsets file but no group or internal topics', () => {
    const raw = { 'key.converter': 'StringConverter', 'value.converter': 'StringConverter', 'offset.storage.file.filename': '/tmp/offsets' };
    expect(standaloneWorkerSpec.parse(raw).offsetStorageFileFilename).toBe('/tmp/offsets');
    expect(standaloneWorkerSpec.validate({ ...raw, 'offset.storage.file.filename': undefined }).issues.map((i) => i.name))
      .toEqual(['offset.storage.file.filename']);
  });
});
