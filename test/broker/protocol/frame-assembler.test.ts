/**
 * The broker's request framing: whatever the socket's read boundaries, every frame comes out
 * whole, in order and unchanged by later reads; a large frame's bytes are read straight into
 * the buffer the request is handled from; a bad size prefix is reported once.
 */
import { describe, expect, it } from 'vitest';
import { FrameAssembler, type Frame } from '../../../broker/protocol/frame-assembler.js';
import { ReadBufferPool } from '../../../broker/log/read-buffers.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const LANDING = 64 * KiB;

function framed(body: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(body.length, 0);
  return Buffer.concat([prefix, body]);
}

function randomBody(random: () => number, size: number): Buffer {
  const body = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) body[i] = Math.floor(random() * 256);
  return body;
}

interface Fed {
  frames: Frame[];
  invalid: number[];
  /** For each read, whether it went into a buffer that later came out as a frame's own. */
  readTargets: Buffer[];
}

/** Feeds `stream` through an assembler in reads of random sizes, as a socket would. */
function feed(stream: Buffer, random: () => number, maxRead: number, maxFrameBytes = 100 * MiB): Fed {
  const pool = new ReadBufferPool();
  const fed: Fed = { frames: [], invalid: [], readTargets: [] };
  const assembler = new FrameAssembler({
    minFrameBytes: 8,
    maxFrameBytes,
    frameBuffer: (size) => pool.take(size),
    onFrame: (frame) => fed.frames.push(frame),
    onInvalidSize: (size) => fed.invalid.push(size),
  });
  let offset = 0;
  while (offset < stream.length) {
    const into = assembler.nextBuffer();
    if (into.length === 0) throw new Error('the assembler offered an empty buffer to read into');
    const n = Math.min(into.length, stream.length - offset, 1 + Math.floor(random() * maxRead));
    stream.copy(into, 0, offset, offset + n);
    fed.readTargets.push(into);
    offset += n;
    assembler.filled(n);
  }
  return fed;
}

describe('FrameAssembler', () => {
  it('cuts a stream of small, boundary-sized and large frames into the same frames at any read boundaries', () => {
    for (const seed of [1, 2, 3, 4]) {
      const random = seededRandom(seed);
      const sizes = [8, 9, 100, 4 * KiB, LANDING - 5, LANDING - 4, LANDING - 3, LANDING, 300 * KiB, 2 * MiB, 12, 9 * MiB, 64];
      for (let i = 0; i < 60; i++) sizes.push(8 + Math.floor(random() * (random() < 0.8 ? 2 * KiB : 400 * KiB)));
      const bodies = sizes.map((size) => randomBody(random, size));
      const stream = Buffer.concat(bodies.map(framed));
      for (const maxRead of [1, 7, 4 * KiB, 256 * KiB]) {
        // Byte-at-a-time reads over 12 MiB would take long: the small read sizes get the frames up to 100 KiB.
        const prefix = maxRead < 4 * KiB ? bodies.filter((b) => b.length <= 100 * KiB) : bodies;
        const fed = feed(maxRead < 4 * KiB ? Buffer.concat(prefix.map(framed)) : stream, random, maxRead);
        expect(fed.invalid).toEqual([]);
        expect(fed.frames.length).toBe(prefix.length);
        fed.frames.forEach((frame, i) => {
          if (!frame.bytes.equals(prefix[i]!)) throw new Error(`seed ${seed}, reads up to ${maxRead}: frame ${i} (${prefix[i]!.length} bytes) differs`);
        });
      }
    }
  });

  it("cuts the same frames out of chunks pushed from 'data' events", () => {
    const random = seededRandom(3);
    const bodies = [8, 500, LANDING - 4, LANDING, 700 * KiB, 30, 3 * MiB, 9].map((size) => randomBody(random, size));
    const stream = Buffer.concat(bodies.map(framed));
    const frames: Frame[] = [];
    const assembler = new FrameAssembler({
      minFrameBytes: 8, maxFrameBytes: 10 * MiB, onFrame: (frame) => frames.push(frame), onInvalidSize: () => {},
    });
    for (let offset = 0; offset < stream.length;) {
      const n = 1 + Math.floor(random() * 200 * KiB);
      assembler.push(stream.subarray(offset, offset + n));
      offset += n;
    }
    expect(frames.map((frame, i) => frame.bytes.equals(bodies[i]!))).toEqual(bodies.map(() => true));
    expect(frames.every((frame) => frame.pooled === null)).toBe(true);
  });

  it('reads the rest of a frame too large for the landing buffer straight into the buffer it is handled from', () => {
    const random = seededRandom(7);
    const body = randomBody(random, 1 * MiB);
    const fed = feed(Buffer.concat([framed(Buffer.from('small frame')), framed(body)]), random, 64 * KiB);
    expect(fed.frames).toHaveLength(2);
    const large = fed.frames[1]!;
    expect(large.bytes.equals(body)).toBe(true);
    expect(large.pooled).not.toBeNull();
    const direct = fed.readTargets.filter((target) => target.buffer === large.bytes.buffer);
    const directBytes = direct.reduce((sum, target) => sum + target.length, 0);
    // All but what landed with the size prefix in the first read went straight into the frame.
    expect(directBytes).toBeGreaterThan(body.length - 64 * KiB);
  });

  it('reports a size prefix out of bounds once and emits nothing after it', () => {
    for (const bad of [7, 0, -1, 5 * MiB]) {
      const random = seededRandom(11);
      const badPrefix = Buffer.alloc(4);
      badPrefix.writeInt32BE(bad, 0);
      const stream = Buffer.concat([framed(Buffer.from('before the bad one')), badPrefix, Buffer.alloc(70 * KiB, 1), framed(Buffer.from('after'))]);
      const fed = feed(stream, random, 5 * KiB, 4 * MiB);
      expect(fed.invalid).toEqual([bad]);
      expect(fed.frames.map((frame) => frame.bytes.toString())).toEqual(['before the bad one']);
    }
  });
});
