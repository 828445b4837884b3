/**
 * The kcat baseline of the MirrorMaker benchmark: per partition, `kcat -C` reading it from
 * region A from the beginning to its end (`-e`) piped into `kcat -P` writing the same
 * partition of a topic on region B, all partitions at once (one shell pipeline each).
 *
 * What it keeps: the partition (one pipe per partition, `-p`), keys (`-f '%k\t%s\n'` into
 * `-K '\t'`), values (printable, no newline or tab: kcat's text framing would split them).
 * What it does not: per-record headers (`kcat -P` only adds fixed ones; `-H origin=bench` puts
 * the source's one constant header back so the bytes on B match) and timestamps (B's records
 * get their produce time). Null keys would become empty keys.
 */
import { spawn } from 'node:child_process';
import { KCAT_CONSUME_SETTINGS, KCAT_PRODUCE_SETTINGS } from '../broker/kcat-runs.js';
import { HEADER, kcatSettingArgs } from './source-topic.js';

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

function pipeline(source: string, target: string, topic: string, targetTopic: string, partition: number): string {
  const consume = ['kcat', '-C', '-q', '-b', source, '-t', topic, '-p', String(partition), '-o', 'beginning', '-e', '-f', '%k\\t%s\\n',
    ...kcatSettingArgs(KCAT_CONSUME_SETTINGS)];
  const produce = ['kcat', '-P', '-b', target, '-t', targetTopic, '-p', String(partition), '-K', '\\t', '-H', HEADER,
    ...kcatSettingArgs(KCAT_PRODUCE_SETTINGS)];
  return `${consume.map(quote).join(' ')} | ${produce.map(quote).join(' ')}`;
}

/** Starts the pipes; resolves when every one has exited (rejects naming the first that failed). Charge their CPU with reapedChildrenCpuSeconds(). */
export function kcatPipes(source: string, target: string, topic: string, targetTopic: string, partitions: number): Promise<void> {
  return Promise.all(Array.from({ length: partitions }, (_, p) => new Promise<void>((resolve, reject) => {
    const script = pipeline(source, target, topic, targetTopic, p);
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-16_384); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${script} exited with ${code ?? signal}:\n${stderr}`));
    });
  }))).then(() => undefined);
}
