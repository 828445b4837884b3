/**
 * Logger levels (`/admin/loggers`): LoggerLevel, the level-change body and the scope query.
 * `level` is a log4j level name; `last_modified` the epoch ms of the last change through the
 * API on this worker, else null.
 */
export const loggerLevelSchema = {
  $id: 'LoggerLevel',
  type: 'object',
  properties: {
    level: { type: 'string' },
    last_modified: { type: ['integer', 'null'] },
  },
  required: ['level', 'last_modified'],
} as const;

export const loggerLevelsSchema = {
  $id: 'LoggerLevels',
  type: 'object',
  description: 'Keyed by logger name; `root` is the root logger',
  additionalProperties: { $ref: 'LoggerLevel#' },
} as const;

export const loggerParamsSchema = {
  $id: 'LoggerParams',
  type: 'object',
  properties: { logger: { type: 'string', description: 'Logger name or namespace, e.g. `org.apache.kafka.connect` or `root`' } },
  required: ['logger'],
} as const;

export const loggerScopeQuerySchema = {
  $id: 'LoggerScopeQuery',
  type: 'object',
  properties: {
    scope: { type: 'string', description: '`worker` (default; any unknown value) or `cluster`' },
  },
} as const;

/** Any other members are ignored, as Kafka binds the body to a string map and reads only `level`. */
export const loggerLevelInputSchema = {
  $id: 'LoggerLevelInput',
  type: 'object',
  properties: {
    level: { type: ['string', 'null'], description: 'OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL, any case' },
  },
} as const;

export interface LoggerParams {
  logger: string;
}

export interface LoggerLevelInput {
  level?: string | null;
}

export const loggerSchemas = [loggerLevelSchema, loggerLevelsSchema, loggerParamsSchema, loggerScopeQuerySchema, loggerLevelInputSchema];
