/**
 * The connector under ferry's conformance kit: a real ferry worker loads this package from
 * plugin.path and polls a local HTTP server whose JSON array grows as the kit feeds it.
 * Run with `npm test` (it builds first).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { runConformance } from 'ferry/testing';

test('the HTTP poll source passes the conformance kit', async () => {
  const events: { id: number; text: string }[] = [];
  const server = createServer((request, response) => {
    if (request.url !== '/events') {
      response.writeHead(404).end('no such feed');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(events));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const report = await runConformance({
      // dist/test/ → the package folder, which the worker loads as a plugin.
      pluginDir: path.resolve(import.meta.dirname, '../..'),
      connectorClass: 'example.http.HttpPollSourceConnector',
      config: { url: `${base}/events`, topic: 'events', 'poll.interval.ms': '100', 'id.field': 'id' },
      source: {
        topic: 'events',
        feed: async (count) => {
          const added = Array.from({ length: count }, () => ({ id: events.length + 1, text: `event ${events.length + 1}` }))
            .map((event) => { events.push(event); return event; });
          return added.map((event) => JSON.stringify(event));
        },
      },
      invalidConfigs: [
        { set: { url: 'not a url' }, errorsOn: ['url'] },
        { set: { 'poll.interval.ms': '1' }, errorsOn: ['poll.interval.ms'] },
      ],
      failure: { set: { url: `${base}/missing` }, message: 'answered 404' },
      log: (line) => console.log(line),
    });
    console.log(`${report.connectorClass} ${report.version}: ${report.checks.length} checks passed`);
  } finally {
    server.close();
  }
});
