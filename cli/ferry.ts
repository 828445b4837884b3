#!/usr/bin/env node
/** The `ferry` command: one subcommand per way of running ferry. */
import { runBrokerCommand } from './commands/broker-command.js';

const USAGE = `Usage: ferry <command> [options]

Commands:
  broker --port P --data-dir D [--host H] [--advertised-host H]   run the bundled Kafka-protocol broker
`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  broker: runBrokerCommand,
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
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`ferry: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
