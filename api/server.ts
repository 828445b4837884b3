/**
 * The REST API: Kafka Connect's paths, bodies, status codes and error shape over ClusterControl.
 * `buildApiServer` registers every route explicitly and never listens (tests use `inject`);
 * `startApiServer` listens and reports the bound port.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ClusterControl } from '../runtime/control/cluster-control.js';
import { installErrorMapper } from './plugins/error-mapper.js';
import { installApiSecurity, type ApiSecurityOptions } from './security/api-security.js';
import { httpsServerOptions } from './security/tls-options.js';
import { installJsonBodyParser } from './plugins/json-body-parser.js';
import { installLeaderForwarding, isInternalRequest, type LeaderForwardingOptions } from './plugins/leader-forwarding.js';
import type { InternalRequestVerifier } from '../runtime/control/distributed/request-signature.js';
import { registerPluginConfigRoutes } from './routes/connector-plugins/config-spec.js';
import { registerPluginListRoutes } from './routes/connector-plugins/list.js';
import { registerValidateRoutes } from './routes/connector-plugins/validate.js';
import { registerConfigRoutes } from './routes/connectors/config.js';
import { registerConnectorRoutes } from './routes/connectors/connector.js';
import { registerFenceRoutes } from './routes/connectors/fence.js';
import { registerTaskConfigRoutes } from './routes/connectors/task-configs.js';
import { registerLifecycleRoutes } from './routes/connectors/lifecycle.js';
import { registerListAndCreateRoutes } from './routes/connectors/list-and-create.js';
import { registerStatusRoutes } from './routes/connectors/status.js';
import { registerTaskRoutes } from './routes/connectors/tasks.js';
import { registerMetricsRoutes, type MetricsSource } from './routes/metrics.js';
import { isConsoleRequest, registerConsoleRoutes, type ConsoleOptions } from './routes/console.js';
import { registerLoggerRoutes } from './routes/admin/loggers.js';
import { registerOffsetRoutes } from './routes/connectors/offsets.js';
import { registerLagRoutes } from './routes/connectors/lag.js';
import { registerReplicationRoutes } from './routes/connectors/replication.js';
import { registerTasksConfigRoutes } from './routes/connectors/tasks-config.js';
import { DEFAULT_TOPIC_TRACKING, registerTopicRoutes, type TopicTrackingSettings } from './routes/connectors/topics.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerOpenApiRoutes } from './routes/openapi/openapi.js';
import { collectRoutes } from './routes/openapi/route-catalog.js';
import { FERRY_VERSION } from '../runtime/version.js';
import { registerRootRoutes } from './routes/root.js';
import { sharedSchemas } from './schemas/index.js';

export interface ApiServerOptions {
  control: ClusterControl;
  /** Request and error logging; silent when absent. */
  logger?: FastifyBaseLogger;
  /** This worker's id (`host:port`), bound to every log line. */
  workerId?: string;
  /** Serves GET /metrics (Prometheus text format) when given. */
  metrics?: MetricsSource;
  /** topic.tracking.enable / topic.tracking.allow.reset; both true when absent. */
  topicTracking?: TopicTrackingSettings;
  /** HTTPS (`tls`) and authentication (`auth`); plain HTTP without authentication when absent. */
  security?: ApiSecurityOptions;
  /** Distributed mode: config writes reaching a follower go to the leader. */
  forwarding?: LeaderForwardingOptions;
  /** Distributed mode: checks the session-key signature of POST /connectors/{c}/tasks and PUT /connectors/{c}/fence. */
  internalRequests?: InternalRequestVerifier;
  /** Serves the web console at /ui when given; its files need no credentials (the API still does). */
  console?: ConsoleOptions;
}

/** With the console on, its static files are let through authentication (the login page must load). */
function consoleAwareSecurity(security: ApiSecurityOptions | undefined, console: ConsoleOptions | undefined): ApiSecurityOptions | undefined {
  const auth = security?.auth;
  if (!console || !auth) return security;
  return { ...security, auth: { ...auth, skip: (request) => isConsoleRequest(request) || (auth.skip?.(request) ?? false) } };
}

/**
 * Kafka Connect's authentication filter lets the two internal requests through, since the session
 * key's signature protects them: ferry does so while signatures are checked (a sessioned group),
 * so a Java follower, which sends no credentials with them, can reach a ferry leader.
 */
function signedRequestAwareSecurity(security: ApiSecurityOptions | undefined, verifier: InternalRequestVerifier | undefined): ApiSecurityOptions | undefined {
  const auth = security?.auth;
  if (!verifier || !auth) return security;
  const signed = (request: FastifyRequest) => verifier.signaturesRequired && isInternalRequest(request.method, request.url.split('?', 1)[0]!);
  return { ...security, auth: { ...auth, skip: (request) => signed(request) || (auth.skip?.(request) ?? false) } };
}

export const DEFAULT_REST_PORT = 8083;

export function buildApiServer(options: ApiServerOptions): FastifyInstance {
  const { control, logger, workerId, security } = options;
  const loggerInstance = logger && workerId ? logger.child({ workerId }) : logger;
  const app = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    https: security?.tls ? httpsServerOptions(security.tls) : null,
  }) as unknown as FastifyInstance;

  const routes = collectRoutes(app);
  for (const schema of sharedSchemas) app.addSchema(schema);
  installJsonBodyParser(app);
  installErrorMapper(app);
  installApiSecurity(app, signedRequestAwareSecurity(consoleAwareSecurity(security, options.console), options.internalRequests));
  installLeaderForwarding(app, options.forwarding);

  registerRootRoutes(app, control);
  registerListAndCreateRoutes(app, control);
  registerConnectorRoutes(app, control);
  registerConfigRoutes(app, control);
  registerStatusRoutes(app, control);
  registerTaskRoutes(app, control);
  registerLifecycleRoutes(app, control);
  registerFenceRoutes(app, control, options.internalRequests);
  registerTaskConfigRoutes(app, control, options.internalRequests);
  registerPluginListRoutes(app, control);
  registerPluginConfigRoutes(app, control);
  registerValidateRoutes(app, control);
  if (options.metrics) registerMetricsRoutes(app, options.metrics);
  if (options.console) registerConsoleRoutes(app, options.console);
  registerTasksConfigRoutes(app, control);
  registerTopicRoutes(app, control, options.topicTracking ?? DEFAULT_TOPIC_TRACKING);
  registerOffsetRoutes(app, control);
  registerLagRoutes(app, control);
  registerReplicationRoutes(app, control);
  registerLoggerRoutes(app, control);
  registerHealthRoutes(app, control);
  registerOpenApiRoutes(app, routes, sharedSchemas, { title: 'ferry REST API (Kafka Connect compatible)', version: FERRY_VERSION });
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
