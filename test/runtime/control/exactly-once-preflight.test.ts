/**
 * The exactly-once preflight checks of source connector validation, through the REST API of a
 * worker (WorkerControl over in-memory config, offset and status topics): what a user sees from
 * PUT /connector-plugins/{class}/config/validate and from creating a connector.
 */
import { describe, expect, it } from 'vitest';
import { buildApiServer } from '../../../api/server.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import type { Connector, ConnectorTransactionBoundaries, ExactlyOnceSupport, RawConfig } from '../../../connectors/sdk/connector.js';
import type { SourceConnectorPlugin } from '../../../connectors/sdk/plugin.js';
import type { SourceTask } from '../../../connectors/sdk/source-task.js';
import {
  BOUNDARIES_NULL, BOUNDARIES_UNSUPPORTED, EXACTLY_ONCE_NOT_DECLARED, EXACTLY_ONCE_UNSUPPORTED, WORKER_NOT_ENABLED,
  type ExactlyOnceSourceSupport,
} from '../../../runtime/control/exactly-once-preflight.js';
import { WorkerControl } from '../../../runtime/control/worker-control.js';
import type { TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { PluginRegistry } from '../../../runtime/plugins/plugin-registry.js';
import { ConfigStore } from '../../../runtime/stores/config-store.js';
import { InMemoryCompactedTopic } from '../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { OffsetStore } from '../../../runtime/stores/offset-store.js';
import { StatusStore } from '../../../runtime/stores/status-store.js';
import type { Worker } from '../../../runtime/worker/worker.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A source connector whose answers come from its config: `eos` and `boundaries` (SUPPORTED, UNSUPPORTED, null, throw, absent). */
class DeclaringConnector implements Connector {
  start(): void {}
  taskConfigs(): RawConfig[] { return [{}]; }
  stop(): void {}
  exactlyOnceSupport?(config: RawConfig): ExactlyOnceSupport | null;
  canDefineTransactionBoundaries?(config: RawConfig): ConnectorTransactionBoundaries;

  constructor(declares: boolean) {
    if (!declares) return;
    this.exactlyOnceSupport = (config) => answer(config['eos']) as ExactlyOnceSupport | null;
    this.canDefineTransactionBoundaries = (config) => answer(config['boundaries']) as ConnectorTransactionBoundaries;
  }
}

function answer(text: string | undefined): string | null {
  if (text === 'throw') throw new Error('the source is unreachable');
  if (text === 'throw-empty') throw new Error('');
  return text === 'null' || text === undefined ? null : text;
}

function plugin(className: string, declares: boolean): SourceConnectorPlugin {
  return {
    className, aliases: [], kind: 'source', version: '1', taskClassName: `${className}Task`,
    configSpec: defineConfig({}),
    createConnector: () => new DeclaringConnector(declares),
    createTask: () => ({}) as SourceTask,
  };
}

async function api(exactlyOnceSourceSupport: ExactlyOnceSourceSupport | undefined, distributed = true) {
  const configs = new ConfigStore(new InMemoryCompactedTopic());
  const statuses = new StatusStore(new InMemoryCompactedTopic());
  const offsets = new OffsetStore(new InMemoryCompactedTopic());
  await Promise.all([configs.start(), statuses.start(), offsets.start()]);
  const op = async () => [];
  const worker = {
    stopAllTasksOf: op, stopConnector: op, reportStopped: () => undefined, ensureConnector: op,
    connectorTaskConfigs: async () => undefined, syncTasks: op, restartTask: op, stopAll: op, connectorNames: () => [],
  } as unknown as Worker;
  const control = new WorkerControl({
    configs, statuses, offsets, worker, logger: silent, admin: {} as TopicAdmin,
    plugins: new PluginRegistry({ connectors: [plugin('org.example.Declaring', true), plugin('org.example.Silent', false)], transforms: [], predicates: [] }),
    serverInfo: { version: '0', commit: 'x', kafka_cluster_id: 'c' },
    ...(exactlyOnceSourceSupport ? { exactlyOnceSourceSupport } : {}),
    ...(distributed ? { distributed: { onWorkChanged: () => undefined, isLeader: () => true } } : {}),
  });
  await control.start();
  const app = buildApiServer({ control });
  return {
    /** The errors the validate endpoint reports per key, keys without errors left out. */
    async validate(config: Record<string, string>): Promise<Record<string, string[]>> {
      const res = await app.inject({ method: 'PUT', url: `/connector-plugins/${config['connector.class']}/config/validate`, payload: { name: 'c', ...config } });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ error_count: number; configs: { value: { name: string; errors: string[] } }[] }>();
      const errors = Object.fromEntries(body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
      expect(Object.values(errors).flat()).toHaveLength(body.error_count);
      return errors;
    },
    async create(name: string, config: Record<string, string>): Promise<{ status: number; message: string | undefined }> {
      const res = await app.inject({ method: 'POST', url: '/connectors', payload: { name, config } });
      return { status: res.statusCode, message: res.json<{ message?: string }>().message };
    },
  };
}

const declaring = (extra: Record<string, string>) => ({ 'connector.class': 'org.example.Declaring', ...extra });

describe('exactly-once preflight validation', () => {
  it('accepts exactly.once.support=required from a connector that declares support on an enabled worker', async () => {
    const worker = await api('enabled');
    expect(await worker.validate(declaring({ 'exactly.once.support': 'required', eos: 'SUPPORTED' }))).toEqual({});
    expect((await worker.create('ok', declaring({ 'exactly.once.support': 'REQUIRED', eos: 'SUPPORTED' }))).status).toBe(201);
  });

  it('reports each reason required cannot be met on exactly.once.support, with Kafka Connect\'s messages', async () => {
    const worker = await api('enabled');
    expect(await worker.validate(declaring({ 'exactly.once.support': 'required', eos: 'UNSUPPORTED' })))
      .toEqual({ 'exactly.once.support': [EXACTLY_ONCE_UNSUPPORTED] });
    expect(await worker.validate(declaring({ 'exactly.once.support': 'required', eos: 'null' })))
      .toEqual({ 'exactly.once.support': [EXACTLY_ONCE_NOT_DECLARED] });
    expect(await worker.validate({ 'connector.class': 'org.example.Silent', 'exactly.once.support': 'required' }))
      .toEqual({ 'exactly.once.support': [EXACTLY_ONCE_NOT_DECLARED] });
    expect(await worker.validate(declaring({ 'exactly.once.support': 'required', eos: 'throw' })))
      .toEqual({ 'exactly.once.support': ['An unexpected error occurred during validation: the source is unreachable'] });
    expect(await worker.validate(declaring({ 'exactly.once.support': 'required', eos: 'throw-empty' })))
      .toEqual({ 'exactly.once.support': ['An unexpected error occurred during validation; please see the worker logs for more details.'] });
    expect(EXACTLY_ONCE_NOT_DECLARED).toContain('consider reconfiguring the connector to use the value "requested" for this property');
  });

  it('requires the worker to have exactly-once source support enabled', async () => {
    for (const level of ['disabled', 'preparing'] as const) {
      const worker = await api(level);
      expect(await worker.validate(declaring({ 'exactly.once.support': 'required', eos: 'SUPPORTED' })))
        .toEqual({ 'exactly.once.support': [WORKER_NOT_ENABLED] });
      expect(await worker.validate(declaring({ 'exactly.once.support': 'requested' }))).toEqual({});
    }
  });

  it('refuses transaction.boundary=connector unless the connector can define transaction boundaries', async () => {
    const worker = await api('enabled');
    expect(await worker.validate(declaring({ 'transaction.boundary': 'connector', boundaries: 'SUPPORTED' }))).toEqual({});
    expect(await worker.validate(declaring({ 'transaction.boundary': 'connector', boundaries: 'UNSUPPORTED' })))
      .toEqual({ 'transaction.boundary': [BOUNDARIES_UNSUPPORTED] });
    expect(await worker.validate(declaring({ 'transaction.boundary': 'connector', boundaries: 'null' })))
      .toEqual({ 'transaction.boundary': [BOUNDARIES_NULL] });
    expect(await worker.validate({ 'connector.class': 'org.example.Silent', 'transaction.boundary': 'Connector' }))
      .toEqual({ 'transaction.boundary': [BOUNDARIES_UNSUPPORTED] });
    expect(await worker.validate(declaring({ 'transaction.boundary': 'interval' }))).toEqual({});
  });

  it('answers connector creation with a 400 naming the field', async () => {
    const worker = await api('enabled');
    const created = await worker.create('needs-eos', { 'connector.class': 'org.example.Silent', 'exactly.once.support': 'required' });
    expect(created.status).toBe(400);
    expect(created.message).toBe('Connector configuration is invalid and contains the following 1 error(s):\n'
      + `exactly.once.support: ${EXACTLY_ONCE_NOT_DECLARED}\n`
      + 'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`');
  });

  it('checks only a key that passed the usual validation, and not at all without distributed exactly-once settings', async () => {
    const worker = await api('enabled');
    const errors = await worker.validate(declaring({ 'exactly.once.support': 'always', 'transaction.boundary': 'connector', boundaries: 'UNSUPPORTED' }));
    expect(errors['exactly.once.support']).toHaveLength(1);
    expect(errors['exactly.once.support']![0]).toMatch(/^Invalid value always for configuration exactly.once.support/);
    expect(errors['transaction.boundary']).toEqual([BOUNDARIES_UNSUPPORTED]);

    for (const worker of [await api(undefined), await api('enabled', false)]) {
      expect(await worker.validate({ 'connector.class': 'org.example.Silent', 'exactly.once.support': 'required', 'transaction.boundary': 'connector' }))
        .toEqual({});
    }
  });
});
