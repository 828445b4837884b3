/**
 * The worker health check (`GET /health`, KIP-1017): healthy once the worker has started and
 * its command queue runs a no-op within the time limit; starting before that; unhealthy when
 * the queue does not answer in time (a command is stuck).
 */
import type { WorkerStatus } from './cluster-control.js';

export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

export const HEALTHY: WorkerStatus = {
  status: 'healthy',
  message: 'Worker has completed startup and is ready to handle requests.',
};

export const STARTING: WorkerStatus = {
  status: 'starting',
  message: 'Worker is still starting up.',
};

export const UNHEALTHY: WorkerStatus = {
  status: 'unhealthy',
  message: 'Worker was unable to handle this request and may be unable to handle other requests.',
};

/** HEALTHY when `probe` settles within `timeoutMs`, UNHEALTHY otherwise (a probe that throws still answered). */
export async function probeHealth(probe: () => Promise<unknown>, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<WorkerStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<WorkerStatus>((resolve) => {
    timer = setTimeout(() => resolve(UNHEALTHY), timeoutMs);
  });
  const answered = probe().then(() => HEALTHY, () => HEALTHY);
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
