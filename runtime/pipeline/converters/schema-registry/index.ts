/**
 * What every Schema Registry converter (Avro, JSON Schema, Protobuf) shares, in one import:
 *
 *   // config: spread the shared keys into the converter's own spec, then
 *   const spec = defineConfig({ ...SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, ...MY_FORMAT_FIELDS });
 *   const serde = serdeSettings(spec.parse(configs), isKey);      // strategy, auto-register, ...
 *   const client = new SchemaRegistryClient(serde.client);        // one per converter instance
 *
 *   // writing
 *   const subject = serde.subjectNameStrategy(topic, isKey, recordFullNameOrNull);
 *   const id = await client.register(subject, { schemaType: 'JSON', schema: text, references: [] });
 *   const bytes = frame(id, payload);                             // Protobuf: payload starts with its message indexes
 *
 *   // reading
 *   const problem = framingProblem(bytes);                        // "Unknown magic byte! ..." or null
 *   const { schemaId, payload } = unframe(bytes);
 *   const schema = await client.schemaById(schemaId);
 *   const { version } = await client.lookup(subject, schema);     // the Connect schema version, as Confluent's converters do
 *
 * Registry failures are SchemaRegistryErrors (`errorCode`, `registryMessage`, `retriable`); map
 * retriable ones to RetriableError and the rest to DataError naming the topic, as avro-converter.ts
 * does. The client's `cached*` methods let a warm converter answer without a Promise.
 */
export {
  SchemaRegistryClient, type RegisteredSchema, type RegistrySchema, type SchemaReference, type SchemaRegistryClientOptions, type SchemaType,
} from './schema-registry-client.js';
export { SCHEMA_REGISTRY_SERDE_CONFIG_FIELDS, serdeSettings, type ParsedSerdeConfig, type SerdeSettings } from './schema-registry-config.js';
export { SchemaRegistryError, UNPARSEABLE_ERROR_CODE } from './schema-registry-error.js';
export { SUBJECT_NAME_STRATEGIES, TOPIC_NAME_STRATEGY, subjectNameStrategy, type SubjectNameStrategy } from './subject-name-strategy.js';
export { frame, framingProblem, MAGIC_BYTE, PREFIX_LENGTH, unframe, type Framed } from './wire-format.js';
