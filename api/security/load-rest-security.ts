/**
 * Worker properties → REST security: the options `buildApiServer` takes and the InterWorkerAuth a
 * worker uses to call other workers. Every file is read here, once, at startup; a problem (a
 * missing file, an unsupported store, a Java REST extension ferry cannot run) fails the start
 * with a message naming the setting, because a REST API that came up less secured than
 * configured would be worse than one that does not come up.
 */
import { parseRestTlsConfig, httpsSettingsSource, KAFKA_BASIC_AUTH_EXTENSION, restAuthSpec } from '../../runtime/config/rest-security-config.js';
import { ConfigError } from '../../connectors/sdk/config/config-error.js';
import type { RawConfig } from '../../connectors/sdk/config/config-value.js';
import type { RestAuthOptions } from '../plugins/auth.js';
import type { ApiSecurityOptions } from './api-security.js';
import { readBearerTokensFile } from './bearer-tokens-file.js';
import { readCredentialsFile } from './credentials-file.js';
import { InterWorkerAuth, type InterWorkerCredentials } from './inter-worker-auth.js';
import { credentialsFileFromJaas } from './jaas-file.js';
import { RestSecurityError } from './rest-security-error.js';
import { readSecretFile } from './secret-file.js';
import { httpsClientOptions, loadApiTlsOptions } from './tls-options.js';

export interface RestSecurity {
  /** For `buildApiServer({ security })`; empty when nothing is configured. */
  readonly api: ApiSecurityOptions;
  readonly interWorker: InterWorkerAuth;
}

export interface LoadRestSecurityOptions {
  /** Whether the REST listener is https:// (TLS settings are read only then). */
  https: boolean;
  /** The worker's parsed `rest.extension.classes`. */
  extensionClasses: readonly string[];
}

function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ConfigError) throw new RestSecurityError(`Invalid REST security configuration:\n${err.messages.join('\n')}`, { cause: err });
    throw err;
  }
}

export async function loadRestSecurity(properties: RawConfig, options: LoadRestSecurityOptions): Promise<RestSecurity> {
  const config = parsed(() => restAuthSpec.parse(properties));
  const basicExtension = checkExtensions(options.extensionClasses);

  let credentialsFile = config.restAuthBasicCredentialsFile;
  if (config.restAuthBasicJaasFile !== null) {
    const jaas = await readSecretFile(config.restAuthBasicJaasFile, 'rest.auth.basic.jaas.file');
    credentialsFile = credentialsFileFromJaas(jaas, `JAAS file ${config.restAuthBasicJaasFile}`);
  }
  if (basicExtension && credentialsFile === null) {
    throw new RestSecurityError(`rest.extension.classes names ${KAFKA_BASIC_AUTH_EXTENSION}, which needs its users: set `
      + 'rest.auth.basic.credentials.file (a "user: password" file) or rest.auth.basic.jaas.file (ferry does not read '
      + 'the java.security.auth.login.config system property)');
  }

  const auth: RestAuthOptions = { realm: config.restAuthRealm, anonymousHealth: config.restAuthHealthAnonymous };
  if (credentialsFile !== null) auth.basic = await readCredentialsFile(credentialsFile);
  if (config.restAuthBearerTokensFile !== null) auth.bearer = await readBearerTokensFile(config.restAuthBearerTokensFile);

  const api: ApiSecurityOptions = {};
  if (auth.basic || auth.bearer) api.auth = auth;
  if (options.https) {
    const { prefix } = httpsSettingsSource(properties);
    api.tls = await loadApiTlsOptions(parsed(() => parseRestTlsConfig(properties)), prefix);
  }

  let credentials: InterWorkerCredentials | undefined;
  if (config.restAuthInterWorkerToken !== null) credentials = { scheme: 'bearer', token: config.restAuthInterWorkerToken };
  else if (config.restAuthInterWorkerUser !== null && config.restAuthInterWorkerPassword !== null) {
    credentials = { scheme: 'basic', user: config.restAuthInterWorkerUser, password: config.restAuthInterWorkerPassword };
  }
  const interWorker = new InterWorkerAuth({
    ...(credentials ? { credentials } : {}),
    ...(api.tls ? { tls: httpsClientOptions(api.tls) } : {}),
  });
  return { api, interWorker };
}

/** True when Kafka's basic-auth extension is listed; any other extension is a Java class ferry cannot load. */
function checkExtensions(classes: readonly string[]): boolean {
  const others = classes.filter((c) => c !== '' && c !== KAFKA_BASIC_AUTH_EXTENSION);
  if (others.length > 0) {
    throw new RestSecurityError(`rest.extension.classes names ${others.join(', ')}; ferry cannot load Java REST extensions and `
      + `supports only ${KAFKA_BASIC_AUTH_EXTENSION} (see docs/rest-security.md)`);
  }
  return classes.includes(KAFKA_BASIC_AUTH_EXTENSION);
}
