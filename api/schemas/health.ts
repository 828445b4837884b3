/** WorkerStatus (`GET /health`, KIP-1017): sent with 200, 503 and 500 alike, never an ErrorMessage. */
export const workerStatusSchema = {
  $id: 'WorkerStatus',
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['healthy', 'starting', 'unhealthy'] },
    message: { type: 'string' },
  },
  required: ['status', 'message'],
} as const;

export const healthSchemas = [workerStatusSchema];
