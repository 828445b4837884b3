/**
 * kcat (librdkafka) as the client: produce a record file with `kcat -P -l`, consume a
 * partition from the beginning with `kcat -C -e` until it exits at the partition's end.
 * Each run is charged the CPU time of the kcat process it spawned.
 */
import { execFileSync, spawn } from 'node:child_process';
import { reapedChildrenCpuSeconds } from './proc-stats.js';

/** librdkafka producer settings; acks stays at librdkafka's default (all, i.e. -1). */
export const KCAT_PRODUCE_SETTINGS: Record<string, string> = {
  'linger.ms': '5',
  'batch.size': '1000000',
  'queue.buffering.max.messages': '1000000',
};

/**
 * librdkafka consumer settings (defaults otherwise: fetch.message.max.bytes 1 MiB per
 * partition). librdkafka before 2.2 stops fetching for a whole second whenever its local
 * queue holds queued.min.messages (100000 by default, ~10 MB of 100-byte records); the
 * raised limits keep that client-side pause out of the measurement.
 */
export const KCAT_CONSUME_SETTINGS: Record<string, string> = {
  'fetch.wait.max.ms': '100',
  'queued.min.messages': '10000000',
  'queued.max.messages.kbytes': '2097151',
};

export interface KcatOutcome {
  clientCpuSeconds: number;
  stderr: string;
}

export function kcatVersion(): string | null {
  try {
    const text = execFileSync('kcat', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const kcat = /Version (\S+)/.exec(text)?.[1] ?? 'unknown';
    const librdkafka = /librdkafka (\S+)/.exec(text)?.[1] ?? 'unknown';
    return `${kcat} (librdkafka ${librdkafka})`;
  } catch {
    return null;
  }
}

function settingArgs(settings: Record<string, string>): string[] {
  return Object.entries(settings).flatMap(([k, v]) => ['-X', `${k}=${v}`]);
}

function runKcat(args: string[]): Promise<KcatOutcome> {
  const cpuBefore = reapedChildrenCpuSeconds();
  const child = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 65536) stderr = stderr.slice(-32768);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`kcat ${args.join(' ')} exited with ${code ?? signal}:\n${stderr}`));
        return;
      }
      resolve({ clientCpuSeconds: reapedChildrenCpuSeconds() - cpuBefore, stderr });
    });
  });
}

export function kcatProduce(bootstrap: string, topic: string, file: string): Promise<KcatOutcome> {
  return runKcat(['-P', '-b', bootstrap, '-t', topic, '-p', '0', ...settingArgs(KCAT_PRODUCE_SETTINGS), '-l', file]);
}

/** Consumes partition 0 from the beginning to its end; fails unless kcat reports ending at `expectedEnd`. */
export async function kcatConsume(bootstrap: string, topic: string, expectedEnd: number): Promise<KcatOutcome> {
  const outcome = await runKcat(['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e',
    ...settingArgs(KCAT_CONSUME_SETTINGS)]);
  const end = /Reached end of topic \S+ \[0\] at offset (\d+)/.exec(outcome.stderr);
  if (!end || Number(end[1]) !== expectedEnd) {
    throw new Error(`kcat consume of ${topic} ended at ${end?.[1] ?? 'unknown offset'}, expected ${expectedEnd}:\n${outcome.stderr}`);
  }
  return outcome;
}
