/**
 * Connector entities (ConnectorInfo, TaskInfo, CreateConnectorRequest) and config maps.
 * Config maps sent back are string-valued and keep every key. Config maps received accept
 * strings and null; ajv's coercion turns JSON numbers and booleans into their string form
 * (as Jackson does when binding Map<String,String>), and objects or arrays are rejected
 * naming the key. What null means is up to each route (PATCH: remove the key).
 */
export const connectorConfigSchema = {
  $id: 'ConnectorConfig',
  type: 'object',
  additionalProperties: { type: 'string' },
} as const;

export const connectorConfigInputSchema = {
  $id: 'ConnectorConfigInput',
  type: 'object',
  additionalProperties: { type: ['string', 'null'] },
} as const;

export const connectorTaskIdSchema = {
  $id: 'ConnectorTaskId',
  type: 'object',
  properties: {
    connector: { type: 'string' },
    task: { type: 'integer' },
  },
  required: ['connector', 'task'],
} as const;

export const connectorInfoSchema = {
  $id: 'ConnectorInfo',
  type: 'object',
  properties: {
    name: { type: 'string' },
    config: { $ref: 'ConnectorConfig#' },
    tasks: { type: 'array', items: { $ref: 'ConnectorTaskId#' } },
    type: { type: 'string', enum: ['source', 'sink', 'unknown'] },
  },
  required: ['name', 'config', 'tasks', 'type'],
} as const;

export const taskInfoSchema = {
  $id: 'TaskInfo',
  type: 'object',
  properties: {
    id: { $ref: 'ConnectorTaskId#' },
    config: { $ref: 'ConnectorConfig#' },
  },
  required: ['id', 'config'],
} as const;

export const createConnectorRequestSchema = {
  $id: 'CreateConnectorRequest',
  type: 'object',
  properties: {
    name: { type: ['string', 'null'], description: 'Trimmed; missing means empty, which fails validation' },
    config: { $ref: 'ConnectorConfigInput#' },
    initial_state: { type: ['string', 'null'], description: 'RUNNING (default), PAUSED or STOPPED, any case' },
  },
  required: ['config'],
} as const;

/** One entry of `GET /connectors?expand=...`: only the requested expansions are present. */
export const connectorExpansionSchema = {
  $id: 'ConnectorExpansion',
  type: 'object',
  properties: {
    status: { $ref: 'ConnectorStateInfo#' },
    info: { $ref: 'ConnectorInfo#' },
  },
} as const;

export const connectorListSchema = {
  $id: 'ConnectorList',
  description: 'Connector names, or an object keyed by connector name when `expand` is given',
  anyOf: [
    { type: 'array', items: { type: 'string' } },
    { type: 'object', additionalProperties: { $ref: 'ConnectorExpansion#' } },
  ],
} as const;

export type ConnectorConfigInput = Record<string, string | null>;

export interface CreateConnectorRequest {
  name?: string | null;
  config: ConnectorConfigInput;
  initial_state?: string | null;
}

export const connectorSchemas = [
  connectorConfigSchema,
  connectorConfigInputSchema,
  connectorTaskIdSchema,
  connectorInfoSchema,
  taskInfoSchema,
  createConnectorRequestSchema,
  connectorExpansionSchema,
  connectorListSchema,
];
