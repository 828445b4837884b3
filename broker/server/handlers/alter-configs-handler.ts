/** AlterConfigs (replace a topic's dynamic configs) and IncrementalAlterConfigs (per-key operations). */
import { AlterConfigs } from '../../protocol/apis/alter-configs.js';
import { IncrementalAlterConfigs } from '../../protocol/apis/incremental-alter-configs.js';
import type { AdminResult } from '../../topics/topic-registry.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { RESOURCE_TOPIC, unsupportedResource, type ResourceResult } from './config-resources.js';

function toResult(resourceType: number, resourceName: string, result: AdminResult): ResourceResult {
  return { errorCode: result.errorCode, errorMessage: 'errorMessage' in result ? result.errorMessage : null, resourceType, resourceName };
}

export function alterConfigsHandler(ctx: BrokerContext): ApiHandler {
  return handler(AlterConfigs, (req) => ({
    throttleTimeMs: 0,
    responses: req.resources.map((r) => {
      if (r.resourceType !== RESOURCE_TOPIC) return unsupportedResource(r.resourceType, r.resourceName);
      const configs: Record<string, string | null> = {};
      for (const c of r.configs) configs[c.name] = c.value;
      return toResult(r.resourceType, r.resourceName, ctx.topics.alterConfigs(r.resourceName, configs, { validateOnly: req.validateOnly }));
    }),
  }));
}

export function incrementalAlterConfigsHandler(ctx: BrokerContext): ApiHandler {
  return handler(IncrementalAlterConfigs, (req) => ({
    throttleTimeMs: 0,
    responses: req.resources.map((r) => {
      if (r.resourceType !== RESOURCE_TOPIC) return unsupportedResource(r.resourceType, r.resourceName);
      const ops = r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value }));
      return toResult(r.resourceType, r.resourceName, ctx.topics.incrementalAlterConfigs(r.resourceName, ops, { validateOnly: req.validateOnly }));
    }),
  }));
}
