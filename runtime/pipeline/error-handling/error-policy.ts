/**
 * A connector's `errors.*` settings in the shape the error handler uses, read from the parsed
 * connector config. Only sink connectors have a dead letter queue; a source config (which has
 * no `errors.deadletterqueue.*` keys) or an empty topic name gives `deadLetterQueue: null`.
 */
import type { CommonConnectorConfig, SinkConnectorConfig } from '../../config/connector-config.js';

export type ToleranceType = 'none' | 'all';

export interface DeadLetterQueuePolicy {
  readonly topic: string;
  /** -1: the broker's default. Used only when the topic is created. */
  readonly replicationFactor: number;
  /** Add the `__connect.errors.*` context headers to each record. */
  readonly contextHeaders: boolean;
}

export interface ErrorPolicy {
  readonly tolerance: ToleranceType;
  /** Total time to keep retrying one operation; 0 disables retries, -1 retries without limit. */
  readonly retryTimeoutMs: number;
  /** Cap of the back-off between retries. */
  readonly retryDelayMaxMs: number;
  readonly logEnable: boolean;
  readonly logIncludeMessages: boolean;
  readonly deadLetterQueue: DeadLetterQueuePolicy | null;
}

type DlqKeys = Pick<SinkConnectorConfig,
  'errorsDeadletterqueueTopicName' | 'errorsDeadletterqueueTopicReplicationFactor' | 'errorsDeadletterqueueContextHeadersEnable'>;

function hasDlqKeys(config: CommonConnectorConfig): config is CommonConnectorConfig & DlqKeys {
  return 'errorsDeadletterqueueTopicName' in config;
}

export function errorPolicyFromConfig(config: CommonConnectorConfig): ErrorPolicy {
  let deadLetterQueue: DeadLetterQueuePolicy | null = null;
  if (hasDlqKeys(config)) {
    const topic = (config.errorsDeadletterqueueTopicName ?? '').trim();
    if (topic !== '') {
      deadLetterQueue = {
        topic,
        replicationFactor: config.errorsDeadletterqueueTopicReplicationFactor,
        contextHeaders: config.errorsDeadletterqueueContextHeadersEnable,
      };
    }
  }
  return {
    tolerance: config.errorsTolerance,
    retryTimeoutMs: config.errorsRetryTimeout,
    retryDelayMaxMs: config.errorsRetryDelayMaxMs,
    logEnable: config.errorsLogEnable,
    logIncludeMessages: config.errorsLogIncludeMessages,
    deadLetterQueue,
  };
}
