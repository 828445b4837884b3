/**
 * The receiving end of the append-floor baseline, run as its own process: the least a Node
 * broker must do with a produce stream. It takes the replay client's Produce frames off one
 * connection, read straight into one reused buffer by the broker's own FrameAssembler and
 * readInto (a frame that lands whole in the landing buffer is copied out, as in the broker),
 * computes the CRC-32C of each (the cost of checking a batch's), appends each to a file with
 * one positional write, and answers each with a fixed Produce v8 response (error code 0)
 * carrying its correlation id. No request decoding, no record walk, no offsets, no indexes.
 *
 * argv[2]: the file to append to. Prints `{"port":P}` once listening; exits on SIGTERM or
 * when its stdin closes (the benchmark process went away).
 */
import fs from 'node:fs';
import net from 'node:net';
import type { ConnectionStream } from '../../broker/protocol/connection-stream.js';
import { crc32c } from '../../broker/protocol/crc32c.js';
import { Produce } from '../../broker/protocol/apis/produce.js';
import { Writer } from '../../broker/protocol/writer.js';
import { FrameAssembler } from '../../broker/protocol/frame-assembler.js';
import { readInto } from '../../broker/server/direct-reads.js';

const PRODUCE_VERSION = 8;
const file = process.argv[2];
if (!file) throw new Error('usage: append-floor-sink FILE');
const fd = fs.openSync(file, 'w');
let position = 0;

/** Size prefix, correlation id (patched per frame) and a successful Produce v8 body. */
function responseTemplate(): Buffer {
  const body = Produce.response.encode(new Writer(128), PRODUCE_VERSION, {
    responses: [{ name: 'floor', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 0, logAppendTimeMs: -1, logStartOffset: 0, recordErrors: [], errorMessage: null }] }],
    throttleTimeMs: 0,
  }).toBuffer();
  const out = Buffer.alloc(8 + body.length);
  out.writeInt32BE(4 + body.length, 0);
  body.copy(out, 8);
  return out;
}
const TEMPLATE = responseTemplate();

function serve(accepted: net.Socket): void {
  let reused = Buffer.allocUnsafe(2 * 1024 * 1024);
  let socket: ConnectionStream | null = null;
  const frames = new FrameAssembler({
    minFrameBytes: 8,
    maxFrameBytes: 100 * 1024 * 1024,
    // Every frame is done with before the next read: one buffer serves them all.
    frameBuffer: (size) => {
      if (reused.length < size) reused = Buffer.allocUnsafe(size);
      return reused;
    },
    onFrame: ({ bytes }) => {
      crc32c(bytes);
      position += fs.writeSync(fd, bytes, 0, bytes.length, position);
      const response = Buffer.from(TEMPLATE);
      response.writeInt32BE(bytes.readInt32BE(4), 4);
      socket!.write(response);
    },
    onInvalidSize: () => socket!.destroy(),
  });
  socket = readInto(accepted, frames);
  socket.setNoDelay(true);
  socket.on('error', () => socket!.destroy());
}

const server = net.createServer({ pauseOnConnect: true }, serve);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as net.AddressInfo).port })}\n`);
});
const exit = () => {
  fs.closeSync(fd);
  process.exit(0);
};
process.on('SIGTERM', () => server.close(exit));
process.stdin.on('end', exit);
process.stdin.resume();
