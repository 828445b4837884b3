import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../broker/protocol/record-batch.js';
import { TopicRegistry } from '../../../broker/topics/topic-registry.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { buildForChild } from './child-build.js';
import { readAll, text } from './log-test-kit.js';

/**
 * The child appends one idempotent single-record batch at a time and, after each append
 * returns, writes "<producerId> <sequence> <offset>" to stdout: that line is the ack.
 */
const CHILD = `
import fs from 'node:fs';
import { TopicRegistry } from './broker/topics/topic-registry.js';
import { encodeBatch } from './broker/protocol/record-batch.js';
const [dataDir, pidArg] = process.argv.slice(2);
const producerId = Number(pidArg);
const reg = await TopicRegistry.open({ dataDir, settings: { 'log.flush.interval.ms': 50 } });
if (!reg.has('t')) reg.createTopic('t', { configs: { 'segment.bytes': '8192' } });
const log = reg.partition('t', 0);
let seq = 0;
function step() {
  for (let i = 0; i < 20; i++, seq++) {
    const value = Buffer.from(producerId + ':' + seq + ':' + 'x'.repeat(seq % 50));
    const r = log.append(encodeBatch({ records: [{ key: Buffer.from('k' + seq), value }], producerId, producerEpoch: 0, baseSequence: seq }),
      { now: Date.now(), logAppendTime: false });
    if (!r.ok) { fs.writeSync(2, 'append failed ' + JSON.stringify(r) + '\\n'); process.exit(3); }
    fs.writeSync(1, producerId + ' ' + seq + ' ' + r.baseOffset + '\\n');
  }
  setImmediate(step);
}
step();
`;

interface Ack { producerId: number; seq: number; offset: number }

async function runAndKill(dir: string, dataDir: string, producerId: number, acksWanted: number): Promise<Ack[]> {
  const child = spawn(process.execPath, [path.join(dir, 'child.js'), dataDir, String(producerId)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks: Ack[] = [];
  let partial = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const l of lines) {
        const [p, s, o] = l.split(' ').map(Number);
        acks.push({ producerId: p!, seq: s!, offset: o! });
      }
      if (acks.length >= acksWanted) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
  });
  await exited;
  return acks;
}

describe('a process killed in the middle of producing', () => {
  const opened: TopicRegistry[] = [];
  afterAll(async () => { for (const r of opened) await r.close(); });

  it('loses no acknowledged record and still recognises retried batches', async () => {
    const dir = buildForChild('broker/topics/topic-registry.ts');
    fs.writeFileSync(path.join(dir, 'child.js'), CHILD);
    const dataDir = tempDir();

    const first = await runAndKill(dir, dataDir, 1000, 1500);
    const second = await runAndKill(dir, dataDir, 2000, 1500);
    expect(fs.existsSync(path.join(dataDir, '.kafka_cleanshutdown'))).toBe(false);

    const reg = await TopicRegistry.open({ dataDir, scheduler: false });
    opened.push(reg);
    const log = reg.partition('t', 0)!;
    expect(log.segmentCount).toBeGreaterThan(5);
    const byOffset = new Map(readAll(log).map((r) => [r.offset, text(r.value)]));
    for (const a of [...first, ...second]) {
      expect(byOffset.get(a.offset)?.startsWith(`${a.producerId}:${a.seq}:`)).toBe(true);
    }
    // the newest record of the second producer may be newer than the last ack the test read
    const [lastOffset, lastValue] = [...byOffset].filter(([, v]) => v?.startsWith('2000:')).pop()!;
    const lastSeq = Number(lastValue!.split(':')[1]);
    expect(lastSeq).toBeGreaterThanOrEqual(second[second.length - 1]!.seq);
    const retry = log.append(encodeBatch({
      records: [{ key: Buffer.from(`k${lastSeq}`), value: Buffer.from('retry') }],
      producerId: 2000, producerEpoch: 0, baseSequence: lastSeq,
    }), { now: Date.now(), logAppendTime: false });
    expect(retry).toMatchObject({ ok: true, duplicate: true, baseOffset: lastOffset });
  });
});
