/**
 * `PUT /connector-plugins/{p}/config/validate`: 200 with ConfigInfos even when it lists errors.
 * Before validating, the checks Kafka Connect makes on the request: the body's
 * `connector.class` must name the path's plugin (both compared without a trailing `Connector`,
 * the body's value ending with the path's), and must be present.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl } from '../../../runtime/control/cluster-control.js';
import { badRequest } from '../../rest-error.js';
import type { ConnectorConfigInput } from '../../schemas/connector.js';
import { errorResponses } from '../../schemas/error.js';
import type { PluginParams } from '../../schemas/params.js';

const CONNECTOR_SUFFIX = 'Connector';

function withoutConnectorSuffix(name: string): string {
  return name.endsWith(CONNECTOR_SUFFIX) ? name.slice(0, -CONNECTOR_SUFFIX.length) : name;
}

/** Java's `Map.toString()`: `{k1=v1, k2=null}`. */
function javaMapString(config: ConnectorConfigInput): string {
  return `{${Object.entries(config).map(([key, value]) => `${key}=${value}`).join(', ')}}`;
}

export function registerValidateRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.put<{ Params: PluginParams; Body: ConnectorConfigInput }>('/connector-plugins/:plugin/config/validate', {
    schema: {
      params: { $ref: 'PluginParams#' },
      body: { $ref: 'ConnectorConfigInput#' },
      response: { 200: { $ref: 'ConfigInfos#' }, ...errorResponses(400) },
    },
  }, async (request) => {
    const plugin = request.params.plugin;
    const config = request.body;
    const connectorClass = Object.hasOwn(config, 'connector.class') ? config['connector.class'] : null;
    if (connectorClass === null) throw badRequest(`Connector config ${javaMapString(config)} contains no connector type`);
    if (!withoutConnectorSuffix(connectorClass).endsWith(withoutConnectorSuffix(plugin))) {
      throw badRequest(`Included connector type ${connectorClass} does not match request type ${plugin}`);
    }
    return control.validateConfig(plugin, config);
  });
}
