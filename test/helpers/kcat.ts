/**
 * kcat (a librdkafka client nobody here wrote) for reading and writing topics from outside
 * ferry in end-to-end tests. Reads run from the beginning to the current end of every
 * partition and exit (`-e`).
 */
import { runProcess } from './run-process.js';

/** One message as `kcat -J` prints it; headers alternate name, value. */
export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  tstype: string;
  ts: number;
  headers?: (string | null)[];
  key: string | null;
  payload: string | null;
}

async function kcat(args: string[], input?: string): Promise<string> {
  const result = await runProcess('kcat', args, { input, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`kcat ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** Every message of `topic` printed with a kcat `-f` format (e.g. '%p\t%k\t%s\n'). */
export function kcatRead(bootstrap: string, topic: string, format: string): Promise<string> {
  return kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', format]);
}

/**
 * Every message of `topic` as kcat -J envelopes, in partition then offset order; with `limit`,
 * at most that many (kcat stops at the count, which also ends a read of a topic that keeps
 * growing, where `-e` alone may never see the end).
 */
export async function kcatReadJson(bootstrap: string, topic: string, limit?: number): Promise<KcatMessage[]> {
  const count = limit === undefined ? [] : ['-c', String(limit)];
  const text = await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', ...count, '-q', '-J']);
  const messages = text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as KcatMessage);
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** Produces one record per value (values must not contain a newline), without key, with optional headers. */
export async function kcatProduce(bootstrap: string, topic: string, values: string[], headers: Record<string, string> = {}): Promise<void> {
  const args = ['-b', bootstrap, '-P', '-t', topic];
  for (const [key, value] of Object.entries(headers)) args.push('-H', `${key}=${value}`);
  await kcat(args, values.map((v) => `${v}\n`).join(''));
}

/** kcat -J headers as [name, value] pairs, in record order. */
export function headerPairs(message: KcatMessage): [string, string | null][] {
  const flat = message.headers ?? [];
  const pairs: [string, string | null][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}
