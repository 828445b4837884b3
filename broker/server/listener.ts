/**
 * The broker's TCP listener: accepts connections and hands each to a Connection.
 * `close()` stops accepting, then closes every open connection.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import type { ApiHandler } from './api-handler.js';
import { Connection } from './connection.js';
import type { ReadBufferPool } from '../log/read-buffers.js';

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

  constructor(private readonly opts: ListenerOptions) {
    this.server = net.createServer({ pauseOnConnect: true }, (socket) => {
      const connection: Connection = new Connection(socket, {
        id: this.nextId++,
        maxRequestBytes: opts.maxRequestBytes,
        handlers: opts.handlers,
        log: opts.log,
        buffers: opts.buffers,
        onSocketClosed: () => this.connections.delete(connection),
      });
      this.connections.add(connection);
    });
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
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close();
    await closed;
  }
}
