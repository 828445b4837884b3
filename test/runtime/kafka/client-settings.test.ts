import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KafkaClientConfigError, parseCommonSettings, parseConsumerSettings, parseJaasConfig, parseProducerSettings,
} from '../../../runtime/kafka/client-settings.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { quietLogger } from './kafka-test-kit.js';

const base = { bootstrap: 'localhost:9092', clientId: 'worker', logger: quietLogger };

describe('Kafka client properties', () => {
  it('reads a SASL_SSL SCRAM setup with a PEM truststore', () => {
    const dir = tempDir();
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const settings = parseCommonSettings({
      'bootstrap.servers': 'b1:9096, b2:9096',
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="connect" password="s3cr\\"et";',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': ca,
      'ssl.endpoint.identification.algorithm': '',
      'request.timeout.ms': '15000',
    }, base);
    expect(settings.bootstrap).toEqual(['b1:9096', 'b2:9096']);
    expect(settings.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'connect', password: 's3cr"et' });
    expect(settings.tls?.ca).toContain('BEGIN CERTIFICATE');
    expect(settings.tls?.checkServerIdentity?.('host', {} as never)).toBeUndefined();
    expect(settings.requestTimeoutMs).toBe(15000);
  });

  it('connects in plain text by default, using the options\' bootstrap servers and client id', () => {
    const settings = parseCommonSettings({}, base);
    expect(settings).toMatchObject({ bootstrap: ['localhost:9092'], clientId: 'worker' });
    expect(settings.tls).toBeUndefined();
    expect(settings.sasl).toBeUndefined();
  });

  it('parses JAAS options, quoted or not', () => {
    const options = parseJaasConfig('org.apache.kafka.common.security.plain.PlainLoginModule required\n  username=alice password="p w;d" serviceName=kafka;');
    expect([...options]).toEqual([['username', 'alice'], ['password', 'p w;d'], ['serviceName', 'kafka']]);
    expect(() => parseJaasConfig('username="x"')).toThrow(KafkaClientConfigError);
  });

  it('refuses security settings it cannot honour instead of connecting without them', () => {
    expect(() => parseCommonSettings({ 'security.protocol': 'SASL_SSL' }, base)).toThrow(/GSSAPI is not supported/);
    expect(() => parseCommonSettings({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' }, base)).toThrow(/sasl.jaas.config is required/);
    expect(() => parseCommonSettings({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/x.jks' }, base)).toThrow(/JKS is not supported/);
    expect(() => parseCommonSettings({ 'security.protocol': 'KERBEROS' }, base)).toThrow(KafkaClientConfigError);
  });

  it('maps producer properties: acks, compression, linger, request size and idempotence', () => {
    const settings = parseProducerSettings({
      acks: '1', 'compression.type': 'lz4', 'linger.ms': '20', 'max.request.size': '2097152', 'key.serializer': 'ignored',
    }, base);
    expect(settings).toMatchObject({ acks: 1, compression: 'lz4', lingerMs: 20, maxRequestBytes: 2097152, idempotent: false });
    expect(parseProducerSettings({ acks: 'all', 'enable.idempotence': 'true' }, base)).toMatchObject({ acks: -1, idempotent: true });
    expect(() => parseProducerSettings({ acks: '0', 'enable.idempotence': 'true' }, base)).toThrow(/requires acks=all/);
    expect(() => parseProducerSettings({ 'compression.type': 'brotli' }, base)).toThrow(/compression.type/);
  });

  it('reads consumer properties', () => {
    const settings = parseConsumerSettings({
      'auto.offset.reset': 'earliest', 'max.poll.records': '50', 'session.timeout.ms': '10000', 'heartbeat.interval.ms': '1000',
      'max.poll.interval.ms': '60000', 'fetch.max.wait.ms': '250', 'isolation.level': 'read_committed', 'client.rack': 'use1-az1',
    }, base);
    expect(settings).toMatchObject({
      autoOffsetReset: 'earliest', maxPollRecords: 50, sessionTimeoutMs: 10000, heartbeatIntervalMs: 1000, rebalanceTimeoutMs: 60000,
      fetchMaxWaitMs: 250, readCommitted: true, rack: 'use1-az1',
    });
    expect(parseConsumerSettings({}, base).autoOffsetReset).toBe('latest');
    expect(parseConsumerSettings({ 'auto.offset.reset': 'None' }, base).autoOffsetReset).toBe('none');
    expect(() => parseConsumerSettings({ 'auto.offset.reset': 'smallest' }, base)).toThrow(/earliest, latest or none/);
    expect(() => parseConsumerSettings({ 'max.poll.records': 'many' }, base)).toThrow(/must be an integer/);
  });
});
