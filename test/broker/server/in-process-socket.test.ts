import { describe, expect, it } from 'vitest';
import { InProcessSocket } from '../../../broker/server/in-process-socket.js';
import type { ReadTarget } from '../../../broker/protocol/frame-assembler.js';

/** A read target that copies what it is given, as a FrameAssembler does. */
function recorder(): ReadTarget & { chunks: Buffer[]; text: () => string } {
  const chunks: Buffer[] = [];
  return {
    chunks,
    text: () => Buffer.concat(chunks).toString(),
    nextBuffer: () => { throw new Error('an in-process end pushes'); },
    filled: () => { throw new Error('an in-process end pushes'); },
    push: (chunk) => { chunks.push(Buffer.from(chunk)); },
  };
}

const written = (socket: InProcessSocket, chunk: Buffer): Promise<void> =>
  new Promise((resolve, reject) => socket.write(chunk, (err) => (err ? reject(err) : resolve())));

describe('InProcessSocket', () => {
  it('delivers what one end writes to the other end, whole and in order, both ways', async () => {
    const [a, b] = InProcessSocket.pair();
    const atA = recorder();
    const atB = recorder();
    a.readInto(atA);
    b.readInto(atB);
    a.cork();
    a.write(Buffer.from('one '));
    a.write(Buffer.from('two '));
    a.uncork();
    await written(a, Buffer.from('three'));
    await written(b, Buffer.from('back'));
    expect(atB.chunks.map(String)).toEqual(['one ', 'two ', 'three']);
    expect(atA.text()).toBe('back');
    a.destroy();
  });

  it('runs a write callback only once the peer has taken the bytes, so the writer may reuse its buffer', async () => {
    const [a, b] = InProcessSocket.pair();
    const atB = recorder();
    b.readInto(atB);
    const buffer = Buffer.from('fetched log bytes');
    let seenAtCallback: string | undefined;
    await new Promise<void>((resolve) => a.write(buffer, () => {
      seenAtCallback = atB.text();
      buffer.fill(0);
      resolve();
    }));
    expect(seenAtCallback).toBe('fetched log bytes');
    expect(atB.text()).toBe('fetched log bytes');
    a.destroy();
  });

  it('holds bytes written before the peer has a read target until it has one', async () => {
    const [a, b] = InProcessSocket.pair();
    let done = false;
    a.write(Buffer.from('early'), () => { done = true; });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    const atB = recorder();
    b.readInto(atB);
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(true);
    expect(atB.text()).toBe('early');
    a.destroy();
  });

  it('asks the writer to wait for drain beyond its buffer, and drains once the peer has the bytes', async () => {
    const [a, b] = InProcessSocket.pair();
    const atB = recorder();
    b.readInto(atB);
    expect(a.write(Buffer.alloc(9 * 1024 * 1024, 1))).toBe(false);
    expect(a.writableNeedDrain).toBe(true);
    await new Promise((resolve) => a.once('drain', resolve));
    expect(a.writableNeedDrain).toBe(false);
    expect(atB.chunks[0]!.length).toBe(9 * 1024 * 1024);
    a.destroy();
  });

  it('closes both ends when either is destroyed, failing bytes not yet delivered', async () => {
    const [a, b] = InProcessSocket.pair();
    b.readInto(recorder());
    const closed = Promise.all([new Promise((r) => a.once('close', r)), new Promise((r) => b.once('close', r))]);
    a.on('error', () => {});
    const failed = new Promise<Error | null | undefined>((resolve) => a.write(Buffer.from('lost'), resolve));
    b.destroy();
    await closed;
    expect(a.destroyed).toBe(true);
    expect((await failed)?.message).toMatch(/closed/);
  });

  it('lets other events run while two ends answer each other without pause', async () => {
    const [a, b] = InProcessSocket.pair();
    let exchanges = 0;
    let stop = false;
    const echo = (self: InProcessSocket): ReadTarget => ({
      nextBuffer: () => Buffer.alloc(0),
      filled: () => {},
      push: () => {
        exchanges++;
        if (!stop) self.write(Buffer.from('x'));
      },
    });
    a.readInto(echo(a));
    b.readInto(echo(b));
    a.write(Buffer.from('x'));
    // A timer fires although the exchange never waits for anything: each delivery yields to the event loop.
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop = true;
    expect(exchanges).toBeGreaterThan(10);
    a.destroy();
  });
});
