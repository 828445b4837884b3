#!/usr/bin/env node
/** The `ferry` command: one subcommand per way of running ferry. */

const USAGE = `Usage: ferry <command> [options]

Commands:
  start [--data-dir D] [--broker-port P] [--rest-port R] [--registry-port S]
                                                                   run broker, worker, REST API and schema registry in one process
  broker --port P --data-dir D [--host H] [--advertised-host H]   run the bundled Kafka-protocol broker
  worker [WORKER.properties]                                       run a Connect worker from Kafka Connect properties, CONNECT_* env vars
                                                                   overriding them (without a file: from CONNECT_* env vars alone)
  schema-registry --bootstrap-servers H:P [--port N] [--host H]   run the Confluent-compatible Schema Registry against any Kafka
  health [--url U] [--timeout-ms N]                                check a worker's GET /health; exit 0 only when healthy
  connectors <list|get|create|update|delete|pause|resume|stop|restart|status|offsets> [--url U] [--json]
                                                                   manage connectors over the REST API
  connectors apply -f DIR|FILE [--url U] [--dry-run] [--json]      create or update connectors from files, idempotently
  mirror-maker MM2.properties [--clusters A,B]                     run MirrorMaker 2's dedicated mode (one or more nodes)
  mirror translate-offsets --group G --from A --to B (--config MM2.properties | --bootstrap-server H:P) [--apply] [--json]
                                                                   a consumer group's offsets on B translated from A
  topics <list|describe|create|delete|consume|produce> [--bootstrap-server H:P] [--json]
                                                                   list, describe, create and delete topics; print records, write them from stdin
  groups <list|describe|reset-offsets> [--bootstrap-server H:P] [--json]
                                                                   consumer groups with lag per partition; reset their offsets
`;

import { tuneHeapForDataPath } from './heap-tuning.js';

/** The commands that run until stopped, moving records: they get the data path's heap settings. */
const LONG_RUNNING = new Set(['start', 'broker', 'worker', 'mirror-maker']);

/** Each command is loaded only when run, so `ferry broker` carries none of the worker's code. */
const commands: Record<string, (args: string[]) => Promise<number>> = {
  start: async (args) => (await import('./commands/start-command.js')).runStartCommand(args),
  broker: async (args) => (await import('./commands/broker-command.js')).runBrokerCommand(args),
  worker: async (args) => (await import('./commands/worker-command.js')).runWorkerCommand(args),
  'schema-registry': async (args) => (await import('./commands/schema-registry-command.js')).runSchemaRegistryCommand(args),
  health: async (args) => (await import('./commands/health-command.js')).runHealthCommand(args),
  connectors: async (args) => (await import('./commands/connectors-command.js')).runConnectorsCommand(args),
  'mirror-maker': async (args) => (await import('./commands/mirror-maker-command.js')).runMirrorMakerCommand(args),
  mirror: async (args) => (await import('./commands/mirror-command.js')).runMirrorCommand(args),
  topics: async (args) => (await import('./commands/topics-command.js')).runTopicsCommand(args),
  groups: async (args) => (await import('./commands/groups-command.js')).runGroupsCommand(args),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`ferry: unknown command '${name}'\n\n${USAGE}`);
    return 1;
  }
  if (LONG_RUNNING.has(name)) tuneHeapForDataPath();
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`ferry: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
