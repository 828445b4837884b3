/**
 * The declared-options command framework, run in-process on captured streams: what a user sees
 * for --help, for each kind of mistake, for a user error and a bug, and the values a command
 * receives.
 */
import { describe, expect, it } from 'vitest';
import { defineCommand, defineGroup, lazyCommand, type Command } from '../../../cli/command-line/command-spec.js';
import { runCommand } from '../../../cli/command-line/run-command.js';
import { UserError } from '../../../cli/command-line/user-error.js';
import { captureIo } from '../fake-connect-worker.js';

let received: unknown;

const CONNECTION = {
  'bootstrap-server': { type: 'string', valueName: 'HOST:PORT', default: '127.0.0.1:9092', env: 'FERRY_BOOTSTRAP', description: 'the Kafka cluster' },
  json: { type: 'boolean', description: 'print JSON' },
} as const;

const consume = defineCommand({
  name: 'consume',
  summary: 'print records of a topic',
  options: {
    ...CONNECTION,
    partition: { type: 'integer', short: 'p', min: 0, description: 'only this partition' },
    max: { type: 'integer', default: 10, min: 1, description: 'stop after N records' },
    format: { type: 'string', choices: ['text', 'json'], default: 'text', description: 'how records are printed' },
    header: { type: 'repeated', short: 'H', valueName: 'K=V', description: 'a header to match' },
    ratio: { type: 'number', description: 'a fraction' },
  },
  positionals: [{ name: 'topic', valueName: 'TOPIC', description: 'the topic to read' }],
  run(inv) {
    // Types: topic is string, partition number | undefined, max number, header string[].
    const topic: string = inv.args.topic;
    const partition: number | undefined = inv.options.partition;
    const max: number = inv.options.max;
    const headers: string[] = inv.options.header;
    received = { topic, partition, max, headers, format: inv.options.format, json: inv.options.json, bootstrap: inv.options['bootstrap-server'], ratio: inv.options.ratio };
    return Promise.resolve();
  },
});

const fail = defineCommand({
  name: 'fail',
  summary: 'fails',
  options: { bug: { type: 'boolean', description: 'fail with a bug' } },
  positionals: [{ name: 'files', variadic: true, optional: true, description: 'files' }],
  run(inv) {
    if (inv.options.bug) throw new TypeError('cannot read properties of undefined');
    throw new UserError(`cannot read ${inv.args.files.join(', ')}: no such file; check the path`, { exitCode: 3 });
  },
});

const topics = defineGroup({ name: 'topics', summary: 'topics of a cluster', commands: [consume, fail] });
const ferry = defineGroup({
  name: 'ferry', summary: 'ferry', version: '9.9.9',
  commands: [topics, lazyCommand('later', 'loaded when run', () => Promise.resolve(fail as Command))],
});

