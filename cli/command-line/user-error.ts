/**
 * Errors a user can cause and fix: the command line prints their message as one line
 * (`ferry <command>: <message>`) and exits with their exit code, without a stack trace unless
 * `--debug` was given. Anything else that escapes a command is a bug and prints its stack.
 */

export class UserError extends Error {
  override name = 'UserError';
  readonly exitCode: number;

  /** `message`: one line naming the thing and what to do about it. */
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}

/**
 * The command was invoked wrongly (an unknown flag, a missing argument, a bad flag value):
 * exit code 2, and a pointer to `--help` after the message (the usage lines too with `showUsage`).
 */
export class UsageError extends UserError {
  override name = 'UsageError';

  constructor(message: string, readonly showUsage = false) {
    super(message, { exitCode: 2 });
  }
}
