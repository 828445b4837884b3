/**
 * ferry's side of the MirrorMaker benchmark: a `ferry worker` process on region B (the target,
 * as MirrorMaker is deployed) with MirrorMaker's byte-array converters, and the
 * MirrorSourceConnector config that replicates one topic from region A with `tasks.max` tasks.
 * A fresh worker (own group and internal topics) serves each run, so runs share no state.
 */
import path from 'node:path';
import { startFerryProcess, workerReady, type FerryProcess } from '../runtime/ferry-process.js';
import { writeWorkerProperties } from '../runtime/worker-properties.js';

const BYTE_ARRAY = 'org.apache.kafka.connect.converters.ByteArrayConverter';
const CONVERTERS: Record<string, string> = { 'key.converter': BYTE_ARRAY, 'value.converter': BYTE_ARRAY, 'header.converter': BYTE_ARRAY };

export function startMirrorWorker(opts: {
  cli: string; dir: string; target: string; group: string; properties: Record<string, string>; cpuProfDir?: string;
}): Promise<FerryProcess> {
  const file = path.join(opts.dir, `${opts.group}.properties`);
  writeWorkerProperties(file, opts.target, opts.group, 'string', { ...CONVERTERS, ...opts.properties });
  return startFerryProcess({ cli: opts.cli, args: ['worker', file], ready: workerReady, cpuProfDir: opts.cpuProfDir });
}

/** MirrorSourceConnector from `source` (alias `sourceAlias`) to `target` (alias B) for `topic`: its remote topic is `<sourceAlias>.<topic>`. */
export function mirrorSourceConfig(opts: {
  source: string; sourceAlias: string; target: string; topic: string; tasks: number; extra: Record<string, string>;
}): Record<string, string> {
  return {
    'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
    'source.cluster.alias': opts.sourceAlias,
    'target.cluster.alias': 'B',
    'source.cluster.bootstrap.servers': opts.source,
    'target.cluster.bootstrap.servers': opts.target,
    topics: opts.topic,
    'tasks.max': String(opts.tasks),
    ...CONVERTERS,
    'replication.factor': '1',
    'offset-syncs.topic.replication.factor': '1',
    ...opts.extra,
  };
}
