/**
 * `GET /connectors/{c}/topics` and `PUT /connectors/{c}/topics/reset` (KIP-558). Like Kafka
 * Connect's resource, the worker's `topic.tracking.enable` / `topic.tracking.allow.reset`
 * settings are checked here (403); an unknown connector has no topics rather than a 404.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { RestError } from '../../rest-error.js';
import { errorResponses, noBody } from '../../schemas/error.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

export interface TopicTrackingSettings {
  /** topic.tracking.enable */
  readonly enabled: boolean;
  /** topic.tracking.allow.reset */
  readonly allowReset: boolean;
}

export const DEFAULT_TOPIC_TRACKING: TopicTrackingSettings = { enabled: true, allowReset: true };

function requireTracking(settings: TopicTrackingSettings): void {
  if (!settings.enabled) throw new RestError(403, 'Topic tracking is disabled.');
}

export function registerTopicRoutes(app: FastifyInstance, control: ClusterControl, settings: TopicTrackingSettings): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector/topics', {
    schema: documented({
      summary: 'The topics a connector has used since its topics were last reset',
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'ActiveTopics#' }, ...errorResponses(403) },
    }),
  }, async (request) => {
    requireTracking(settings);
    const name = request.params.connector;
    return { [name]: { topics: await control.connectorActiveTopics(name) } };
  });

  app.put<{ Params: ConnectorParams }>('/connectors/:connector/topics/reset', {
    schema: documented({
      summary: 'Forget the topics a connector has used',
      params: { $ref: 'ConnectorParams#' },
      response: { 202: noBody, ...errorResponses(403) },
    }),
  }, async (request, reply) => {
    requireTracking(settings);
    if (!settings.allowReset) throw new RestError(403, 'Topic tracking reset is disabled.');
    await control.resetConnectorActiveTopics(request.params.connector);
    return reply.code(202).send();
  });
}
