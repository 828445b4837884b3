/**
 * Turns a command's arguments into the values its declaration promises (see command-spec.ts for
 * the rules), or throws a UsageError naming the first mistake.
 */
import type { Command, OptionSpec, OptionSpecs, PositionalSpec } from './command-spec.js';
import { UsageError } from './user-error.js';

export interface ParsedCommandLine {
  readonly options: Record<string, unknown>;
  readonly args: Record<string, string | string[] | undefined>;
  readonly help: boolean;
  readonly debug: boolean;
}

/** Options every command takes without declaring them. */
export const BUILT_IN_OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  debug: { type: 'boolean', description: 'print stack traces of errors' },
};

/** `--debug` anywhere before `--`: known before parsing, so even a parse error can be traced. */
export function wantsDebug(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--debug');
}

export function optionFlag(name: string): string {
  return `--${name}`;
}

interface RawOption {
  readonly name: string;
  /** As the user wrote it, for messages: `--port`, `-p`. */
  readonly flag: string;
  readonly value: string | undefined;
}

/** Splits arguments into options (not yet validated) and positionals. */
function tokenize(args: readonly string[], options: OptionSpecs, describeUnknown: (flag: string) => string): { raw: RawOption[]; positionals: string[] } {
  const byShort = new Map(Object.entries(options).filter(([, s]) => s.short !== undefined).map(([name, s]) => [s.short!, name]));
  const raw: RawOption[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const flag = `--${name}`;
      const spec = Object.hasOwn(options, name) ? options[name] : undefined;
      if (!spec) throw new UsageError(describeUnknown(flag), true);
      if (spec.type === 'boolean') {
        if (eq !== -1) throw new UsageError(`${flag} takes no value`);
        raw.push({ name, flag, value: undefined });
        continue;
      }
      if (eq !== -1) {
        raw.push({ name, flag, value: arg.slice(eq + 1) });
        continue;
      }
      if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value (${valuePlaceholder(name, spec)})`);
      raw.push({ name, flag, value: args[++i] });
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // -x, -xVALUE, or several boolean flags together (-ab).
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const name = byShort.get(letter);
        const flag = `-${letter}`;
        if (name === undefined) throw new UsageError(describeUnknown(flag), true);
        const spec = options[name]!;
        if (spec.type === 'boolean') {
          raw.push({ name, flag, value: undefined });
          continue;
        }
        let value: string | undefined = arg.slice(j + 1);
        if (value === '') {
          if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value (${valuePlaceholder(name, spec)})`);
          value = args[++i];
        }
        raw.push({ name, flag, value });
        break;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { raw, positionals };
}

export function valuePlaceholder(name: string, spec: OptionSpec): string {
  if (spec.valueName) return spec.valueName;
  if (spec.type === 'number' || spec.type === 'integer') return 'N';
  return name.toUpperCase().replaceAll('-', '_');
}

export function positionalPlaceholder(spec: PositionalSpec): string {
  return spec.valueName ?? spec.name.toUpperCase();
}

function convert(flag: string, spec: OptionSpec, value: string, source: string): string | number {
  const got = `${source}got '${value}'`;
  if (spec.type === 'number' || spec.type === 'integer') {
    const pattern = spec.type === 'integer' ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
    const number = Number(value.trim());
    const what = spec.type === 'integer' ? 'a whole number' : 'a number';
    const bounds = spec.min !== undefined && spec.max !== undefined ? ` from ${spec.min} to ${spec.max}`
      : spec.min !== undefined ? ` of at least ${spec.min}` : spec.max !== undefined ? ` of at most ${spec.max}` : '';
    if (!pattern.test(value.trim()) || !Number.isFinite(number)
      || (spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) {
      throw new UsageError(`${flag} must be ${what}${bounds}, ${got}`);
    }
    return number;
  }
  if (spec.choices && !spec.choices.includes(value)) throw new UsageError(`${flag} must be one of ${spec.choices.join(', ')}, ${got}`);
  return value;
}

/**
 * Parses `args` against the command's declaration. `env` gives the values of options declared
 * with `env`. `describeUnknown` words the error for an option the command does not take.
 */
export function parseCommandLine(
  command: Command,
  args: readonly string[],
  env: Record<string, string | undefined>,
  describeUnknown: (flag: string) => string = (flag) => `unknown option '${flag}'`,
): ParsedCommandLine {
  const specs: OptionSpecs = { ...command.options, ...BUILT_IN_OPTIONS };
  const { raw, positionals } = tokenize(args, specs, describeUnknown);
  const help = raw.some((r) => r.name === 'help');
  const debug = raw.some((r) => r.name === 'debug');
  if (help) return { options: {}, args: {}, help, debug };

  const options: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    const given = raw.filter((r) => r.name === name);
    const flag = optionFlag(name);
    if (spec.type === 'boolean') {
      options[name] = given.length > 0;
      continue;
    }
    if (spec.type === 'repeated') {
      options[name] = given.map((r) => convert(flag, spec, r.value!, ''));
      continue;
    }
    const last = given.at(-1);
    const fromEnv = spec.env !== undefined && env[spec.env] !== undefined && env[spec.env] !== '' ? env[spec.env] : undefined;
    if (last !== undefined) options[name] = convert(last.flag.startsWith('--') ? last.flag : `${last.flag} (${flag})`, spec, last.value!, '');
    else if (fromEnv !== undefined) options[name] = convert(flag, spec, fromEnv, `from ${spec.env}, `);
    else if (spec.default !== undefined) options[name] = spec.default;
    else if (spec.required) throw new UsageError(`${spec.short ? `-${spec.short}/` : ''}${flag} ${valuePlaceholder(name, spec)} is required (${spec.description})`);
    else options[name] = undefined;
  }

  const values: Record<string, string | string[] | undefined> = {};
  let next = 0;
  for (const spec of command.positionals) {
    if (spec.variadic) {
      const rest = positionals.slice(next);
      if (rest.length === 0 && !spec.optional) throw new UsageError(`missing ${positionalPlaceholder(spec)}`);
      values[spec.name] = rest;
      next = positionals.length;
      continue;
    }
    const value = positionals[next];
    if (value === undefined && !spec.optional) throw new UsageError(`missing ${positionalPlaceholder(spec)}`);
    values[spec.name] = value;
    if (value !== undefined) next++;
  }
  if (next < positionals.length) throw new UsageError(`unexpected argument '${positionals[next]}'`);
  return { options, args: values, help, debug };
}

/**
 * Where a group's command word is: the first argument that is neither an option nor the value
 * of one. `options` are what the group's commands take (so `--url U list` finds `list`).
 */
export function findCommandWord(args: readonly string[], options: OptionSpecs, describeUnknown: (flag: string) => string): number {
  const specs: OptionSpecs = { ...options, ...BUILT_IN_OPTIONS };
  const byShort = new Map(Object.values(specs).filter((s) => s.short !== undefined).map((s) => [s.short!, s]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return i + 1 < args.length ? i + 1 : -1;
    if (arg.startsWith('--')) {
      const name = arg.includes('=') ? arg.slice(2, arg.indexOf('=')) : arg.slice(2);
      const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
      if (!spec) throw new UsageError(describeUnknown(`--${name}`), true);
      if (spec.type !== 'boolean' && !arg.includes('=')) i++;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const spec = byShort.get(arg[1]!);
      if (!spec) throw new UsageError(describeUnknown(`-${arg[1]!}`), true);
      if (spec.type !== 'boolean' && arg.length === 2) i++;
      continue;
    }
    return i;
  }
  return -1;
}
