/**
 * `GET /openapi.json`: the OpenAPI document of every route registered on the server, built
 * from their schemas on the first request (after every route was registered). Hidden itself.
 */
import type { FastifyInstance } from 'fastify';
import { OpenApiBuilder, type OpenApiDocument, type OpenApiInfo } from './openapi-document.js';
import type { RouteCatalog } from './route-catalog.js';
import { documented } from './route-docs.js';

export function registerOpenApiRoutes(
  app: FastifyInstance, catalog: RouteCatalog, sharedSchemas: readonly { $id: string }[], info: OpenApiInfo,
): void {
  let document: OpenApiDocument | undefined;
  app.get('/openapi.json', { schema: documented({ hide: true }) }, async () => {
    document ??= new OpenApiBuilder(sharedSchemas).build(catalog.routes, info);
    return document;
  });
}
