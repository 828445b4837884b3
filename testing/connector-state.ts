/** Waiting for a connector (and its tasks) to reach a state, as seen through GET .../status. */
import type { ConnectRestClient, ConnectorState, ConnectorStatus } from './connect-rest-client.js';
import { waitFor, type WaitOptions } from './wait-for.js';

function describeStatus(status: ConnectorStatus | undefined): string {
  if (status === undefined) return 'no status';
  const tasks = status.tasks.map((t) => `task ${t.id} ${t.state}${t.trace ? ` (${firstLine(t.trace)})` : ''}`);
  return `connector ${status.connector.state}${status.connector.trace ? ` (${firstLine(status.connector.trace)})` : ''}`
    + (tasks.length > 0 ? `, ${tasks.join(', ')}` : ', no tasks');
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}

/**
 * Resolves with the status once the connector and every task (at least one) are in `state`;
 * throws naming what was seen last. A FAILED connector or task ends the wait at once unless
 * FAILED is what is awaited.
 */
export async function waitForState(rest: ConnectRestClient, name: string, state: ConnectorState, opts: WaitOptions = {}): Promise<ConnectorStatus> {
  let last: ConnectorStatus | undefined;
  let failed: ConnectorStatus | undefined;
  const status = await waitFor(async () => {
    const answer = await rest.status(name);
    if (answer.status !== 200) return undefined;
    last = answer.body;
    if (state !== 'FAILED' && (last.connector.state === 'FAILED' || last.tasks.some((t) => t.state === 'FAILED'))) {
      failed = last;
      return last;
    }
    const all = last.connector.state === state && last.tasks.length > 0 && last.tasks.every((t) => t.state === state);
    return all ? last : undefined;
  }, () => `connector ${name} did not reach ${state} within ${opts.timeoutMs ?? 30_000} ms; last seen: ${describeStatus(last)}`, opts);
  if (failed !== undefined) throw new Error(`connector ${name} failed while waiting for ${state}: ${describeStatus(failed)}`);
  return status;
}

/** Resolves with the status once the connector or any of its tasks is FAILED. */
export function waitForFailure(rest: ConnectRestClient, name: string, opts: WaitOptions = {}): Promise<ConnectorStatus> {
  let last: ConnectorStatus | undefined;
  return waitFor(async () => {
    const answer = await rest.status(name);
    if (answer.status !== 200) return undefined;
    last = answer.body;
    return last.connector.state === 'FAILED' || last.tasks.some((t) => t.state === 'FAILED') ? last : undefined;
  }, () => `connector ${name} did not fail within ${opts.timeoutMs ?? 30_000} ms; last seen: ${describeStatus(last)}`, opts);
}

/** Resolves once GET .../status answers 404 (the connector is gone). */
export async function waitForAbsent(rest: ConnectRestClient, name: string, opts: WaitOptions = {}): Promise<void> {
  let lastStatus = 0;
  await waitFor(async () => {
    lastStatus = (await rest.status(name)).status;
    return lastStatus === 404 ? true : undefined;
  }, () => `connector ${name} was still there ${opts.timeoutMs ?? 30_000} ms after DELETE (status answered ${lastStatus})`, opts);
}

export { describeStatus };
