/**
 * An HTTP proxy in front of an S3 server that a test can make misbehave: while a fault is
 * set, every request is answered with it (500 InternalError, 503 SlowDown, ...) as S3 answers,
 * with an XML error body, instead of reaching the server. Requests are otherwise forwarded
 * unchanged (the Host header included, so SigV4 signatures still verify).
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Fault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export const INTERNAL_ERROR: S3Fault = { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' };
export const SLOW_DOWN: S3Fault = { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };

export interface S3FaultProxy {
  readonly url: string;
  /** Answer every request with `fault` until `heal()`. */
  fail(fault: S3Fault): void;
  heal(): void;
  /** Requests answered with a fault so far, and requests forwarded. */
  readonly counts: { failed: number; forwarded: number };
  /** Calls `listener` with the method, URL and headers of every request before it is forwarded or failed. */
  onRequest(listener: (method: string, url: string, headers: IncomingHttpHeaders) => void): void;
  close(): Promise<void>;
}

export async function startS3FaultProxy(targetUrl: string): Promise<S3FaultProxy> {
  const target = new URL(targetUrl);
  let fault: S3Fault | null = null;
  const counts = { failed: 0, forwarded: 0 };
  const agent = new http.Agent({ keepAlive: true });
  const listeners: ((method: string, url: string, headers: IncomingHttpHeaders) => void)[] = [];
  const server = http.createServer((req, res) => {
    for (const listener of listeners) listener(req.method ?? '', req.url ?? '', req.headers);
    const current = fault;
    if (current !== null) {
      req.resume();
      req.on('end', () => {
        counts.failed++;
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${current.code}</Code><Message>${current.message}</Message><RequestId>fault</RequestId></Error>`;
        res.writeHead(current.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      return;
    }
    counts.forwarded++;
    const upstream = http.request({
      host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent,
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      res.destroy(err);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    fail: (f) => { fault = f; },
    heal: () => { fault = null; },
    counts,
    onRequest: (listener) => { listeners.push(listener); },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
