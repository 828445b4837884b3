/**
 * What the load generator drives: one connection's worth of sequential GETs. Two kinds:
 * node:http (a keep-alive agent shared by all connections, one socket each) and a minimal
 * raw HTTP/1.1 client on net.Socket (pre-encoded requests, responses framed by
 * content-length only), which costs far less CPU per request than node:http and so leaves
 * more of a small machine to the server under test.
 */
import http from 'node:http';
import net from 'node:net';

export interface Response {
  status: number;
  bodyBytes: number;
}

export interface HttpConnection {
  get(path: string): Promise<Response>;
  close(): void;
}

export interface ConnectionPool {
  connect(): Promise<HttpConnection>;
  close(): void;
}

export function nodeHttpPool(url: string, concurrency: number): ConnectionPool {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const get = (path: string) => new Promise<Response>((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path, method: 'GET', agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bodyBytes: bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return {
    connect: () => Promise.resolve({ get, close: () => undefined }),
    close: () => agent.destroy(),
  };
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

/** One keep-alive socket; one request in flight at a time. */
class RawConnection implements HttpConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: Response) => void; reject: (e: Error) => void } | undefined;
  private readonly requests = new Map<string, Buffer>();
  private failure: Error | undefined;

  constructor(private readonly socket: net.Socket, private readonly host: string) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  get(path: string): Promise<Response> {
    if (this.failure) return Promise.reject(this.failure);
    let request = this.requests.get(path);
    if (!request) {
      request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${this.host}\r\nAccept: application/json\r\n\r\n`);
      this.requests.set(path, request);
    }
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const length = CONTENT_LENGTH.exec(head);
    if (!length) {
      this.fail(new Error(`response without content-length: ${head.split('\r\n')[0]}`));
      this.socket.destroy();
      return;
    }
    const total = headerEnd + HEADER_END.length + Number(length[1]);
    if (this.buffered.length < total) return;
    if (this.buffered.length > total) {
      this.fail(new Error('more bytes than one response'));
      this.socket.destroy();
      return;
    }
    this.buffered = Buffer.alloc(0);
    const status = Number(head.slice(9, 12));
    const p = this.pending;
    this.pending = undefined;
    p?.resolve({ status, bodyBytes: Number(length[1]) });
  }
}

export function rawHttpPool(url: string): ConnectionPool {
  const target = new URL(url);
  const open = new Set<RawConnection>();
  return {
    connect: () => new Promise((resolve, reject) => {
      const socket = net.connect({ host: target.hostname, port: Number(target.port) });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        const c = new RawConnection(socket, target.host);
        open.add(c);
        socket.once('close', () => open.delete(c));
        resolve(c);
      });
    }),
    close: () => {
      for (const c of open) c.close();
    },
  };
}
