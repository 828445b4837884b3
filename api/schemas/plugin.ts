/** Plugin listing, plugin config definitions (ConfigKeyInfo) and the validate response (ConfigInfos). */
export const pluginInfoSchema = {
  $id: 'PluginInfo',
  type: 'object',
  properties: {
    class: { type: 'string' },
    type: { type: 'string', enum: ['source', 'sink', 'converter', 'header_converter', 'transformation', 'predicate'] },
    version: { type: 'string' },
  },
  required: ['class', 'type'],
} as const;

export const configKeyInfoSchema = {
  $id: 'ConfigKeyInfo',
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string', enum: ['BOOLEAN', 'STRING', 'INT', 'SHORT', 'LONG', 'DOUBLE', 'LIST', 'CLASS', 'PASSWORD'] },
    required: { type: 'boolean' },
    default_value: { type: ['string', 'null'] },
    importance: { type: 'string', enum: ['HIGH', 'MEDIUM', 'LOW'] },
    documentation: { type: ['string', 'null'] },
    group: { type: ['string', 'null'] },
    order: { type: 'integer' },
    width: { type: 'string', enum: ['NONE', 'SHORT', 'MEDIUM', 'LONG'] },
    display_name: { type: 'string' },
    dependents: { type: 'array', items: { type: 'string' } },
  },
  required: ['name', 'type', 'required', 'default_value', 'importance', 'documentation', 'group', 'order', 'width', 'display_name', 'dependents'],
} as const;

export const configValueInfoSchema = {
  $id: 'ConfigValueInfo',
  type: 'object',
  properties: {
    name: { type: 'string' },
    value: { type: ['string', 'null'] },
    recommended_values: { type: 'array', items: { type: 'string' } },
    errors: { type: 'array', items: { type: 'string' } },
    visible: { type: 'boolean' },
  },
  required: ['name', 'value', 'recommended_values', 'errors', 'visible'],
} as const;

export const configInfoSchema = {
  $id: 'ConfigInfo',
  type: 'object',
  properties: {
    definition: { anyOf: [{ $ref: 'ConfigKeyInfo#' }, { type: 'null' }] },
    value: { anyOf: [{ $ref: 'ConfigValueInfo#' }, { type: 'null' }] },
  },
  required: ['definition', 'value'],
} as const;

export const configInfosSchema = {
  $id: 'ConfigInfos',
  type: 'object',
  properties: {
    name: { type: 'string' },
    error_count: { type: 'integer' },
    groups: { type: 'array', items: { type: 'string' } },
    configs: { type: 'array', items: { $ref: 'ConfigInfo#' } },
  },
  required: ['name', 'error_count', 'groups', 'configs'],
} as const;

export const pluginSchemas = [pluginInfoSchema, configKeyInfoSchema, configValueInfoSchema, configInfoSchema, configInfosSchema];
