/**
 * A TaskLogger that passes every message, string field and error through a secret
 * scrubber before logging, so resolved config-provider values and password settings of a
 * connector never reach the log, even when a connector puts them in an error message.
 */
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';

type Scrub = (text: string) => string;

export function scrubbingLogger(logger: TaskLogger, scrub: Scrub): TaskLogger {
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
    log(clean(obj) as object | string, msg === undefined ? undefined : scrub(msg));
  };
  return {
    debug: level((o, m) => logger.debug(o, m)),
    info: level((o, m) => logger.info(o, m)),
    warn: level((o, m) => logger.warn(o, m)),
    error: level((o, m) => logger.error(o, m)),
  };
}
