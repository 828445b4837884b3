/**
 * The docker-compose stack started without Docker, for the end-to-end test and the pipeline
 * benchmark: two `ferry broker` processes as regions A and B; a private MariaDB (event scheduler
 * on) loaded by the `mariadb` client with deploy/mysql/init, as the MySQL image does on first
 * start; s3rver with the stack's MinIO credentials and its bucket (what minio-init does); the
 * Elasticsearch test server; three `ferry worker` processes with exactly the environment
 * docker-compose.yml gives ferry-a1..a3 and one with ferry-b's, addresses made local.
 *
 * Imports nothing from vitest, so benchmarks can use it; every child is stopped by `stop()`
 * (tests also reap them after the file).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { startElasticsearchTestServer, type EsTestServer } from '../helpers/elasticsearch-server.js';
import { spawnFerryCommand, type FerryChild } from '../helpers/ferry-process.js';
import { startMariaDb, type MariaDbServer } from '../helpers/mariadb-server.js';
import { runProcess } from '../helpers/run-process.js';
import { createBucket, s3Client, startS3rver, type S3rverProcess } from '../helpers/s3rver.js';
import { CLI, spawnBroker, type BrokerProcess } from '../helpers/test-broker.js';
import { connectorFiles, CONNECTORS_DIR, REPO, type ConnectorFile } from './compose-model.js';
import { changedKeys, composeEnvironment, localise, type AddressMap } from './pipeline-kit.js';

export const BUCKET = 'ferry-backup';
/** The keys a connector file may differ in when run here: addresses only. */
const ADDRESS_KEYS = new Set([
  'database.hostname', 'database.port', 'schema.history.internal.kafka.bootstrap.servers', 'connection.url', 'store.url',
  'source.cluster.bootstrap.servers', 'target.cluster.bootstrap.servers',
]);

export interface StackWorker extends FerryChild {
  readonly service: string;
  readonly restUrl: string;
}

export interface PipelineStack {
  readonly regionA: BrokerProcess;
  readonly regionB: BrokerProcess;
  readonly db: MariaDbServer;
  readonly s3: S3rverProcess;
  /** A client with the stack's credentials. */
  readonly bucketClient: S3Client;
  readonly es: EsTestServer;
  /** ferry-a1..a3, in that order. */
  readonly workersA: readonly StackWorker[];
  readonly workerB: StackWorker;
  /**
   * A folder of deploy/connectors with addresses made local, written under the stack's work dir
   * for `ferry connectors apply`; throws if a file would differ in more than its addresses.
   */
  localFolder(folder: string): { dir: string; definitions: ConnectorFile[] };
  /** `ferry connectors apply -f target --url url`: exit code and output. */
  apply(target: string, url: string): Promise<{ code: number | null; output: string }>;
  stop(): Promise<void>;
}

export async function startPipelineStack(work: string): Promise<PipelineStack> {
  const children: { stop(): Promise<unknown> }[] = [];
  const stopAll = async () => {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
  };
  try {
    const [regionA, regionB] = await Promise.all([spawnBroker(path.join(work, 'kafka-a')), spawnBroker(path.join(work, 'kafka-b'))]);
    for (const broker of [regionA, regionB]) {
      children.push({ stop: async () => { broker.child.kill('SIGTERM'); await broker.exited; } });
    }
    const envA = composeEnvironment('ferry-a1');
    const credentials = { accessKeyId: envA['FERRY_S3_ACCESS_KEY']!, secretAccessKey: envA['FERRY_S3_SECRET_KEY']! };
    const [db, s3, es] = await Promise.all([
      startMariaDb({ extraArgs: ['--event-scheduler=ON'] }),
      startS3rver({ credentials: [credentials] }),
      startElasticsearchTestServer(),
    ]);
    children.push(db, s3, { stop: () => es.close() });
    for (const file of fs.readdirSync(path.join(REPO, 'deploy/mysql/init')).sort()) {
      const result = await runProcess('mariadb', ['-h127.0.0.1', `-P${db.port}`, '-uroot'], { input: fs.readFileSync(path.join(REPO, 'deploy/mysql/init', file)) });
      if (result.code !== 0) throw new Error(`deploy/mysql/init/${file} failed: ${result.stderr}`);
    }
    const bucketClient = s3Client(s3.url, { credentials });
    await createBucket(bucketClient, BUCKET);
    const addresses: AddressMap = new Map([
      ['kafka-a:19092', regionA.bootstrap], ['kafka-b:19092', regionB.bootstrap],
      ['http://elasticsearch:9200', es.url], ['http://minio:9000', s3.url],
      ['http://0.0.0.0:8083', 'http://127.0.0.1:0'],
    ]);

    const startWorker = async (service: string): Promise<StackWorker> => {
      const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONNECT_')));
      for (const [key, value] of Object.entries(composeEnvironment(service))) env[key] = localise(value, addresses);
      env['CONNECT_REST_ADVERTISED_HOST_NAME'] = '127.0.0.1';
      const started = await spawnFerryCommand(['worker'], {
        what: `ferry worker (${service})`, env, timeoutMs: 60_000,
        ready: (line) => line['msg'] === 'worker started' && typeof line['restUrl'] === 'string',
      });
      children.push(started);
      return { ...started, service, restUrl: started.readyLine['restUrl'] as string };
    };
    const workersA = await Promise.all(['ferry-a1', 'ferry-a2', 'ferry-a3'].map(startWorker));
    const workerB = await startWorker('ferry-b');

    const localFolder = (folder: string) => {
      const dir = path.join(work, 'connectors', folder);
      fs.mkdirSync(dir, { recursive: true });
      const definitions = connectorFiles(path.join(CONNECTORS_DIR, folder)).map((definition) => {
        const config: Record<string, string> = {};
        for (const [key, value] of Object.entries(definition.config)) config[key] = localise(value, addresses);
        if (config['database.hostname'] === 'mysql') {
          config['database.hostname'] = db.host;
          config['database.port'] = String(db.port);
        }
        const beyond = changedKeys(definition.config, config).filter((k) => !ADDRESS_KEYS.has(k));
        if (beyond.length > 0) throw new Error(`${definition.file} would differ beyond addresses: ${beyond.join(', ')}`);
        fs.writeFileSync(path.join(dir, path.basename(definition.file)), JSON.stringify({ name: definition.name, config }, null, 2));
        return { ...definition, config };
      });
      return { dir, definitions };
    };

    const apply = async (target: string, url: string) => {
      const result = await runProcess(process.execPath, [CLI, 'connectors', 'apply', '-f', target, '--url', url], { timeoutMs: 90_000 });
      return { code: result.code, output: `${result.stdout}${result.stderr}` };
    };

    return { regionA, regionB, db, s3, bucketClient, es, workersA, workerB, localFolder, apply, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
