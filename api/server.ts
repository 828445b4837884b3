/**
 * The REST API: Kafka Connect's paths, bodies, status codes and error shape over ClusterControl.
 * `buildApiServer` registers every route explicitly and never listens (tests use `inject`);
 * `startApiServer` listens and reports the bound port.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ClusterControl } from '../runtime/control/cluster-control.js';
import { installErrorMapper } from './plugins/error-mapper.js';
import { installJsonBodyParser } from './plugins/json-body-parser.js';
import { registerPluginConfigRoutes } from './routes/connector-plugins/config-spec.js';
import { registerPluginListRoutes } from './routes/connector-plugins/list.js';
import { registerValidateRoutes } from './routes/connector-plugins/validate.js';
import { registerConfigRoutes } from './routes/connectors/config.js';
import { registerConnectorRoutes } from './routes/connectors/connector.js';
import { registerLifecycleRoutes } from './routes/connectors/lifecycle.js';
import { registerListAndCreateRoutes } from './routes/connectors/list-and-create.js';
import { registerStatusRoutes } from './routes/connectors/status.js';
import { registerTaskRoutes } from './routes/connectors/tasks.js';
import { registerRootRoutes } from './routes/root.js';
import { sharedSchemas } from './schemas/index.js';

export interface ApiServerOptions {
  control: ClusterControl;
  /** Request and error logging; silent when absent. */
  logger?: FastifyBaseLogger;
  /** This worker's id (`host:port`), bound to every log line. */
  workerId?: string;
}

export const DEFAULT_REST_PORT = 8083;

export function buildApiServer(options: ApiServerOptions): FastifyInstance {
  const { control, logger, workerId } = options;
  const loggerInstance = logger && workerId ? logger.child({ workerId }) : logger;
  const app: FastifyInstance = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
  });

  for (const schema of sharedSchemas) app.addSchema(schema);
  installJsonBodyParser(app);
  installErrorMapper(app);

  registerRootRoutes(app, control);
  registerListAndCreateRoutes(app, control);
  registerConnectorRoutes(app, control);
  registerConfigRoutes(app, control);
  registerStatusRoutes(app, control);
  registerTaskRoutes(app, control);
  registerLifecycleRoutes(app, control);
  registerPluginListRoutes(app, control);
  registerPluginConfigRoutes(app, control);
  registerValidateRoutes(app, control);
  return app;
}

export interface ListenOptions {
  /** Interface to bind; all interfaces when absent (Kafka Connect's empty `listeners` host). */
  host?: string;
  /** 8083 when absent; 0 picks a free port. */
  port?: number;
}

/** Listens and resolves with the bound port. */
export async function startApiServer(app: FastifyInstance, options: ListenOptions = {}): Promise<number> {
  await app.listen({ host: options.host ?? '0.0.0.0', port: options.port ?? DEFAULT_REST_PORT });
  return (app.server.address() as AddressInfo).port;
}
