/**
 * Micro-benchmark: CRC-32C (native and pure JS) and produce-path batch validation throughput
 * in MB/s. Run: npm run build && node dist/bench/crc32c.js
 */
import { crc32c } from '../broker/protocol/crc32c.js';
import { crc32cJs } from '../broker/protocol/crc32c-js.js';
import { encodeBatch, validateBatch } from '../broker/protocol/record-batch.js';

const RUN_MS = 1000;

function measure(label: string, bytesPerCall: number, fn: () => void): void {
  const callsPerRound = Math.max(1, Math.floor((4 << 20) / bytesPerCall));
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < RUN_MS) {
    for (let i = 0; i < callsPerRound; i++) fn();
    calls += callsPerRound;
    elapsed = performance.now() - start;
  }
  const mbPerSec = (calls * bytesPerCall) / 1e6 / (elapsed / 1000);
  console.log(`${label.padEnd(50)} ${mbPerSec.toFixed(0).padStart(6)} MB/s`);
}

const data = Buffer.allocUnsafe((1 << 20) + 1);
for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;

for (const size of [1 << 20, 64 << 10, 16 << 10, 1 << 10, 100]) {
  const slice = data.subarray(1, 1 + size);
  measure(`crc32c ${size} B (unaligned)`, size, () => crc32c(slice));
  measure(`crc32c pure JS ${size} B (unaligned)`, size, () => crc32cJs(slice));
}

for (const [count, valueSize] of [[1000, 1000], [10_000, 50]] as const) {
  const value = Buffer.alloc(valueSize, 'v');
  const batch = encodeBatch({ records: Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`key-${i}`), value })) });
  const shape = `${count} x ${valueSize} B records`;
  measure(`validateBatch header+CRC, ${shape}`, batch.length, () => {
    validateBatch(batch, 0, batch.length, { checkRecords: false });
  });
  measure(`validateBatch with records, ${shape}`, batch.length, () => {
    validateBatch(batch, 0, batch.length, { checkRecords: true, requireKeys: true });
  });
}
