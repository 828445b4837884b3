/**
 * `/config` and `/mode`, global and per subject, and `/compatibility`. Config and mode writes
 * are forwarded to the leader when this instance does not lead. Note the field names:
 * GET answers `compatibilityLevel`, PUT takes and answers `compatibility` (as Confluent).
 */
import type { FastifyInstance } from 'fastify';
import type { ConfigUpdate } from '../../service/schema-registry-service.js';
import { flag, requiredBody } from '../registry-http.js';
import { writeOrForward } from '../write-forwarding.js';
import { registerRequestOf } from './register-request.js';
import type { RouteContext } from './route-context.js';

type SubjectParams = { Params: { subject: string } };
type VersionParams = { Params: { subject: string; version: string } };

function configUpdateOf(body: unknown): ConfigUpdate {
  const o = requiredBody<Record<string, unknown>>(body);
  const update: ConfigUpdate = {};
  if ('compatibility' in o) update.compatibility = o.compatibility === null ? null : String(o.compatibility);
  else if ('compatibilityLevel' in o) update.compatibilityLevel = o.compatibilityLevel === null ? null : String(o.compatibilityLevel);
  if (o.normalize === null || typeof o.normalize === 'boolean') update.normalize = o.normalize;
  return update;
}

export function registerSettingsRoutes(app: FastifyInstance, { service, forwarding }: RouteContext): void {
  for (const scoped of [false, true]) {
    const configPath = scoped ? '/config/:subject' : '/config';
    const modePath = scoped ? '/mode/:subject' : '/mode';
    const subjectOf = (params: unknown) => (scoped ? (params as { subject: string }).subject : null);

    app.get(configPath, async (request) => service.getConfig(subjectOf(request.params), { defaultToGlobal: flag(request.query, 'defaultToGlobal') }));
    app.put(configPath, async (request, reply) => {
      const update = configUpdateOf(request.body);
      return writeOrForward(forwarding, request, reply, () => service.putConfig(subjectOf(request.params), update));
    });
    app.delete(configPath, async (request, reply) => writeOrForward(forwarding, request, reply, () => service.deleteConfig(subjectOf(request.params))));

    app.get(modePath, async (request) => service.getMode(subjectOf(request.params), { defaultToGlobal: flag(request.query, 'defaultToGlobal') }));
    app.put(modePath, async (request, reply) => {
      const { mode } = requiredBody<{ mode?: unknown }>(request.body);
      return writeOrForward(forwarding, request, reply,
        () => service.putMode(subjectOf(request.params), mode, { force: flag(request.query, 'force') }));
    });
    app.delete(modePath, async (request, reply) => writeOrForward(forwarding, request, reply, () => service.deleteMode(subjectOf(request.params))));
  }

  app.post<VersionParams>('/compatibility/subjects/:subject/versions/:version', async (request) =>
    service.testCompatibility(request.params.subject, request.params.version, registerRequestOf(request.body), {
      verbose: flag(request.query, 'verbose'), normalize: flag(request.query, 'normalize'),
    }));

  app.post<SubjectParams>('/compatibility/subjects/:subject/versions', async (request) =>
    service.testCompatibility(request.params.subject, undefined, registerRequestOf(request.body), {
      verbose: flag(request.query, 'verbose'), normalize: flag(request.query, 'normalize'),
    }));
}
