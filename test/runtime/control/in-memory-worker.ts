/**
 * A distributed worker's WorkerControl over in-memory config, offset and status topics, with a
 * stand-in Worker that runs nothing, and its REST API (answered through `inject`).
 */
import { buildApiServer } from '../../../api/server.js';
import { WorkerControl, type WorkerControlOptions } from '../../../runtime/control/worker-control.js';
import type { TopicAdmin } from '../../../runtime/kafka/kafka-client.js';
import { builtinPlugins } from '../../../runtime/plugins/builtin-plugins.js';
import { ConfigStore } from '../../../runtime/stores/config-store.js';
import { InMemoryCompactedTopic } from '../../../runtime/stores/memory/in-memory-compacted-topic.js';
import { OffsetStore } from '../../../runtime/stores/offset-store.js';
import { StatusStore } from '../../../runtime/stores/status-store.js';
import type { Worker } from '../../../runtime/worker/worker.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface RestAnswer {
  status: number;
  body: { message?: string; error_code?: number } & Record<string, unknown>;
}

export async function inMemoryWorker(options: Partial<WorkerControlOptions> = {}) {
  const configs = new ConfigStore(new InMemoryCompactedTopic());
  const statuses = new StatusStore(new InMemoryCompactedTopic());
  const offsets = new OffsetStore(new InMemoryCompactedTopic());
  await Promise.all([configs.start(), statuses.start(), offsets.start()]);
  const op = async () => [];
  const worker = {
    stopAllTasksOf: op, stopConnector: op, reportStopped: () => undefined, ensureConnector: op, forgetConnector: () => undefined,
    connectorTaskConfigs: async () => undefined, syncTasks: op, restartTask: op, stopAll: op, connectorNames: () => [],
  } as unknown as Worker;
  const control = new WorkerControl({
    configs, statuses, offsets, worker, logger: silent, admin: {} as TopicAdmin, plugins: builtinPlugins(),
    serverInfo: { version: '0', commit: 'x', kafka_cluster_id: 'c' },
    distributed: { onWorkChanged: () => undefined, isLeader: () => true },
    ...options,
  });
  await control.start();
  const app = buildApiServer({ control });
  return {
    control,
    configs,
    async send(method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object): Promise<RestAnswer> {
      const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
      return { status: res.statusCode, body: res.body === '' ? {} : res.json() };
    },
  };
}
