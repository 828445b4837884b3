/**
 * Worker properties that secure the REST API (docs/rest-security.md):
 * - `restTlsSpec`: the HTTPS listener's key, certificate, trusted CAs and client-certificate
 *   policy. Kafka's own names (`ssl.keystore.*`, `ssl.truststore.*`, `ssl.client.auth`, ...) in
 *   their PEM and PKCS12 forms, plus ferry's PEM-file names (`ssl.key.location`,
 *   `ssl.certificate.location`, `ssl.ca.location`), which win over the key and trust stores.
 *   `restHttpsTlsSpec` is the same under `listeners.https.`; as in Kafka, the prefixed set is
 *   used all or nothing (see `httpsSettingsSource`).
 * - `restAuthSpec`: ferry's `rest.auth.*` keys: basic-auth credentials, bearer tokens, the
 *   anonymous health check and the credentials a worker sends to other workers.
 * Kafka's `rest.extension.classes` stays declared in worker-config.ts; BasicAuthSecurityRestExtension
 * there turns basic auth on.
 */
import { boolean, choice, ConfigError, defineConfig, list, password, string, type FieldIssue, type ParsedConfig } from '../../connectors/sdk/config/config-spec.js';
import { extractPrefixed } from './config-prefix.js';
import type { RawConfig } from '../../connectors/sdk/config/config-value.js';
import { eachItem, matches, nonEmptyString } from '../../connectors/sdk/config/validators.js';

export const KAFKA_BASIC_AUTH_EXTENSION = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';
export const HTTPS_LISTENER_PREFIX = 'listeners.https.';

const TLS = 'REST HTTPS';
const AUTH = 'REST authentication';

