/**
 * The baseline every broker figure is compared with: a raw TCP copy over loopback between
 * two Node processes (this one writes, loopback-sink.js reads and discards), in MB/s. Same
 * machine, same run, so a broker figure's ratio to it factors out how fast this machine is
 * at moving bytes through sockets.
 */
import net from 'node:net';
import { LOOPBACK_SINK } from './paths.js';
import { startSinkProcess } from './port-printing-process.js';
import { median } from '../median.js';

export interface LoopbackResult {
  bytes: number;
  chunkBytes: number;
  /** Seconds of each repetition. */
  seconds: number[];
  /** MB/s (1 MB = 10^6 bytes) of the median repetition. */
  mbPerSec: number;
}

export async function measureLoopback(totalBytes: number, chunkBytes: number, repetitions: number): Promise<LoopbackResult> {
  const sink = await startSinkProcess(LOOPBACK_SINK);
  try {
    const port = sink.port;
    const chunk = Buffer.alloc(chunkBytes, 0x61);
    const seconds: number[] = [];
    for (let i = 0; i < repetitions; i++) seconds.push(await copyOnce(port, chunk, totalBytes));
    return { bytes: totalBytes, chunkBytes, seconds, mbPerSec: totalBytes / 1e6 / median(seconds) };
  } finally {
    sink.stop();
  }
}

/** Sends `totalBytes` and waits for the sink's count; seconds from connect to that answer. */
function copyOnce(port: number, chunk: Buffer, totalBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let start = 0;
    let sent = 0;
    let answer = '';
    const pump = () => {
      while (sent < totalBytes) {
        const piece = totalBytes - sent >= chunk.length ? chunk : chunk.subarray(0, totalBytes - sent);
        sent += piece.length;
        if (!socket.write(piece)) return;
      }
      socket.end();
    };
    socket.on('connect', () => {
      start = performance.now();
      pump();
    });
    socket.on('drain', pump);
    socket.on('data', (data: Buffer) => { answer += data.toString(); });
    socket.on('end', () => {
      const seconds = (performance.now() - start) / 1000;
      socket.destroy();
      if (Number(answer) !== totalBytes) reject(new Error(`loopback sink received ${answer} of ${totalBytes} bytes`));
      else resolve(seconds);
    });
    socket.on('error', reject);
  });
}
