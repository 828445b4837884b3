/**
 * Path and query parameter schemas. Query booleans are declared as strings and read the way
 * JAX-RS reads a Java Boolean (`true` in any case is true, anything else false), so
 * `?includeTasks=yes` is false rather than a 400, as in Kafka Connect.
 */
export const connectorParamsSchema = {
  $id: 'ConnectorParams',
  type: 'object',
  properties: { connector: { type: 'string' } },
  required: ['connector'],
} as const;

/** A task number that is not a Java int is a 404 in Kafka Connect (JAX-RS path conversion); see error-mapper. */
export const taskParamsSchema = {
  $id: 'TaskParams',
  type: 'object',
  properties: {
    connector: { type: 'string' },
    task: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
  },
  required: ['connector', 'task'],
} as const;

export const pluginParamsSchema = {
  $id: 'PluginParams',
  type: 'object',
  properties: { plugin: { type: 'string', description: 'Connector class name or alias' } },
  required: ['plugin'],
} as const;

export const listConnectorsQuerySchema = {
  $id: 'ListConnectorsQuery',
  type: 'object',
  properties: {
    expand: {
      type: 'array',
      items: { type: 'string' },
      description: 'Repeatable: `status` and/or `info`; unknown values are ignored',
    },
  },
} as const;

export const restartQuerySchema = {
  $id: 'RestartQuery',
  type: 'object',
  properties: {
    includeTasks: { type: 'string', description: 'Java boolean, default false' },
    onlyFailed: { type: 'string', description: 'Java boolean, default false' },
  },
} as const;

export const connectorPluginsQuerySchema = {
  $id: 'ConnectorPluginsQuery',
  type: 'object',
  properties: {
    connectorsOnly: { type: 'string', description: 'Java boolean, default true' },
  },
} as const;

export interface ConnectorParams {
  connector: string;
}

export interface TaskParams {
  connector: string;
  task: number;
}

export interface PluginParams {
  plugin: string;
}

/** Reads a query parameter as JAX-RS reads a Java Boolean: absent or blank gives the default. */
export function javaBoolean(value: string | undefined, defaultValue: boolean): boolean {
  if (value === undefined || value.trim() === '') return defaultValue;
  return value.toLowerCase() === 'true';
}

export const paramSchemas = [
  connectorParamsSchema,
  taskParamsSchema,
  pluginParamsSchema,
  listConnectorsQuerySchema,
  restartQuerySchema,
  connectorPluginsQuerySchema,
];
