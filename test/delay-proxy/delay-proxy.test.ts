/**
 * The delay proxy of test/helpers/delay-proxy.ts over loopback: the delay each way measured
 * with timestamps, bytes kept in order both ways, large transfers paying the delay once (not
 * per chunk), and closes passed on.
 */
import { randomBytes } from 'node:crypto';
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../helpers/delay-proxy.js';

const DELAY_MS = 20;
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function listen(onConnection: (socket: Socket) => void): Promise<{ port: number }> {
  const sockets = new Set<Socket>();
  const server: Server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  });
  return { port: (server.address() as AddressInfo).port };
}

async function proxyTo(port: number, delayMs = DELAY_MS): Promise<DelayProxy> {
  const proxy = await startDelayProxy({ target: { host: '127.0.0.1', port }, delayMs });
  open.push(proxy);
  return proxy;
}

async function connect(port: number): Promise<Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  open.push({ close: async () => { socket.destroy(); } });
  return socket;
}

function nextData(socket: Socket): Promise<Buffer> {
  return new Promise((resolve) => socket.once('data', resolve));
}

/** Reads until `bytes` bytes arrived; resolves with them. */
function readBytes(socket: Socket, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got < bytes) return;
      socket.off('data', onData);
      resolve(Buffer.concat(chunks));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

describe('delay proxy', () => {
  it('delays every chunk by the delay in each direction', async () => {
    let arrivedAt = 0;
    const echo = await listen((socket) => socket.on('data', (chunk) => {
      arrivedAt = performance.now();
      socket.write(chunk);
    }));
    const proxy = await proxyTo(echo.port);
    const client = await connect(proxy.port);
    const oneWay: number[] = [];
    const roundTrips: number[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = nextData(client);
      const sentAt = performance.now();
      client.write(`ping ${i}`);
      expect((await reply).toString()).toBe(`ping ${i}`);
      oneWay.push(arrivedAt - sentAt);
      roundTrips.push(performance.now() - sentAt);
    }
    // Timers never fire early; the upper bounds leave room for a busy machine.
    for (const ms of oneWay) expect(ms).toBeGreaterThanOrEqual(DELAY_MS - 1);
    for (const ms of roundTrips) expect(ms).toBeGreaterThanOrEqual(2 * DELAY_MS - 1);
    expect(Math.min(...roundTrips)).toBeLessThan(2 * DELAY_MS + 30);

    proxy.delayMs = 0;
    const reply = nextData(client);
    const sentAt = performance.now();
    client.write('now without delay');
    await reply;
    expect(performance.now() - sentAt).toBeLessThan(DELAY_MS);
    expect(proxy.stats.connections).toBe(1);
  });

  it('keeps the bytes in order both ways when many writes of any size are in flight', async () => {
    const echo = await listen((socket) => socket.pipe(socket));
    const proxy = await proxyTo(echo.port);
    const client = await connect(proxy.port);
    const sent: Buffer[] = [];
    for (let i = 0; i < 3000; i++) sent.push(randomBytes(1 + ((i * 7919) % 3000)));
    const all = Buffer.concat(sent);
    const received = readBytes(client, all.length);
    // Written over several turns of the event loop, and with the delay lowered mid-stream.
    for (let i = 0; i < sent.length; i++) {
      client.write(sent[i]!);
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 3));
      if (i === 1500) proxy.delayMs = 5;
    }
    expect((await received).equals(all)).toBe(true);
    expect(proxy.stats.bytesToTarget).toBe(all.length);
    expect(proxy.stats.bytesToClients).toBe(all.length);
  });

  it('pays the delay once for a large transfer, not once per chunk', async () => {
    const total = 256 * 1024 * 1024;
    let sinkDone!: (at: number) => void;
    const sunk = new Promise<number>((resolve) => { sinkDone = resolve; });
    const sink = await listen((socket) => {
      let got = 0;
      socket.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got === total) sinkDone(performance.now());
      });
    });
    const proxy = await proxyTo(sink.port);
    const client = await connect(proxy.port);
    const block = randomBytes(256 * 1024);
    const start = performance.now();
    for (let sent = 0; sent < total; sent += block.length) {
      if (!client.write(block)) await new Promise((r) => client.once('drain', r));
    }
    const seconds = ((await sunk) - start) / 1000;
    const mbPerSec = total / 1e6 / seconds;
    // With delays served one after the other, 1,024 blocks of 256 KiB would take 20 s or more (13 MB/s);
    // through the proxy it is several hundred MB/s on loopback.
    expect(seconds).toBeGreaterThanOrEqual(DELAY_MS / 1000);
    expect(mbPerSec).toBeGreaterThan(50);
  });

  it('passes an end on after the chunks before it, and closes the client when the target resets', async () => {
    const server = await listen((socket) => {
      socket.end('last words');
    });
    const proxy = await proxyTo(server.port);
    const client = await connect(proxy.port);
    const chunks: Buffer[] = [];
    client.on('data', (c: Buffer) => chunks.push(c));
    await new Promise((resolve) => client.once('end', resolve));
    expect(Buffer.concat(chunks).toString()).toBe('last words');

    const resetting = await listen((socket) => socket.resetAndDestroy());
    proxy.target = { host: '127.0.0.1', port: resetting.port };
    const second = await connect(proxy.port);
    second.on('error', () => undefined);
    await new Promise((resolve) => second.once('close', resolve));
  });

  it('closes connections while it has no target', async () => {
    const proxy = await startDelayProxy({ delayMs: DELAY_MS });
    open.push(proxy);
    const client = await connect(proxy.port);
    client.on('error', () => undefined);
    await new Promise((resolve) => client.once('close', resolve));
    expect(proxy.stats.connections).toBe(0);
  });
});
