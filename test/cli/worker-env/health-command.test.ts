/**
 * `ferry health` from the built CLI, as the container's HEALTHCHECK runs it: one line, exit 0
 * only on 200. The workers here are tiny HTTP servers answering GET /health as KIP-1017 says a
 * worker does (503 while starting, 500 when stuck), since a real worker passes through
 * "starting" too quickly to catch; worker-from-env.test.ts checks a real worker.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/mariadb-server.js';
import { runProcess } from '../../helpers/run-process.js';
import { CLI } from '../../helpers/test-broker.js';

interface FakeWorker {
  readonly url: string;
  readonly port: number;
  /** The paths asked, in order. */
  readonly paths: string[];
}

const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  })));
});

/** A server answering every request with `status` and `body` (JSON unless a string); `null` never answers. */
async function fakeWorker(status: number | null, body: unknown = ''): Promise<FakeWorker> {
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    paths.push(request.url ?? '');
    if (status === null) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }).end(text);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, paths };
}

function health(args: string[], env: Record<string, string> = {}) {
  return runProcess(process.execPath, [CLI, 'health', ...args], { env: { PATH: process.env.PATH, ...env }, timeoutMs: 30_000 });
}

describe('ferry health', () => {
  it('is healthy, exit 0, when GET /health answers 200', async () => {
    const worker = await fakeWorker(200, { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });
    expect(await health(['--url', worker.url])).toEqual({ code: 0, stdout: 'healthy\n', stderr: '' });
    expect(await health(['--url', `${worker.url}/health`])).toEqual({ code: 0, stdout: 'healthy\n', stderr: '' });
    expect(worker.paths).toEqual(['/health', '/health']);
  });

  it('says starting, exit 1, while the worker answers 503', async () => {
    const worker = await fakeWorker(503, { status: 'starting', message: 'Worker is still starting up.' });
    expect(await health(['--url', worker.url])).toEqual({ code: 1, stdout: 'starting: Worker is still starting up.\n', stderr: '' });
  });

  it('says unhealthy with the worker\'s message, exit 1, on 500', async () => {
    const message = 'Worker was unable to handle this request and may be unable to handle other requests.';
    const worker = await fakeWorker(500, { status: 'unhealthy', message });
    expect(await health(['--url', worker.url])).toEqual({ code: 1, stdout: `unhealthy: ${message}\n`, stderr: '' });
  });

  it('names the status of an answer that is no health check (a worker without /health, a proxy)', async () => {
    const old = await fakeWorker(404, { error_code: 404, message: 'HTTP 404 Not Found' });
    expect(await health(['--url', old.url])).toEqual({ code: 1, stdout: 'unhealthy: HTTP 404 Not Found\n', stderr: '' });
    const proxy = await fakeWorker(502, '<html>\n<body>Bad Gateway</body>\n</html>');
    expect(await health(['--url', proxy.url])).toEqual({ code: 1, stdout: 'unhealthy: HTTP 502 <html> <body>Bad Gateway</body> </html>\n', stderr: '' });
  });

  it('says unreachable, exit 1, when nothing listens on the port', async () => {
    const port = await freePort();
    expect(await health(['--url', `http://127.0.0.1:${port}`])).toEqual({ code: 1, stdout: `unreachable: connect ECONNREFUSED 127.0.0.1:${port}\n`, stderr: '' });
  });

  it('gives up after --timeout-ms when the worker does not answer', async () => {
    const worker = await fakeWorker(null);
    const started = performance.now();
    expect(await health(['--url', worker.url, '--timeout-ms', '300'])).toEqual({ code: 1, stdout: `unreachable: no answer from 127.0.0.1:${worker.port} within 300 ms\n`, stderr: '' });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('asks the listener CONNECT_LISTENERS / CONNECT_REST_PORT give the worker, on 127.0.0.1 when it binds all interfaces', async () => {
    const worker = await fakeWorker(200, { status: 'healthy', message: 'ok' });
    expect(await health([], { CONNECT_LISTENERS: `http://0.0.0.0:${worker.port}` })).toMatchObject({ code: 0, stdout: 'healthy\n' });
    expect(await health([], { CONNECT_LISTENERS: `http://:${worker.port}`, CONNECT_REST_PORT: '1' })).toMatchObject({ code: 0, stdout: 'healthy\n' });
    expect(await health([], { CONNECT_REST_PORT: String(worker.port) })).toMatchObject({ code: 0, stdout: 'healthy\n' });
    expect(await health([], { CONNECT_REST_HOST_NAME: '127.0.0.1', CONNECT_REST_PORT: String(worker.port) })).toMatchObject({ code: 0, stdout: 'healthy\n' });
    expect(worker.paths).toEqual(['/health', '/health', '/health', '/health']);
  });

  it('says what is wrong with a listener variable or an option', async () => {
    expect(await health([], { CONNECT_LISTENERS: 'tcp://0.0.0.0:8083' })).toEqual({
      code: 1, stdout: "unreachable: Invalid listener 'tcp://0.0.0.0:8083': expected http://host:port or https://host:port (from CONNECT_LISTENERS)\n", stderr: '',
    });
    expect(await health(['--url', 'localhost:8083'])).toEqual({ code: 1, stdout: "unreachable: URL must start with http:// or https://, got 'localhost:8083'\n", stderr: '' });
    expect(await health(['--timeout-ms', 'soon'])).toEqual({
      code: 1, stdout: '', stderr: "ferry health: --timeout-ms must be a whole number of at least 1, got 'soon'\nRun 'ferry health --help' for usage.\n",
    });
  });
});
