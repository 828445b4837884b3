export const serverInfoSchema = {
  $id: 'ServerInfo',
  type: 'object',
  properties: {
    version: { type: 'string' },
    commit: { type: 'string' },
    kafka_cluster_id: { type: 'string' },
  },
  required: ['version', 'commit', 'kafka_cluster_id'],
} as const;

export const serverInfoSchemas = [serverInfoSchema];
