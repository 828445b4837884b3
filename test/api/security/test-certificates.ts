/**
 * Certificates made with the openssl CLI for HTTPS tests: a CA, a server certificate it signs
 * (for localhost and 127.0.0.1), a client certificate it signs, and a self-signed "rogue" client
 * certificate no CA vouches for. Everything is written as PEM files in a temp directory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';

export interface TestCertificates {
  dir: string;
  caCert: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
  rogueKey: string;
  rogueCert: string;
  /** File paths of the above, by the same names. */
  files: Record<'caCert' | 'serverKey' | 'serverCert' | 'clientKey' | 'clientCert' | 'rogueKey' | 'rogueCert', string>;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function signed(dir: string, name: string, cn: string, extensions: string): void {
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`]);
}

export function makeTestCertificates(): TestCertificates {
  const dir = tempDir('ferry-certs-');
  openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=ferry test CA']);
  signed(dir, 'server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'client', 'worker-2', 'extendedKeyUsage=clientAuth\n');
  openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '2', '-subj', '/CN=rogue']);
  const files = {
    caCert: path.join(dir, 'ca.crt'),
    serverKey: path.join(dir, 'server.key'),
    serverCert: path.join(dir, 'server.crt'),
    clientKey: path.join(dir, 'client.key'),
    clientCert: path.join(dir, 'client.crt'),
    rogueKey: path.join(dir, 'rogue.key'),
    rogueCert: path.join(dir, 'rogue.crt'),
  };
  const read = (file: string) => fs.readFileSync(file, 'utf8');
  return {
    dir,
    caCert: read(files.caCert),
    serverKey: read(files.serverKey),
    serverCert: read(files.serverCert),
    clientKey: read(files.clientKey),
    clientCert: read(files.clientCert),
    rogueKey: read(files.rogueKey),
    rogueCert: read(files.rogueCert),
    files,
  };
}

/** Runs the openssl CLI in the certificates' directory (for extra forms: PKCS12, encrypted keys). */
export function opensslIn(certs: TestCertificates, args: string[]): void {
  openssl(certs.dir, args);
}
