/**
 * The topic the MirrorMaker benchmark replicates: `partitions` partitions on region A, each
 * filled with the same `perPartition` records of RECORD_BYTES printable bytes (bench/broker's
 * payloads), a key `key-<n>` and one header `origin=bench`, written with kcat (`-K '\t'`,
 * `-H`), one kcat per partition, all at once.
 */
import fs from 'node:fs';
import { KCAT_PRODUCE_SETTINGS } from '../broker/kcat-runs.js';
import { payload } from '../broker/record-payloads.js';
import { runProcess } from '../../test/helpers/run-process.js';

export const RECORD_BYTES = 1024;
export const HEADER = 'origin=bench';

/** `count` lines `key-<n>\t<value>`, for `kcat -P -K '\t' -l`. */
export function writeKeyedRecordFile(file: string, count: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    const perChunk = 4096;
    for (let written = 0; written < count;) {
      const n = Math.min(perChunk, count - written);
      const parts: Buffer[] = [];
      for (let i = 0; i < n; i++) parts.push(Buffer.from(`key-${written + i}\t`), payload(RECORD_BYTES, written + i), Buffer.from('\n'));
      fs.writeSync(fd, Buffer.concat(parts));
      written += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function kcatSettingArgs(settings: Record<string, string>): string[] {
  return Object.entries(settings).flatMap(([k, v]) => ['-X', `${k}=${v}`]);
}

/** Produces `file` into every partition of `topic` (which must exist), one kcat per partition in parallel. */
export async function fillTopic(bootstrap: string, topic: string, partitions: number, file: string): Promise<void> {
  await Promise.all(Array.from({ length: partitions }, async (_, p) => {
    const args = ['-P', '-b', bootstrap, '-t', topic, '-p', String(p), '-K', '\t', '-H', HEADER, ...kcatSettingArgs(KCAT_PRODUCE_SETTINGS), '-l', file];
    const result = await runProcess('kcat', args, { timeoutMs: 600_000 });
    if (result.code !== 0) throw new Error(`kcat ${args.join(' ')} exited with ${result.code}:\n${result.stderr}`);
  }));
}
