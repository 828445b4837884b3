/**
 * A small client of a worker's Kafka Connect REST API, enough for the kit's checks. Each call
 * resolves with the HTTP status and the parsed body; `expectOk` turns a non-2xx answer into an
 * error that quotes the worker's message, so a failed check says what the worker said.
 */
export type ConnectorState = 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'UNASSIGNED' | 'RESTARTING';

export interface StateInfo {
  readonly state: ConnectorState;
  readonly worker_id: string;
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: StateInfo;
  readonly tasks: readonly (StateInfo & { readonly id: number })[];
  readonly type: 'source' | 'sink';
}

export interface ConfigValueInfo {
  readonly definition: { readonly name: string; readonly required: boolean; readonly default_value: string | null; readonly group: string | null };
  readonly value: { readonly name: string; readonly value: string | null; readonly errors: readonly string[] };
}

export interface ValidationResult {
  readonly name: string;
  readonly error_count: number;
  readonly configs: readonly ConfigValueInfo[];
}

export interface PluginInfo {
  readonly class: string;
  readonly type: string;
  readonly version?: string;
}

export interface ConnectorOffsets {
  readonly offsets: readonly { readonly partition: Record<string, unknown>; readonly offset: Record<string, unknown> | null }[];
}

export interface RestAnswer<T> {
  readonly status: number;
  readonly body: T;
}

export class ConnectRestClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/$/, '');
  }

  async request<T = unknown>(method: string, pathAndQuery: string, body?: unknown): Promise<RestAnswer<T>> {
    const response = await fetch(`${this.url}${pathAndQuery}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed as T };
  }

  plugins(connectorsOnly = true): Promise<PluginInfo[]> {
    return this.expectOk('GET', `/connector-plugins?connectorsOnly=${connectorsOnly}`);
  }

  validate(connectorClass: string, config: Record<string, string>): Promise<ValidationResult> {
    return this.expectOk('PUT', `/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`, { 'connector.class': connectorClass, ...config });
  }

  create(name: string, config: Record<string, string>): Promise<unknown> {
    return this.expectOk('POST', '/connectors', { name, config });
  }

  putConfig(name: string, config: Record<string, string>): Promise<unknown> {
    return this.expectOk('PUT', `/connectors/${encodeURIComponent(name)}/config`, config);
  }

  status(name: string): Promise<RestAnswer<ConnectorStatus>> {
    return this.request<ConnectorStatus>('GET', `/connectors/${encodeURIComponent(name)}/status`);
  }

  pause(name: string): Promise<unknown> {
    return this.expectOk('PUT', `/connectors/${encodeURIComponent(name)}/pause`);
  }

  resume(name: string): Promise<unknown> {
    return this.expectOk('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
  }

  restart(name: string, opts: { includeTasks?: boolean; onlyFailed?: boolean } = {}): Promise<unknown> {
    return this.expectOk('POST', `/connectors/${encodeURIComponent(name)}/restart?includeTasks=${opts.includeTasks ?? true}&onlyFailed=${opts.onlyFailed ?? false}`);
  }

  delete(name: string): Promise<unknown> {
    return this.expectOk('DELETE', `/connectors/${encodeURIComponent(name)}`);
  }

  offsets(name: string): Promise<ConnectorOffsets> {
    return this.expectOk('GET', `/connectors/${encodeURIComponent(name)}/offsets`);
  }

  async expectOk<T>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(method, pathAndQuery, body);
    if (answer.status < 200 || answer.status > 299) {
      const message = (answer.body as { message?: unknown } | undefined)?.message;
      throw new Error(`${method} ${pathAndQuery} answered ${answer.status}${typeof message === 'string' ? `: ${message}` : ''}`);
    }
    return answer.body;
  }
}
