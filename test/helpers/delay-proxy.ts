/**
 * A TCP proxy that adds network latency: every chunk read from one side is written to the
 * other `delayMs` later, in both directions, as a link with a one-way delay would.
 *
 * Invariants:
 * - Order: each direction keeps a FIFO of chunks with the time each is due (arrival + delay,
 *   never earlier than the chunk before it, so lowering the delay mid-stream cannot reorder).
 *   One timer per direction writes every chunk that is due, then re-arms for the next one.
 * - Bandwidth: delays overlap (a chunk waits only for its own due time, not for the chunks
 *   before it to have waited), so a transfer takes its delay once, not once per chunk. The
 *   only limit is back-pressure: while the receiving socket's buffer is full, the sending
 *   socket is paused, as TCP's window would hold the sender.
 * - Close: an end from one side is passed on after the chunks before it; an error or close of
 *   either side destroys the other.
 *
 * Kafka clients connect to the addresses brokers advertise in Metadata, so a proxy in front of
 * a broker is bypassed after bootstrap unless the broker advertises the proxy: start the proxy
 * first (without a target), then the broker with `--advertised-port <proxy.port>`, then set
 * `proxy.target` to the broker's real port. Every client of that broker then goes through the
 * proxy; `delayMs` can be changed at any time (0 passes chunks straight through).
 */
import net, { type AddressInfo, type Socket } from 'node:net';

export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

export interface DelayProxyOptions {
  /** Where connections go; connections accepted while it is unset are closed at once. */
  readonly target?: ProxyTarget;
  /** One-way delay in milliseconds, added to every chunk in each direction (default 0). */
  readonly delayMs?: number;
  /** Port to listen on (default 0: a free port). */
  readonly port?: number;
  readonly host?: string;
}

export interface DelayProxyStats {
  connections: number;
  /** Bytes from clients to the target, and back. */
  bytesToTarget: number;
  bytesToClients: number;
}

export interface DelayProxy {
  readonly host: string;
  readonly port: number;
  /** `host:port` of the proxy, for bootstrap.servers. */
  readonly address: string;
  target: ProxyTarget | undefined;
  delayMs: number;
  readonly stats: DelayProxyStats;
  /** Destroys every open connection, with the chunks still held back; new connections are proxied as before. */
  cut(): void;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

interface Pending {
  readonly due: number;
  readonly chunk: Buffer;
}

/** Forwards `from` to `to`, each chunk `delay()` ms after it arrived, in order. */
function delayedPipe(from: Socket, to: Socket, delay: () => number, count: (bytes: number) => void): void {
  let queue: Pending[] = [];
  let head = 0;
  let lastDue = 0;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  let waitingForDrain = false;

  const write = (chunk: Buffer) => {
    count(chunk.length);
    if (to.write(chunk) || waitingForDrain) return;
    waitingForDrain = true;
    from.pause();
    to.once('drain', () => {
      waitingForDrain = false;
      from.resume();
    });
  };
  const finishIfDone = () => {
    if (ended && head === queue.length && !to.destroyed) to.end();
  };
  const flush = () => {
    timer = undefined;
    const now = performance.now();
    while (head < queue.length && queue[head]!.due <= now) {
      const { chunk } = queue[head]!;
      queue[head++] = undefined as unknown as Pending;
      if (to.destroyed) return;
      write(chunk);
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    arm();
    finishIfDone();
  };
  const arm = () => {
    if (timer !== undefined || head === queue.length) return;
    timer = setTimeout(flush, Math.max(0, queue[head]!.due - performance.now()));
  };

  from.on('data', (chunk: Buffer) => {
    const ms = delay();
    if (ms <= 0 && head === queue.length) {
      write(chunk);
      return;
    }
    lastDue = Math.max(lastDue, performance.now() + ms);
    queue.push({ due: lastDue, chunk });
    arm();
  });
  from.on('end', () => {
    ended = true;
    finishIfDone();
  });
  from.on('close', () => {
    // After a clean end the queued chunks still go out (then `to` is ended); a side that
    // closed without one (reset, error) takes the other side with it.
    if (ended) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    to.destroy();
  });
}

export async function startDelayProxy(options: DelayProxyOptions = {}): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  const stats: DelayProxyStats = { connections: 0, bytesToTarget: 0, bytesToClients: 0 };
  const host = options.host ?? '127.0.0.1';
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    track(client);
    const target = proxy.target;
    if (target === undefined) {
      client.destroy();
      return;
    }
    stats.connections++;
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    track(upstream);
    const delay = () => proxy.delayMs;
    delayedPipe(client, upstream, delay, (n) => { stats.bytesToTarget += n; });
    delayedPipe(upstream, client, delay, (n) => { stats.bytesToClients += n; });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const proxy: DelayProxy = {
    host,
    port,
    address: `${host}:${port}`,
    target: options.target,
    delayMs: options.delayMs ?? 0,
    stats,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      proxy.cut();
      await closed;
    },
  };
  return proxy;
}
