/** The few Kafka Connect REST calls the benchmark makes, over the global fetch. */

export interface ConnectorStatus {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

export async function createConnector(base: string, name: string, config: Record<string, string>): Promise<void> {
  await call(base, 'POST', '/connectors', { name, config });
}

export async function deleteConnector(base: string, name: string): Promise<void> {
  await call(base, 'DELETE', `/connectors/${encodeURIComponent(name)}`);
}

export async function listConnectors(base: string): Promise<string[]> {
  return (await call(base, 'GET', '/connectors')) as string[];
}

export async function connectorStatus(base: string, name: string): Promise<ConnectorStatus> {
  return (await call(base, 'GET', `/connectors/${encodeURIComponent(name)}/status`)) as ConnectorStatus;
}

/** One line per connector and task state, traces included, for an error message. */
export async function describeStatuses(base: string, names: string[]): Promise<string> {
  const lines: string[] = [];
  for (const name of names) {
    try {
      const s = await connectorStatus(base, name);
      lines.push(`${name}: connector ${s.connector.state}${s.connector.trace ? `\n${s.connector.trace}` : ''}`);
      for (const t of s.tasks) lines.push(`${name}-${t.id}: ${t.state}${t.trace ? `\n${t.trace}` : ''}`);
    } catch (err) {
      lines.push(`${name}: ${(err as Error).message}`);
    }
  }
  return lines.join('\n');
}
