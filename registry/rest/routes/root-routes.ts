/**
 * `/`, `/contexts` (only the default context `.` is kept) and `/v1/metadata/*`. This registry
 * answers with Confluent 7.x shapes and says so in `/v1/metadata/version`.
 */
import type { FastifyInstance } from 'fastify';
import { FERRY_VERSION } from '../../../runtime/version.js';
import type { RouteContext } from './route-context.js';

/** The Confluent Schema Registry version whose REST shapes this registry follows. */
export const CLAIMED_REGISTRY_VERSION = '7.9.0';

export function registerRootRoutes(app: FastifyInstance, { metadata }: RouteContext): void {
  app.get('/', async () => ({}));
  app.post('/', async () => ({}));
  app.get('/contexts', async () => ['.']);
  app.get('/v1/metadata/id', async () => {
    const { kafkaClusterId, groupId } = await metadata();
    return { scope: { path: [], clusters: { 'kafka-cluster': kafkaClusterId, 'schema-registry-cluster': groupId } } };
  });
  app.get('/v1/metadata/version', async () => ({ version: CLAIMED_REGISTRY_VERSION, commitId: `ferry-${FERRY_VERSION}` }));
}