export const restTlsSpec = defineConfig({
  'ssl.key.location': string({
    doc: 'ferry: PEM file with the HTTPS listener\'s private key (encrypted keys need ssl.key.password). Set together '
      + 'with ssl.certificate.location; together they take the place of the key store.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.certificate.location': string({
    doc: 'ferry: PEM file with the HTTPS listener\'s certificate, followed by any intermediate certificates.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.ca.location': string({
    doc: 'ferry: PEM file with the CA certificates that client certificates must chain to (ssl.client.auth) and that '
      + 'other workers\' certificates must chain to when this worker calls them. Takes the place of the trust store.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.key.password': password({
    doc: 'Password of the private key: of ssl.key.location, or of the key in a PEM key store.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.keystore.type': string({
    doc: 'Format of the key store: PEM (one file holding the private key and the certificate chain) or PKCS12. '
      + 'JKS is not supported.',
    default: 'JKS', importance: 'MEDIUM', group: TLS,
  }),
  'ssl.keystore.location': string({
    doc: 'Key store file with the HTTPS listener\'s private key and certificate chain.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.keystore.password': password({
    doc: 'Password of a PKCS12 key store.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.keystore.key': password({
    doc: 'The private key in PEM form, inline instead of a key store file; needs ssl.keystore.certificate.chain.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.keystore.certificate.chain': string({
    doc: 'The certificate chain in PEM form, inline instead of a key store file.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.truststore.type': string({
    doc: 'Format of the trust store: PEM only (JKS and PKCS12 trust stores are not supported).',
    default: 'JKS', importance: 'MEDIUM', group: TLS,
  }),
  'ssl.truststore.location': string({
    doc: 'Trust store file with the CA certificates client certificates must chain to.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.truststore.password': password({
    doc: 'Password of the trust store; PEM trust stores have none, so it is ignored.',
    default: null, importance: 'LOW', group: TLS,
  }),
  'ssl.truststore.certificates': string({
    doc: 'Trusted CA certificates in PEM form, inline instead of a trust store file.',
    default: null, importance: 'HIGH', group: TLS,
  }),
  'ssl.client.auth': choice({
    doc: 'Client certificates on the HTTPS listener: "none" does not ask for one, "requested" asks and rejects an '
      + 'untrusted one, "required" rejects connections without a trusted one. "requested" and "required" need the '
      + 'trusted CAs (ssl.ca.location, ssl.truststore.location or ssl.truststore.certificates).',
    values: ['none', 'requested', 'required'], caseInsensitive: true, default: 'none', importance: 'MEDIUM', group: TLS,
  }),
  'ssl.enabled.protocols': list({
    doc: 'TLS versions the listener accepts: TLSv1.2 and/or TLSv1.3.',
    default: ['TLSv1.2', 'TLSv1.3'],
    validator: eachItem(matches(/TLSv1\.[23]/, 'TLSv1.2 or TLSv1.3')), importance: 'MEDIUM', group: TLS,
  }),
  'ssl.endpoint.identification.algorithm': string({
    doc: 'When this worker calls another worker over HTTPS: "https" checks the certificate against the host name, '
      + 'empty skips that check.',
    default: 'https', importance: 'LOW', group: TLS,
  }),
});

export const restHttpsTlsSpec = restTlsSpec.embed(HTTPS_LISTENER_PREFIX);

export const restAuthSpec = defineConfig({
  'rest.auth.basic.credentials.file': string({
    doc: 'ferry: turns on HTTP basic authentication with the users in this file, one "user: password" (or '
      + '"user=password") per line, the format of the file option of Kafka\'s PropertyFileLoginModule.',
    default: null, validator: nonEmptyString(), importance: 'HIGH', group: AUTH,
  }),
  'rest.auth.basic.jaas.file': string({
    doc: 'ferry: a Kafka JAAS file (what java.security.auth.login.config names); basic authentication reads its users '
      + 'from the file option of the PropertyFileLoginModule in the KafkaConnect entry. Alternative to '
      + 'rest.auth.basic.credentials.file.',
    default: null, validator: nonEmptyString(), importance: 'MEDIUM', group: AUTH,
  }),
  'rest.auth.bearer.tokens.file': string({
    doc: 'ferry: turns on bearer-token authentication with the tokens in this file, one per line, each optionally '
      + 'preceded by a name and a colon ("ci: <token>").',
    default: null, validator: nonEmptyString(), importance: 'HIGH', group: AUTH,
  }),
  'rest.auth.realm': string({
    doc: 'ferry: the realm named in WWW-Authenticate challenges.',
    default: 'ferry', validator: matches(/[^"\\]+/, 'non-empty, without quotes or backslashes'), importance: 'LOW', group: AUTH,
  }),
  'rest.auth.health.anonymous': boolean({
    doc: 'ferry: answer GET /health without credentials, e.g. for load balancer probes. Off by default: with '
      + 'authentication on, every path needs credentials, as with Kafka\'s basic-auth extension.',
    default: false, importance: 'LOW', group: AUTH,
  }),
  'rest.auth.inter.worker.user': string({
    doc: 'ferry: user this worker authenticates as (basic) when it calls another worker on its own behalf. Requests it '
      + 'forwards for a client carry that client\'s Authorization header instead.',
    default: null, validator: matches(/[^:]+/, 'non-empty, without a colon'), importance: 'MEDIUM', group: AUTH,
  }),
  'rest.auth.inter.worker.password': password({
    doc: 'ferry: password for rest.auth.inter.worker.user.',
    default: null, importance: 'MEDIUM', group: AUTH,
  }),
  'rest.auth.inter.worker.token': password({
    doc: 'ferry: bearer token this worker sends when it calls another worker on its own behalf; an alternative to '
      + 'rest.auth.inter.worker.user.',
    default: null, importance: 'MEDIUM', group: AUTH,
  }),
}, {
  validateCrossField(v) {
    const issues: FieldIssue[] = [];
    const hasUser = v.restAuthInterWorkerUser !== null && v.restAuthInterWorkerUser !== undefined;
    const hasPassword = v.restAuthInterWorkerPassword !== null && v.restAuthInterWorkerPassword !== undefined;
    const hasToken = v.restAuthInterWorkerToken !== null && v.restAuthInterWorkerToken !== undefined;
    if (hasUser !== hasPassword) {
      issues.push({ name: 'rest.auth.inter.worker.password', message: 'rest.auth.inter.worker.user and rest.auth.inter.worker.password must be set together' });
    }
    if (hasUser && hasToken) {
      issues.push({ name: 'rest.auth.inter.worker.token', message: 'Set rest.auth.inter.worker.token or rest.auth.inter.worker.user, not both' });
    }
    if (v.restAuthBasicCredentialsFile && v.restAuthBasicJaasFile) {
      issues.push({ name: 'rest.auth.basic.jaas.file', message: 'Set rest.auth.basic.credentials.file or rest.auth.basic.jaas.file, not both' });
    }
    return issues;
  },
});

export type RestTlsConfig = ParsedConfig<typeof restTlsSpec>;
export type RestAuthConfig = ParsedConfig<typeof restAuthSpec>;

/**
 * Kafka's `valuesWithPrefixAllOrNothing("listeners.https.")`: when any `listeners.https.*` key is
 * set, the HTTPS settings are those keys alone (prefix stripped); otherwise the unprefixed `ssl.*`.
 */
export function httpsSettingsSource(properties: RawConfig): { prefix: string; values: RawConfig } {
  const values = extractPrefixed(properties, HTTPS_LISTENER_PREFIX);
  const anySet = Object.values(values).some((v) => v !== undefined);
  return anySet ? { prefix: HTTPS_LISTENER_PREFIX, values } : { prefix: '', values: properties };
}

/** Parses the HTTPS settings that apply (see `httpsSettingsSource`); errors name the keys as written. */
export function parseRestTlsConfig(properties: RawConfig): RestTlsConfig {
  const { prefix, values } = httpsSettingsSource(properties);
  try {
    return restTlsSpec.parse(values);
  } catch (err) {
    if (!(err instanceof ConfigError) || prefix === '') throw err;
    throw new ConfigError(err.issues.map((issue) => ({
      name: prefix + issue.name,
      message: issue.message.split(`configuration ${issue.name}`).join(`configuration ${prefix}${issue.name}`),
    })));
  }
}
