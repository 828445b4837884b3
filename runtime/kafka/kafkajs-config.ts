/**
 * ferry's client settings as kafkajs options, and kafkajs's log lines routed to pino.
 *
 * kafkajs logs routine events (joins, retries) at INFO and ERROR; they go to pino one level
 * lower (INFO → debug, ERROR → warn) because the runtime reports the failures that matter
 * itself. kafkajs's retry is count-based: retries are derived from delivery.timeout.ms (or
 * default.api.timeout.ms) and the backoff bounds so they last about as long as Java's would.
 */
import kafkajs, { type ConsumerConfig, type KafkaConfig, type LogEntry, type ProducerConfig, type RetryOptions, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { CommonSettings, ConsumerSettings, ProducerSettings } from './client-settings.js';

const { logLevel } = kafkajs;

export function kafkajsLogCreator(logger: Logger): KafkaConfig['logCreator'] {
  return () => (entry: LogEntry) => {
    const { message, timestamp: _t, logger: _l, ...extra } = entry.log as { message: string; timestamp: string; logger?: string };
    const fields = { kafkajs: entry.namespace, ...extra };
    switch (entry.level) {
      case logLevel.ERROR: logger.warn(fields, message); break;
      case logLevel.WARN: logger.warn(fields, message); break;
      case logLevel.INFO: logger.debug(fields, message); break;
      default: logger.trace(fields, message);
    }
  };
}

function kafkajsLevel(logger: Logger): kafkajs.logLevel {
  if (logger.isLevelEnabled('trace')) return logLevel.DEBUG;
  if (logger.isLevelEnabled('debug')) return logLevel.INFO;
  if (logger.isLevelEnabled('warn')) return logLevel.WARN;
  return logLevel.NOTHING;
}

function retryOptions(settings: CommonSettings, budgetMs: number): RetryOptions {
  const perRetry = Math.max(settings.retry.maxBackoffMs, 1);
  return {
    initialRetryTime: settings.retry.backoffMs,
    maxRetryTime: settings.retry.maxBackoffMs,
    retries: Math.max(1, Math.min(Math.ceil(budgetMs / perRetry), 1_000_000)),
  };
}

export function kafkaConfig(settings: CommonSettings, logger: Logger): KafkaConfig {
  return {
    brokers: [...settings.bootstrap],
    clientId: settings.clientId,
    ssl: settings.tls ?? false,
    ...(settings.sasl ? {
      sasl: {
        mechanism: settings.sasl.mechanism.toLowerCase(),
        username: settings.sasl.username,
        password: settings.sasl.password,
      } as SASLOptions,
    } : {}),
    connectionTimeout: settings.connectTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: retryOptions(settings, settings.retry.timeoutMs),
    logLevel: kafkajsLevel(logger),
    logCreator: kafkajsLogCreator(logger),
  };
}

export function producerConfig(settings: ProducerSettings): ProducerConfig {
  const retry = retryOptions(settings, settings.deliveryTimeoutMs);
  return {
    idempotent: settings.idempotent,
    maxInFlightRequests: settings.idempotent ? 1 : settings.maxInFlight,
    metadataMaxAge: settings.metadataMaxAgeMs,
    allowAutoTopicCreation: true,
    retry: { ...retry, retries: Math.min(retry.retries ?? 0, settings.retries) },
  };
}

export function consumerConfig(settings: ConsumerSettings, groupId: string): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    rebalanceTimeout: settings.rebalanceTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    minBytes: settings.fetchMinBytes,
    maxBytes: settings.fetchMaxBytes,
    maxBytesPerPartition: settings.maxPartitionFetchBytes,
    maxWaitTimeInMs: settings.fetchMaxWaitMs,
    readUncommitted: !settings.readCommitted,
    metadataMaxAge: settings.metadataMaxAgeMs,
    allowAutoTopicCreation: settings.allowAutoCreateTopics,
    ...(settings.rack ? { rackId: settings.rack } : {}),
    retry: retryOptions(settings, settings.retry.timeoutMs),
  };
}
