import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRestSecurity } from '../../../api/security/load-rest-security.js';
import { buildApiServer, startApiServer } from '../../../api/server.js';
import type { RawConfig } from '../../../connectors/sdk/config/config-value.js';
import { FakeControl } from '../fake-control.js';
import { httpsRequest } from './https-client.js';
import { makeTestCertificates, opensslIn, type TestCertificates } from './test-certificates.js';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates();
});

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** Starts the API over HTTPS from worker properties, as a worker does. */
async function serveHttps(properties: RawConfig): Promise<{ base: string }> {
  const security = await loadRestSecurity(properties, { https: true, extensionClasses: [] });
  const app = buildApiServer({ control: new FakeControl(), security: security.api });
  apps.push(app);
  const port = await startApiServer(app, { host: '127.0.0.1', port: 0 });
  return { base: `https://localhost:${port}` };
}

const serverFiles = () => ({
  'listeners.https.ssl.key.location': certs.files.serverKey,
  'listeners.https.ssl.certificate.location': certs.files.serverCert,
});

describe('HTTPS listener', () => {
  it('serves the REST API to a client that trusts the server certificate', async () => {
    const { base } = await serveHttps(serverFiles());
    const res = await httpsRequest(`${base}/connectors`, { ca: certs.caCert });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual([]);
  });

  it('is refused by a client that does not trust the certificate', async () => {
    const { base } = await serveHttps(serverFiles());
    await expect(httpsRequest(`${base}/`)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    await expect(httpsRequest(`${base}/`, { ca: certs.rogueCert })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('reads the unprefixed ssl.* settings when no listeners.https.* setting is present', async () => {
    const { base } = await serveHttps({ 'ssl.key.location': certs.files.serverKey, 'ssl.certificate.location': certs.files.serverCert });
    expect((await httpsRequest(`${base}/`, { ca: certs.caCert })).status).toBe(200);
  });

  it('takes a PEM key store holding key and certificate chain, and an encrypted key with its password', async () => {
    const pem = path.join(certs.dir, 'keystore.pem');
    fs.writeFileSync(pem, certs.serverKey + certs.serverCert);
    const first = await serveHttps({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': pem });
    expect((await httpsRequest(`${first.base}/`, { ca: certs.caCert })).status).toBe(200);

    const encrypted = path.join(certs.dir, 'server-encrypted.key');
    opensslIn(certs, ['pkey', '-in', certs.files.serverKey, '-aes256', '-passout', 'pass:key-secret', '-out', encrypted]);
    const second = await serveHttps({
      'ssl.key.location': encrypted, 'ssl.certificate.location': certs.files.serverCert, 'ssl.key.password': 'key-secret',
    });
    expect((await httpsRequest(`${second.base}/`, { ca: certs.caCert })).status).toBe(200);
  });

  it('takes a PKCS12 key store with its password', async () => {
    const p12 = path.join(certs.dir, 'server.p12');
    opensslIn(certs, ['pkcs12', '-export', '-in', certs.files.serverCert, '-inkey', certs.files.serverKey,
      '-out', p12, '-passout', 'pass:store-secret']);
    const { base } = await serveHttps({
      'listeners.https.ssl.keystore.type': 'PKCS12', 'listeners.https.ssl.keystore.location': p12,
      'listeners.https.ssl.keystore.password': 'store-secret',
    });
    expect((await httpsRequest(`${base}/`, { ca: certs.caCert })).status).toBe(200);
  });

  it('combines with basic authentication', async () => {
    const users = path.join(certs.dir, 'users.properties');
    fs.writeFileSync(users, 'admin: over-tls\n');
    const { base } = await serveHttps({ ...serverFiles(), 'rest.auth.basic.credentials.file': users });
    expect((await httpsRequest(`${base}/`, { ca: certs.caCert })).status).toBe(401);
    const authorization = `Basic ${Buffer.from('admin:over-tls').toString('base64')}`;
    expect((await httpsRequest(`${base}/`, { ca: certs.caCert, headers: { authorization } })).status).toBe(200);
  });
});

describe('client certificates', () => {
  const mutual = (clientAuth: string) => ({ ...serverFiles(), 'listeners.https.ssl.ca.location': certs.files.caCert, 'listeners.https.ssl.client.auth': clientAuth });
  const clientCert = () => ({ ca: certs.caCert, key: certs.clientKey, cert: certs.clientCert });
  const rogueCert = () => ({ ca: certs.caCert, key: certs.rogueKey, cert: certs.rogueCert });

  it('required: serves a client whose certificate the CA signed', async () => {
    const { base } = await serveHttps(mutual('required'));
    expect((await httpsRequest(`${base}/`, clientCert())).status).toBe(200);
  });

  it('required: rejects a client without a certificate, or with one the CA did not sign', async () => {
    const { base } = await serveHttps(mutual('required'));
    await expect(httpsRequest(`${base}/`, { ca: certs.caCert })).rejects.toMatchObject({ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
    await expect(httpsRequest(`${base}/`, rogueCert())).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|ERR_SSL_)/) });
  });

  it('requested: serves clients without a certificate, rejects an untrusted one', async () => {
    const { base } = await serveHttps(mutual('REQUESTED'));
    expect((await httpsRequest(`${base}/`, { ca: certs.caCert })).status).toBe(200);
    expect((await httpsRequest(`${base}/`, clientCert())).status).toBe(200);
    await expect(httpsRequest(`${base}/`, rogueCert())).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|ERR_SSL_)/) });
  });

  it('a worker reaches another worker\'s mutual-TLS listener with its own certificate and credentials', async () => {
    const tokens = path.join(certs.dir, 'tokens');
    fs.writeFileSync(tokens, 'workers: worker-secret-token\n');
    const target = await serveHttps({ ...mutual('required'), 'rest.auth.bearer.tokens.file': tokens });
    const caller = await loadRestSecurity({
      'listeners.https.ssl.key.location': certs.files.clientKey,
      'listeners.https.ssl.certificate.location': certs.files.clientCert,
      'listeners.https.ssl.ca.location': certs.files.caCert,
      'rest.auth.inter.worker.token': 'worker-secret-token',
    }, { https: true, extensionClasses: [] });
    const res = await httpsRequest(`${target.base}/connectors`, caller.interWorker.requestOptions({ method: 'GET' }));
    expect(res.status).toBe(200);
    const withoutCredentials = await loadRestSecurity({
      'listeners.https.ssl.key.location': certs.files.clientKey,
      'listeners.https.ssl.certificate.location': certs.files.clientCert,
      'listeners.https.ssl.ca.location': certs.files.caCert,
    }, { https: true, extensionClasses: [] });
    expect((await httpsRequest(`${target.base}/connectors`, withoutCredentials.interWorker.requestOptions({ method: 'GET' }))).status).toBe(401);
  });
});
