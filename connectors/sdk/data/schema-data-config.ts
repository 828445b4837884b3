/**
 * The config keys every Connect ↔ schema-format mapping shares (Confluent's AbstractDataConfig:
 * Avro, JSON Schema and Protobuf data configs all extend it), declared once for all of them:
 * a mapping spreads SCHEMA_DATA_CONFIG_FIELDS into its own fields.
 *
 * `generalized.sum.type.support` is declared so that configs written for Confluent's converters
 * validate, but ferry implements only its default (false): true is refused, not ignored.
 */
import { boolean, int } from '../config/config-field.js';
import { validator } from '../config/validators.js';

/** A validator refusing `true` for a boolean key ferry declares but implements only as false. */
export const onlyFalseSupported = validator<boolean>((value, name) => (value ? `${name}=true is not supported by ferry; only false is` : undefined));

export const SCHEMA_DATA_CONFIG_FIELDS = {
  'generalized.sum.type.support': boolean({
    doc: 'Toggle for enabling/disabling generalized sum type support: interoperability of enum/union with other schema formats. Only false is supported by ferry.',
    default: false,
    importance: 'MEDIUM',
    validator: onlyFalseSupported,
  }),
  'ignore.default.for.nullables': boolean({
    doc: 'Whether to ignore the default for nullable fields when the value is null',
    default: false,
    importance: 'LOW',
  }),
  'schemas.cache.config': int({
    doc: 'Size of the converted schemas cache',
    default: 1000,
    importance: 'LOW',
  }),
} as const;
