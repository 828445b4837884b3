/**
 * A small Kafka Connect REST client over fetch() for end-to-end tests: raw responses (status
 * and parsed body) for asserting status codes, plus waits on connector status.
 */
import { until } from './until.js';

export interface RestResponse<T = unknown> {
  status: number;
  /** The parsed JSON body; null for an empty body (204, 202 without content). */
  body: T;
}

export interface InstanceState {
  state: string;
  worker_id: string;
  trace?: string;
}

export interface ConnectorStateInfo {
  name: string;
  connector: InstanceState;
  tasks: (InstanceState & { id: number })[];
  type: string;
}

/** A status shape to wait for: the connector state and, when given, every task's state in id order. */
export interface ExpectedStates {
  connector: string;
  tasks?: string[];
}

export class ConnectRest {
  constructor(readonly baseUrl: string) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<RestResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
  }

  /** POST /connectors; fails unless the worker answers 201. */
  async createConnector(name: string, config: Record<string, string>): Promise<void> {
    const created = await this.request('POST', '/connectors', { name, config });
    if (created.status !== 201) throw new Error(`creating ${name} answered ${created.status}: ${JSON.stringify(created.body)}`);
  }

  /** GET /connectors/{c}/status, or null while the worker has no status for it. */
  async status(name: string): Promise<ConnectorStateInfo | null> {
    const res = await this.request<ConnectorStateInfo>('GET', `/connectors/${encodeURIComponent(name)}/status`);
    return res.status === 200 ? res.body : null;
  }

  /** Polls the status until it matches `expected`, and returns it. */
  async untilStates(name: string, expected: ExpectedStates, timeoutMs = 30_000): Promise<ConnectorStateInfo> {
    let last: ConnectorStateInfo | null = null;
    try {
      return await until(async () => {
        last = await this.status(name);
        return last !== null && matches(last, expected) ? last : null;
      }, { timeoutMs, intervalMs: 100, what: `${name} to be ${JSON.stringify(expected)}` });
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last)}`, { cause: err });
    }
  }
}

function matches(info: ConnectorStateInfo, expected: ExpectedStates): boolean {
  if (info.connector.state !== expected.connector) return false;
  if (expected.tasks === undefined) return true;
  const states = [...info.tasks].sort((a, b) => a.id - b.id).map((t) => t.state);
  return states.length === expected.tasks.length && states.every((s, i) => s === expected.tasks![i]);
}
