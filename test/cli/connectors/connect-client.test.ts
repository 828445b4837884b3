import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectApiError, ConnectClient, WorkerUnreachableError } from '../../../cli/connectors/connect-client.js';

const held: http.ServerResponse[] = [];
const server = http.createServer((req, res) => {
  if (req.url === '/hang') held.push(res);
  else res.writeHead(200, { 'content-type': 'text/plain' }).end('not json');
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  for (const res of held) res.end();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('gives up on a worker that does not answer in time, naming it', async () => {
  const client = new ConnectClient(url, { timeoutMs: 100 });
  const failure = client.request('GET', '/hang');
  await expect(failure).rejects.toBeInstanceOf(WorkerUnreachableError);
  await expect(failure).rejects.toThrow(`worker at ${url.slice(0, -1)} did not answer within 0.1 s`);
});

it('rejects a success answer whose body is not JSON', async () => {
  const client = new ConnectClient(url);
  await expect(client.request('GET', '/connectors')).rejects.toBeInstanceOf(ConnectApiError);
  await expect(client.request('GET', '/connectors')).rejects.toThrow('not JSON');
});