async function ferryRun(args: string[], env: Record<string, string> = {}) {
  const captured = captureIo(env);
  received = undefined;
  const code = await runCommand(ferry, args, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('parsing', () => {
  it('gives the command typed values, defaults, env and options before the command word', async () => {
    expect(await ferryRun(['topics', '--json', 'consume', 'orders', '-p', '2', '--max=5', '-H', 'a=1', '--header', 'b=2', '--ratio', '0.5']))
      .toEqual({ code: 0, stdout: '', stderr: '' });
    expect(received).toEqual({ topic: 'orders', partition: 2, max: 5, headers: ['a=1', 'b=2'], format: 'text', json: true, bootstrap: '127.0.0.1:9092', ratio: 0.5 });
    await ferryRun(['topics', 'consume', '-p3', 'orders'], { FERRY_BOOTSTRAP: 'kafka:9092' });
    expect(received).toMatchObject({ partition: 3, bootstrap: 'kafka:9092', max: 10, headers: [] });
    await ferryRun(['topics', 'consume', '--bootstrap-server', 'x:1', '--', '-weird-topic']);
    expect(received).toMatchObject({ topic: '-weird-topic', bootstrap: 'x:1' });
  });

  const mistakes: [string, string[], string][] = [
    ['an unknown option', ['topics', 'consume', 'orders', '--bogus'], "ferry topics consume: unknown option '--bogus'\nUsage: ferry topics consume [options] TOPIC\n"],
    ['an option of a sibling command', ['topics', 'fail', '--max', '3'], "ferry topics fail: 'fail' does not take --max\n"],
    ['a missing value', ['topics', 'consume', 'orders', '--max'], 'ferry topics consume: --max needs a value (N)\n'],
    ['a value that is not a whole number', ['topics', 'consume', 'orders', '--max', 'ten'], "ferry topics consume: --max must be a whole number of at least 1, got 'ten'\n"],
    ['a value out of bounds', ['topics', 'consume', 'orders', '-p', '-1'], "ferry topics consume: -p (--partition) must be a whole number of at least 0, got '-1'\n"],
    ['a value not among the choices', ['topics', 'consume', 'orders', '--format', 'xml'], "ferry topics consume: --format must be one of text, json, got 'xml'\n"],
    ['a value given to a boolean', ['topics', 'consume', 'orders', '--json=yes'], 'ferry topics consume: --json takes no value\n'],
    ['a missing argument', ['topics', 'consume'], "ferry topics consume: missing TOPIC\nRun 'ferry topics consume --help' for usage.\n"],
    ['an extra argument', ['topics', 'consume', 'a', 'b'], "ferry topics consume: unexpected argument 'b'\n"],
    ['an unknown command', ['topics', 'frobnicate'], "ferry topics: unknown command 'frobnicate'\n\nUsage: ferry topics <command> [options]\n"],
    ['a missing command', ['topics'], 'ferry topics: missing command\n'],
    ['an unknown top-level option', ['--bogus'], "ferry: unknown option '--bogus'\n"],
  ];
  for (const [what, args, says] of mistakes) {
    it(`exits 2 for ${what}, in one line and a pointer to the usage`, async () => {
      const result = await ferryRun(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.startsWith(says) || result.stderr.includes(says)).toBe(true);
      expect(result.stderr).not.toContain('    at ');
      expect(received).toBeUndefined();
    });
  }
});

it('names the variable a bad value came from', async () => {
  const result = await ferryRun(['topics', 'consume', 'orders', '--max', '1'], { FERRY_BOOTSTRAP: '' });
  expect(result.code).toBe(0);
  const bad = defineCommand({ name: 'bad', summary: 'x', options: { size: { type: 'integer', env: 'SIZE', description: 'size' } }, run: () => Promise.resolve() });
  const captured = captureIo({ SIZE: 'big' });
  expect(await runCommand(bad, [], captured.io)).toBe(2);
  expect(captured.stderr()).toBe("ferry bad: --size must be a whole number, from SIZE, got 'big'\nRun 'ferry bad --help' for usage.\n");
});

describe('help', () => {
  it('prints a command\'s usage, arguments, options with defaults, and exits 0 for -h and --help', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await ferryRun(['topics', 'consume', flag]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^Usage: ferry topics consume \[options\] TOPIC\n/);
      expect(stdout).toContain('  TOPIC');
      expect(stdout).toMatch(/--bootstrap-server HOST:PORT +the Kafka cluster \(default: \$FERRY_BOOTSTRAP, else\s+127\.0\.0\.1:9092\)/);
      expect(stdout).toMatch(/-p, --partition N +only this partition\n/);
      expect(stdout).toMatch(/--format FORMAT +how records are printed \(one of text, json; default: text\)/);
      expect(stdout).toMatch(/-H, --header K=V +a header to match \(repeatable\)/);
      expect(stdout).toMatch(/-h, --help +show this help/);
    }
    expect(received).toBeUndefined();
  });

  it('lists a group\'s commands, for --help, for help and the top level', async () => {
    const group = await ferryRun(['topics', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/Commands:\n {2}consume +print records of a topic\n {2}fail +fails\n/);
    expect((await ferryRun(['help', 'topics'])).stdout).toBe(group.stdout);
    const top = await ferryRun(['-h']);
    expect(top.stdout).toMatch(/^Usage: ferry <command> \[options\]\n/);
    expect(top.stdout).toMatch(/-V, --version +print the version/);
    expect(top.stdout).toContain('later');
    expect((await ferryRun(['later', '--help'])).stdout).toMatch(/^Usage: ferry later \[options\] \[FILES\.\.\.\]\n/);
  });

  it('prints the version', async () => {
    expect(await ferryRun(['--version'])).toEqual({ code: 0, stdout: 'ferry 9.9.9\n', stderr: '' });
    expect(await ferryRun(['-V'])).toEqual({ code: 0, stdout: 'ferry 9.9.9\n', stderr: '' });
  });
});

describe('errors', () => {
  it('prints a user error as one line with its exit code, the stack only with --debug', async () => {
    expect(await ferryRun(['later', 'a.properties'])).toEqual({ code: 3, stdout: '', stderr: 'ferry later: cannot read a.properties: no such file; check the path\n' });
    const debug = await ferryRun(['later', 'a.properties', '--debug']);
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/^ferry later: cannot read a\.properties: no such file; check the path\nUserError: cannot read/);
    expect(debug.stderr).toContain('    at ');
  });

  it('lets a bug through to the top level, which prints its stack', async () => {
    await expect(ferryRun(['topics', 'fail', '--bug'])).rejects.toThrow(TypeError);
  });
});
