/**
 * The settings of the Connect ↔ JSON Schema mapping (Confluent's JsonSchemaDataConfig, with the
 * keys every mapping shares from SCHEMA_DATA_CONFIG_FIELDS) and of the JSON Schema
 * serializer/deserializer the JsonSchemaConverter wraps, declared once.
 *
 * `json.fail.unknown.properties` only matters when Confluent's deserializer binds JSON to a Java
 * class; the converter reads into Connect data, so it is accepted and has no effect, as there.
 */
import { boolean, choice } from '../../../../connectors/sdk/config/config-field.js';
import { SCHEMA_DATA_CONFIG_FIELDS } from '../../../../connectors/sdk/data/schema-data-config.js';

export const JSON_SCHEMA_DATA_CONFIG_FIELDS = {
  ...SCHEMA_DATA_CONFIG_FIELDS,
  'object.additional.properties': boolean({
    doc: 'Whether to allow additional properties for object schemas (false writes "additionalProperties":false).',
    default: true,
    importance: 'MEDIUM',
  }),
  'use.optional.for.nonrequired': boolean({
    doc: 'Whether to set non-required properties to be optional.',
    default: false,
    importance: 'MEDIUM',
  }),
  'decimal.format': choice({
    doc: "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
    values: ['BASE64', 'NUMERIC'],
    caseInsensitive: true,
    default: 'BASE64',
    importance: 'LOW',
  }),
  'flatten.singleton.unions': boolean({
    doc: 'Whether to flatten singleton unions (a oneOf of one schema reads as that schema).',
    default: true,
    importance: 'LOW',
  }),
  'json.fail.invalid.schema': boolean({
    doc: 'Whether to validate each value against its JSON Schema when writing and reading it, failing the record when it does not conform.',
    default: false,
    importance: 'MEDIUM',
  }),
  'json.fail.unknown.properties': boolean({
    doc: 'Whether to fail on unknown properties when binding JSON to a Java class; the converter reads into Connect data, where it has no effect.',
    default: true,
    importance: 'LOW',
  }),
} as const;

/** The mapping's settings, as the mapping code reads them. */
export interface JsonSchemaDataSettings {
  readonly objectAdditionalProperties: boolean;
  readonly useOptionalForNonrequired: boolean;
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
  readonly flattenSingletonUnions: boolean;
  readonly ignoreDefaultForNullables: boolean;
}

export const DEFAULT_JSON_SCHEMA_DATA_SETTINGS: JsonSchemaDataSettings = Object.freeze({
  objectAdditionalProperties: true,
  useOptionalForNonrequired: false,
  decimalFormat: 'BASE64',
  flattenSingletonUnions: true,
  ignoreDefaultForNullables: false,
});
