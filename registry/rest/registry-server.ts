/**
 * The registry's REST API (Confluent Schema Registry's paths, bodies and error codes,
 * reference schema-registry.md §1). `buildRegistryServer` registers the routes and never
 * listens, so tests can also use `inject`.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { SchemaRegistryService } from '../service/schema-registry-service.js';
import { installRegistryHttp } from './registry-http.js';
import { registerRootRoutes } from './routes/root-routes.js';
import type { RouteContext } from './routes/route-context.js';
import { registerSchemasRoutes } from './routes/schemas-routes.js';
import { registerSettingsRoutes } from './routes/settings-routes.js';
import { registerSubjectsRoutes } from './routes/subjects-routes.js';
import type { WriteForwarding } from './write-forwarding.js';

export interface RegistryServerOptions {
  readonly service: SchemaRegistryService;
  readonly forwarding: WriteForwarding;
  readonly metadata: RouteContext['metadata'];
  readonly logger?: FastifyBaseLogger;
}

export function buildRegistryServer(options: RegistryServerOptions): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Subjects may be long and contain URL-encoded slashes; `/x/` is `/x` (the Java client's compatibility call ends in a slash).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 10_000 },
    // Large schemas reach the store, which answers 42209 when Kafka refuses the record.
    bodyLimit: 64 * 1024 * 1024,
  }) as unknown as FastifyInstance;
  installRegistryHttp(app);
  const context: RouteContext = { service: options.service, forwarding: options.forwarding, metadata: options.metadata };
  registerRootRoutes(app, context);
  registerSchemasRoutes(app, context);
  registerSubjectsRoutes(app, context);
  registerSettingsRoutes(app, context);
  return app;
}
