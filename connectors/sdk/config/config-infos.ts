/**
 * Kafka Connect's REST entities for config: ConfigKeyInfo (`GET /connector-plugins/{p}/config`,
 * and each `definition` of a validate response), ConfigValueInfo and ConfigInfos (the validate
 * response). JSON key names and key order follow Kafka; values are stringified as Kafka does.
 */
import type { ConfigField } from './config-field.js';
import type { ConfigValidation, ConfigValue } from './config-spec.js';
import { renderValue, type ConfigType } from './config-value.js';

export interface ConfigKeyInfo {
  name: string;
  type: ConfigType;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string | null;
  group: string | null;
  order: number;
  width: string;
  display_name: string;
  dependents: string[];
}

export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

export interface ConfigInfo {
  definition: ConfigKeyInfo | null;
  value: ConfigValueInfo | null;
}

export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

type Fields = Readonly<Record<string, ConfigField<unknown>>>;

export function configKeyInfo(name: string, f: ConfigField<unknown>): ConfigKeyInfo {
  return {
    name,
    type: f.type,
    required: f.required,
    default_value: f.required ? null : renderValue(f.defaultValue, f.type),
    importance: f.importance,
    documentation: f.doc,
    group: f.group,
    order: f.group === null ? -1 : f.orderInGroup ?? -1,
    width: f.width,
    display_name: f.displayName ?? name,
    dependents: [...f.dependents],
  };
}

export function configValueInfo(v: ConfigValue, type: ConfigType | null): ConfigValueInfo {
  const itemType = type === 'LIST' ? 'STRING' : type;
  return {
    name: v.name,
    value: renderValue(v.value, type),
    recommended_values: v.recommendedValues.map((r) => renderValue(r, itemType) as string),
    errors: [...v.errors],
    visible: v.visible,
  };
}

export function describeSpec(fields: Fields): ConfigKeyInfo[] {
  return Object.keys(fields).map((name) => configKeyInfo(name, fields[name]));
}

/** Values without a definition come first, then every definition in spec order (as Kafka lists them). */
export function configInfosOf(pluginName: string, fields: Fields, groups: readonly string[], validation: ConfigValidation): ConfigInfos {
  const byName = new Map(validation.values.map((v) => [v.name, v]));
  const configs: ConfigInfo[] = [];
  for (const v of validation.values) {
    if (!Object.prototype.hasOwnProperty.call(fields, v.name)) configs.push({ definition: null, value: configValueInfo(v, null) });
  }
  for (const name of Object.keys(fields)) {
    const v = byName.get(name);
    configs.push({ definition: configKeyInfo(name, fields[name]), value: v ? configValueInfo(v, fields[name].type) : null });
  }
  const errorCount = configs.reduce((n, c) => n + (c.value?.errors.length ?? 0), 0);
  return { name: pluginName, error_count: errorCount, groups: [...groups], configs };
}

/** Combines several ConfigInfos (e.g. connector keys and client-override checks) under one name. */
export function mergeConfigInfos(name: string, ...parts: ConfigInfos[]): ConfigInfos {
  const groups = [...new Set(parts.flatMap((p) => p.groups))];
  return {
    name,
    error_count: parts.reduce((n, p) => n + p.error_count, 0),
    groups,
    configs: parts.flatMap((p) => p.configs),
  };
}
