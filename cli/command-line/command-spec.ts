/**
 * How a ferry command is declared. A command states once its name, summary, usage, options and
 * positional arguments; that declaration drives parsing (parse-arguments.ts), `--help`
 * (help-text.ts) and the error messages (run-command.ts). Rules:
 *
 * - Options are `--long-name` with an optional one-letter `short` alias; a value follows as the
 *   next argument or after `=` (`--port 9092`, `--port=9092`, `-f FILE`, `-fFILE`). Types:
 *   string, number (any decimal), integer (whole number, `min`/`max` checked), boolean (a flag,
 *   takes no value), repeated (a string option given any number of times, in order).
 * - A value comes from the command line, else the `env` variable when declared and set, else
 *   `default`; a `required` option without one is a usage error. Booleans default to false,
 *   repeated options to [].
 * - Positionals are required unless `optional`; the last may be `variadic` (string[]). `--`
 *   ends the options: everything after it is positional. A lone `-` is positional (stdin).
 * - Every command also takes `-h`/`--help` (prints the help on stdout, exit 0) and `--debug`
 *   (stack traces for user errors too).
 * - Usage mistakes (unknown option, missing or invalid value, missing or extra argument) are
 *   UsageError: one line, then a pointer to --help (the usage lines too for an unknown option),
 *   exit 2 unless the command declares another `usageExitCode`. A command's own user-facing
 *   failures throw UserError (one line, its exit code). Anything else is a bug: its stack is
 *   printed by the top level.
 * - A group (`ferry connectors`) dispatches to its commands by the first positional word; the
 *   options of its commands may come before or after that word (`ferry connectors --url U list`).
 *   Options shared by several commands are declared once as an object and spread into each.
 * - `lazyCommand` names a command and its summary without loading its module until it runs.
 */
import type { CommandIo } from './command-io.js';

export type OptionType = 'string' | 'number' | 'integer' | 'boolean' | 'repeated';

