/**
 * Every connector file of deploy/connectors is accepted by the Connect cluster that runs it
 * (PUT /connector-plugins/{class}/config/validate answers zero errors). Each cluster is a real
 * `ferry worker` from the build started with the environment docker-compose.yml gives its
 * first worker, with the Kafka address and the listener made local (a bundled broker per
 * region stands in for kafka-a and kafka-b); which cluster runs which file is read from the
 * compose file's `connectors apply` one-shots, as the stack applies them.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnFerryCommand, type FerryChild } from '../helpers/ferry-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { spawnBroker, type BrokerProcess } from '../helpers/test-broker.js';
import { fileClusters } from './compose-checks.js';
import { connectClusters, connectorFiles, type ConnectorFile, environmentOf, internalAddress, kafkaClusters, loadCompose, workerProperties } from './compose-model.js';

interface ConfigInfos {
  name: string;
  error_count: number;
  configs: { value: { name: string; value: string | null; errors: string[] } }[];
}

const compose = loadCompose();
const { placed, problems } = fileClusters(compose, connectorFiles());
const brokers: BrokerProcess[] = [];
/** What `PUT /connectors/{name}/config` validates: the file's config with its name. */
const withName = (file: ConnectorFile): Record<string, string> => ({ ...file.config, name: file.name });
/** Worker service (first of its cluster) → REST URL of the worker started with its environment. */
const workers = new Map<string, string>();
const children: FerryChild[] = [];

beforeAll(async () => {
  const work = tempDir('ferry-connector-files-');
  // One bundled broker per Kafka cluster of the file, at that cluster's in-network address.
  const addresses = new Map<string, string>();
  for (const [i, cluster] of kafkaClusters(compose).entries()) {
    const broker = await spawnBroker(path.join(work, `kafka-${i}`));
    brokers.push(broker);
    for (const node of cluster.nodes) addresses.set(internalAddress(node)!, broker.bootstrap);
  }
  await Promise.all(connectClusters(compose).map(async (cluster) => {
    const service = cluster.workers[0]!;
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONNECT_')));
    for (const [key, value] of Object.entries(environmentOf(compose.services[service]!))) {
      env[key] = value.split(',').map((item) => addresses.get(item.trim()) ?? item).join(',');
    }
    env['CONNECT_LISTENERS'] = 'http://127.0.0.1:0';
    env['CONNECT_REST_ADVERTISED_HOST_NAME'] = '127.0.0.1';
    const child = await spawnFerryCommand(['worker'], {
      what: `ferry worker with ${service}'s environment`, env, timeoutMs: 60_000,
      ready: (line) => line['msg'] === 'worker started' && typeof line['restUrl'] === 'string',
    });
    children.push(child);
    workers.set(service, child.readyLine['restUrl'] as string);
  }));
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await Promise.all(brokers.map((broker) => {
    broker.child.kill('SIGTERM');
    return broker.exited;
  }));
});

describe('deploy/connectors', () => {
  it('places every file on one Connect cluster of the compose file', () => {
    expect(problems).toEqual([]);
    expect(placed.map((p) => [p.file.file, p.workers[0]])).toEqual([
      ['deploy/connectors/region-a/elasticsearch-sink.json', 'ferry-a1'],
      ['deploy/connectors/region-a/mysql-cdc.json', 'ferry-a1'],
      ['deploy/connectors/region-a/s3-backup.json', 'ferry-a1'],
      ['deploy/connectors/region-b/mirror-checkpoint.json', 'ferry-b'],
      ['deploy/connectors/region-b/mirror-heartbeat.json', 'ferry-b'],
      ['deploy/connectors/region-b/mirror-source.json', 'ferry-b'],
      ['deploy/connectors/restore/s3-restore.json', 'ferry-b'],
    ]);
  });

  it('starts each cluster\'s worker from the compose environment alone', () => {
    for (const cluster of connectClusters(compose)) {
      const properties = workerProperties(environmentOf(compose.services[cluster.workers[0]!]!));
      expect(properties['group.id']).toBe(cluster.groupId);
      expect(workers.get(cluster.workers[0]!)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it.each(placed.map((p) => [p.file.file, p] as const))('%s validates with zero errors on its cluster', async (_file, { file, workers: clusterWorkers }) => {
    const url = workers.get(clusterWorkers[0]!)!;
    const connectorClass = file.config['connector.class']!;
    const response = await fetch(`${url}/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(withName(file)),
    });
    const body = await response.text();
    expect(response.status, body).toBe(200);
    const infos = JSON.parse(body) as ConfigInfos;
    const errors = infos.configs.filter((c) => c.value.errors.length > 0).map((c) => `${c.value.name}: ${c.value.errors.join('; ')}`);
    expect(errors).toEqual([]);
    expect(infos.error_count).toBe(0);
  });

  it('a config with a misspelt transform option is reported by the same endpoint (the check can fail)', async () => {
    const sink = placed.find((p) => p.file.file.endsWith('elasticsearch-sink.json'))!;
    const { 'transforms.unwrap.delete.tombstone.handling.mode': mode, ...config } = withName(sink.file);
    config['transforms.unwrap.delete.tombstone.handling.mode'] = `${mode}s`;
    const response = await fetch(`${workers.get(sink.workers[0]!)!}/connector-plugins/${encodeURIComponent(config['connector.class']!)}/config/validate`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config),
    });
    const infos = await response.json() as ConfigInfos;
    expect(infos.error_count).toBeGreaterThan(0);
    expect(infos.configs.find((c) => c.value.name === 'transforms.unwrap.delete.tombstone.handling.mode')?.value.errors).not.toEqual([]);
  });
});
