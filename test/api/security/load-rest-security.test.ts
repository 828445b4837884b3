import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRestSecurity } from '../../../api/security/load-rest-security.js';
import { KAFKA_BASIC_AUTH_EXTENSION } from '../../../runtime/config/rest-security-config.js';
import type { RawConfig } from '../../../connectors/sdk/config/config-value.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { makeTestCertificates } from './test-certificates.js';

const dir = tempDir('ferry-rest-security-');
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const users = file('users.properties', 'alice: wonder-land\n');
const load = (properties: RawConfig, extensionClasses: string[] = [], https = false) => loadRestSecurity(properties, { https, extensionClasses });

describe('loadRestSecurity', () => {
  it('leaves the API open and plain when nothing is configured', async () => {
    const security = await load({ 'ssl.keystore.location': '/kafka/client.jks' });
    expect(security.api).toEqual({});
    expect(security.interWorker.authorization()).toBeUndefined();
    expect(security.interWorker.tls).toBeUndefined();
  });

  it('turns basic auth on from a credentials file', async () => {
    const { api } = await load({ 'rest.auth.basic.credentials.file': users });
    expect(api.auth?.basic?.verify('alice', 'wonder-land')).toBe('alice');
    expect(api.auth?.bearer).toBeUndefined();
    expect(api.auth?.anonymousHealth).toBe(false);
  });

  it('accepts Kafka\'s BasicAuthSecurityRestExtension with users from a credentials file or a JAAS file', async () => {
    const direct = await load({ 'rest.auth.basic.credentials.file': users }, [KAFKA_BASIC_AUTH_EXTENSION]);
    expect(direct.api.auth?.basic?.verify('alice', 'wonder-land')).toBe('alice');
    const jaas = file('connect.jaas', `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${users}";\n};\n`);
    const viaJaas = await load({ 'rest.auth.basic.jaas.file': jaas }, [KAFKA_BASIC_AUTH_EXTENSION]);
    expect(viaJaas.api.auth?.basic?.verify('alice', 'wonder-land')).toBe('alice');
  });

  it('refuses to start Kafka\'s basic-auth extension without users, and Java extensions it cannot run', async () => {
    await expect(load({}, [KAFKA_BASIC_AUTH_EXTENSION])).rejects.toThrow(/needs its users: set rest.auth.basic.credentials.file/);
    await expect(load({ 'rest.auth.basic.credentials.file': users }, [KAFKA_BASIC_AUTH_EXTENSION, 'com.example.AuditExtension']))
      .rejects.toThrow(/com.example.AuditExtension; ferry cannot load Java REST extensions/);
  });

  it('names the setting whose file is missing', async () => {
    await expect(load({ 'rest.auth.bearer.tokens.file': path.join(dir, 'nope') })).rejects.toThrow(/The tokens file .*nope cannot be read: ENOENT/);
  });

  it('reads bearer tokens, the realm and the anonymous health setting', async () => {
    const tokens = file('tokens', 'ci: abc\n');
    const { api } = await load({ 'rest.auth.bearer.tokens.file': tokens, 'rest.auth.realm': 'prod', 'rest.auth.health.anonymous': 'true' });
    expect(api.auth?.bearer?.verify('abc')).toBe('ci');
    expect(api.auth).toMatchObject({ realm: 'prod', anonymousHealth: true });
  });

  it('gives the worker its own credentials for calls to other workers', async () => {
    const basic = await load({ 'rest.auth.inter.worker.user': 'worker', 'rest.auth.inter.worker.password': 'pw' });
    expect(basic.interWorker.authorization()).toBe(`Basic ${Buffer.from('worker:pw').toString('base64')}`);
    const bearer = await load({ 'rest.auth.inter.worker.token': 'tok' });
    expect(bearer.interWorker.authorization()).toBe('Bearer tok');
    expect(bearer.interWorker.authorization('Basic Zm9vOmJhcg==')).toBe('Basic Zm9vOmJhcg==');
  });

  it('reports every invalid setting at once', async () => {
    const err = await load({
      'rest.auth.inter.worker.user': 'worker', 'rest.auth.inter.worker.token': 'tok', 'rest.auth.health.anonymous': 'maybe',
    }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('rest.auth.inter.worker.user and rest.auth.inter.worker.password must be set together');
    expect((err as Error).message).toContain('Set rest.auth.inter.worker.token or rest.auth.inter.worker.user, not both');
    expect((err as Error).message).toContain('Invalid value maybe for configuration rest.auth.health.anonymous');
  });

  describe('https', () => {
    const certs = makeTestCertificates();

    it('needs a key and certificate for an https:// listener', async () => {
      await expect(load({}, [], true)).rejects.toThrow(/https:\/\/ listener needs a private key and certificate: set ssl.key.location/);
      await expect(load({ 'listeners.https.ssl.key.location': certs.files.serverKey }, [], true))
        .rejects.toThrow('listeners.https.ssl.key.location and listeners.https.ssl.certificate.location must be set together');
    });

    it('uses the listeners.https.* settings all or nothing, as Kafka does', async () => {
      const security = await load({
        'ssl.key.location': certs.files.serverKey, 'ssl.certificate.location': certs.files.serverCert, 'ssl.client.auth': 'required',
        'ssl.ca.location': certs.files.caCert, 'listeners.https.ssl.keystore.type': 'PEM',
      }, [], true).catch((e: unknown) => e as Error);
      expect((security as Error).message).toMatch(/set listeners.https.ssl.key.location/);
    });

    it('rejects JKS stores and client authentication without CAs, naming the settings', async () => {
      await expect(load({ 'ssl.keystore.location': '/kafka/server.jks' }, [], true))
        .rejects.toThrow('ssl.keystore.type JKS is not supported for the REST listener; use PEM or PKCS12');
      const pem = { 'ssl.key.location': certs.files.serverKey, 'ssl.certificate.location': certs.files.serverCert };
      await expect(load({ ...pem, 'ssl.truststore.location': '/kafka/trust.jks' }, [], true))
        .rejects.toThrow('ssl.truststore.type JKS is not supported for the REST listener');
      await expect(load({ ...pem, 'ssl.client.auth': 'required' }, [], true))
        .rejects.toThrow('ssl.client.auth=required needs the CAs client certificates must chain to');
      await expect(load({ 'listeners.https.ssl.client.auth': 'sometimes' }, [], true))
        .rejects.toThrow('Invalid value sometimes for configuration listeners.https.ssl.client.auth');
    });

    it('refuses key material that does not load, without printing it', async () => {
      const broken = file('broken.key', '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n');
      const err = await load({ 'ssl.key.location': broken, 'ssl.certificate.location': certs.files.serverCert }, [], true).catch((e: unknown) => e as Error);
      expect((err as Error).message).toMatch(/^The REST listener's key, certificate or CAs \(ssl\.\*\) cannot be used/);
      expect((err as Error).message).not.toContain('bm90IGEga2V5');
    });

    it('trusts the configured CAs and skips host name checks only when told to', async () => {
      const pem = { 'ssl.key.location': certs.files.serverKey, 'ssl.certificate.location': certs.files.serverCert, 'ssl.ca.location': certs.files.caCert };
      const checked = await load(pem, [], true);
      expect(checked.interWorker.tls).toMatchObject({ ca: certs.caCert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
      expect(checked.interWorker.tls?.checkServerIdentity).toBeUndefined();
      const unchecked = await load({ ...pem, 'ssl.endpoint.identification.algorithm': '', 'ssl.enabled.protocols': 'TLSv1.3' }, [], true);
      expect(unchecked.interWorker.tls?.checkServerIdentity).toBeTypeOf('function');
      expect(unchecked.api.tls).toMatchObject({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    });
  });
});
