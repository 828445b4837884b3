/**
 * The same-run floor for the replay produce runs: the replay client's exact stream sent to
 * append-floor-sink (frames assembled, CRC-32C, one positional write each, a fixed response)
 * instead of the broker. Its MB per CPU-second is what a Node process on this machine gets
 * for the work no broker can skip (socket reads, the checksum, the page-cache write), so the
 * broker's figure divided by it is the share of the machine's ceiling the broker reaches.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cpuSeconds } from './proc-stats.js';
import { APPEND_FLOOR_SINK } from './paths.js';
import { startSinkProcess } from './port-printing-process.js';
import { replayProduce } from './replay-client.js';

export interface AppendFloorResult {
  recordBytes: number;
  records: number;
  seconds: number;
  mbPerSec: number;
  sinkCpuSeconds: number;
  mbPerSinkCpuSecond: number;
}

export async function measureAppendFloor(
  dir: string, recordBytes: number, records: number, inFlight: number,
): Promise<AppendFloorResult> {
  const file = path.join(dir, `append-floor-${recordBytes}.log`);
  const sink = await startSinkProcess(APPEND_FLOOR_SINK, [file]);
  try {
    const before = cpuSeconds(sink.pid);
    const start = performance.now();
    await replayProduce({ host: '127.0.0.1', port: sink.port, topic: 'floor', recordBytes, records, acks: -1, inFlight });
    const seconds = (performance.now() - start) / 1000;
    const sinkCpuSeconds = cpuSeconds(sink.pid) - before;
    const mb = (recordBytes * records) / 1e6;
    return { recordBytes, records, seconds, mbPerSec: mb / seconds, sinkCpuSeconds, mbPerSinkCpuSecond: mb / sinkCpuSeconds };
  } finally {
    sink.stop();
    fs.rmSync(file, { force: true });
  }
}
