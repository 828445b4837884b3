/**
 * An accepted connection handed to readInto: the bytes a client sends arrive, in order, in the
 * buffers the target chose (over the direct path, and over the 'data' fallback for a handle
 * that cannot take a user buffer); the returned socket writes back to the client; the server
 * closes without waiting for connections it no longer counts.
 */
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { readInto } from '../../../broker/server/direct-reads.js';
import type { ReadTarget } from '../../../broker/protocol/frame-assembler.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const KiB = 1024;

/** A target that offers buffers of 10 KiB to read into and records what arrived. */
class RecordingTarget implements ReadTarget {
  readonly received: Buffer[] = [];
  private current: Buffer | null = null;
  private waiting: { bytes: number; resolve: () => void } | null = null;
  private total = 0;

  nextBuffer(): Buffer {
    this.current = Buffer.alloc(10 * KiB);
    return this.current;
  }

  filled(n: number): void {
    this.push(this.current!.subarray(0, n));
  }

  push(chunk: Buffer): void {
    this.received.push(Buffer.from(chunk));
    this.total += chunk.length;
    if (this.waiting !== null && this.total >= this.waiting.bytes) this.waiting.resolve();
  }

  whenReceived(bytes: number): Promise<void> {
    if (this.total >= bytes) return Promise.resolve();
    return new Promise((resolve) => { this.waiting = { bytes, resolve }; });
  }
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function serve(onAccepted: (accepted: net.Socket) => void): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer({ pauseOnConnect: true }, onAccepted);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { server, port: (server.address() as net.AddressInfo).port };
}

async function roundTrip(hideUserBuffer: boolean): Promise<{ target: RecordingTarget; sent: Buffer; adopted: boolean }> {
  const target = new RecordingTarget();
  let adopted = false;
  const { port } = await serve((accepted) => {
    if (hideUserBuffer) {
      const handle = (accepted as unknown as { _handle: object })._handle;
      Object.defineProperty(handle, 'useUserBuffer', { value: undefined });
    }
    const socket = readInto(accepted, target);
    adopted = socket !== accepted;
    cleanup.push(async () => { socket.destroy(); });
    socket.write('hello from the server');
  });
  const random = seededRandom(5);
  const sent = Buffer.alloc(3 * 1024 * KiB);
  for (let i = 0; i < sent.length; i++) sent[i] = Math.floor(random() * 256);
  const client = net.connect(port, '127.0.0.1');
  cleanup.push(async () => { client.destroy(); });
  const [greeting] = await once(client, 'data') as [Buffer];
  expect(greeting.toString()).toBe('hello from the server');
  client.write(sent);
  await target.whenReceived(sent.length);
  return { target, sent, adopted };
}

describe('readInto', () => {
  it('reads what the client sends into the buffers the target offers, and writes back', async () => {
    const { target, sent, adopted } = await roundTrip(false);
    expect(adopted).toBe(true);
    expect(Buffer.concat(target.received).equals(sent)).toBe(true);
  });

  it("falls back to 'data' events, with the same bytes in the same target, when the handle cannot take a user buffer", async () => {
    const { target, sent, adopted } = await roundTrip(true);
    expect(adopted).toBe(false);
    expect(Buffer.concat(target.received).equals(sent)).toBe(true);
  });

  it('lets the server close while an adopted connection is still open', async () => {
    const target = new RecordingTarget();
    let socket: net.Socket | null = null;
    const { server, port } = await serve((accepted) => { socket = readInto(accepted, target); });
    const client = net.connect(port, '127.0.0.1');
    cleanup.push(async () => { client.destroy(); });
    client.write('x');
    await target.whenReceived(1);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(server.listening).toBe(false);
    // The adopted connection is still usable until its owner closes it.
    const echoed = once(client, 'data');
    socket!.write('still here');
    expect(((await echoed) as [Buffer])[0].toString()).toBe('still here');
    socket!.destroy();
  });
});
