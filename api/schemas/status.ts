/** Observed state (ConnectorStateInfo, TaskState) as the workers last reported it. `trace` appears only when set. */
const state = { type: 'string', description: 'UNASSIGNED, RUNNING, PAUSED, STOPPED (connector only), FAILED or RESTARTING' } as const;

export const connectorStateSchema = {
  $id: 'ConnectorState',
  type: 'object',
  properties: {
    state,
    worker_id: { type: 'string' },
    trace: { type: 'string' },
  },
  required: ['state', 'worker_id'],
} as const;

export const taskStateSchema = {
  $id: 'TaskState',
  type: 'object',
  properties: {
    id: { type: 'integer' },
    state,
    worker_id: { type: 'string' },
    trace: { type: 'string' },
  },
  required: ['id', 'state', 'worker_id'],
} as const;

export const connectorStateInfoSchema = {
  $id: 'ConnectorStateInfo',
  type: 'object',
  properties: {
    name: { type: 'string' },
    connector: { $ref: 'ConnectorState#' },
    tasks: { type: 'array', items: { $ref: 'TaskState#' } },
    type: { type: 'string', enum: ['source', 'sink', 'unknown'] },
  },
  required: ['name', 'connector', 'tasks', 'type'],
} as const;

export const statusSchemas = [connectorStateSchema, taskStateSchema, connectorStateInfoSchema];
