/**
 * Every route as registered, collected by an onRoute hook (install it before registering
 * routes). HEAD routes fastify adds for each GET are left out; routes with `config.internal`
 * or `schema.hide` are marked internal.
 */
import type { FastifyInstance } from 'fastify';
import type { DocumentedSchema } from './route-docs.js';

export interface CatalogRoute {
  readonly method: string;
  /** fastify's form, `/connectors/:connector`. */
  readonly url: string;
  readonly schema: DocumentedSchema | undefined;
  readonly internal: boolean;
}

export interface RouteCatalog {
  readonly routes: readonly CatalogRoute[];
}

export function collectRoutes(app: FastifyInstance): RouteCatalog {
  const routes: CatalogRoute[] = [];
  app.addHook('onRoute', (route) => {
    const schema = route.schema as DocumentedSchema | undefined;
    const internal = (route.config as { internal?: boolean } | undefined)?.internal === true || schema?.hide === true;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, schema, internal });
    }
  });
  return { routes };
}
