/**
 * ferry's connector SDK: the one entry point a connector, converter, transform or predicate
 * author imports (`import { ... } from 'ferry/sdk'`). Everything exported here is public API,
 * versioned as SDK_VERSION says (docs/sdk.md); what is not exported here is not, even where a
 * file of this folder exports it for the runtime.
 *
 * The names are listed one by one on purpose: adding a name to the SDK is a decision (a minor
 * version), not a side effect of exporting something from one of its files.
 */

// Version and the plugin package format
export { SDK_VERSION } from './sdk-version.js';
export { definePlugins, type ConverterPlugin, type PluginPackage } from './plugin-package.js';
export type { ConnectorPlugin, SinkConnectorPlugin, SourceConnectorPlugin } from './plugin.js';
export type { Predicate, PredicatePlugin, RecordPredicate, RecordTransform, Transform, TransformPlugin } from './transform.js';

// Connectors and tasks
export {
  ConnectorTransactionBoundaries, ExactlyOnceSupport,
  type Connector, type ConnectorContext, type RawConfig,
} from './connector.js';
export type { OffsetReader, RecordMetadata, SourceTask, SourceTaskContext, TransactionContext } from './source-task.js';
export type { PartitionOffsets, SinkTask, SinkTaskContext } from './sink-task.js';
export type { TaskLogger } from './task-logger.js';

// Records
export {
  topicPartitionKey,
  type ConnectHeader, type ConnectRecord, type OffsetValue, type SinkRecord, type SourceOffset,
  type SourcePartition, type SourceRecord, type TimestampType, type TopicPartition,
} from './connect-record.js';

// Errors
export {
  BatchError, ConnectError, DataError, RetriableError,
  type BatchFailure, type ConnectErrorOptions, type DataErrorOptions,
} from './errors.js';

// Converters
export type {
  Converter, ConverterClass, ConverterConfigs, HeaderConverter, RecordHeader, RecordHeaders,
} from './converter.js';

// Connect data: schemas, structs, logical types, values
export {
  DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, DECIMAL_SCALE_PARAMETER, Decimal, Field, LogicalDate, LogicalDecimal,
  LogicalTime, LogicalTimestamp, SCHEMA_TYPES, Schema, SchemaAndValue, SchemaBuilder, Struct, TIME_LOGICAL_NAME,
  TIMESTAMP_LOGICAL_NAME, Values, describeValue, displayString, isInt64, isPrimitiveType, normalizeInt64,
  schemaTypeFromName, schemaTypeName, validateValue, valuesEqual,
  type SchemaInit, type SchemaType,
} from './data/index.js';

// The config definition language (Kafka's ConfigDef)
export {
  ConfigError, ConfigSpec, Password, boolean, choice, classField, class_, defineConfig, double, int, list, long,
  password, short, string, validators,
  type CamelCase, type ChoiceOptions, type ConfigField, type ConfigFields, type ConfigInfo, type ConfigInfos,
  type ConfigKeyInfo, type ConfigType, type ConfigValidation, type ConfigValue, type ConfigValueInfo,
  type ConfigValues, type CrossFieldRule, type FieldIssue, type FieldOptions, type FieldValue, type Importance,
  type JsonSchemaObject, type ListOptions, type MarkdownOptions, type Merged, type ParsedConfig, type ParsedFields,
  type PasswordOptions, type Prefixed, type RawValue, type Recommender, type SpecOptions, type Validator, type Width,
} from './config/config-spec.js';

// Kafka clusters a connector reaches with clients of its own (MirrorMaker's source and target)
export type {
  ClientProperties, ClusterAdmin, ClusterClient, ClusterOutgoingRecord, ClusterPartition, ClusterPartitionOffset,
  ClusterProducer, ClusterRecord, ClusterRecordHeader, CommittedOffset, GroupState, KafkaClusters, NewClusterTopic,
  PartitionReader, StartOffset,
} from './kafka-clusters.js';
