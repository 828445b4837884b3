/**
 * Request bodies are JSON only, as in Kafka Connect (`@Consumes(application/json)`): any other
 * content type with a body is 415. An empty JSON body counts as no body, so bodyless
 * operations (`PUT .../pause`) work when a client still sends `Content-Type: application/json`;
 * routes that need a body then fail their schema. Unparseable JSON is a MalformedJsonError,
 * which the error mapper answers with 500 as Kafka Connect's generic exception mapper does.
 * The body's text is kept (rawBodyOf): signed requests between workers are verified over the
 * exact bytes that were sent.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const rawBodies = new WeakMap<FastifyRequest, string>();

/** The request body exactly as received (UTF-8); empty when there was none. */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.from(rawBodies.get(request) ?? '', 'utf8');
}

export class MalformedJsonError extends Error {
  constructor(detail: string) {
    super(`Cannot parse the request body as JSON: ${detail}`);
    this.name = 'MalformedJsonError';
  }
}

function describeJsonProblem(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'a key named __proto__ or constructor.prototype is not accepted';
}

export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    rawBodies.set(request, text);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, (err, value) => {
      if (err) done(new MalformedJsonError(describeJsonProblem(text)), undefined);
      else done(null, value);
    });
  });
}
