/** JsonConverter's config keys, as Kafka's JsonConverterConfig declares them. */
import type { ConverterConfigs } from '../../../connectors/sdk/converter.js';
import { boolean, choice, int } from '../../../connectors/sdk/config/config-field.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';

export const JSON_CONVERTER_CONFIG = defineConfig({
  'schemas.enable': boolean({
    doc: 'Include schemas within each of the serialized values and keys.',
    default: true,
    importance: 'HIGH',
    group: 'Schemas',
    orderInGroup: 0,
    width: 'MEDIUM',
    displayName: 'Enable Schemas',
  }),
  'schemas.cache.size': int({
    doc: 'The maximum number of schemas that can be cached in this converter instance.',
    default: 1000,
    importance: 'HIGH',
    group: 'Schemas',
    orderInGroup: 1,
    width: 'MEDIUM',
    displayName: 'Schema Cache Size',
  }),
  'decimal.format': choice({
    doc: "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
    values: ['BASE64', 'NUMERIC'],
    caseInsensitive: true,
    default: 'BASE64',
    importance: 'LOW',
    group: 'Serialization',
    orderInGroup: 0,
    width: 'MEDIUM',
    displayName: 'Decimal Format',
  }),
  'replace.null.with.default': boolean({
    doc: 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
    default: true,
    importance: 'LOW',
    group: 'Serialization',
    orderInGroup: 1,
    width: 'MEDIUM',
    displayName: 'Replace null with default',
  }),
});

export interface JsonConverterSettings {
  readonly schemasEnabled: boolean;
  readonly schemasCacheSize: number;
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
  readonly replaceNullWithDefault: boolean;
}

export const DEFAULT_JSON_CONVERTER_SETTINGS: JsonConverterSettings = {
  schemasEnabled: true,
  schemasCacheSize: 1000,
  decimalFormat: 'BASE64',
  replaceNullWithDefault: true,
};

/** Throws ConfigError listing every invalid key. */
export function parseJsonConverterConfig(configs: ConverterConfigs): JsonConverterSettings {
  const parsed = JSON_CONVERTER_CONFIG.parse(configs);
  return {
    schemasEnabled: parsed.schemasEnable,
    schemasCacheSize: parsed.schemasCacheSize,
    decimalFormat: parsed.decimalFormat,
    replaceNullWithDefault: parsed.replaceNullWithDefault,
  };
}
