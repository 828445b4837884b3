/**
 * The receiving end of the append-floor baseline, run as its own process: the least a Node
 * broker must do with a produce stream. It takes the replay client's Produce frames off one
 * connection (assembling a frame that spans socket reads in a reused buffer, as the broker
 * does), computes the CRC-32C of each (the cost of checking a batch's), appends each to a file with one positional write, and
 * answers each with a fixed Produce v8 response (error code 0) carrying its correlation id.
 * No request decoding, no record walk, no offsets, no indexes.
 *
 * argv[2]: the file to append to. Prints `{"port":P}` once listening; exits on SIGTERM or
 * when its stdin closes (the benchmark process went away).
 */
import fs from 'node:fs';
import net from 'node:net';
import { crc32c } from '../../broker/protocol/crc32c.js';
import { Produce } from '../../broker/protocol/apis/produce.js';
import { Writer } from '../../broker/protocol/writer.js';

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

function serve(socket: net.Socket): void {
  socket.setNoDelay(true);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let assembly = Buffer.allocUnsafe(2 * 1024 * 1024);

  const frame = (bytes: Buffer): void => {
    crc32c(bytes);
    position += fs.writeSync(fd, bytes, 0, bytes.length, position);
    const response = Buffer.from(TEMPLATE);
    response.writeInt32BE(bytes.readInt32BE(4), 4);
    socket.write(response);
  };

  const take = (n: number): Buffer => {
    const first = pending[0]!;
    pendingBytes -= n;
    if (first.length >= n) {
      if (first.length === n) pending.shift();
      else pending[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (assembly.length < n) assembly = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = pending[0]!;
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(assembly, filled, 0, used);
      filled += used;
      if (used === chunk.length) pending.shift();
      else pending[0] = chunk.subarray(used);
    }
    return assembly.subarray(0, n);
  };

  socket.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
    socket.cork();
    while (pendingBytes >= 4) {
      const head = pending[0]!.length >= 4 ? pending[0]! : Buffer.concat(pending);
      if (pending[0] !== head) pending = [head];
      const size = head.readInt32BE(0);
      if (pendingBytes < size + 4) break;
      frame(take(size + 4).subarray(4));
    }
    socket.uncork();
  });
  socket.on('error', () => socket.destroy());
}

const server = net.createServer(serve);
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
