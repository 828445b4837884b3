/**
 * Keys of the Elasticsearch sink: Confluent's names and defaults (kafka-connect-elasticsearch),
 * declared once; the spec drives parsing, validation, REST validate and the README reference.
 *
 * Keys Confluent has that ferry accepts but does not act on (Kerberos, proxies, external resource
 * mappings) are declared too, so old configs validate; choosing them where they would matter is
 * an error naming the key rather than a silent difference.
 */
import {
  boolean, choice, defineConfig, int, list, long, password, string, validators, type FieldIssue, type ParsedConfig,
} from '../sdk/config/config-spec.js';

const CONNECTOR = 'Connector';
const DATA = 'Data Conversion';
const DATA_STREAM = 'Data Stream';
const SECURITY = 'Security';
const PROXY = 'Proxy';
const KERBEROS = 'Kerberos';

const DATASET_FORBIDDEN = /[\\/*?"<>|,#:\-\s]/;

export const elasticsearchSinkSpec = defineConfig({
  'connection.url': list({
    doc: 'Elasticsearch or OpenSearch HTTP(S) URLs, comma separated, e.g. http://es1:9200,http://es2:9200. Requests '
      + 'go to the first that answers; the server kind is detected once at start from GET / of the first reachable URL.',
    importance: 'HIGH', group: CONNECTOR, omitEmpty: true,
    validator: [validators.nonEmptyList(), validators.eachItem(validators.matches(/^https?:\/\/[^\s/]+(\/.*)?$/i, 'an http:// or https:// URL'))],
  }),
  'connection.username': string({
    doc: 'User name for basic authentication; empty or unset: no authentication.',
    default: null, importance: 'MEDIUM', group: CONNECTOR,
  }),
  'connection.password': password({
    doc: 'Password for basic authentication.', default: null, importance: 'MEDIUM', group: CONNECTOR,
  }),
  'batch.size': int({
    doc: 'Most actions in one bulk request.', default: 2000, importance: 'MEDIUM', group: CONNECTOR,
    validator: validators.between(1, 1_000_000),
  }),
  'bulk.size.bytes': long({
    doc: 'Most bytes of NDJSON in one bulk request (a single larger document still goes alone). -1: no byte limit.',
    default: 5 * 1024 * 1024, importance: 'LOW', group: CONNECTOR, validator: validators.atLeast(-1),
  }),
  'max.in.flight.requests': int({
    doc: 'Bulk requests the task keeps in flight at once. Actions for the same document id never overlap in flight '
      + 'when their order matters (upserts).',
    default: 5, importance: 'MEDIUM', group: CONNECTOR, validator: validators.between(1, 1000),
  }),
  'max.buffered.records': int({
    doc: 'Records the task holds that Elasticsearch has not acknowledged yet. Above it the task pauses its partitions '
      + '(the consumer stops fetching) and resumes them below half of it, so a slow cluster slows consumption instead of '
      + 'timing out a flush.',
    default: 20000, importance: 'LOW', group: CONNECTOR, validator: validators.between(1, 2_147_483_647),
  }),
  'linger.ms': long({
    doc: 'How long a partial batch waits for more records before it is sent.',
    default: 1, importance: 'LOW', group: CONNECTOR, validator: validators.between(0, 604_800_000),
  }),
  'flush.timeout.ms': long({
    doc: 'How long stopping the task (or closing partitions) waits for bulk requests in flight. Commits never wait: '
      + 'they cover only acknowledged records.',
    default: 180000, importance: 'LOW', group: CONNECTOR, validator: validators.atLeast(1000),
  }),
  'flush.synchronously': boolean({
    doc: 'true: every offset commit first waits for all buffered and in-flight records (up to flush.timeout.ms). '
      + 'false: commits cover the records acknowledged so far.',
    default: false, importance: 'LOW', group: CONNECTOR,
  }),
  'max.retries': int({
    doc: 'Retries of a failing request (unreachable cluster, 429 or 5xx answer) and of 429/5xx items within a bulk '
      + 'answer, before the task fails with the URL and the server\'s message.',
    default: 5, importance: 'LOW', group: CONNECTOR, validator: validators.atLeast(0),
  }),
  'retry.backoff.ms': long({
    doc: 'Base of the exponential back-off between retries; each wait is a random time up to backoff × 2^attempt '
      + '(at most 24 h).',
    default: 100, importance: 'LOW', group: CONNECTOR, validator: validators.atLeast(0),
  }),
  'connection.compression': boolean({
    doc: 'gzip request bodies.', default: false, importance: 'LOW', group: CONNECTOR,
  }),
  'max.connection.idle.time.ms': int({
    doc: 'How long an idle pooled connection is kept open.', default: 60000, importance: 'LOW', group: CONNECTOR,
    validator: validators.atLeast(-1),
  }),
  'connection.timeout.ms': int({
    doc: 'Timeout for establishing a connection.', default: 1000, importance: 'LOW', group: CONNECTOR,
    validator: validators.atLeast(0),
  }),
  'read.timeout.ms': int({
    doc: 'Timeout for a whole request and its answer; a bulk that times out is retried.',
    default: 3000, importance: 'LOW', group: CONNECTOR, validator: validators.atLeast(0),
  }),
  'key.ignore': boolean({
    doc: 'true: document ids are <topic>+<partition>+<offset> (every record a new document); false: the record key is '
      + 'the id (an INT8/16/32/64 or STRING key).',
    default: false, importance: 'HIGH', group: DATA,
  }),
  'schema.ignore': boolean({
    doc: 'true: no mapping is put and values are written as they are (maps and structs only); false: the mapping is '
      + 'inferred from the value schema when the index has none.',
    default: false, importance: 'LOW', group: DATA,
  }),
  'compact.map.entries': boolean({
    doc: 'Maps with string keys written as JSON objects (true) or as arrays of {"key","value"} (false). Maps with other '
      + 'keys are always arrays.',
    default: true, importance: 'LOW', group: DATA,
  }),
  'topic.key.ignore': list({
    doc: 'Topics for which key.ignore=true applies regardless of key.ignore.',
    default: [], importance: 'LOW', group: DATA, omitEmpty: true,
  }),
  'topic.schema.ignore': list({
    doc: 'Topics for which schema.ignore=true applies regardless of schema.ignore.',
    default: [], importance: 'LOW', group: DATA, omitEmpty: true,
  }),
  'drop.invalid.message': boolean({
    doc: 'true: a record that cannot be converted to a document is logged and dropped; false: it goes to error '
      + 'tolerance (the dead-letter topic with errors.tolerance=all, otherwise the task fails).',
    default: false, importance: 'LOW', group: DATA,
  }),
  'behavior.on.null.values': choice({
    doc: 'Records with a null value: ignore (skipped), delete (the document with the key\'s id is deleted; skipped '
      + 'without a key) or fail (error tolerance).',
    values: ['ignore', 'delete', 'fail'], caseInsensitive: true, default: 'fail', importance: 'LOW', group: DATA,
  }),
  'behavior.on.malformed.documents': choice({
    doc: 'Documents Elasticsearch rejects as malformed (mapping or parse errors): each goes to the dead-letter topic '
      + 'with the server\'s reason when one is set; then ignore (logged at debug), warn (logged) or fail (the task fails).',
    values: ['ignore', 'warn', 'fail'], caseInsensitive: true, default: 'fail', importance: 'LOW', group: DATA,
  }),
  'write.method': choice({
    doc: 'insert: each record replaces its document (index action, externally versioned by offset with key ids); '
      + 'upsert: each record is merged into its document (update action with doc_as_upsert).',
    values: ['insert', 'upsert'], caseInsensitive: true, default: 'insert', importance: 'LOW', group: DATA,
  }),
  'external.version.header': string({
    doc: 'A header holding a numeric version used instead of the Kafka offset for external versioning (key ids only).',
    default: '', importance: 'LOW', group: DATA,
  }),
  'use.autogenerated.ids': boolean({
    doc: 'insert without an id: Elasticsearch picks one. Fast, but a replay after a crash duplicates documents.',
    default: false, importance: 'LOW', group: DATA,
  }),
  'proxy.host': string({
    doc: 'Accepted for compatibility; ferry does not use an HTTP proxy yet (a non-empty value is an error).',
    default: '', importance: 'LOW', group: PROXY,
  }),
  'proxy.port': int({
    doc: 'Accepted for compatibility (see proxy.host).', default: 8080, importance: 'LOW', group: PROXY,
    validator: validators.between(1, 65535),
  }),
  'proxy.username': string({ doc: 'Accepted for compatibility (see proxy.host).', default: '', importance: 'LOW', group: PROXY }),
  'proxy.password': password({ doc: 'Accepted for compatibility (see proxy.host).', default: null, importance: 'LOW', group: PROXY }),
  'elastic.security.protocol': choice({
    doc: 'PLAINTEXT or SSL. With SSL the elastic.https.ssl.* keys configure TLS.',
    values: ['PLAINTEXT', 'SSL'], caseInsensitive: true, default: 'PLAINTEXT', importance: 'MEDIUM', group: SECURITY,
  }),
  'elastic.https.ssl.truststore.location': string({
    doc: 'File of trusted CA certificates (PEM). Empty: the system\'s CAs.', default: '', importance: 'MEDIUM', group: SECURITY,
  }),
  'elastic.https.ssl.truststore.type': choice({
    doc: 'Truststore format; ferry reads PEM only (Java keystores cannot be read by Node).',
    values: ['PEM', 'JKS', 'PKCS12'], caseInsensitive: true, default: 'JKS', importance: 'LOW', group: SECURITY,
  }),
  'elastic.https.ssl.truststore.password': password({
    doc: 'Accepted for compatibility; PEM truststores have no password.', default: null, importance: 'LOW', group: SECURITY,
  }),
  'elastic.https.ssl.keystore.location': string({
    doc: 'Client certificate for mutual TLS: a PKCS12 file, or a PEM file holding the certificate chain and key.',
    default: '', importance: 'LOW', group: SECURITY,
  }),
  'elastic.https.ssl.keystore.type': choice({
    doc: 'Keystore format: PKCS12 or PEM (JKS cannot be read by Node).',
    values: ['PEM', 'JKS', 'PKCS12'], caseInsensitive: true, default: 'JKS', importance: 'LOW', group: SECURITY,
  }),
  'elastic.https.ssl.keystore.password': password({
    doc: 'Password of the PKCS12 keystore.', default: null, importance: 'LOW', group: SECURITY,
  }),
  'elastic.https.ssl.key.password': password({
    doc: 'Password of the private key in a PEM keystore.', default: null, importance: 'LOW', group: SECURITY,
  }),
  'elastic.https.ssl.endpoint.identification.algorithm': string({
    doc: 'https: the server certificate must name the host; empty: host names are not checked.',
    default: 'https', importance: 'LOW', group: SECURITY,
  }),
  'kerberos.user.principal': string({
    doc: 'Accepted for compatibility; Kerberos is not supported (a value is an error).', default: null, importance: 'LOW', group: KERBEROS,
  }),
  'kerberos.keytab.path': string({
    doc: 'Accepted for compatibility; Kerberos is not supported (a value is an error).', default: null, importance: 'LOW', group: KERBEROS,
  }),
  'data.stream.type': choice({
    doc: 'LOGS or METRICS: write to the data stream <type>-<dataset>-<namespace> (op_type create, @timestamp added) '
      + 'instead of an index named after the topic. NONE: indices.',
    values: ['NONE', 'LOGS', 'METRICS'], caseInsensitive: true, default: 'NONE', importance: 'LOW', group: DATA_STREAM,
  }),
  'data.stream.dataset': string({
    doc: 'The dataset part of data stream names: at most 100 lower-case characters, none of \\ / * ? " < > | , # : - or space.',
    default: '', importance: 'LOW', group: DATA_STREAM,
    validator: validators.validator<string>((v) => (v.length > 100 ? 'at most 100 characters'
      : v !== v.toLowerCase() ? 'must be lower case' : DATASET_FORBIDDEN.test(v) ? 'must not contain \\ / * ? " < > | , # : - or spaces' : undefined)),
  }),
  'data.stream.namespace': string({
    doc: 'The namespace part of data stream names; ${topic} stands for the lower-cased topic. Cut to 100 characters.',
    default: '${topic}', importance: 'LOW', group: DATA_STREAM,
  }),
  'data.stream.timestamp.field': list({
    doc: 'Value fields whose first present one is copied into @timestamp of data stream documents; empty: the Kafka '
      + 'record timestamp.',
    default: [], importance: 'LOW', group: DATA_STREAM, omitEmpty: true,
  }),
  'external.resource.usage': choice({
    doc: 'Accepted for compatibility; only DISABLED (resources named after topics) is supported.',
    values: ['DISABLED', 'INDEX', 'DATASTREAM', 'ALIAS_INDEX', 'ALIAS_DATASTREAM'], caseInsensitive: true,
    default: 'DISABLED', importance: 'LOW', group: DATA,
  }),
  'topic.to.external.resource.mapping': list({
    doc: 'Accepted for compatibility (see external.resource.usage).', default: [], importance: 'LOW', group: DATA, omitEmpty: true,
  }),
}, {
  validateCrossField: (values) => {
    const issues: FieldIssue[] = [];
    if ((values.dataStreamType ?? 'NONE') !== 'NONE' && values.dataStreamDataset === '') {
      issues.push({ name: 'data.stream.dataset', message: 'data.stream.dataset must be set when data.stream.type is LOGS or METRICS' });
    }
    if (values.dataStreamType !== undefined && values.dataStreamType !== 'NONE' && values.writeMethod === 'upsert') {
      issues.push({ name: 'write.method', message: 'Data streams are append-only: write.method must be insert when data.stream.type is set' });
    }
    if (values.proxyHost !== undefined && values.proxyHost !== '') {
      issues.push({ name: 'proxy.host', message: 'HTTP proxies are not supported by ferry\'s Elasticsearch sink' });
    }
    if (values.kerberosUserPrincipal) issues.push({ name: 'kerberos.user.principal', message: 'Kerberos is not supported by ferry\'s Elasticsearch sink' });
    if (values.kerberosKeytabPath) issues.push({ name: 'kerberos.keytab.path', message: 'Kerberos is not supported by ferry\'s Elasticsearch sink' });
    if (values.externalResourceUsage !== undefined && values.externalResourceUsage !== 'DISABLED') {
      issues.push({ name: 'external.resource.usage', message: 'Only DISABLED is supported: resources are named after topics' });
    }
    if (values.useAutogeneratedIds === true && values.writeMethod === 'upsert') {
      issues.push({ name: 'use.autogenerated.ids', message: 'Upserts need document ids: use.autogenerated.ids must be false with write.method=upsert' });
    }
    if (values.elasticSecurityProtocol === 'SSL') {
      if (values.elasticHttpsSslTruststoreLocation && values.elasticHttpsSslTruststoreType !== 'PEM') {
        issues.push({ name: 'elastic.https.ssl.truststore.type', message: 'Only PEM truststores can be read: set elastic.https.ssl.truststore.type=PEM' });
      }
      if (values.elasticHttpsSslKeystoreLocation && values.elasticHttpsSslKeystoreType === 'JKS') {
        issues.push({ name: 'elastic.https.ssl.keystore.type', message: 'JKS keystores cannot be read: use PKCS12 or PEM' });
      }
    }
    return issues;
  },
});

export type ElasticsearchSinkConfig = ParsedConfig<typeof elasticsearchSinkSpec>;
