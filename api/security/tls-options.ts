/**
 * HTTPS for the REST API: the listener's key material and client-certificate policy, read from
 * the settings of runtime/config/rest-security-config.ts, turned into node's `https` server
 * options (fastify takes them when it is created) and into the TLS options this worker uses to
 * call other workers (trusting the same CAs, presenting the same certificate).
 *
 * Client certificates (`ssl.client.auth`): `required` sets requestCert + rejectUnauthorized, so a
 * client without a certificate the CAs vouch for never completes the handshake. `requested` asks
 * for one but lets clients without one in; one that presents an untrusted certificate is
 * disconnected right after the handshake, as Java's want-client-auth rejects it.
 */
import type https from 'node:https';
import tls from 'node:tls';
import type { RestTlsConfig } from '../../runtime/config/rest-security-config.js';
import { RestSecurityError } from './rest-security-error.js';
import { readSecretBytes, readSecretFile } from './secret-file.js';

export type ClientAuth = 'none' | 'requested' | 'required';

/** The HTTPS listener's key material (files already read) and policies. */
export interface ApiTlsOptions {
  key?: string | Buffer;
  cert?: string | Buffer;
  pfx?: Buffer;
  /** Of an encrypted key or a PKCS12 store. */
  passphrase?: string;
  /** CAs that client certificates, and other workers' certificates, must chain to. */
  ca?: string | Buffer;
  /** `none` when absent. */
  clientAuth?: ClientAuth;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** When calling other workers, check their certificate against the host name; true when absent. */
  verifyHostname?: boolean;
}

export function httpsServerOptions(options: ApiTlsOptions): https.ServerOptions {
  const clientAuth = options.clientAuth ?? 'none';
  return {
    ...keyMaterial(options),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...versions(options),
    requestCert: clientAuth !== 'none',
    rejectUnauthorized: clientAuth === 'required',
  };
}

/** TLS options for this worker's requests to other workers' HTTPS listeners. */
export function httpsClientOptions(options: ApiTlsOptions): tls.ConnectionOptions {
  return {
    ...keyMaterial(options),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...versions(options),
    ...(options.verifyHostname === false ? { checkServerIdentity: () => undefined } : {}),
  };
}

function keyMaterial(options: ApiTlsOptions): tls.SecureContextOptions {
  const out: tls.SecureContextOptions = {};
  if (options.key !== undefined) out.key = options.key;
  if (options.cert !== undefined) out.cert = options.cert;
  if (options.pfx !== undefined) out.pfx = options.pfx;
  if (options.passphrase !== undefined) out.passphrase = options.passphrase;
  return out;
}

function versions(options: ApiTlsOptions): tls.SecureContextOptions {
  const out: tls.SecureContextOptions = {};
  if (options.minVersion !== undefined) out.minVersion = options.minVersion;
  if (options.maxVersion !== undefined) out.maxVersion = options.maxVersion;
  return out;
}

/** Applies `requested` client authentication to an HTTPS server (no-op for the other policies). */
export function enforceClientCertificatePolicy(server: tls.Server, options: ApiTlsOptions): void {
  if (options.clientAuth !== 'requested') return;
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    const presented = Object.keys(socket.getPeerCertificate()).length > 0;
    if (presented && !socket.authorized) socket.destroy();
  });
}

/**
 * Reads the key material and CAs named by `config` (settings named with `prefix`, `''` or
 * `listeners.https.`, in errors). The key comes from, in order: ssl.key.location +
 * ssl.certificate.location; ssl.keystore.key + ssl.keystore.certificate.chain; ssl.keystore.location
 * (PEM or PKCS12). The CAs from ssl.ca.location, ssl.truststore.certificates or a PEM
 * ssl.truststore.location.
 */
