/**
 * The config keys every Schema Registry converter (Avro, JSON Schema, Protobuf) shares, as
 * Confluent's AbstractKafkaSchemaSerDeConfig names them, declared once: a converter spreads
 * SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS into its own spec and calls `serdeSettings` on the parsed
 * config. Keys with the `schema.registry.` prefix alias (`schema.registry.basic.auth.user.info`)
 * are declared under both names; the prefixed one wins when both are set.
 */
import { boolean, choice, int, list, password, string } from '../../../../connectors/sdk/config/config-field.js';
import { ConfigError } from '../../../../connectors/sdk/config/config-error.js';
import { validators, type ParsedFields } from '../../../../connectors/sdk/config/config-spec.js';
import type { SchemaRegistryClientOptions } from './schema-registry-client.js';
import { SUBJECT_NAME_STRATEGIES, TOPIC_NAME_STRATEGY, subjectNameStrategy, type SubjectNameStrategy } from './subject-name-strategy.js';

const strategyValidator = validators.validator<string>(
  (value, name) => (subjectNameStrategy(value) === undefined ? `Invalid value ${value} for configuration ${name}: not one of ${SUBJECT_NAME_STRATEGIES.join(', ')}` : undefined),
  SUBJECT_NAME_STRATEGIES.join(', '),
);

const strategyField = (which: 'key' | 'value') => string({
  doc: `Determines how to construct the subject name under which the ${which} schema is registered with the schema registry. `
    + 'By default, <topic>-<key|value> is used as subject.',
  default: TOPIC_NAME_STRATEGY,
  importance: 'MEDIUM',
  validator: strategyValidator,
});

const userInfoField = () => password({
  doc: 'Specify a user info for basic auth in the form of {username}:{password}',
  default: '',
  importance: 'MEDIUM',
});

export const SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS = {
  'schema.registry.url': list({
    doc: 'Comma-separated list of URLs for schema registry instances that can be used to register or look up schemas.',
    importance: 'HIGH',
    validator: validators.nonEmptyList(),
  }),
  'auto.register.schemas': boolean({
    doc: 'Specify if the Serializer should attempt to register the Schema with Schema Registry',
    default: true,
    importance: 'MEDIUM',
  }),
  'use.latest.version': boolean({
    doc: 'Specify if the Serializer should use the latest subject version for serialization',
    default: false,
    importance: 'LOW',
  }),
  'latest.compatibility.strict': boolean({
    doc: 'Specify if the Serializer should check the backwards compatibility with the latest subject version when using use.latest.version=true',
    default: true,
    importance: 'LOW',
  }),
  'use.schema.id': int({
    doc: 'Schema ID to use for serialization',
    default: -1,
    importance: 'LOW',
  }),
  'id.compatibility.strict': boolean({
    doc: 'Whether to check for backward compatibility between the schema with the given ID and the schema of the object to be serialized',
    default: true,
    importance: 'LOW',
  }),
  'normalize.schemas': boolean({
    doc: 'Whether to normalize schemas, which generally ignores ordering when it is not significant',
    default: false,
    importance: 'LOW',
  }),
  'key.subject.name.strategy': strategyField('key'),
  'value.subject.name.strategy': strategyField('value'),
  'max.schemas.per.subject': int({
    doc: 'Maximum number of schemas to create or cache locally.',
    default: 1000,
    importance: 'LOW',
  }),
  'latest.cache.size': int({
    doc: 'Maximum number of entries in the cache of latest subject versions',
    default: 1000,
    importance: 'LOW',
  }),
  'latest.cache.ttl.sec': int({
    doc: 'TTL in seconds for the cache of latest subject versions; -1 means no expiry',
    default: -1,
    importance: 'LOW',
  }),
  'basic.auth.credentials.source': choice({
    doc: 'Specify how to pick the credentials for the Basic Auth header. The supported values are URL and USER_INFO '
      + '(SASL_INHERIT is not supported by ferry)',
    values: ['URL', 'USER_INFO'],
    default: 'URL',
    importance: 'MEDIUM',
  }),
  'basic.auth.user.info': userInfoField(),
  'schema.registry.basic.auth.user.info': userInfoField(),
  'http.connect.timeout.ms': int({
    doc: 'Timeout for establishing a connection to the schema registry, in milliseconds',
    default: 60_000,
    importance: 'LOW',
    validator: validators.atLeast(0),
  }),
  'http.read.timeout.ms': int({
    doc: 'Timeout for a schema registry request to answer, in milliseconds',
    default: 60_000,
    importance: 'LOW',
    validator: validators.atLeast(0),
  }),
  'max.retries': int({
    doc: 'Maximum number of retries of a request that failed with HTTP 408, 429 or 5xx',
    default: 3,
    importance: 'LOW',
    validator: validators.atLeast(0),
  }),
  'retries.wait.ms': int({
    doc: 'Wait before the first retry, in milliseconds; doubled for each further retry',
    default: 1000,
    importance: 'LOW',
    validator: validators.atLeast(0),
  }),
  'retries.max.wait.ms': int({
    doc: 'Longest wait between retries, in milliseconds',
    default: 20_000,
    importance: 'LOW',
    validator: validators.atLeast(0),
  }),
} as const;

