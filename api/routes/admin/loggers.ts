/**
 * `/admin/loggers` (KIP-495, KIP-976): read every logger's level, one logger's, or set a
 * namespace's level on this worker (`scope=worker`, the default and the fallback for unknown
 * scopes: 200 with the affected loggers) or on every worker (`scope=cluster`: 204). The level
 * checks are Kafka Connect's resource's: no level (or no body) is a 400, an unknown one a 404.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { parseLogLevel } from '../../../runtime/control/logger-levels.js';
import { badRequest, RestError } from '../../rest-error.js';
import { errorResponses, noBody } from '../../schemas/error.js';
import type { LoggerLevelInput, LoggerParams } from '../../schemas/loggers.js';
import { documented } from '../openapi/route-docs.js';

export function registerLoggerRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get('/admin/loggers', {
    schema: documented({
      summary: 'The level of every logger',
      response: { 200: { $ref: 'LoggerLevels#' }, ...errorResponses() },
    }),
  }, () => control.loggerLevels());

  app.get<{ Params: LoggerParams }>('/admin/loggers/:logger', {
    schema: documented({
      summary: 'The level of one logger',
      params: { $ref: 'LoggerParams#' },
      response: { 200: { $ref: 'LoggerLevel#' }, ...errorResponses(404) },
    }),
  }, async (request) => {
    const name = request.params.logger;
    const level = await control.loggerLevel(name);
    if (level === null) throw new RestError(404, `Logger ${name} not found.`);
    return level;
  });

  app.put<{ Params: LoggerParams; Querystring: { scope?: string }; Body: LoggerLevelInput | undefined }>('/admin/loggers/:logger', {
    schema: documented({
      summary: 'Set the level of a logger and every logger under it, on this worker or on every worker',
      params: { $ref: 'LoggerParams#' },
      querystring: { $ref: 'LoggerScopeQuery#' },
      body: { $ref: 'LoggerLevelInput#' },
      response: {
        200: { type: 'array', items: { type: 'string' }, description: 'The loggers whose level was set (scope=worker)' },
        204: noBody,
        ...errorResponses(400, 404),
      },
    }),
    preValidation: async (request) => {
      request.body ??= {};
    },
  }, async (request, reply) => {
    const namespace = request.params.logger;
    const level = request.body?.level;
    if (level === null || level === undefined) throw badRequest("Desired 'level' parameter was not specified in request.");
    if (!parseLogLevel(level)) throw new RestError(404, `invalid log level '${level}'.`);
    if ((request.query.scope ?? 'worker').toLowerCase() === 'cluster') {
      await control.setClusterLoggerLevel(namespace, level);
      return reply.code(204).send();
    }
    return reply.send(await control.setWorkerLoggerLevel(namespace, level));
  });
}
