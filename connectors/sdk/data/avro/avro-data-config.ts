/**
 * The settings of the Connect ↔ Avro mapping (Confluent's AvroDataConfig), declared once for every
 * user of the mapping: the AvroConverter includes these fields in its config spec, and a connector
 * writing Avro files can include them in its own.
 *
 * The keys all schema formats share come from SCHEMA_DATA_CONFIG_FIELDS. `discard.type.doc.default`
 * (like `generalized.sum.type.support` there) is declared so that configs written for Confluent's
 * converter validate, but ferry implements only its default (false): true is refused, not ignored.
 */
import { boolean } from '../../config/config-field.js';
import { onlyFalseSupported, SCHEMA_DATA_CONFIG_FIELDS } from '../schema-data-config.js';

export const AVRO_DATA_CONFIG_FIELDS = {
  ...SCHEMA_DATA_CONFIG_FIELDS,
  'connect.meta.data': boolean({
    doc: 'Toggle for enabling/disabling connect converter to add its meta data to the output schema or not',
    default: true,
    importance: 'LOW',
  }),
  'enhanced.avro.schema.support': boolean({
    doc: 'Toggle for enabling/disabling enhanced avro schema support: Enum symbol preservation and Package Name awareness',
    default: false,
    importance: 'MEDIUM',
  }),
  'scrub.invalid.names': boolean({
    doc: 'Whether to scrub invalid names by replacing invalid characters with valid characters',
    default: false,
    importance: 'MEDIUM',
  }),
  'allow.optional.map.keys': boolean({
    doc: 'Allow optional string map key when converting from Connect Schema to Avro Schema.',
    default: false,
    importance: 'LOW',
  }),
  'flatten.singleton.unions': boolean({
    doc: 'Whether to flatten singleton unions.  Should be set to true if using S3 sink connector with Parquet format.',
    default: true,
    importance: 'LOW',
  }),
  'discard.type.doc.default': boolean({
    doc: 'Only use the doc and default of the field, not the type. Only false is supported by ferry.',
    default: false,
    importance: 'LOW',
    validator: onlyFalseSupported,
  }),
} as const;

/** The mapping's settings, as the mapping code reads them. */
export interface AvroDataSettings {
  readonly connectMetaData: boolean;
  readonly enhancedAvroSchemaSupport: boolean;
  readonly scrubInvalidNames: boolean;
  readonly allowOptionalMapKeys: boolean;
  readonly flattenSingletonUnions: boolean;
  readonly ignoreDefaultForNullables: boolean;
  readonly schemasCacheConfig: number;
}

export const DEFAULT_AVRO_DATA_SETTINGS: AvroDataSettings = Object.freeze({
  connectMetaData: true,
  enhancedAvroSchemaSupport: false,
  scrubInvalidNames: false,
  allowOptionalMapKeys: false,
  flattenSingletonUnions: true,
  ignoreDefaultForNullables: false,
  schemasCacheConfig: 1000,
});
