/**
 * The TaskLogger a connector or task is given: every line carries its context
 * (`{connector}` or `{connector, task}`, what Kafka Connect puts in its `[name|task-0]` log
 * prefix), so the lines of one connector can be told apart in a worker running many; and every
 * message, string field and error passes through a secret scrubber first, so resolved
 * config-provider values and password settings never reach the log, even when a connector puts
 * them in an error message.
 */
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';

type Scrub = (text: string) => string;

export function scrubbingLogger(logger: TaskLogger, scrub: Scrub, context: Readonly<Record<string, unknown>> = {}): TaskLogger {
  const clean = (value: unknown, depth = 0): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (value instanceof Error) {
      return { type: value.name, message: scrub(value.message), stack: value.stack === undefined ? undefined : scrub(value.stack) };
    }
    if (value !== null && typeof value === 'object' && depth < 3 && !Buffer.isBuffer(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, depth + 1)]));
    }
    return value;
  };
  const level = (log: (obj: object | string, msg?: string) => void) => (obj: object | string, msg?: string) => {
    const cleaned = clean(obj) as object | string;
    if (typeof cleaned === 'string') log({ ...context }, cleaned);
    else log({ ...context, ...cleaned }, msg === undefined ? undefined : scrub(msg));
  };
  return {
    debug: level((o, m) => logger.debug(o, m)),
    info: level((o, m) => logger.info(o, m)),
    warn: level((o, m) => logger.warn(o, m)),
    error: level((o, m) => logger.error(o, m)),
  };
}
