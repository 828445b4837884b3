/**
 * Runs a declared command or group with its arguments and resolves to the exit code. It prints
 * `--help`, `--version`, usage mistakes and UserErrors itself (on the io's streams, so tests can
 * run commands in-process); any other error is a bug and is rethrown for the top level, which
 * prints its stack.
 */
import { processIo, type CommandIo } from './command-io.js';
import type { Command, CommandEntry, CommandGroup, OptionSpecs } from './command-spec.js';
import { commandHelp, groupHelp, usageLines } from './help-text.js';
import { oneLine } from './one-line.js';
import { findCommandWord, parseCommandLine, wantsDebug } from './parse-arguments.js';
import { UsageError, UserError } from './user-error.js';

const VERSION_OPTION: OptionSpecs = { version: { type: 'boolean', short: 'V', description: 'print the version' } };

/**
 * `parentPath`: how the caller is named (`ferry` for a command of the top level); without it, a
 * group named `ferry` is the top level and anything else a command of it.
 */
export async function runCommand(entry: CommandEntry, args: readonly string[], io: Partial<CommandIo> = {}, parentPath?: string): Promise<number> {
  const path = parentPath !== undefined ? `${parentPath} ${entry.name}` : entry.name === 'ferry' ? 'ferry' : `ferry ${entry.name}`;
  return run(entry, args, processIo(io), path, wantsDebug(args), undefined);
}

async function run(
  entry: CommandEntry, args: readonly string[], io: CommandIo, path: string, debug: boolean,
  describeUnknown: ((flag: string) => string) | undefined,
): Promise<number> {
  const loaded = entry.kind === 'lazy' ? await entry.load() : entry;
  try {
    return loaded.kind === 'group'
      ? await runGroup(loaded, args, io, path, debug)
      : await runLeaf(loaded, args, io, path, debug, describeUnknown);
  } catch (err) {
    return report(err, loaded, io, path, debug);
  }
}

async function runLeaf(
  command: Command, args: readonly string[], io: CommandIo, path: string, debug: boolean,
  describeUnknown: ((flag: string) => string) | undefined,
): Promise<number> {
  const parsed = parseCommandLine(command, args, io.env, describeUnknown);
  if (parsed.help) {
    io.stdout.write(commandHelp(path, command));
    return 0;
  }
  const code = await command.run({ options: parsed.options, args: parsed.args, io, commandPath: path, debug: parsed.debug } as Parameters<Command['run']>[0]);
  return code ?? 0;
}

async function runGroup(group: CommandGroup, args: readonly string[], io: CommandIo, path: string, debug: boolean): Promise<number> {
  const eager = group.commands.filter((c): c is Command => c.kind === 'command');
  const known: OptionSpecs = Object.assign({}, group.version === undefined ? {} : VERSION_OPTION, ...eager.map((c) => c.options));
  const index = findCommandWord(args, known, (flag) => `unknown option '${flag}'`);
  if (index === -1) {
    const flags = new Set(args);
    if (flags.has('--help') || flags.has('-h')) {
      io.stdout.write(groupHelp(path, group));
      return 0;
    }
    if (group.version !== undefined && (flags.has('--version') || flags.has('-V'))) {
      io.stdout.write(`ferry ${group.version}\n`);
      return 0;
    }
    throw new UsageError('missing command', true);
  }
  const word = args[index]!;
  const rest = [...args.slice(0, index), ...args.slice(index + 1)];
  if (word === 'help') {
    const about = rest.find((arg) => !arg.startsWith('-'));
    const target = about === undefined ? undefined : group.commands.find((c) => c.name === about);
    if (target === undefined) {
      io.stdout.write(groupHelp(path, group));
      return 0;
    }
    return run(target, ['--help'], io, `${path} ${target.name}`, debug, undefined);
  }
  const child = group.commands.find((c) => c.name === word);
  if (child === undefined) throw new UsageError(`unknown command '${word}'`, true);
  return run(child, rest, io, `${path} ${child.name}`, debug, siblingAware(child.name, eager));
}

/** In a group, an option another command of the group takes is named as such. */
function siblingAware(name: string, siblings: readonly Command[]): (flag: string) => string {
  return (flag) => {
    const takenElsewhere = siblings.some((s) => Object.entries(s.options).some(([long, spec]) => flag === `--${long}` || (spec.short !== undefined && flag === `-${spec.short}`)));
    return takenElsewhere ? `'${name}' does not take ${flag}` : `unknown option '${flag}'`;
  };
}

function report(err: unknown, entry: Command | CommandGroup, io: CommandIo, path: string, debug: boolean): number {
  if (!(err instanceof UserError)) throw err;
  let text = `${path}: ${oneLine(err) || err.name}\n`;
  if (debug) text += stackOf(err);
  if (err instanceof UsageError) {
    if (err.showUsage && entry.kind === 'group') text += `\n${groupHelp(path, entry)}`;
    else if (err.showUsage) text += `${usageLines(path, entry)}Run '${path} --help' for its options.\n`;
    else text += `Run '${path} --help' for usage.\n`;
    io.stderr.write(text);
    return entry.usageExitCode;
  }
  io.stderr.write(text);
  return err.exitCode;
}

/** The stack of an error and of each of its causes. */
export function stackOf(err: unknown): string {
  let text = '';
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    text += `${depth === 0 ? '' : 'Caused by: '}${current instanceof Error ? current.stack ?? current.message : String(current)}\n`;
    current = current instanceof Error ? current.cause : undefined;
  }
  return text;
}
