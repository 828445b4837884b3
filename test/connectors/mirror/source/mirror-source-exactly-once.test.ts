/**
 * What MirrorSourceConnector says of exactly-once (exactly-once.md §8), as a user sees it from a
 * distributed worker with exactly.once.source.support=enabled: PUT
 * /connector-plugins/{class}/config/validate and creating the connector. Exactly-once needs the
 * source consumer to read committed records only, wherever MirrorMaker's precedence takes
 * isolation.level from.
 */
import { describe, expect, it } from 'vitest';
import { MirrorSourceConnector, READ_COMMITTED_REQUIRED } from '../../../../connectors/mirror/source/mirror-source-connector.js';
import { MirrorCheckpointConnector } from '../../../../connectors/mirror/checkpoint/mirror-checkpoint-connector.js';
import { MirrorHeartbeatConnector } from '../../../../connectors/mirror/heartbeat/mirror-heartbeat-connector.js';
import { BOUNDARIES_UNSUPPORTED, EXACTLY_ONCE_NOT_DECLARED } from '../../../../runtime/control/exactly-once-preflight.js';
import { inMemoryWorker } from '../../../runtime/control/in-memory-worker.js';

const FLOW = {
  'source.cluster.alias': 'A', 'target.cluster.alias': 'B',
  'source.cluster.bootstrap.servers': 'a:9092', 'target.cluster.bootstrap.servers': 'b:9092',
};

async function validator() {
  const worker = await inMemoryWorker({ exactlyOnceSourceSupport: 'enabled' });
  return {
    /** The errors per key the validate endpoint reports, keys without errors left out. */
    async errors(config: Record<string, string>): Promise<Record<string, string[]>> {
      const res = await worker.send('PUT', `/connector-plugins/${config['connector.class']}/config/validate`, { name: 'mm2', ...config });
      expect(res.status).toBe(200);
      const body = res.body as unknown as { configs: { value: { name: string; errors: string[] } }[] };
      return Object.fromEntries(body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
    },
    create: (config: Record<string, string>) => worker.send('PUT', '/connectors/mm2/config', config),
  };
}

describe('MirrorSourceConnector exactly-once support', () => {
  it('is SUPPORTED only when the source consumer reads committed records, by MirrorMaker\'s config precedence', () => {
    const connector = new MirrorSourceConnector();
    const support = (extra: Record<string, string>) => connector.exactlyOnceSupport({ ...FLOW, ...extra });
    expect(support({})).toBe('UNSUPPORTED');
    expect(support({ 'source.consumer.isolation.level': 'read_committed' })).toBe('SUPPORTED');
    expect(support({ 'consumer.isolation.level': 'read_committed' })).toBe('SUPPORTED');
    expect(support({ 'source.cluster.consumer.isolation.level': 'read_committed' })).toBe('SUPPORTED');
    // source.consumer.* wins over consumer.*, which wins over source.cluster.consumer.*
    expect(support({ 'consumer.isolation.level': 'read_committed', 'source.consumer.isolation.level': 'read_uncommitted' })).toBe('UNSUPPORTED');
    expect(support({ 'source.cluster.consumer.isolation.level': 'read_committed', 'consumer.isolation.level': 'read_uncommitted' })).toBe('UNSUPPORTED');
    // The target's consumer and the worker's consumer.override.* do not read the source.
    expect(support({ 'target.consumer.isolation.level': 'read_committed' })).toBe('UNSUPPORTED');
    expect(support({ 'consumer.override.isolation.level': 'read_committed' })).toBe('UNSUPPORTED');
    expect(connector.canDefineTransactionBoundaries()).toBe('UNSUPPORTED');
    // The checkpoint and heartbeat connectors do not say: fine with exactly.once.support=requested.
    expect('exactlyOnceSupport' in new MirrorCheckpointConnector()).toBe(false);
    expect('exactlyOnceSupport' in new MirrorHeartbeatConnector()).toBe(false);
  });

  it('with exactly.once.support=required and a read_uncommitted source consumer, validation names the key with MirrorMaker\'s reason', async () => {
    const worker = await validator();
    const config = { 'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector', ...FLOW, 'exactly.once.support': 'required' };
    expect(await worker.errors(config)).toEqual({ 'exactly.once.support': [READ_COMMITTED_REQUIRED] });
    expect(await worker.errors({ ...config, 'source.consumer.isolation.level': 'read_uncommitted' }))
      .toEqual({ 'exactly.once.support': [READ_COMMITTED_REQUIRED] });
    expect(READ_COMMITTED_REQUIRED).toBe('MirrorSourceConnector can only provide exactly-once guarantees when its source consumer is '
      + 'configured with isolation.level set to \'read_committed\'; otherwise, records from aborted and uncommitted transactions will '
      + 'be replicated from the source cluster to the target cluster.');
    const refused = await worker.create(config);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(`exactly.once.support: ${READ_COMMITTED_REQUIRED}`);

    expect(await worker.errors({ ...config, 'source.consumer.isolation.level': 'read_committed' })).toEqual({});
    expect(await worker.errors({ ...config, 'consumer.isolation.level': 'read_committed', 'transaction.boundary': 'interval' })).toEqual({});
    // requested (the default) never refuses, whatever the level.
    expect(await worker.errors({ ...config, 'exactly.once.support': 'requested' })).toEqual({});
  });

  it('refuses connector-defined transaction boundaries; the checkpoint connector cannot be required to be exactly-once', async () => {
    const worker = await validator();
    expect(await worker.errors({
      'connector.class': 'MirrorSourceConnector', ...FLOW, 'source.consumer.isolation.level': 'read_committed', 'transaction.boundary': 'connector',
    })).toEqual({ 'transaction.boundary': [BOUNDARIES_UNSUPPORTED] });
    expect(await worker.errors({ 'connector.class': 'MirrorCheckpointConnector', ...FLOW, 'exactly.once.support': 'required' }))
      .toEqual({ 'exactly.once.support': [EXACTLY_ONCE_NOT_DECLARED] });
    expect(await worker.errors({ 'connector.class': 'MirrorHeartbeatConnector', ...FLOW })).toEqual({});
  });
});
