/**
 * The REST benchmark's baseline server, run as its own process: plain node:http answering
 * every request with the same JSON body (base64 in argv[2]) and the headers fastify sends
 * with a JSON reply, over keep-alive. What any HTTP server costs on this machine, before
 * routing, validation, serialization and the worker's own lookup. Prints {"port":N} when
 * listening; exits on SIGTERM.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(process.argv[2] ?? '', 'base64');
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
