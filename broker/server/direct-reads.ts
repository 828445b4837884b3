/**
 * Gives an accepted TCP connection reads into buffers its owner chooses (Node's `onread`
 * option) instead of 'data' events, each of which costs a freshly allocated chunk.
 *
 * `net.Server` offers `onread` only to sockets a program creates itself, not to the ones it
 * accepts. So the server accepts with `pauseOnConnect` (nothing has been read yet), and the
 * connection's handle moves into a new `net.Socket` constructed with that option, the way
 * Node's own cluster module hands a connection's handle to a socket. The husk that held it is
 * destroyed without a handle, which only settles the server's connection count.
 *
 * Where the handle cannot take a user buffer (not a TCP handle, or a Node without
 * `useUserBuffer`) the same target is fed from 'data' events, one copy more. An in-process
 * connection delivers its peer's chunks to the target itself.
 */
import net from 'node:net';
import type { ConnectionStream } from '../protocol/connection-stream.js';
import { onreadInto, type ReadTarget } from '../protocol/frame-assembler.js';
import { InProcessSocket } from './in-process-socket.js';

interface StreamHandle {
  useUserBuffer?: unknown;
}

/** The socket to use in place of `accepted` (accepted with `pauseOnConnect`, or in process), reading into `target`. */
export function readInto(accepted: net.Socket | InProcessSocket, target: ReadTarget): ConnectionStream {
  if (accepted instanceof InProcessSocket) {
    accepted.readInto(target);
    return accepted;
  }
  const husk = accepted as unknown as { _handle: StreamHandle | null };
  const handle = husk._handle;
  if (handle !== null && typeof handle.useUserBuffer === 'function') {
    husk._handle = null;
    accepted.destroy();
    return new net.Socket({
      handle,
      readable: true,
      writable: true,
      onread: onreadInto(target),
    } as net.SocketConstructorOpts);
  }
  accepted.on('data', (chunk: Buffer) => target.push(chunk));
  accepted.resume();
  return accepted;
}
