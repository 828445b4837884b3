/**
 * `/subjects`: listing, lookup (`POST /subjects/{s}`), registration, versions, and soft and
 * hard deletes. Writes (register, deletes) are forwarded to the leader when this instance does
 * not lead; lookups are answered locally.
 */
import type { FastifyInstance } from 'fastify';
import { flag, integerParam, negotiatedType, stringParam } from '../registry-http.js';
import { writeOrForward } from '../write-forwarding.js';
import { registerRequestOf } from './register-request.js';
import type { RouteContext } from './route-context.js';

type SubjectParams = { Params: { subject: string } };
type VersionParams = { Params: { subject: string; version: string } };

export function registerSubjectsRoutes(app: FastifyInstance, { service, forwarding }: RouteContext): void {
  const listOptions = (query: unknown) => ({
    deleted: flag(query, 'deleted'), deletedOnly: flag(query, 'deletedOnly'),
    offset: integerParam(query, 'offset'), limit: integerParam(query, 'limit'),
  });

  app.get('/subjects', async (request) => service.listSubjects({
    ...listOptions(request.query), subjectPrefix: stringParam(request.query, 'subjectPrefix'),
  }));

  app.post<SubjectParams>('/subjects/:subject', async (request) =>
    service.lookup(request.params.subject, registerRequestOf(request.body), {
      deleted: flag(request.query, 'deleted'), normalize: flag(request.query, 'normalize'),
    }));

  app.delete<SubjectParams>('/subjects/:subject', async (request, reply) => writeOrForward(forwarding, request, reply,
    () => service.deleteSubject(request.params.subject, { permanent: flag(request.query, 'permanent') })));

  app.get<SubjectParams>('/subjects/:subject/versions', async (request) => service.listVersions(request.params.subject, {
    ...listOptions(request.query), deletedAsNegative: flag(request.query, 'deletedAsNegative'),
  }));

  app.post<SubjectParams>('/subjects/:subject/versions', async (request, reply) => {
    const body = registerRequestOf(request.body);
    return writeOrForward(forwarding, request, reply,
      () => service.register(request.params.subject, body, { normalize: flag(request.query, 'normalize') }));
  });

  app.get<VersionParams>('/subjects/:subject/versions/:version', async (request) =>
    service.getVersion(request.params.subject, request.params.version, { deleted: flag(request.query, 'deleted') }));

  app.get<VersionParams>('/subjects/:subject/versions/:version/schema', async (request, reply) => {
    const { schema } = service.getVersion(request.params.subject, request.params.version, { deleted: flag(request.query, 'deleted') });
    return reply.type(negotiatedType(request.headers.accept)).send(schema);
  });

  app.get<VersionParams>('/subjects/:subject/versions/:version/referencedby', async (request) =>
    service.referencedBy(request.params.subject, request.params.version, listOptions(request.query)));

  app.delete<VersionParams>('/subjects/:subject/versions/:version', async (request, reply) => writeOrForward(forwarding, request, reply,
    () => service.deleteVersion(request.params.subject, request.params.version, { permanent: flag(request.query, 'permanent') })));
}
