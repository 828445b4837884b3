/**
 * An error the HTTP layer raises itself (request checks Kafka Connect makes in its REST
 * resources rather than in the herder), answered with `status` and Kafka's ErrorMessage body.
 */
export class RestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'RestError';
  }
}

export function badRequest(message: string): RestError {
  return new RestError(400, message);
}
