/**
 * Connector offsets (KIP-875): ConnectorOffsets as GET answers it and PATCH receives it, and the
 * Message of PATCH and DELETE. Partition and offset maps are connector-defined (source) or
 * `{kafka_topic, kafka_partition}` / `{kafka_offset}` (sink); a null offset removes it.
 */
const offsetMap = { type: 'object', additionalProperties: true } as const;

export const connectorOffsetSchema = {
  $id: 'ConnectorOffset',
  type: 'object',
  properties: {
    partition: offsetMap,
    offset: { type: ['object', 'null'], additionalProperties: true },
  },
  required: ['partition', 'offset'],
} as const;

export const connectorOffsetsSchema = {
  $id: 'ConnectorOffsets',
  type: 'object',
  properties: {
    offsets: { type: 'array', items: { $ref: 'ConnectorOffset#' } },
  },
  required: ['offsets'],
} as const;

/** A PATCH entry as received: a missing or null partition is the connector's to reject (400 for sinks). */
export const connectorOffsetInputSchema = {
  $id: 'ConnectorOffsetInput',
  type: 'object',
  properties: {
    partition: { type: ['object', 'null'], additionalProperties: true },
    offset: { type: ['object', 'null'], additionalProperties: true },
  },
} as const;

export const connectorOffsetsInputSchema = {
  $id: 'ConnectorOffsetsInput',
  type: 'object',
  properties: {
    offsets: { type: ['array', 'null'], items: { $ref: 'ConnectorOffsetInput#' }, description: 'Must not be empty' },
  },
} as const;

export const messageSchema = {
  $id: 'Message',
  type: 'object',
  properties: { message: { type: 'string' } },
  required: ['message'],
} as const;

export interface ConnectorOffsetsInput {
  offsets?: { partition?: Record<string, unknown> | null; offset?: Record<string, unknown> | null }[] | null;
}

export const offsetSchemas = [connectorOffsetSchema, connectorOffsetsSchema, connectorOffsetInputSchema, connectorOffsetsInputSchema, messageSchema];
