/**
 * `GET /connectors` (names, or per-connector expansions with `?expand=status|info`) and
 * `POST /connectors`. Each connector is expanded by its own lookups; a connector deleted meanwhile
 * (a 404 from control) is left out, as Kafka Connect does.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterControl, ConnectorInfo, ConnectorStateInfo, InitialState } from '../../../runtime/control/cluster-control.js';
import { RuntimeError } from '../../../runtime/errors.js';
import { badRequest } from '../../rest-error.js';
import type { CreateConnectorRequest } from '../../schemas/connector.js';
import { errorResponses } from '../../schemas/error.js';
import { connectorLocation, withConnectorName } from './connector-name.js';

type ConnectorExpansion = { status?: ConnectorStateInfo; info?: ConnectorInfo };

const INITIAL_STATES: readonly InitialState[] = ['RUNNING', 'PAUSED', 'STOPPED'];

function parseInitialState(value: string | null | undefined): InitialState | undefined {
  if (value === null || value === undefined) return undefined;
  const state = INITIAL_STATES.find((s) => s === value.toUpperCase());
  if (!state) throw badRequest(`body/initial_state must be one of ${INITIAL_STATES.join(', ')} (in any case)`);
  return state;
}

function isGone(err: unknown): boolean {
  return err instanceof RuntimeError && err.httpStatus === 404;
}

async function expandConnector(control: ClusterControl, name: string, expand: readonly string[]): Promise<ConnectorExpansion | null> {
  const expansion: ConnectorExpansion = {};
  try {
    for (const kind of expand) {
      if (kind === 'status') expansion.status = await control.connectorStatus(name);
      else if (kind === 'info') expansion.info = await control.connectorInfo(name);
    }
  } catch (err) {
    if (isGone(err)) return null;
    throw err;
  }
  return expansion;
}

export function registerListAndCreateRoutes(app: FastifyInstance, control: ClusterControl): void {
  app.get<{ Querystring: { expand?: string[] } }>('/connectors', {
    schema: {
      querystring: { $ref: 'ListConnectorsQuery#' },
      response: { 200: { $ref: 'ConnectorList#' }, ...errorResponses() },
    },
  }, async (request) => {
    const names = await control.listConnectors();
    const expand = request.query.expand ?? [];
    if (expand.length === 0) return names;
    const expansions = await Promise.all(names.map((name) => expandConnector(control, name, expand)));
    return Object.fromEntries(names.flatMap((name, i) => {
      const expansion = expansions[i];
      return expansion ? [[name, expansion]] : [];
    }));
  });

  app.post<{ Body: CreateConnectorRequest }>('/connectors', {
    schema: {
      body: { $ref: 'CreateConnectorRequest#' },
      response: { 201: { $ref: 'ConnectorInfo#' }, ...errorResponses(400, 409) },
    },
  }, async (request, reply) => {
    const initialState = parseInitialState(request.body.initial_state);
    const name = (request.body.name ?? '').trim();
    const config = withConnectorName(name, request.body.config);
    const info = await control.createConnector(name, config, initialState);
    return reply.code(201).header('location', connectorLocation(request, name)).send(info);
  });
}
