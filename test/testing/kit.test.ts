/**
 * The conformance kit (ferry/testing) against real connectors in a real `ferry start`: the
 * bundled FileStreamSource and FileStreamSink pass every check, and connectors that break the
 * contract (a poll that ignores its abort signal, validation that ignores a bad value, a sink
 * whose offsets are committed before it writes) are caught with a message that names the check
 * and the fault. The broken connectors are plugin packages loaded through plugin.path, as an
 * author's would be. The kit runs `ferry start` from the build: run `npm run build` first.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConformanceError, runConformance, type ConformanceReport } from '../../testing/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const KIT_TIMEOUT_MS = 240_000;

function checkNames(report: ConformanceReport): string[] {
  return report.checks.map((c) => c.check);
}

describe('bundled FileStream connectors pass the kit', () => {
  it('FileStreamSource: validation, lifecycle, prompt stop, offsets resumed, visible failure', async () => {
    const dir = tempDir('ferry-kit-source-');
    const file = path.join(dir, 'input.txt');
    await writeFile(file, '');
    let next = 0;
    const report = await runConformance({
      connectorClass: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      config: { file, topic: 'kit-lines', 'file.poll.interval.ms': '200' },
      source: {
        topic: 'kit-lines',
        feed: async (count) => {
          const lines = Array.from({ length: count }, () => `line-${next++}`);
          await appendFile(file, lines.map((l) => `${l}\n`).join(''));
          return lines;
        },
      },
      invalidConfigs: [
        { set: { 'batch.size': '0' }, errorsOn: ['batch.size'] },
        { set: { 'file.start': 'middle', 'file.poll.interval.ms': '-5' }, errorsOn: ['file.start', 'file.poll.interval.ms'] },
      ],
      failure: { set: { file: dir }, message: 'EISDIR' },
    });
    expect(report.kind).toBe('source');
    expect(report.version).toMatch(/\d/);
    expect(checkNames(report)).toEqual([
      'listed', 'validation accepts the config', 'validation names each missing required field', 'validation answers bad values on their fields',
      'create → RUNNING', 'records flow', 'stops promptly', 'offsets resumed after a worker restart',
      'pause and resume, each twice', 'stop and resume, each twice', 'restart with its tasks', 'delete and re-create', 'fails visibly',
    ]);
    expect(report.checks.find((c) => c.check === 'validation names each missing required field')!.detail).toContain('topic');
    // 5 lines per round, 6 rounds (each checked to be on the topic exactly once).
    expect(next).toBe(30);
  }, KIT_TIMEOUT_MS);

  it('FileStreamSink: writes everything once, commits only what it wrote, resumes after its committed offset', async () => {
    const dir = tempDir('ferry-kit-sink-');
    const file = path.join(dir, 'output.txt');
    const report = await runConformance({
      connectorClass: 'FileStreamSink',
      config: { file },
      sink: {
        read: async () => {
          const text = await readFile(file, 'utf8').catch(() => '');
          return text.split('\n').filter((l) => l !== '');
        },
      },
      invalidConfigs: [{ set: { 'file.format': 'xml' }, errorsOn: ['file.format'] }],
      failure: { set: { file: path.join(dir, 'no-such-dir', 'out.txt') }, message: 'no-such-dir' },
    });
    expect(report.kind).toBe('sink');
    expect(checkNames(report)).toContain('sink commits what it wrote');
    expect(checkNames(report)).toContain('offsets resumed after a worker restart');
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines).toHaveLength(30);
  }, KIT_TIMEOUT_MS);
});

/** Writes a plain-JavaScript plugin package (no build step) importing the worker's ferry/sdk. */
async function writePlugin(root: string, name: string, indexJs: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.1', type: 'module', main: 'index.js' }, null, 2));
  await writeFile(path.join(dir, 'index.js'), indexJs);
  return dir;
}

/**
 * A counter source: `count.file` holds a number N and the task writes `counter-0` ..
 * `counter-(N-1)`, committing `{ n }` as its source offset. Two switchable faults: `hang` makes
 * poll ignore its abort signal (it then waits 60 s); `laxValidation` drops count.step's validator.
 */
function counterSource(opts: { hang: boolean; laxValidation: boolean }): string {
  return `
import { readFile } from 'node:fs/promises';
import { Schema, defineConfig, definePlugins, int, string, validators } from 'ferry/sdk';

const spec = defineConfig({
  topic: string({ doc: 'topic', importance: 'HIGH', validator: validators.nonEmptyString() }),
  'count.file': string({ doc: 'file holding the count', importance: 'HIGH', validator: validators.nonEmptyString() }),
  'count.step': int({ doc: 'step', default: 1, importance: 'LOW'${opts.laxValidation ? '' : ', validator: validators.atLeast(1)'} }),
});

class CounterConnector {
  start(config) { this.config = config; }
  taskConfigs() { return [{ ...this.config }]; }
  stop() {}
}

class CounterTask {
  async start(config, context) {
    this.topic = config.topic;
    this.file = config['count.file'];
    const stored = await context.offsets.offsets([{ counter: this.file }]);
    this.next = Number([...stored.values()][0]?.n ?? 0);
  }
  async poll(signal) {
    for (;;) {
      const total = Number((await readFile(this.file, 'utf8').catch(() => '0')).trim() || '0');
      const records = [];
      for (; this.next < total; this.next++) {
        records.push({
          topic: this.topic, kafkaPartition: null, keySchema: null, key: null, valueSchema: Schema.STRING_SCHEMA,
          value: 'counter-' + this.next, timestamp: null, headers: [],
          sourcePartition: { counter: this.file }, sourceOffset: { n: this.next + 1 },
        });
      }
      if (records.length > 0) return records;
      ${opts.hang
        // Never returns empty-handed, so a stop always finds it inside poll, where it ignores the signal.
        ? 'await new Promise((resolve) => setTimeout(resolve, 200));\n      if (signal.aborted) await new Promise((resolve) => setTimeout(resolve, 60_000));'
        : 'await new Promise((resolve) => { const t = setTimeout(resolve, 200); signal.addEventListener("abort", () => { clearTimeout(t); resolve(); }, { once: true }); });\n      return [];'}
    }
  }
  stop() {}
}

export default definePlugins({
  sdkVersion: '1.0.0',
  connectors: [{
    className: 'example.CounterSourceConnector', aliases: ['CounterSource'], kind: 'source', version: '0.0.1',
    taskClassName: 'example.CounterSourceTask', configSpec: spec,
    createConnector: () => new CounterConnector(), createTask: () => new CounterTask(),
  }],
});
`;
}

