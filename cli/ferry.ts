#!/usr/bin/env node
/**
 * The `ferry` command: one subcommand per way of running ferry, each declared with
 * cli/command-line (its --help, its errors). Each command is loaded only when run, so `ferry
 * broker` carries none of the worker's code. A UserError ends a command with one line; anything
 * else that escapes is a bug and prints its stack here.
 */
import { defineGroup, lazyCommand } from './command-line/command-spec.js';
import { runCommand, stackOf } from './command-line/run-command.js';
import { tuneHeapForDataPath } from './heap-tuning.js';
import { FERRY_VERSION } from '../runtime/version.js';

/** For the commands that run until stopped, moving records: the data path's heap settings, before their modules load. */
function longRunning<T>(load: () => Promise<T>): () => Promise<T> {
  return () => {
    tuneHeapForDataPath();
    return load();
  };
}

const ferry = defineGroup({
  name: 'ferry',
  summary: 'Kafka Connect and MirrorMaker 2 in Node.js, with a bundled Kafka-protocol broker',
  version: FERRY_VERSION,
  commands: [
    lazyCommand('start', 'run broker, worker, REST API, web console and schema registry in one process',
      longRunning(async () => (await import('./commands/start-command.js')).startCommand)),
    lazyCommand('broker', 'run the bundled Kafka-protocol broker',
      longRunning(async () => (await import('./commands/broker-command.js')).brokerCommand)),
    lazyCommand('worker', 'run a Connect worker from Kafka Connect properties and CONNECT_* variables, against any Kafka',
      longRunning(async () => (await import('./commands/worker-command.js')).workerCommand)),
    lazyCommand('schema-registry', 'run the Confluent-compatible Schema Registry against any Kafka',
      async () => (await import('./commands/schema-registry-command.js')).schemaRegistryCommand),
    lazyCommand('health', 'check a worker\'s GET /health; exit 0 only when healthy',
      async () => (await import('./commands/health-command.js')).healthCommand),
    lazyCommand('connectors', 'manage connectors over a worker\'s REST API (list, status, create, apply -f DIR, ...)',
      async () => (await import('./commands/connectors-command.js')).connectorsCommand),
    lazyCommand('mirror-maker', 'run MirrorMaker 2\'s dedicated mode from its properties file (on one or more nodes)',
      longRunning(async () => (await import('./commands/mirror-maker-command.js')).mirrorMakerCommand)),
    lazyCommand('mirror', 'MirrorMaker tools: translate-offsets moves a consumer group from cluster A to B',
      async () => (await import('./commands/mirror-command.js')).mirrorCommand),
    lazyCommand('topics', 'list, describe, create and delete topics; print records, write them from stdin',
      async () => (await import('./commands/topics-command.js')).topicsCommand),
    lazyCommand('groups', 'consumer groups with lag per partition; reset their offsets',
      async () => (await import('./commands/groups-command.js')).groupsCommand),
    lazyCommand('plugins', 'plugins on a worker\'s plugin.path: list what it would load and refuse; new writes a plugin package',
      async () => (await import('./commands/plugins-command.js')).pluginsCommand),
  ],
});

runCommand(ferry, process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`ferry: ${stackOf(err)}`);
    process.exitCode = 1;
  },
);
