/**
 * Kafka Connect's ErrorMessage body, sent with every error status: `error_code` always equals
 * the HTTP status. `errorResponses` builds the error part of a route's response schemas.
 */
export const errorMessageSchema = {
  $id: 'ErrorMessage',
  type: 'object',
  properties: {
    error_code: { type: 'integer' },
    message: { type: 'string' },
  },
  required: ['error_code', 'message'],
} as const;

export interface ErrorMessage {
  error_code: number;
  message: string;
}

const errorRef = { $ref: 'ErrorMessage#' } as const;

/** Error response schemas for the given statuses; 500 (timeouts, unexpected failures) is always included. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorRef> {
  const responses: Record<number, typeof errorRef> = { 500: errorRef };
  for (const status of statuses) responses[status] = errorRef;
  return responses;
}

/** Success statuses that carry no body (204, and Kafka's bodyless 202s). */
export const noBody = { description: 'No body', type: 'null' } as const;

export const errorSchemas = [errorMessageSchema];
