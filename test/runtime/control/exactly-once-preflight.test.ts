/**
 * The exactly-once preflight checks of source connector validation, through the REST API of a
 * worker (WorkerControl over in-memory config, offset and status topics): what a user sees from
 * PUT /connector-plugins/{class}/config/validate and from creating a connector.
 */
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import type { Connector, ConnectorTransactionBoundaries, ExactlyOnceSupport, RawConfig } from '../../../connectors/sdk/connector.js';
import type { SourceConnectorPlugin } from '../../../connectors/sdk/plugin.js';
import type { SourceTask } from '../../../connectors/sdk/source-task.js';
import {
  BOUNDARIES_NULL, BOUNDARIES_UNSUPPORTED, EXACTLY_ONCE_NOT_DECLARED, EXACTLY_ONCE_UNSUPPORTED, WORKER_NOT_ENABLED,
  type ExactlyOnceSourceSupport,
} from '../../../runtime/control/exactly-once-preflight.js';
import { PluginRegistry } from '../../../runtime/plugins/plugin-registry.js';
import { inMemoryWorker } from './in-memory-worker.js';

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
  const worker = await inMemoryWorker({
    plugins: new PluginRegistry({ connectors: [plugin('org.example.Declaring', true), plugin('org.example.Silent', false)], transforms: [], predicates: [] }),
    ...(exactlyOnceSourceSupport ? { exactlyOnceSourceSupport } : {}),
    ...(distributed ? {} : { distributed: undefined }),
  });
  return {
    /** The errors the validate endpoint reports per key, keys without errors left out. */
    async validate(config: Record<string, string>): Promise<Record<string, string[]>> {
      const res = await worker.send('PUT', `/connector-plugins/${config['connector.class']}/config/validate`, { name: 'c', ...config });
      expect(res.status).toBe(200);
      const body = res.body as unknown as { error_count: number; configs: { value: { name: string; errors: string[] } }[] };
      const errors = Object.fromEntries(body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
      expect(Object.values(errors).flat()).toHaveLength(body.error_count);
      return errors;
    },
    async create(name: string, config: Record<string, string>): Promise<{ status: number; message: string | undefined }> {
      const res = await worker.send('POST', '/connectors', { name, config });
      return { status: res.status, message: res.body.message };
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