export async function loadApiTlsOptions(config: RestTlsConfig, prefix = ''): Promise<ApiTlsOptions> {
  const name = (key: string) => `${prefix}${key}`;
  const options: ApiTlsOptions = { clientAuth: config.sslClientAuth, verifyHostname: config.sslEndpointIdentificationAlgorithm !== '' };
  const keyPassword = config.sslKeyPassword?.reveal();

  if (config.sslKeyLocation !== null || config.sslCertificateLocation !== null) {
    if (config.sslKeyLocation === null || config.sslCertificateLocation === null) {
      throw new RestSecurityError(`${name('ssl.key.location')} and ${name('ssl.certificate.location')} must be set together`);
    }
    options.key = await readSecretFile(config.sslKeyLocation, `${name('ssl.key.location')} file`);
    options.cert = await readSecretFile(config.sslCertificateLocation, `${name('ssl.certificate.location')} file`);
    if (keyPassword !== undefined) options.passphrase = keyPassword;
  } else if (config.sslKeystoreKey !== null || config.sslKeystoreCertificateChain !== null) {
    if (config.sslKeystoreKey === null || config.sslKeystoreCertificateChain === null) {
      throw new RestSecurityError(`${name('ssl.keystore.key')} and ${name('ssl.keystore.certificate.chain')} must be set together`);
    }
    options.key = config.sslKeystoreKey.reveal();
    options.cert = config.sslKeystoreCertificateChain;
    if (keyPassword !== undefined) options.passphrase = keyPassword;
  } else if (config.sslKeystoreLocation !== null) {
    const type = config.sslKeystoreType.toUpperCase();
    if (type === 'PEM') {
      const pem = await readSecretFile(config.sslKeystoreLocation, `${name('ssl.keystore.location')} file`);
      options.key = pem;
      options.cert = pem;
      if (keyPassword !== undefined) options.passphrase = keyPassword;
    } else if (type === 'PKCS12') {
      options.pfx = await readSecretBytes(config.sslKeystoreLocation, `${name('ssl.keystore.location')} file`);
      const storePassword = config.sslKeystorePassword?.reveal();
      if (storePassword !== undefined) options.passphrase = storePassword;
    } else {
      throw new RestSecurityError(`${name('ssl.keystore.type')} ${config.sslKeystoreType} is not supported for the REST listener; `
        + `use PEM or PKCS12, or set ${name('ssl.key.location')} and ${name('ssl.certificate.location')}`);
    }
  } else {
    throw new RestSecurityError(`An https:// listener needs a private key and certificate: set ${name('ssl.key.location')} and `
      + `${name('ssl.certificate.location')} (PEM files), or a PEM or PKCS12 ${name('ssl.keystore.location')}`);
  }

  if (config.sslCaLocation !== null) {
    options.ca = await readSecretFile(config.sslCaLocation, `${name('ssl.ca.location')} file`);
  } else if (config.sslTruststoreCertificates !== null) {
    options.ca = config.sslTruststoreCertificates;
  } else if (config.sslTruststoreLocation !== null) {
    if (config.sslTruststoreType.toUpperCase() !== 'PEM') {
      throw new RestSecurityError(`${name('ssl.truststore.type')} ${config.sslTruststoreType} is not supported for the REST listener; `
        + `use a PEM trust store or ${name('ssl.ca.location')}`);
    }
    options.ca = await readSecretFile(config.sslTruststoreLocation, `${name('ssl.truststore.location')} file`);
  }
  if (options.clientAuth !== 'none' && options.ca === undefined) {
    throw new RestSecurityError(`${name('ssl.client.auth')}=${options.clientAuth} needs the CAs client certificates must chain to: `
      + `set ${name('ssl.ca.location')} (or a PEM ${name('ssl.truststore.location')})`);
  }

  const protocols = config.sslEnabledProtocols;
  if (protocols.length > 0) {
    options.minVersion = protocols.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3';
    options.maxVersion = protocols.includes('TLSv1.3') ? 'TLSv1.3' : 'TLSv1.2';
  }

  try {
    tls.createSecureContext(httpsServerOptions(options));
  } catch (err) {
    throw new RestSecurityError(`The REST listener's key, certificate or CAs (${prefix}ssl.*) cannot be used: ${(err as Error).message}`);
  }
  return options;
}
