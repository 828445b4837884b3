/** Builds the API over a FakeControl and sends requests through `inject`. */
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../api/server.js';
import { FakeControl } from './fake-control.js';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  json: unknown;
}

export interface ApiHarness {
  app: FastifyInstance;
  control: FakeControl;
  send(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD', url: string, body?: unknown): Promise<ApiResponse>;
  sendRaw(method: 'POST' | 'PUT' | 'PATCH', url: string, payload: string, contentType: string): Promise<ApiResponse>;
}

function toResponse(res: { statusCode: number; headers: ApiResponse['headers']; body: string }): ApiResponse {
  let json: unknown;
  try {
    json = res.body === '' ? undefined : JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text: res.body, json };
}

export function createApiHarness(): ApiHarness {
  const control = new FakeControl();
  const app = buildApiServer({ control });
  return {
    app,
    control,
    async send(method, url, body) {
      const res = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
      return toResponse(res);
    },
    async sendRaw(method, url, payload, contentType) {
      const res = await app.inject({ method, url, payload, headers: { 'content-type': contentType } });
      return toResponse(res);
    },
  };
}

export const SINK_CONFIG = { 'connector.class': 'FileSink', 'tasks.max': '2', topics: 't' };
