import { describe, expect, it } from 'vitest';
import { sinkConnectorSpec, sourceConnectorSpec } from '../../../../runtime/config/connector-config.js';
import { errorPolicyFromConfig } from '../../../../runtime/pipeline/error-handling/error-policy.js';

const base = { name: 'c', 'connector.class': 'X' };

describe('errorPolicyFromConfig', () => {
  it('uses Kafka\'s defaults: no tolerance, no retries, 60 s delay cap, no logging, no dead letter queue', () => {
    expect(errorPolicyFromConfig(sinkConnectorSpec.parse({ ...base, topics: 'a' }))).toEqual({
      tolerance: 'none', retryTimeoutMs: 0, retryDelayMaxMs: 60_000, logEnable: false, logIncludeMessages: false, deadLetterQueue: null,
    });
  });

  it('reads every errors.* setting of a sink connector', () => {
    const config = sinkConnectorSpec.parse({
      ...base, topics: 'a',
      'errors.tolerance': 'ALL', 'errors.retry.timeout': '-1', 'errors.retry.delay.max.ms': '5000',
      'errors.log.enable': 'true', 'errors.log.include.messages': 'true',
      'errors.deadletterqueue.topic.name': ' a-dlq ', 'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    expect(errorPolicyFromConfig(config)).toEqual({
      tolerance: 'all', retryTimeoutMs: -1, retryDelayMaxMs: 5000, logEnable: true, logIncludeMessages: true,
      deadLetterQueue: { topic: 'a-dlq', replicationFactor: 1, contextHeaders: true },
    });
  });

  it('gives a source connector no dead letter queue', () => {
    const policy = errorPolicyFromConfig(sourceConnectorSpec.parse({ ...base, 'errors.tolerance': 'all' }));
    expect(policy.tolerance).toBe('all');
    expect(policy.deadLetterQueue).toBeNull();
  });
});
