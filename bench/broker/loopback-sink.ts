/**
 * The receiving end of the loopback baseline, run as its own process: accepts one
 * connection at a time on 127.0.0.1, discards what it reads, and when the sender half-closes
 * answers with the byte count it received and closes. Prints `{"port":P}` once listening;
 * exits on SIGTERM or when its stdin closes (the benchmark process went away).
 */
import net from 'node:net';

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  let received = 0;
  socket.on('data', (chunk: Buffer) => { received += chunk.length; });
  socket.on('end', () => socket.end(String(received)));
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as net.AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
