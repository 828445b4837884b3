/**
 * Data-directory checkpoint files in Kafka's text format (broker notes §6.1): a version line
 * `0`, a count line, then `<topic> <partition> <offset>` per partition. Written atomically
 * (temp file, fsync, rename, directory fsync); a missing or malformed file reads as empty.
 */
import fs from 'node:fs';
import { writeFileAtomic } from './log-files.js';

export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT = 'cleaner-offset-checkpoint';

/** Partition directory name, the key used by the checkpoint maps. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function readOffsetCheckpoint(file: string): Map<string, number> {
  const out = new Map<string, number>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines[0] !== '0') return out;
  const count = Number(lines[1]);
  if (!Number.isInteger(count) || count !== lines.length - 2) return out;
  for (const line of lines.slice(2)) {
    const parts = line.split(' ');
    if (parts.length !== 3) return new Map();
    const partition = Number(parts[1]);
    const offset = Number(parts[2]);
    if (!Number.isInteger(partition) || !Number.isInteger(offset)) return new Map();
    out.set(partitionKey(parts[0]!, partition), offset);
  }
  return out;
}

export function writeOffsetCheckpoint(file: string, entries: Iterable<{ topic: string; partition: number; offset: number }>): void {
  const lines: string[] = [];
  for (const e of entries) lines.push(`${e.topic} ${e.partition} ${e.offset}`);
  writeFileAtomic(file, `0\n${lines.length}\n${lines.map((l) => l + '\n').join('')}`);
}
