/**
 * `/schemas`: schemas by id (soft-deleted ones included, so old data stays decodable), the
 * subjects and versions using an id, the supported types, and the list of schemas.
 */
import type { FastifyInstance } from 'fastify';
import { flag, integerParam, negotiatedType, pathId, stringParam } from '../registry-http.js';
import type { RouteContext } from './route-context.js';

type IdParams = { Params: { id: string } };

export function registerSchemasRoutes(app: FastifyInstance, { service }: RouteContext): void {
  app.get('/schemas/types', async () => service.schemaTypes());

  app.get('/schemas', async (request) => service.listSchemas({
    subjectPrefix: stringParam(request.query, 'subjectPrefix'),
    deleted: flag(request.query, 'deleted'),
    latestOnly: flag(request.query, 'latestOnly'),
    offset: integerParam(request.query, 'offset'),
    limit: integerParam(request.query, 'limit'),
  }));

  app.get<IdParams>('/schemas/ids/:id', async (request) => service.schemaById(pathId(request.params.id), {
    fetchMaxId: flag(request.query, 'fetchMaxId'),
  }));

  app.get<IdParams>('/schemas/ids/:id/schema', async (request, reply) => {
    const { schema } = service.schemaById(pathId(request.params.id));
    return reply.type(negotiatedType(request.headers.accept)).send(schema);
  });

  const listOptions = (query: unknown) => ({
    deleted: flag(query, 'deleted'), offset: integerParam(query, 'offset'), limit: integerParam(query, 'limit'),
  });

  app.get<IdParams>('/schemas/ids/:id/subjects', async (request) => service.subjectsForId(pathId(request.params.id), listOptions(request.query)));

  app.get<IdParams>('/schemas/ids/:id/versions', async (request) => service.versionsForId(pathId(request.params.id), listOptions(request.query)));
}
