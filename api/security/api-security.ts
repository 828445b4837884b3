/**
 * What `buildApiServer` needs to secure the REST API: `tls` serves HTTPS (fastify takes it when it
 * is created) and `auth` requires credentials on every request.
 */
import type tls from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { installAuth, type RestAuthOptions } from '../plugins/auth.js';
import { enforceClientCertificatePolicy, type ApiTlsOptions } from './tls-options.js';

export interface ApiSecurityOptions {
  auth?: RestAuthOptions;
  tls?: ApiTlsOptions;
}

/** Installs the authentication hook and the client-certificate policy; call before routes are registered. */
export function installApiSecurity(app: FastifyInstance, security: ApiSecurityOptions | undefined): void {
  if (security?.tls) enforceClientCertificatePolicy(app.server as unknown as tls.Server, security.tls);
  if (security?.auth) installAuth(app, security.auth);
}
