/** Active topics (KIP-558): `{"c": {"topics": ["t1", "t2"]}}`. */
export const activeTopicsSchema = {
  $id: 'ActiveTopics',
  type: 'object',
  description: 'Keyed by connector name',
  additionalProperties: {
    type: 'object',
    properties: { topics: { type: 'array', items: { type: 'string' } } },
    required: ['topics'],
  },
} as const;

export const topicSchemas = [activeTopicsSchema];
