/** A bundled broker and a schema registry on it over real TCP, and a small HTTP client for the registry's API. */
import { startSchemaRegistry, type RunningSchemaRegistry, type SchemaRegistryOptions } from '../../registry/start-schema-registry.js';
import { startTestBroker, type TestBroker } from '../helpers/test-broker.js';

export interface Answer<T = unknown> {
  status: number;
  contentType: string | null;
  body: T;
  text: string;
}

/** Calls the registry; JSON bodies are sent with Confluent's content type unless `contentType` says otherwise. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely
export async function call<T = any>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/vnd.schemaregistry.v1+json';
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // raw schema text
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body: parsed as T, text };
}

export async function startRegistryOn(broker: TestBroker, options: Partial<SchemaRegistryOptions> = {}): Promise<RunningSchemaRegistry> {
  return startSchemaRegistry({ bootstrapServers: broker.bootstrap, port: 0, host: '127.0.0.1', ...options });
}

export { startTestBroker };
export type { TestBroker, RunningSchemaRegistry };