/** The kit's view of the counter source: feeding writes a larger count. */
function counterFeed(countFile: string): { topic: string; feed: (count: number) => Promise<string[]> } {
  let total = 0;
  return {
    topic: 'counter',
    feed: async (count) => {
      const values = Array.from({ length: count }, (_, i) => `counter-${total + i}`);
      total += count;
      await writeFile(countFile, String(total));
      return values;
    },
  };
}

/**
 * A sink that keeps what put() gives it and writes it to its file 5 s later, while keeping the
 * default flush: the worker commits offsets of records not written yet.
 */
const LAZY_SINK = `
import { appendFile } from 'node:fs/promises';
import { defineConfig, definePlugins, string, validators } from 'ferry/sdk';

const spec = defineConfig({ file: string({ doc: 'file', importance: 'HIGH', validator: validators.nonEmptyString() }) });

class LazyConnector {
  start(config) { this.config = config; }
  taskConfigs() { return [{ ...this.config }]; }
  stop() {}
}

class LazyTask {
  start(config) { this.file = config.file; this.buffer = []; this.timer = null; }
  async put(records) {
    for (const r of records) this.buffer.push(String(r.value) + '\\n');
    this.timer ??= setTimeout(() => { this.timer = null; void appendFile(this.file, this.buffer.splice(0).join('')); }, 5000);
  }
  stop() { if (this.timer) clearTimeout(this.timer); }
}

export default definePlugins({
  sdkVersion: '1.0.0',
  connectors: [{
    className: 'example.LazySinkConnector', aliases: ['LazySink'], kind: 'sink', version: '0.0.1',
    taskClassName: 'example.LazySinkTask', configSpec: spec,
    createConnector: () => new LazyConnector(), createTask: () => new LazyTask(),
  }],
});
`;

async function expectConformanceError(run: Promise<unknown>): Promise<ConformanceError> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ConformanceError);
  return err as ConformanceError;
}

describe('the kit catches broken connectors', () => {
  it('a poll that ignores its abort signal fails "stops promptly" with the reason', async () => {
    const root = tempDir('ferry-kit-broken-');
    await writePlugin(root, 'hanging-source', counterSource({ hang: true, laxValidation: false }));
    const err = await expectConformanceError(runConformance({
      pluginDir: root,
      connectorClass: 'example.CounterSourceConnector',
      config: { topic: 'counter', 'count.file': path.join(root, 'count') },
      source: counterFeed(path.join(root, 'count')),
      stopWithinMs: 3_000,
    }));
    expect(err.check).toBe('stops promptly');
    expect(err.message).toMatch(/^stops promptly: the worker did not stop within 3000 ms of SIGTERM: a task's poll must return once its signal aborts/);
  }, KIT_TIMEOUT_MS);

  it('validation that ignores a bad value fails with the field and the value named', async () => {
    const root = tempDir('ferry-kit-broken-');
    await writePlugin(root, 'lax-source', counterSource({ hang: false, laxValidation: true }));
    const err = await expectConformanceError(runConformance({
      pluginDir: root,
      connectorClass: 'CounterSource',
      config: { topic: 'counter', 'count.file': path.join(root, 'count') },
      source: counterFeed(path.join(root, 'count')),
      invalidConfigs: [{ set: { 'count.step': '0' }, errorsOn: ['count.step'] }],
    }));
    expect(err.check).toBe('validation answers bad values on their fields');
    expect(err.message).toContain('with count.step=0, validation should answer errors on count.step but did not (no errors at all)');
  }, KIT_TIMEOUT_MS);

  it('a sink whose flush returns offsets of records it has not written fails "flush returns safe offsets"', async () => {
    const root = tempDir('ferry-kit-broken-');
    await writePlugin(root, 'lazy-sink', LAZY_SINK);
    const file = path.join(root, 'out.txt');
    const err = await expectConformanceError(runConformance({
      pluginDir: root,
      connectorClass: 'LazySink',
      config: { file },
      sink: { read: async () => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '') },
    }));
    expect(err.check).toBe('flush returns safe offsets');
    expect(err.message).toMatch(/^flush returns safe offsets: offset [1-5] was committed on conformance-sink-[0-9a-f]+-0 but the sink has not written '.+'/);
    expect(err.message).toContain('flush/preCommit must return only offsets of records that are written');
  }, KIT_TIMEOUT_MS);
});
