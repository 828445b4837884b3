/**
 * `GET|PATCH|DELETE /connectors/{c}/offsets` (KIP-875). PATCH and DELETE need the connector
 * STOPPED (control answers 400 otherwise); PATCH needs at least one entry, checked here as
 * Kafka Connect's resource does, before the connector is looked up (no body at all counts as
 * no entries).
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { badRequest } from '../../rest-error.js';
import { errorResponses } from '../../schemas/error.js';
import type { ConnectorOffsetsInput } from '../../schemas/offsets.js';
import type { ConnectorParams } from '../../schemas/params.js';
import { documented } from '../openapi/route-docs.js';

const NO_OFFSETS = 'Partitions / offsets need to be provided for an alter offsets request';

export function registerOffsetRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Params: ConnectorParams }>('/connectors/:connector/offsets', {
    schema: documented({
      summary: 'The current offsets of a connector',
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'ConnectorOffsets#' }, ...errorResponses(404) },
    }),
  }, (request) => control.connectorOffsets(request.params.connector));

  app.patch<{ Params: ConnectorParams; Body: ConnectorOffsetsInput | undefined }>('/connectors/:connector/offsets', {
    schema: documented({
      summary: 'Alter the offsets of a stopped connector',
      params: { $ref: 'ConnectorParams#' },
      body: { $ref: 'ConnectorOffsetsInput#' },
      response: { 200: { $ref: 'Message#' }, ...errorResponses(400, 404, 409) },
    }),
    preValidation: async (request) => {
      request.body ??= {};
    },
  }, (request) => {
    const offsets = request.body?.offsets;
    if (!offsets || offsets.length === 0) throw badRequest(NO_OFFSETS);
    return control.alterConnectorOffsets(request.params.connector, offsets);
  });

  app.delete<{ Params: ConnectorParams }>('/connectors/:connector/offsets', {
    schema: documented({
      summary: 'Reset the offsets of a stopped connector',
      params: { $ref: 'ConnectorParams#' },
      response: { 200: { $ref: 'Message#' }, ...errorResponses(400, 404, 409) },
    }),
  }, (request) => control.resetConnectorOffsets(request.params.connector));
}