export interface OptionSpec {
  readonly type: OptionType;
  /** One line for --help. */
  readonly description: string;
  /** A one-letter alias: `short: 'f'` accepts `-f`. */
  readonly short?: string;
  /** The value's placeholder in help (default: NAME in capitals for strings, N for numbers). */
  readonly valueName?: string;
  readonly default?: string | number;
  /** How help states the default when `default` cannot (e.g. `$FERRY_LOG_LEVEL, else info`). */
  readonly defaultDescription?: string;
  /** An environment variable that gives the value when the option is not on the command line. */
  readonly env?: string;
  readonly required?: boolean;
  /** The only values a string option accepts. */
  readonly choices?: readonly string[];
  /** Bounds of a number or integer option, inclusive. */
  readonly min?: number;
  readonly max?: number;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface PositionalSpec {
  /** The key of its value in `Invocation.args`. */
  readonly name: string;
  /** Its placeholder in usage and help (default: `name` in capitals). */
  readonly valueName?: string;
  readonly description: string;
  readonly optional?: boolean;
  /** Only the last positional: takes every remaining argument. */
  readonly variadic?: boolean;
}

type BaseValue<S extends OptionSpec> =
  S['type'] extends 'boolean' ? boolean
    : S['type'] extends 'repeated' ? string[]
      : S['type'] extends 'number' | 'integer' ? number
        : S extends { choices: readonly (infer C extends string)[] } ? C
          : string;

/** An option's parsed value: undefined only when it may be absent (no default, not required). */
export type OptionValue<S extends OptionSpec> =
  S['type'] extends 'boolean' | 'repeated' ? BaseValue<S>
    : S extends { required: true } ? BaseValue<S>
      : S extends { default: string | number } ? BaseValue<S>
        : BaseValue<S> | undefined;

export type OptionValues<O extends OptionSpecs> = { -readonly [K in keyof O]: OptionValue<O[K]> };

type PositionalValue<P extends PositionalSpec> =
  P extends { variadic: true } ? string[] : P extends { optional: true } ? string | undefined : string;

export type PositionalValues<P extends readonly PositionalSpec[]> = { [E in P[number] as E['name']]: PositionalValue<E> };

/** What a command's `run` receives. */
export interface Invocation<O extends OptionSpecs, P extends readonly PositionalSpec[]> {
  readonly options: OptionValues<O>;
  readonly args: PositionalValues<P>;
  readonly io: CommandIo;
  /** `ferry connectors list`: how the command names itself in messages. */
  readonly commandPath: string;
  /** `--debug` was given. */
  readonly debug: boolean;
}

export interface CommandDeclaration<O extends OptionSpecs, P extends readonly PositionalSpec[]> {
  readonly name: string;
  /** One line for the parent's command list. */
  readonly summary: string;
  /**
   * Usage lines after `Usage: ferry <path> ` (default: generated from the required options
   * and the positionals).
   */
  readonly usage?: readonly string[];
  /** Paragraphs printed by --help between the usage and the options. */
  readonly description?: string;
  readonly options: O;
  readonly positionals?: P;
  /** Exit code of usage mistakes (default 2; `ferry health` uses 1, as Docker reserves 2). */
  readonly usageExitCode?: number;
  /** Resolves to the exit code (nothing: 0). */
  run(invocation: Invocation<O, P>): Promise<number | void>;
}

/** A declared command with its types erased, as groups and the runner hold it. */
export interface Command {
  readonly kind: 'command';
  readonly name: string;
  readonly summary: string;
  readonly usage: readonly string[] | undefined;
  readonly description: string | undefined;
  readonly options: OptionSpecs;
  readonly positionals: readonly PositionalSpec[];
  readonly usageExitCode: number;
  run(invocation: Invocation<OptionSpecs, readonly PositionalSpec[]>): Promise<number | void>;
}

export interface CommandGroup {
  readonly kind: 'group';
  readonly name: string;
  readonly summary: string;
  readonly usage: readonly string[] | undefined;
  readonly description: string | undefined;
  readonly commands: readonly CommandEntry[];
  /** The top level only: `--version`/`-V` prints it. */
  readonly version: string | undefined;
  /** Printed by --help after the command list (e.g. options every command takes). */
  readonly epilogue: string | undefined;
  readonly usageExitCode: number;
}

/** A command whose module is loaded only when it runs (or when its help is asked for). */
export interface LazyCommand {
  readonly kind: 'lazy';
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command | CommandGroup>;
}

export type CommandEntry = Command | CommandGroup | LazyCommand;

export function defineCommand<const O extends OptionSpecs, const P extends readonly PositionalSpec[] = []>(
  declaration: CommandDeclaration<O, P>,
): Command {
  const positionals = declaration.positionals ?? [];
  positionals.forEach((p, i) => {
    if (p.variadic && i !== positionals.length - 1) throw new Error(`${declaration.name}: only the last positional may be variadic`);
  });
  for (const [name, spec] of Object.entries(declaration.options)) {
    if (name === 'help' || name === 'debug' || spec.short === 'h') throw new Error(`${declaration.name}: --${name} is taken by every command`);
  }
  return {
    kind: 'command',
    name: declaration.name,
    summary: declaration.summary,
    usage: declaration.usage,
    description: declaration.description,
    options: declaration.options,
    positionals,
    usageExitCode: declaration.usageExitCode ?? 2,
    run: declaration.run as Command['run'],
  };
}

export interface GroupDeclaration {
  readonly name: string;
  readonly summary: string;
  readonly usage?: readonly string[];
  readonly description?: string;
  readonly commands: readonly CommandEntry[];
  readonly version?: string;
  readonly epilogue?: string;
  readonly usageExitCode?: number;
}

export function defineGroup(declaration: GroupDeclaration): CommandGroup {
  return {
    kind: 'group',
    name: declaration.name,
    summary: declaration.summary,
    usage: declaration.usage,
    description: declaration.description,
    commands: declaration.commands,
    version: declaration.version,
    epilogue: declaration.epilogue,
    usageExitCode: declaration.usageExitCode ?? 2,
  };
}

export function lazyCommand(name: string, summary: string, load: () => Promise<Command | CommandGroup>): LazyCommand {
  return { kind: 'lazy', name, summary, load };
}
