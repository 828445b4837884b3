/**
 * Two regions for MirrorMaker tests: each region is a `ferry broker` process with its own data
 * directory (so a test can stop a region and bring it back on the same port), and the Connect
 * worker that mirrors runs as a `ferry worker` process next to the target region, as MirrorMaker
 * is usually deployed, so a test can SIGKILL it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { reapAfterFile } from '../../helpers/child-reaper.js';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { groupWorkerProperties } from '../../helpers/group-worker-properties.js';
import { startFerryWorker, type FerryWorkerProcess } from '../../helpers/ferry-process.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { spawnBroker, type BrokerProcess } from '../../helpers/test-broker.js';

export interface Region {
  readonly alias: string;
  readonly dataDir: string;
  broker: BrokerProcess;
  readonly bootstrap: string;
  readonly kafka: Kafka;
  /** `ferry broker` arguments beyond port and data directory, kept for resumeRegion. */
  readonly brokerArgs: readonly string[];
}

export async function startRegion(alias: string, port = 0, dataDir = tempDir(`ferry-region-${alias}-`), brokerArgs: readonly string[] = []): Promise<Region> {
  const broker = await spawnBroker(dataDir, port, [...brokerArgs]);
  reapAfterFile(broker.child);
  return { alias, dataDir, broker, bootstrap: broker.bootstrap, kafka: kafkaClient(broker.bootstrap, `test-${alias}`), brokerArgs };
}

/**
 * A target region for exactly-once tests: transactions that outlived their timeout are aborted
 * within half a second (Kafka's scan runs every 10 s). A SIGKILLed worker leaves its task
 * transactions open; its successor reads the offsets topic read_committed before any task
 * claims the transactional ids again, so it waits for them to time out, as Kafka Connect does.
 */
export function startExactlyOnceRegion(alias: string): Promise<Region> {
  return startRegion(alias, 0, undefined, ['--set', 'transaction.abort.timed.out.transaction.cleanup.interval.ms=500']);
}

/** Stops the region's broker (SIGTERM) and waits until it exited: the region is unreachable. */
export async function stopRegion(region: Region): Promise<void> {
  region.broker.child.kill('SIGTERM');
  await region.broker.exited;
}

/** Starts the region's broker again on the same port and data directory. */
export async function resumeRegion(region: Region): Promise<void> {
  region.broker = await spawnBroker(region.dataDir, region.broker.port, [...region.brokerArgs]);
  reapAfterFile(region.broker.child);
}

export interface MirrorWorker {
  readonly process: FerryWorkerProcess;
  readonly rest: ConnectRest;
  readonly propertiesFile: string;
}

/** A Connect worker on the target region's cluster, set up as MirrorMaker runs: byte-array converters, fast offset commits. */
export async function startMirrorWorker(target: Region, opts: { groupId?: string; properties?: Record<string, string>; propertiesFile?: string } = {}): Promise<MirrorWorker> {
  const group = opts.groupId ?? `mirror-${target.alias}`;
  const propertiesFile = opts.propertiesFile ?? path.join(tempDir('ferry-mirror-worker-'), 'worker.properties');
  const properties: Record<string, string> = {
    ...groupWorkerProperties(target.bootstrap, group),
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'offset.flush.interval.ms': '500',
    ...opts.properties,
  };
  writeFileSync(propertiesFile, Object.entries(properties).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const process = await startFerryWorker(propertiesFile);
  return { process, rest: new ConnectRest(process.restUrl), propertiesFile };
}

/** Starts the worker again from the same properties file (after a stop or a SIGKILL). */
export async function restartMirrorWorker(old: MirrorWorker, mode: 'stop' | 'kill'): Promise<MirrorWorker> {
  if (mode === 'kill') await old.process.kill(); else await old.process.stop();
  const process = await startFerryWorker(old.propertiesFile);
  return { process, rest: new ConnectRest(process.restUrl), propertiesFile: old.propertiesFile };
}

/** The settings every mirror connector of a source→target flow needs, with quick intervals for tests. */
export function flowConfig(source: Region, target: Region, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'source.cluster.alias': source.alias,
    'target.cluster.alias': target.alias,
    'source.cluster.bootstrap.servers': source.bootstrap,
    'target.cluster.bootstrap.servers': target.bootstrap,
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'replication.factor': '1',
    'offset-syncs.topic.replication.factor': '1',
    'checkpoints.topic.replication.factor': '1',
    'heartbeats.topic.replication.factor': '1',
    'refresh.topics.interval.seconds': '1',
    'refresh.groups.interval.seconds': '1',
    'sync.topic.configs.interval.seconds': '1',
    'emit.checkpoints.interval.seconds': '1',
    'sync.group.offsets.interval.seconds': '1',
    ...extra,
  };
}

/** Creates (PUT) a connector and waits until it and `tasks` tasks run. */
export async function runConnector(rest: ConnectRest, name: string, config: Record<string, string>, tasks?: number): Promise<void> {
  const put = await rest.request('PUT', `/connectors/${encodeURIComponent(name)}/config`, config);
  if (put.status >= 300) throw new Error(`PUT ${name} answered ${put.status}: ${JSON.stringify(put.body)}`);
  if (tasks !== undefined) await rest.untilStates(name, { connector: 'RUNNING', tasks: Array<string>(tasks).fill('RUNNING') });
}

export interface TwoRegions {
  A: Region;
  B: Region;
  /** The mirror worker on B; a test that restarts it stores the new one here. */
  worker: MirrorWorker;
}

/** Regions A and B and a mirror worker next to B for the test file (hooks registered here; the worker is stopped after the file). */
export function twoRegionsWithWorker(): TwoRegions {
  const regions = {} as TwoRegions;
  beforeAll(async () => {
    [regions.A, regions.B] = await Promise.all([startRegion('A'), startRegion('B')]);
    regions.worker = await startMirrorWorker(regions.B);
  }, 60_000);
  afterAll(async () => {
    await regions.worker?.process.stop();
  });
  return regions;
}
