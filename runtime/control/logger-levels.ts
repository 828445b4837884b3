/**
 * LoggerLevels: the worker's named loggers and their levels, as `/admin/loggers` shows and
 * changes them (Kafka's Loggers, KIP-495 and KIP-976), over pino.
 *
 * Names are dotted, log4j style. A name may be bound to a pino logger (ferry's own,
 * `ferry.worker`, and Kafka-style aliases such as `org.apache.kafka.connect.runtime`);
 * several names may share one pino logger, which then takes the level set last on any of
 * them, and every one of those names reads its current level. `root` is the process's root
 * pino logger: pino children that never had a level of their own follow it.
 *
 * Setting a namespace follows Kafka: every known logger whose name starts with the namespace
 * gets the level, and the namespace itself becomes a known logger if it was not one (a name
 * bound to no pino logger only remembers its level); `root` sets every logger. A logger's
 * `last_modified` changes only when its level actually changed.
 */
import type { Logger } from 'pino';
import type { LoggerLevel } from './cluster-control.js';

export const ROOT_LOGGER = 'root';

export const LOG4J_LEVELS = ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL'] as const;
export type Log4jLevel = (typeof LOG4J_LEVELS)[number];

const PINO_LEVEL: Record<Log4jLevel, string> = {
  OFF: 'silent', FATAL: 'fatal', ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug', TRACE: 'trace', ALL: 'trace',
};

const FROM_PINO: Record<string, Log4jLevel> = {
  silent: 'OFF', fatal: 'FATAL', error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG', trace: 'TRACE',
};

/** A log4j level name in any case, as Kafka Connect accepts it; undefined for anything else. */
export function parseLogLevel(text: string): Log4jLevel | undefined {
  const upper = text.toUpperCase();
  return LOG4J_LEVELS.find((level) => level === upper);
}

interface NamedLogger {
  readonly target: Logger | undefined;
  /** The level last set through this registry (the only level of an unbound name). */
  explicit: Log4jLevel | undefined;
  lastModified: number | null;
}

export class LoggerLevels {
  readonly #loggers = new Map<string, NamedLogger>();
  readonly #now: () => number;

  /** Without a root pino logger, `root` is a name that starts at INFO. */
  constructor(root?: Logger, options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#loggers.set(ROOT_LOGGER, { target: root, explicit: root ? undefined : 'INFO', lastModified: null });
  }

  /** Binds a name to a pino logger; registering a name again rebinds it. */
  register(name: string, logger: Logger): void {
    this.#loggers.set(name, { target: logger, explicit: undefined, lastModified: null });
  }

  /** Every known logger, sorted by name. */
  all(): Record<string, LoggerLevel> {
    const names = [...this.#loggers.keys()].sort();
    return Object.fromEntries(names.map((name) => [name, this.#describe(this.#loggers.get(name)!)]));
  }

  /** null for an unknown name; `root` in any case is the root logger. */
  level(name: string): LoggerLevel | null {
    const logger = this.#loggers.get(name.toLowerCase() === ROOT_LOGGER ? ROOT_LOGGER : name);
    return logger ? this.#describe(logger) : null;
  }

  /** Returns the names of the loggers it set, sorted. Throws on a level that is not a log4j level. */
  setLevel(namespace: string, levelText: string): string[] {
    const level = parseLogLevel(levelText);
    if (!level) throw new Error(`invalid log level '${levelText}'.`);
    const affected = namespace === ROOT_LOGGER
      ? [...this.#loggers.keys()]
      : [...this.#loggers.keys()].filter((name) => name.startsWith(namespace) && name !== ROOT_LOGGER);
    if (!this.#loggers.has(namespace)) {
      this.#loggers.set(namespace, { target: undefined, explicit: undefined, lastModified: null });
      affected.push(namespace);
    }
    for (const name of affected) this.#apply(this.#loggers.get(name)!, level);
    return affected.sort();
  }

  #apply(logger: NamedLogger, level: Log4jLevel): void {
    const changed = this.#current(logger) !== level;
    logger.explicit = level;
    if (logger.target) logger.target.level = PINO_LEVEL[level];
    if (changed) logger.lastModified = this.#now();
  }

  #current(logger: NamedLogger): Log4jLevel | undefined {
    const { target, explicit } = logger;
    if (!target) return explicit;
    if (explicit !== undefined && PINO_LEVEL[explicit] === target.level) return explicit;
    return FROM_PINO[target.level];
  }

  #describe(logger: NamedLogger): LoggerLevel {
    return { level: this.#current(logger) ?? 'INFO', last_modified: logger.lastModified };
  }
}

/** The pino loggers a worker logs through, by what they cover. */
export interface WorkerLoggers {
  /** Connectors, tasks and the control layer. */
  readonly worker: Logger;
  readonly rest: Logger;
  /** Kafka clients. */
  readonly kafka: Logger;
}

/** Each ferry logger's names: its own, then the Kafka Connect names scripts for Kafka use. */
export const WORKER_LOGGER_NAMES: Readonly<Record<keyof WorkerLoggers, readonly string[]>> = {
  worker: ['ferry.worker', 'org.apache.kafka.connect.runtime'],
  rest: ['ferry.rest', 'org.apache.kafka.connect.runtime.rest'],
  kafka: ['ferry.kafka', 'org.apache.kafka.clients'],
};

/** The registry of a worker: `root` and every name of WORKER_LOGGER_NAMES. */
export function workerLoggerLevels(root: Logger, loggers: WorkerLoggers): LoggerLevels {
  const levels = new LoggerLevels(root);
  for (const key of Object.keys(WORKER_LOGGER_NAMES) as (keyof WorkerLoggers)[]) {
    for (const name of WORKER_LOGGER_NAMES[key]) levels.register(name, loggers[key]);
  }
  return levels;
}
