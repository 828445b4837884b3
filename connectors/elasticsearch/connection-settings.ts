/** Connection settings from the parsed config: URLs, basic auth, timeouts, compression and TLS files. */
import fs from 'node:fs';
import { ConnectError } from '../sdk/errors.js';
import type { ConnectionSettings } from './es-connection.js';
import type { ElasticsearchSinkConfig } from './elasticsearch-sink-config.js';

export function connectionSettingsOf(config: ElasticsearchSinkConfig): ConnectionSettings {
  return {
    urls: config.connectionUrl.map((u) => u.trim().replace(/\/+$/, '')),
    username: config.connectionUsername === null || config.connectionUsername === '' ? null : config.connectionUsername,
    password: config.connectionPassword?.reveal() ?? null,
    compression: config.connectionCompression,
    connectTimeoutMs: config.connectionTimeoutMs,
    readTimeoutMs: config.readTimeoutMs,
    idleTimeoutMs: config.maxConnectionIdleTimeMs,
    maxSockets: config.maxInFlightRequests + 2,
    tls: config.elasticSecurityProtocol === 'SSL' ? tlsOf(config) : null,
  };
}

function tlsOf(config: ElasticsearchSinkConfig): NonNullable<ConnectionSettings['tls']> {
  const read = (file: string, key: string) => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new ConnectError(`Cannot read ${key} ${file}: ${(err as Error).message}`);
    }
  };
  const tls: NonNullable<ConnectionSettings['tls']> = {};
  if (config.elasticHttpsSslTruststoreLocation) tls.ca = read(config.elasticHttpsSslTruststoreLocation, 'elastic.https.ssl.truststore.location');
  const keystore = config.elasticHttpsSslKeystoreLocation;
  if (keystore) {
    const bytes = read(keystore, 'elastic.https.ssl.keystore.location');
    if (config.elasticHttpsSslKeystoreType === 'PKCS12') {
      tls.pfx = bytes;
      tls.passphrase = config.elasticHttpsSslKeystorePassword?.reveal();
    } else {
      tls.cert = bytes;
      tls.key = bytes;
      tls.passphrase = config.elasticHttpsSslKeyPassword?.reveal();
    }
  }
  if (config.elasticHttpsSslEndpointIdentificationAlgorithm === '') tls.checkServerIdentity = () => undefined;
  return tls;
}
