/**
 * Connector config writes that only the herder's group leader carries out. They go to this
 * node's own worker over its REST API marked as an already-forwarded request
 * (`?forward=true`, kafka-connect.md §1.5): the leader handles such a request itself, a
 * follower (or a worker in a rebalance) answers 409 instead of passing it on. So "write if I
 * lead" is one call, decided by the group's current view, with no second source of truth.
 */

export type LeaderWriteOutcome = 'written' | 'not-leader';

export interface LeaderWrites {
  putConnectorConfig(name: string, config: Readonly<Record<string, string>>): Promise<LeaderWriteOutcome>;
  deleteConnector(name: string): Promise<LeaderWriteOutcome>;
}

export function restLeaderWrites(restUrl: string, fetchImpl: typeof fetch = globalThis.fetch): LeaderWrites {
  const call = async (method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<LeaderWriteOutcome> => {
    const url = new URL(`${path}?forward=true`, restUrl.endsWith('/') ? restUrl : `${restUrl}/`);
    const response = await fetchImpl(url, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status === 409) return 'not-leader';
    if (response.ok || (method === 'DELETE' && response.status === 404)) return 'written';
    throw new Error(`${method} ${url.pathname} answered ${response.status}: ${messageOf(text)}`);
  };
  return {
    putConnectorConfig: (name, config) => call('PUT', `connectors/${encodeURIComponent(name)}/config`, config),
    deleteConnector: (name) => call('DELETE', `connectors/${encodeURIComponent(name)}`),
  };
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the text itself
  }
  return text.trim() || '(no body)';
}
