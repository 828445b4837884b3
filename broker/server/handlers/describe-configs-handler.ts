/** DescribeConfigs for topics (type 2) and this broker (type 4); synonyms and docs on request. */
import { DescribeConfigs } from '../../protocol/apis/describe-configs.js';
import type { DescribedConfig } from '../../topics/topic-configs.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';
import { RESOURCE_BROKER, RESOURCE_TOPIC, unsupportedResource } from './config-resources.js';

export function describeConfigsHandler(ctx: BrokerContext): ApiHandler {
  return handler(DescribeConfigs, (req) => {
    const entry = (c: DescribedConfig) => ({
      name: c.name,
      value: c.value,
      readOnly: c.readOnly,
      isDefault: c.isDefault,
      configSource: c.source,
      isSensitive: c.isSensitive,
      synonyms: req.includeSynonyms ? c.synonyms.map((s) => ({ name: s.name, value: s.value, source: s.source })) : [],
      configType: c.type,
      documentation: req.includeDocumentation ? c.documentation : null,
    });
    return {
      throttleTimeMs: 0,
      results: req.resources.map((r) => {
        const base = { resourceType: r.resourceType, resourceName: r.resourceName };
        if (r.resourceType === RESOURCE_BROKER) {
          if (r.resourceName !== '' && r.resourceName !== String(ctx.config.nodeId)) {
            return { ...base, errorCode: 42, errorMessage: `broker ${r.resourceName} is not this broker`, configs: [] };
          }
          return { ...base, errorCode: 0, errorMessage: null, configs: ctx.topics.describeBrokerConfigs(r.configurationKeys).map(entry) };
        }
        if (r.resourceType !== RESOURCE_TOPIC) return { ...unsupportedResource(r.resourceType, r.resourceName), configs: [] };
        const described = ctx.topics.describeConfigs(r.resourceName, r.configurationKeys);
        if (described.errorCode !== 0) {
          return { ...base, errorCode: described.errorCode, errorMessage: 'errorMessage' in described ? described.errorMessage : null, configs: [] };
        }
        return { ...base, errorCode: 0, errorMessage: null, configs: 'configs' in described ? described.configs.map(entry) : [] };
      }),
    };
  });
}
