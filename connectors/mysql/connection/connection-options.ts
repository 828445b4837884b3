/**
 * mysql2 connection options from the connector config, and the wording of connection failures.
 *
 * The password is revealed only here, into the options object handed to mysql2; nothing derived
 * from these options is logged.
 */
import fs from 'node:fs';
import type { ConnectionOptions } from 'mysql2';
import type { MySqlSourceConfig } from '../mysql-source-config.js';

export interface DatabaseEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
}

export function endpointOf(config: MySqlSourceConfig): DatabaseEndpoint {
  return { host: config.databaseHostname, port: config.databasePort, user: config.databaseUser };
}

export function connectionOptions(config: MySqlSourceConfig): ConnectionOptions {
  const options: ConnectionOptions = {
    host: config.databaseHostname,
    port: config.databasePort,
    user: config.databaseUser,
    password: config.databasePassword?.reveal() ?? '',
    connectTimeout: config.connectTimeoutMs,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    charset: 'utf8mb4_general_ci',
    multipleStatements: false,
  };
  const mode = config.databaseSslMode;
  if (mode !== 'disabled' && mode !== 'preferred') {
    const ca = config.databaseSslTruststore ? fs.readFileSync(config.databaseSslTruststore) : undefined;
    options.ssl = {
      ca,
      rejectUnauthorized: mode === 'verify_ca' || mode === 'verify_identity',
      ...(mode === 'verify_ca' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  return options;
}

interface MySqlErrorShape {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message?: string;
}

/** One line naming the server and the user, with the server's (or the socket's) own words. */
export function describeConnectionFailure(endpoint: DatabaseEndpoint, error: unknown): string {
  const e = (error ?? {}) as MySqlErrorShape;
  const detail = e.sqlMessage ?? e.message ?? String(error);
  const code = e.errno !== undefined ? ` (error ${e.errno}${e.code ? ` ${e.code}` : ''})` : e.code ? ` (${e.code})` : '';
  return `Cannot connect to the database at ${endpoint.host}:${endpoint.port} as user '${endpoint.user}': ${detail}${code}`;
}

/** True for failures of the network or the server's availability, which reconnecting may cure. */
export function isTransientConnectionError(error: unknown): boolean {
  const e = (error ?? {}) as MySqlErrorShape;
  const transient = new Set([
    'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'PROTOCOL_CONNECTION_LOST',
    'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'ER_CONNECTION_KILLED', 'ECONNABORTED',
  ]);
  if (e.code !== undefined && transient.has(e.code)) return true;
  // 1053 server shutdown, 1040 too many connections, 1927 connection killed, 2013 lost connection
  return e.errno === 1053 || e.errno === 1040 || e.errno === 1927 || e.errno === 2013;
}
