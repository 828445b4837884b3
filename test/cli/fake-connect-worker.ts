/**
 * A real HTTP server answering like a Kafka Connect worker with canned replies, recording every
 * request. Unscripted requests get Connect's 404 body.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

export interface CannedReply {
  status: number;
  /** Serialised as JSON; `raw` wins when both are given. */
  body?: unknown;
  raw?: string;
  contentType?: string;
}

export class FakeConnectWorker {
  readonly requests: RecordedRequest[] = [];
  private readonly replies = new Map<string, CannedReply>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      this.requests.push({ method, url, contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      const reply = this.replies.get(`${method} ${url}`) ?? { status: 404, body: { error_code: 404, message: 'HTTP 404 Not Found' } };
      const payload = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      if (payload !== '') res.setHeader('content-type', reply.contentType ?? 'application/json');
      res.writeHead(reply.status).end(payload);
    });
  });

  /** Scripts the reply to `METHOD url` (url with its query string, exactly as the client sends it). */
  on(method: string, url: string, reply: CannedReply): this {
    this.replies.set(`${method} ${url}`, reply);
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.replies.clear();
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }
}

export interface CapturedIo {
  io: { stdout: { write(text: string): boolean }; stderr: { write(text: string): boolean }; env: Record<string, string | undefined> };
  stdout(): string;
  stderr(): string;
}

/** Streams that collect what a command writes, and an environment without FERRY_URL. */
export function captureIo(env: Record<string, string | undefined> = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text) => { out += text; return true; } },
      stderr: { write: (text) => { err += text; return true; } },
      env,
    },
    stdout: () => out,
    stderr: () => err,
  };
}