/** The parsed values of SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, as `ConfigSpec.parse` names them. */
export type ParsedSerdeConfig = ParsedFields<typeof SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS>;

/** How a converter serializes against the registry, besides the client. */
export type SerdeSettings = Pick<ParsedSerdeConfig,
  'autoRegisterSchemas' | 'useLatestVersion' | 'latestCompatibilityStrict' | 'useSchemaId' | 'idCompatibilityStrict' | 'normalizeSchemas'> & {
  readonly client: SchemaRegistryClientOptions;
  readonly subjectNameStrategy: SubjectNameStrategy;
};

export function serdeSettings(parsed: ParsedSerdeConfig, isKey: boolean): SerdeSettings {
  return {
    client: clientOptions(parsed),
    autoRegisterSchemas: parsed.autoRegisterSchemas,
    useLatestVersion: parsed.useLatestVersion,
    latestCompatibilityStrict: parsed.latestCompatibilityStrict,
    useSchemaId: parsed.useSchemaId,
    idCompatibilityStrict: parsed.idCompatibilityStrict,
    normalizeSchemas: parsed.normalizeSchemas,
    subjectNameStrategy: subjectNameStrategy(isKey ? parsed.keySubjectNameStrategy : parsed.valueSubjectNameStrategy)!,
  };
}

function clientOptions(parsed: ParsedSerdeConfig): SchemaRegistryClientOptions {
  const urls = parsed.schemaRegistryUrl.map((u) => {
    try {
      return new URL(u);
    } catch {
      throw new ConfigError([{ name: 'schema.registry.url', message: `Invalid value ${u} for configuration schema.registry.url: not a URL` }]);
    }
  });
  let credentials: { user: string; password: string } | null = null;
  if (parsed.basicAuthCredentialsSource === 'USER_INFO') {
    const info = parsed.schemaRegistryBasicAuthUserInfo.reveal() || parsed.basicAuthUserInfo.reveal();
    const colon = info.indexOf(':');
    if (colon < 0) {
      throw new ConfigError([{ name: 'basic.auth.user.info', message: 'basic.auth.user.info must be {username}:{password} with basic.auth.credentials.source=USER_INFO' }]);
    }
    credentials = { user: info.slice(0, colon), password: info.slice(colon + 1) };
  } else {
    const withUser = urls.find((u) => u.username !== '');
    if (withUser !== undefined) credentials = { user: decodeURIComponent(withUser.username), password: decodeURIComponent(withUser.password) };
  }
  for (const u of urls) {
    u.username = '';
    u.password = '';
  }
  return {
    urls: urls.map((u) => u.toString().replace(/\/+$/, '')),
    credentials,
    requestTimeoutMs: parsed.httpReadTimeoutMs,
    maxRetries: parsed.maxRetries,
    retryWaitMs: parsed.retriesWaitMs,
    retryMaxWaitMs: parsed.retriesMaxWaitMs,
    latestCacheSize: parsed.latestCacheSize,
    latestCacheTtlMs: parsed.latestCacheTtlSec < 0 ? -1 : parsed.latestCacheTtlSec * 1000,
    maxSchemasPerSubject: parsed.maxSchemasPerSubject,
  };
}
