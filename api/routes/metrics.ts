/**
 * GET /metrics: the worker's metrics in the Prometheus text exposition format (0.0.4), for
 * Prometheus or any scraper that reads it. Rendering happens per request from live state.
 */
import type { FastifyInstance } from 'fastify';
import { EXPOSITION_CONTENT_TYPE } from '../../runtime/metrics/exposition-format.js';

export interface MetricsSource {
  /** The scrape, already in the text exposition format. */
  exposition(): string;
}

export function registerMetricsRoutes(app: FastifyInstance, metrics: MetricsSource): void {
  app.get('/metrics', (_request, reply) => {
    reply.header('content-type', EXPOSITION_CONTENT_TYPE).send(metrics.exposition());
  });
}
