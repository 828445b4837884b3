/** What made a command fail to start, found in an error or its causes. */
import type { DataDirectoryLockedError } from '../../broker/log/log-manager.js';

export function findCause<T>(err: unknown, match: (candidate: unknown) => candidate is T): T | undefined {
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (match(current)) return current;
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const found = findCause(inner, match);
        if (found !== undefined) return found;
      }
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

export interface PortInUse {
  readonly port: number;
  readonly address: string | undefined;
}

/** A listen() that failed with EADDRINUSE: the port and address it asked for. */
export function portInUse(err: unknown): PortInUse | undefined {
  const found = findCause(err, (e): e is NodeJS.ErrnoException & { port?: number; address?: string } =>
    e instanceof Error && (e as NodeJS.ErrnoException).code === 'EADDRINUSE');
  if (found === undefined) return undefined;
  return { port: found.port ?? Number(/:(\d+)\s*$/.exec(found.message)?.[1] ?? NaN), address: found.address };
}

export function dataDirectoryLocked(err: unknown): DataDirectoryLockedError | undefined {
  // By name, so that commands without a broker do not load the broker's log code to ask.
  return findCause(err, (e): e is DataDirectoryLockedError => e instanceof Error && e.name === 'DataDirectoryLockedError');
}

/** `port 9092 on 127.0.0.1`. */
export function describePort({ port, address }: PortInUse): string {
  return address === undefined ? `port ${port}` : `port ${port} on ${address}`;
}
