import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness } from './api-harness.js';

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const api = createApiHarness();
let doc: Document;

/** Every route fastify's router knows, as `METHOD /path` (fastify's `:param` form), HEAD left out. */
function registeredRoutes(): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of api.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([\s│├└─]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

beforeAll(async () => {
  const res = await api.send('GET', '/openapi.json');
  expect(res.status).toBe(200);
  doc = res.json as Document;
});

afterAll(async () => {
  await api.app.close();
});

/** Inter-worker routes, hidden from the document. */
const INTERNAL_ROUTES = ['PUT /connectors/:connector/fence', 'POST /connectors/:connector/tasks'];

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every registered route with its method and path parameters, and nothing else', () => {
    const registered = registeredRoutes().filter((route) => route !== 'GET /openapi.json' && !INTERNAL_ROUTES.includes(route));
    expect(registered.length).toBeGreaterThan(25);
    const documented: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) documented.push(`${method.toUpperCase()} ${path}`);
    }
    expect(documented.sort()).toEqual(registered.map((r) => { const [m, p] = r.split(' '); return `${m} ${openApiPath(p!)}`; }).sort());
    for (const route of registered) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = doc.paths[openApiPath(path)]![method.toLowerCase()]!;
      const pathParams = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      expect(operation.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [], route).toEqual(pathParams);
      expect(Object.keys(operation.responses), route).toContain('500');
      expect(Object.keys(operation.responses).some((code) => code.startsWith('2')), route).toBe(true);
    }
  });

  it('leaves itself out', () => {
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it('leaves out the internal routes workers call on each other, as Kafka Connect hides them', () => {
    expect(registeredRoutes()).toEqual(expect.arrayContaining(INTERNAL_ROUTES));
    expect(doc.paths['/connectors/{connector}/fence']).toBeUndefined();
    expect(doc.paths['/connectors/{connector}/tasks']?.post).toBeUndefined();
  });

  it.each([
    ['get', '/connectors/{connector}/offsets', ['200', '404', '500']],
    ['patch', '/connectors/{connector}/offsets', ['200', '400', '404', '409', '500']],
    ['delete', '/connectors/{connector}/offsets', ['200', '400', '404', '409', '500']],
    ['get', '/connectors/{connector}/topics', ['200', '403', '500']],
    ['put', '/connectors/{connector}/topics/reset', ['202', '403', '500']],
    ['get', '/connectors/{connector}/tasks-config', ['200', '404', '409', '500']],
    ['get', '/admin/loggers', ['200', '500']],
    ['get', '/admin/loggers/{logger}', ['200', '404', '500']],
    ['put', '/admin/loggers/{logger}', ['200', '204', '400', '404', '500']],
    ['get', '/health', ['200', '500', '503']],
    ['post', '/connectors/{connector}/restart', ['202', '204', '404', '409', '500']],
  ])('documents %s %s with its response codes', (method, path, codes) => {
    expect(Object.keys(doc.paths[path]![method]!.responses).sort()).toEqual(codes);
  });

  it('lists query parameters and request bodies', () => {
    const restart = doc.paths['/connectors/{connector}/restart']!.post!;
    expect(restart.parameters!.map((p) => [p.name, p.in, p.required])).toEqual([
      ['connector', 'path', true], ['includeTasks', 'query', false], ['onlyFailed', 'query', false],
    ]);
    const setLevel = doc.paths['/admin/loggers/{logger}']!.put!;
    expect(setLevel.parameters!.map((p) => p.name)).toEqual(['logger', 'scope']);
    expect(setLevel.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/LoggerLevelInput' } } } });
  });

  it('describes bodyless responses without content', () => {
    expect(doc.paths['/connectors/{connector}/pause']!.put!.responses['202']).toEqual({ description: 'Accepted' });
  });

  it('registers every shared schema as a component and points every reference at one', () => {
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
    expect(doc.components.schemas.ConnectorOffsets).toMatchObject({ type: 'object', required: ['offsets'] });
    expect(text).not.toContain('"$id"');
  });
});
