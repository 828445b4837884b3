/**
 * Bringing a worker's connectors in line with checked connector files, one connector at a time
 * in file order: GET its config, then create it (PUT /connectors/{name}/config, or POST
 * /connectors when the file asks for an `initial_state`), update it, or leave it alone. Each
 * connector's read-then-write is retried as a whole while the worker is unavailable, so a write
 * that may or may not have landed before a failure is judged afresh. A connector the worker
 * refuses (a 400 naming the bad fields, say) fails alone; a worker that stays unavailable for
 * the whole wait ends the run, and the connectors not reached are reported as not applied.
 */
import type { DesiredConnector } from './apply-files.js';
import { planConnector, type ConnectorPlan } from './apply-plan.js';
import type { ApplyResult } from './apply-report.js';
import { retryWhileUnavailable, WorkerStillUnavailableError, type WaitOptions } from './apply-wait.js';
import { ConnectApiError, connectorPath, type ApiResponse, type ConnectClient } from './connect-client.js';

export interface ApplyOptions extends Omit<WaitOptions, 'onUnavailable'> {
  client: ConnectClient;
  dryRun: boolean;
  /** Called with each connector's result as soon as it is known. */
  onResult: (result: ApplyResult) => void;
  /** Called once, the first time the worker turns out to be unavailable. */
  onFirstWait?: (problem: unknown) => void;
  /** Called each time the worker turns out to be unavailable, before the pause. */
  onWait?: (problem: unknown) => void;
  /** Called as each connector's turn begins (index in file order). */
  onConnector?: (connector: DesiredConnector, index: number) => void;
}

export interface ApplyOutcome {
  /** One per connector reached, in file order. */
  results: ApplyResult[];
  /** Set when the worker stayed unavailable: why, and the connectors (from there on) not applied. */
  gaveUp?: { error: WorkerStillUnavailableError; notApplied: DesiredConnector[] };
}

async function currentConfig(client: ConnectClient, name: string): Promise<Record<string, unknown> | undefined> {
  try {
    const { body } = await client.request('GET', connectorPath(name, '/config'));
    return typeof body === 'object' && body !== null ? body as Record<string, unknown> : {};
  } catch (err) {
    if (err instanceof ConnectApiError && err.status === 404) return undefined;
    throw err;
  }
}

function write(client: ConnectClient, connector: DesiredConnector, plan: ConnectorPlan): Promise<ApiResponse> {
  if (plan.kind === 'create' && connector.initialState !== undefined) {
    const { name, config, initialState } = connector;
    return client.request('POST', '/connectors', { name, config, initial_state: initialState });
  }
  return client.request('PUT', connectorPath(connector.name, '/config'), connector.config);
}

async function applyOne(connector: DesiredConnector, options: ApplyOptions): Promise<ApplyResult> {
  const { name, file } = connector;
  const plan = planConnector(await currentConfig(options.client, name), connector.config);
  if (plan.kind === 'unchanged') return { name, file, action: 'unchanged' };
  if (options.dryRun) {
    return plan.kind === 'create' ? { name, file, action: 'would create' } : { name, file, action: 'would update', diff: plan.diff };
  }
  const response = await write(options.client, connector, plan);
  if (response.status === 201) return { name, file, action: 'created' };
  // A 200 for a connector that was missing a moment ago: someone else created it; its old config is unknown.
  return plan.kind === 'update' ? { name, file, action: 'updated', diff: plan.diff } : { name, file, action: 'updated' };
}

function refusal(err: ConnectApiError): string {
  return err.status === 400 ? err.message : `${err.message} (HTTP ${err.status})`;
}

export async function applyConnectors(connectors: readonly DesiredConnector[], options: ApplyOptions): Promise<ApplyOutcome> {
  const results: ApplyResult[] = [];
  let waited = false;
  const onUnavailable = (problem: unknown): void => {
    if (!waited) options.onFirstWait?.(problem);
    waited = true;
    options.onWait?.(problem);
  };
  for (const [index, connector] of connectors.entries()) {
    options.onConnector?.(connector, index);
    let result: ApplyResult;
    try {
      result = await retryWhileUnavailable(() => applyOne(connector, options), { ...options, onUnavailable });
    } catch (err) {
      if (err instanceof WorkerStillUnavailableError) return { results, gaveUp: { error: err, notApplied: connectors.slice(index) } };
      if (!(err instanceof ConnectApiError)) throw err;
      result = { name: connector.name, file: connector.file, action: 'failed', error: refusal(err) };
    }
    results.push(result);
    options.onResult(result);
  }
  return { results };
}
