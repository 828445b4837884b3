/**
 * The broker's listener: accepts TCP connections, and in-process ones from clients in the same
 * process (connectInProcess), and hands each to a Connection. `close()` stops accepting both,
 * then closes every open connection.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import type { ApiHandler } from './api-handler.js';
import { Connection } from './connection.js';
import { InProcessSocket } from './in-process-socket.js';
import type { ReadBufferPool } from '../log/read-buffers.js';
import type { ConnectionStream } from '../protocol/connection-stream.js';
import type { ReadTarget } from '../protocol/frame-assembler.js';

export interface ListenerOptions {
  host: string;
  port: number;
  maxRequestBytes: number;
  handlers: ReadonlyMap<number, ApiHandler>;
  log: Logger;
  buffers: ReadBufferPool;
}

export class Listener {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: ListenerOptions) {
    this.server = net.createServer({ pauseOnConnect: true }, (socket) => this.accept(socket));
  }

  /**
   * A connection from a client in this process: the broker serves it as it serves a TCP one
   * (same handlers, same limits); the client's end reads the broker's answers into `target`.
   */
  connectInProcess(target: ReadTarget): ConnectionStream {
    if (this.closed) throw new Error('the broker is shutting down');
    const [client, server] = InProcessSocket.pair();
    client.readInto(target);
    this.accept(server);
    return client;
  }

  private accept(socket: net.Socket | InProcessSocket): void {
    const opts = this.opts;
    const connection: Connection = new Connection(socket, {
      id: this.nextId++,
      maxRequestBytes: opts.maxRequestBytes,
      handlers: opts.handlers,
      log: opts.log,
      buffers: opts.buffers,
      onSocketClosed: () => this.connections.delete(connection),
    });
    this.connections.add(connection);
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close();
    await closed;
  }
}
