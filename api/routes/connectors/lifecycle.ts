/**
 * Target-state and restart operations. Pause and resume answer 202 with no body (the change
 * takes effect asynchronously), stop answers 204. A restart with neither `includeTasks` nor
 * `onlyFailed` is the legacy form (204, no body); otherwise 202 with the status preview in
 * which the instances to be restarted show RESTARTING.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { errorResponses, noBody } from '../../schemas/error.js';
import { javaBoolean, type ConnectorParams, type TaskParams } from '../../schemas/params.js';

interface RestartQuery {
  includeTasks?: string;
  onlyFailed?: string;
}

export function registerLifecycleRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.post<{ Params: ConnectorParams; Querystring: RestartQuery }>('/connectors/:connector/restart', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      querystring: { $ref: 'RestartQuery#' },
      response: { 202: { $ref: 'ConnectorStateInfo#' }, 204: noBody, ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    const options = {
      includeTasks: javaBoolean(request.query.includeTasks, false),
      onlyFailed: javaBoolean(request.query.onlyFailed, false),
    };
    const preview = await control.restartConnector(request.params.connector, options);
    return preview === null ? reply.code(204).send() : reply.code(202).send(preview);
  });

  app.post<{ Params: TaskParams }>('/connectors/:connector/tasks/:task/restart', {
    schema: {
      params: { $ref: 'TaskParams#' },
      response: { 204: noBody, ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    await control.restartTask(request.params.connector, request.params.task);
    return reply.code(204).send();
  });

  app.put<{ Params: ConnectorParams }>('/connectors/:connector/pause', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      response: { 202: noBody, ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    await control.pauseConnector(request.params.connector);
    return reply.code(202).send();
  });

  app.put<{ Params: ConnectorParams }>('/connectors/:connector/resume', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      response: { 202: noBody, ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    await control.resumeConnector(request.params.connector);
    return reply.code(202).send();
  });

  app.put<{ Params: ConnectorParams }>('/connectors/:connector/stop', {
    schema: {
      params: { $ref: 'ConnectorParams#' },
      response: { 204: noBody, ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    await control.stopConnector(request.params.connector);
    return reply.code(204).send();
  });
}
