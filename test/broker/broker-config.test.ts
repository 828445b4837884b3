import { describe, expect, it } from 'vitest';
import { DEFAULT_BROKER_CONFIG, splitBrokerSettings } from '../../broker/broker-config.js';

describe('broker settings by Kafka name', () => {
  it('has Kafka\'s transaction defaults', () => {
    expect(DEFAULT_BROKER_CONFIG).toMatchObject({
      transactionMaxTimeoutMs: 900000,
      transactionalIdExpirationMs: 604800000,
      transactionAbortTimedOutCleanupIntervalMs: 10000,
      transactionRemoveExpiredCleanupIntervalMs: 3600000,
      transactionStateLogNumPartitions: 50,
      transactionStateLogSegmentBytes: 104857600,
    });
  });

  it('turns transaction settings into config fields and leaves the rest as log settings', () => {
    expect(splitBrokerSettings({
      'transaction.max.timeout.ms': '60000',
      'transaction.abort.timed.out.transaction.cleanup.interval.ms': '500',
      'log.retention.ms': '1000',
    })).toEqual({
      fields: { transactionMaxTimeoutMs: 60000, transactionAbortTimedOutCleanupIntervalMs: 500 },
      logSettings: { 'log.retention.ms': '1000' },
    });
    expect(() => splitBrokerSettings({ 'transactional.id.expiration.ms': 'soon' })).toThrow(/positive integer/);
  });

  it('takes the fetch-session cache settings too, where 0 slots turns fetch sessions off', () => {
    expect(splitBrokerSettings({ 'max.incremental.fetch.session.cache.slots': '0', 'min.incremental.fetch.session.eviction.ms': '5000' })).toEqual({
      fields: { maxIncrementalFetchSessionCacheSlots: 0, minIncrementalFetchSessionEvictionMs: 5000 },
      logSettings: {},
    });
    expect(() => splitBrokerSettings({ 'max.incremental.fetch.session.cache.slots': '-1' })).toThrow(/non-negative integer/);
  });
});
