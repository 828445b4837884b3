/**
 * The settings of the Connect ↔ Protobuf mapping (Confluent's ProtobufDataConfig, with the keys every
 * mapping shares from SCHEMA_DATA_CONFIG_FIELDS), declared once. Keys ferry implements only at their
 * default are declared so that configs written for Confluent's converter validate, and refuse the
 * other value rather than ignoring it.
 */
import { boolean } from '../../../../connectors/sdk/config/config-field.js';
import { validator } from '../../../../connectors/sdk/config/validators.js';
import { onlyFalseSupported, SCHEMA_DATA_CONFIG_FIELDS } from '../../../../connectors/sdk/data/schema-data-config.js';

const onlyTrueSupported = validator<boolean>((value, name) => (value ? undefined : `${name}=false is not supported by ferry; only true is`));

export const PROTOBUF_DATA_CONFIG_FIELDS = {
  ...SCHEMA_DATA_CONFIG_FIELDS,
  'enhanced.protobuf.schema.support': boolean({
    doc: 'Toggle for enabling/disabling enhanced protobuf schema support: package name preservation. Only false is supported by ferry.',
    default: false,
    importance: 'MEDIUM',
    validator: onlyFalseSupported,
  }),
  'scrub.invalid.names': boolean({
    doc: 'Whether to scrub invalid names by replacing invalid characters with valid characters',
    default: false,
    importance: 'MEDIUM',
  }),
  'int.for.enums': boolean({
    doc: 'Whether to represent enums as integers',
    default: false,
    importance: 'MEDIUM',
  }),
  'optional.for.nullables': boolean({
    doc: 'Whether nullable fields should be specified with an optional label',
    default: false,
    importance: 'MEDIUM',
  }),
  'wrapper.for.nullables': boolean({
    doc: 'Whether nullable fields should use primitive wrapper messages',
    default: false,
    importance: 'MEDIUM',
  }),
  'wrapper.for.raw.primitives': boolean({
    doc: 'Whether a wrapper message should be interpreted as a raw primitive at the root level. Only true is supported by ferry.',
    default: true,
    importance: 'MEDIUM',
    validator: onlyTrueSupported,
  }),
  'generate.index.for.unions': boolean({
    doc: 'Whether to suffix union names with an underscore followed by an index',
    default: true,
    importance: 'MEDIUM',
  }),
  'flatten.unions': boolean({
    doc: 'Whether to flatten unions (oneofs). Only false is supported by ferry.',
    default: false,
    importance: 'MEDIUM',
    validator: onlyFalseSupported,
  }),
  'generate.struct.for.nulls': boolean({
    doc: 'Whether to generate a struct variable for null values. Only false is supported by ferry.',
    default: false,
    importance: 'MEDIUM',
    validator: onlyFalseSupported,
  }),
} as const;

export interface ProtobufDataSettings {
  readonly scrubInvalidNames: boolean;
  readonly intForEnums: boolean;
  readonly wrapperForNullables: boolean;
  readonly optionalForNullables: boolean;
  readonly generateIndexForUnions: boolean;
  readonly ignoreDefaultForNullables: boolean;
}

export const DEFAULT_PROTOBUF_DATA_SETTINGS: ProtobufDataSettings = Object.freeze({
  scrubInvalidNames: false,
  intForEnums: false,
  wrapperForNullables: false,
  optionalForNullables: false,
  generateIndexForUnions: true,
  ignoreDefaultForNullables: false,
});
