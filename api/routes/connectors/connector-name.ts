/**
 * Connector-name rules Kafka Connect applies in its REST resource (ConnectorsResource), before
 * the request reaches the cluster: the config's `name` must match the name from the URL or the
 * request body, and is filled in when absent.
 */
import type { FastifyRequest } from 'fastify';
import type { ConnectorConfigMap } from '../../../runtime/control/cluster-control.js';
import { ConfigInvalidError } from '../../../runtime/errors.js';
import { badRequest } from '../../rest-error.js';
import type { ConnectorConfigInput } from '../../schemas/connector.js';

const NULL_VALUE_ERROR = 'Null value can not be supplied as the configuration value.';

/**
 * Returns the config with `name` checked, or appended when absent. Any other null value fails
 * as Kafka's config validation fails it: 400, one error line per null value.
 */
export function withConnectorName(name: string, input: ConnectorConfigInput): ConnectorConfigMap {
  const included = Object.hasOwn(input, 'name') ? input.name : null;
  if (included !== null && included !== name) {
    throw badRequest(`Connector name configuration (${included}) doesn't match connector name in the URL (${name})`);
  }
  const config: ConnectorConfigMap = {};
  const nullKeys: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value !== null) config[key] = value;
    else if (key !== 'name') nullKeys.push(key);
  }
  if (nullKeys.length > 0) throw new ConfigInvalidError(nullKeys.map(() => NULL_VALUE_ERROR));
  if (included === null) config.name = name;
  return config;
}

/**
 * `Location` of a connector resource. Absolute, because Jersey resolves the relative URI given to
 * `Response.created` against the request's base URI; relative when the request has no Host.
 */
export function connectorLocation(request: FastifyRequest, name: string): string {
  const path = `/connectors/${encodeURIComponent(name)}`;
  return request.host ? `${request.protocol}://${request.host}${path}` : path;
}
