/** What every route module of the registry's REST API gets. */
import type { SchemaRegistryService } from '../../service/schema-registry-service.js';
import type { WriteForwarding } from '../write-forwarding.js';

export interface RouteContext {
  readonly service: SchemaRegistryService;
  readonly forwarding: WriteForwarding;
  /** GET /v1/metadata/id's cluster ids. */
  readonly metadata: () => Promise<{ kafkaClusterId: string; groupId: string }>;
}
