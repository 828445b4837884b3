/** The deprecated `GET /connectors/{c}/tasks-config` answer: task configs keyed `{c}-{n}`. */
export const taskConfigsSchema = {
  $id: 'TaskConfigs',
  type: 'object',
  description: 'Keyed by task id, `{connector}-{task}`',
  additionalProperties: { $ref: 'ConnectorConfig#' },
} as const;

export const taskConfigSchemas = [taskConfigsSchema];
