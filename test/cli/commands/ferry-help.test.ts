/**
 * What a new user meets first, from the built CLI: every command and subcommand answers --help
 * and -h with its usage on stdout and exit 0, `ferry --version` prints the version, and an
 * unknown flag or command is one line naming it, then the usage, exit 2, never a stack trace.
 */
import { describe, expect, it } from 'vitest';
import { FERRY_VERSION } from '../../../runtime/version.js';
import { runProcess } from '../../helpers/run-process.js';
import { CLI } from '../../helpers/test-broker.js';

function ferry(...args: string[]) {
  return runProcess(process.execPath, [CLI, ...args], { timeoutMs: 30_000 });
}

const COMMANDS: readonly string[][] = [
  ['start'], ['broker'], ['worker'], ['schema-registry'], ['health'], ['mirror-maker'],
  ['connectors'], ...['list', 'get', 'create', 'update', 'delete', 'pause', 'resume', 'stop', 'restart', 'status', 'offsets', 'apply'].map((c) => ['connectors', c]),
  ['mirror'], ['mirror', 'translate-offsets'],
  ['topics'], ['groups'],
  ['plugins'], ['plugins', 'list'], ['plugins', 'new'],
];

describe('--help and -h', () => {
  for (const command of COMMANDS) {
    it(`ferry ${command.join(' ')} prints its usage and exits 0`, async () => {
      const [long, short] = await Promise.all([ferry(...command, '--help'), ferry(...command, '-h')]);
      expect(long.stderr).toBe('');
      expect(long.code).toBe(0);
      expect(long.stdout).toMatch(new RegExp(`^Usage: ferry ${command.join(' ')} `));
      expect(long.stdout).toMatch(command.length === 1 && ['connectors', 'mirror', 'topics', 'groups', 'plugins'].includes(command[0]!) ? /\nCommands:\n/ : /\nOptions:\n/);
      expect(long.stdout).toContain('-h, --help');
      expect(short).toEqual(long);
    });
  }

  it('ferry start --help (a TypeError before) lists its flags with their defaults', async () => {
    const { stdout } = await ferry('start', '--help');
    expect(stdout).toMatch(/--data-dir D +.*\(default: \.\/data\)/);
    expect(stdout).toMatch(/--broker-port P +.*\(default: 9092\)/);
    expect(stdout).toMatch(/--rest-port P +.*\(default: 8083\)/);
    expect(stdout).toMatch(/-c, --config FILE +/);
    expect(stdout).toMatch(/--set NAME=VALUE +.*\n? *.*\(repeatable\)/);
    expect(stdout).toMatch(/--log-format FORMAT +/);
  });

  it('ferry --help and ferry help list every command', async () => {
    const [help, word] = await Promise.all([ferry('--help'), ferry('help')]);
    expect(help.code).toBe(0);
    expect(word).toEqual(help);
    for (const name of ['start', 'broker', 'worker', 'schema-registry', 'health', 'connectors', 'mirror-maker', 'mirror', 'topics', 'groups', 'plugins']) {
      expect(help.stdout).toMatch(new RegExp(`\\n  ${name} +\\S`));
    }
    expect(help.stdout).toMatch(/-V, --version +print the version/);
  });
});

it('ferry --version and -V print the version', async () => {
  const [long, short] = await Promise.all([ferry('--version'), ferry('-V')]);
  expect(long).toEqual({ code: 0, stdout: `ferry ${FERRY_VERSION}\n`, stderr: '' });
  expect(short).toEqual(long);
});

describe('mistakes in the command line', () => {
  it('names an unknown flag in one line, then the usage, exit 2', async () => {
    const result = await ferry('start', '--data-dri', '/tmp/x');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe("ferry start: unknown option '--data-dri'");
    expect(lines[1]).toMatch(/^Usage: ferry start \[--data-dir D\]/);
    expect(result.stderr).toContain("Run 'ferry start --help' for its options.");
    expect(result.stderr).not.toContain('    at ');
  });

  it('names an unknown command, then lists the commands, exit 2', async () => {
    const result = await ferry('strat');
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("ferry: unknown command 'strat'");
    expect(result.stderr).toContain('Usage: ferry <command> [options]');
    expect(result.stderr).not.toContain('    at ');
  });

  it('says which value is wrong and what it must be, exit 2', async () => {
    const result = await ferry('broker', '--port', 'ninety');
    expect(result).toEqual({ code: 2, stdout: '', stderr: "ferry broker: --port must be a whole number from 0 to 65535, got 'ninety'\nRun 'ferry broker --help' for usage.\n" });
    const level = await ferry('broker', '--log-level', 'loud');
    expect(level.code).toBe(2);
    expect(level.stderr.split('\n')[0]).toBe("ferry broker: --log-level must be one of trace, debug, info, warn, error, fatal, silent, got 'loud'");
    const missing = await ferry('start', '--data-dir');
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('ferry start: --data-dir needs a value (D)');
  });
});
