/**
 * Why a worker (of `ferry worker`, `ferry start` or a MirrorMaker herder) did not start, as the
 * one-line UserError a user can act on: an invalid property (naming where it came from), its
 * REST port taken, or its Kafka cluster unreachable once the client gave up
 * (default.api.timeout.ms). Undefined for anything else, which stays a bug with its stack.
 */
import { ConfigError } from '../../connectors/sdk/config/config-error.js';
import { describePort, findCause, portInUse } from '../command-line/startup-failure.js';
import { UserError } from '../command-line/user-error.js';

export interface WorkerStartContext {
  /** The worker's properties as given (for bootstrap.servers). */
  readonly properties: Readonly<Record<string, string>>;
  /** Where a property's value came from, e.g. `CONNECT_REST_PORT`, `--set`, `worker.properties`. */
  readonly originOf: (property: string) => string | undefined;
  /** What to do when the REST port is taken, e.g. `pass --rest-port N to choose another`. */
  readonly restPortAdvice: string;
  /** When the start began (Date.now()), to say how long the cluster stayed unreachable. */
  readonly startedAt: number;
}

export function explainWorkerStartFailure(err: unknown, context: WorkerStartContext): UserError | undefined {
  const config = findCause(err, (e): e is ConfigError => e instanceof ConfigError);
  if (config !== undefined) {
    const issues = config.issues.map((issue) => {
      const origin = context.originOf(issue.name);
      return `${issue.message}${origin ? ` (from ${origin})` : ''}`;
    });
    return new UserError(`invalid worker configuration: ${issues.join('; ')}`, { cause: err });
  }
  const port = portInUse(err);
  if (port !== undefined) {
    return new UserError(`${describePort(port)} is in use, so the worker's REST API cannot listen there; ${context.restPortAdvice}`, { cause: err });
  }
  const unreachable = findCause(err, (e): e is Error => e instanceof Error && e.name === 'WireConnectionError');
  if (unreachable !== undefined) {
    const servers = context.properties['bootstrap.servers'] ?? '?';
    const seconds = Math.round((Date.now() - context.startedAt) / 1000);
    const reason = unreachable.message.replace(/^cannot connect to [^:]+:\d+: /, '');
    return new UserError(`cannot reach the Kafka cluster at ${servers} (bootstrap.servers) after ${seconds} s: ${reason}; `
      + 'check that a broker runs there and that bootstrap.servers names it', { cause: err });
  }
  return undefined;
}
