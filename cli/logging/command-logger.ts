/**
 * The logger of a long-running command, on standard output: pino's JSON lines (unchanged: tests,
 * benchmarks and log shippers read them) or, with format pretty or auto on a terminal, readable
 * lines (pretty-log-line.ts). Everything below cli/ only ever receives the pino Logger.
 */
import { pino, type Logger } from 'pino';
import { supportsColor, type ColorStream } from './log-colors.js';
import type { LogFormat } from './log-options.js';
import { formatPrettyLine } from './pretty-log-line.js';

export interface LogOutput extends ColorStream {
  write(text: string): unknown;
}

export interface CommandLogging {
  readonly logger: Logger;
  /** What `auto` resolved to. */
  readonly format: 'pretty' | 'json';
  /** Writes text (not a log record) to the log's stream: `ferry start`'s summary in pretty mode. */
  print(text: string): void;
}

export interface CommandLoggerOptions {
  readonly level: string | undefined;
  readonly format: LogFormat;
  /** pino's `base`: replaces pid and hostname on every record when given. */
  readonly base?: Record<string, unknown>;
}

export function createCommandLogger(
  options: CommandLoggerOptions,
  out: LogOutput = process.stdout,
  env: Record<string, string | undefined> = process.env,
): CommandLogging {
  const level = options.level ?? 'info';
  const format = options.format === 'auto' ? (out.isTTY === true ? 'pretty' : 'json') : options.format;
  const settings = { level, ...(options.base ? { base: options.base } : {}) };
  if (format === 'json') {
    const logger = out === process.stdout ? pino(settings) : pino(settings, { write: (line: string) => { out.write(line); } });
    return { logger, format, print: (text) => { out.write(text); } };
  }
  const colors = supportsColor(out, env);
  const logger = pino(settings, {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      out.write(formatPrettyLine(record, colors));
    },
  });
  return { logger, format, print: (text) => { out.write(text); } };
}
