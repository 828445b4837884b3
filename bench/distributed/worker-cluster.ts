/**
 * A Connect cluster of separate OS processes for the distributed-mode tests and benchmark:
 * one `ferry broker` and any number of `ferry worker` processes sharing a group.id, each with
 * its own properties file and REST port. Uses the build (dist/cli/ferry.js).
 *
 * A worker is ready when it logs "worker started" (after its first group assignment).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = import.meta.dirname.includes(`${path.sep}dist${path.sep}`)
  ? path.resolve(import.meta.dirname, '../../..')
  : path.resolve(import.meta.dirname, '../..');
export const FERRY_CLI = path.join(ROOT, 'dist/cli/ferry.js');

export interface ChildHandle {
  readonly child: ChildProcess;
  readonly exited: Promise<number | string | null>;
  output(): string;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | string | null>;
}

export interface BrokerHandle extends ChildHandle {
  readonly bootstrap: string;
}

export interface WorkerHandle extends ChildHandle {
  readonly name: string;
  readonly restUrl: string;
  /** host:port, as statuses show it (worker_id). */
  readonly workerId: string;
  readonly readyMs: number;
}

const children = new Set<ChildProcess>();

/** SIGKILLs every process this module started that is still running. */
export async function killAll(): Promise<void> {
  const left = [...children];
  children.clear();
  await Promise.all(left.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

function launch(args: string[], ready: (text: string) => RegExpExecArray | null, timeoutMs: number) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [FERRY_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let text = '';
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    resolve(code ?? signal);
  }));
  const handle: ChildHandle = {
    child,
    exited,
    output: () => text,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
  const match = new Promise<{ match: RegExpExecArray; readyMs: number }>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      reject(new Error(`ferry ${args[0]} was not ready within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (done) return;
      const found = ready(text);
      if (!found) return;
      done = true;
      clearTimeout(timer);
      resolve({ match: found, readyMs: performance.now() - startedAt });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    void exited.then((code) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`ferry ${args[0]} exited with ${code} before it was ready:\n${text}`));
    });
  });
  return { handle, match };
}

export async function startBrokerProcess(dataDir: string, timeoutMs = 30_000): Promise<BrokerHandle> {
  const { handle, match } = launch(
    ['broker', '--port', '0', '--data-dir', dataDir, '--group-initial-rebalance-delay-ms', '0'],
    (text) => /"port":(\d+)[^\n]*"msg":"broker listening"/.exec(text),
    timeoutMs,
  );
  const { match: found } = await match;
  return { ...handle, bootstrap: `127.0.0.1:${found[1]}` };
}

export interface WorkerSettings {
  readonly bootstrap: string;
  /** Where the properties file goes. */
  readonly dir: string;
  readonly name: string;
  readonly groupId?: string;
  /** 0 picks a free port. */
  readonly restPort?: number;
  /** Extra or overriding worker properties. */
  readonly properties?: Record<string, string>;
  readonly readyTimeoutMs?: number;
}

/** Worker properties shared by every worker of the test cluster. */
export function clusterProperties(settings: WorkerSettings): Record<string, string> {
  return {
    'bootstrap.servers': settings.bootstrap,
    'group.id': settings.groupId ?? 'connect-cluster',
    'config.storage.topic': 'connect-configs',
    'offset.storage.topic': 'connect-offsets',
    'status.storage.topic': 'connect-status',
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms': '1000',
    // Sink tasks are Kafka consumers: a killed worker's consumer must leave their group quickly too.
    'consumer.session.timeout.ms': '3000',
    'consumer.heartbeat.interval.ms': '500',
    listeners: `http://127.0.0.1:${settings.restPort ?? 0}`,
    ...settings.properties,
  };
}

export async function startWorkerProcess(settings: WorkerSettings): Promise<WorkerHandle> {
  const file = path.join(settings.dir, `${settings.name}.properties`);
  const properties = clusterProperties(settings);
  fs.mkdirSync(settings.dir, { recursive: true });
  fs.writeFileSync(file, Object.entries(properties).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`).join('\n') + '\n');
  const { handle, match } = launch(
    ['worker', file, '--log-level', process.env.FERRY_WORKER_LOG ?? 'info'],
    (text) => /"workerId":"([^"]+)","restUrl":"([^"]+)"[^\n]*"msg":"worker started"/.exec(text),
    settings.readyTimeoutMs ?? 60_000,
  );
  const { match: found, readyMs } = await match;
  return { ...handle, name: settings.name, workerId: found[1]!, restUrl: found[2]!, readyMs };
}

export interface StatusView {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

export async function rest<T = unknown>(baseUrl: string, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

export async function connectorStatus(baseUrl: string, name: string): Promise<StatusView | null> {
  try {
    const res = await rest<StatusView>(baseUrl, 'GET', `/connectors/${encodeURIComponent(name)}/status`);
    return res.status === 200 ? res.body : null;
  } catch {
    return null;
  }
}

/**
 * Every connector and `tasks[name]` tasks RUNNING on the given workers only (by worker_id);
 * resolves with the statuses, or null when not yet.
 */
export async function allRunning(
  baseUrl: string, tasks: Record<string, number>, on: readonly string[],
): Promise<Record<string, StatusView> | null> {
  const out: Record<string, StatusView> = {};
  for (const [name, count] of Object.entries(tasks)) {
    const status = await connectorStatus(baseUrl, name);
    if (!status || status.connector.state !== 'RUNNING' || !on.includes(status.connector.worker_id)) return null;
    if (status.tasks.length !== count) return null;
    if (status.tasks.some((t) => t.state !== 'RUNNING' || !on.includes(t.worker_id))) return null;
    out[name] = status;
  }
  return out;
}

export async function waitFor<T>(check: () => Promise<T | null> | T | null, timeoutMs: number, what: string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A file pipeline: FileStreamSource in → topic → FileStreamSink out. */
export function filePipeline(name: string, dir: string, sinkTasks = 1): { source: Record<string, string>; sink: Record<string, string>; input: string; output: string; topic: string } {
  const input = path.join(dir, `${name}.in`);
  const output = path.join(dir, `${name}.out`);
  const topic = `${name}-lines`;
  fs.writeFileSync(input, '');
  return {
    input, output, topic,
    source: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', file: input, topic, 'tasks.max': '1' },
    sink: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: output, topics: topic, 'tasks.max': String(sinkTasks) },
  };
}

/** Appends numbered lines `${prefix}-${i}` at a steady pace until stopped; remembers when each was written. */
export class LinePump {
  written = 0;
  #stopped = false;
  readonly done: Promise<void>;

  constructor(readonly file: string, readonly prefix: string, readonly perTick = 10, readonly tickMs = 20) {
    this.done = this.#run();
  }

  line(i: number): string {
    return `${this.prefix}-${String(i).padStart(7, '0')}`;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const lines: string[] = [];
      for (let i = 0; i < this.perTick; i++) lines.push(this.line(this.written + i));
      fs.appendFileSync(this.file, lines.join('\n') + '\n');
      this.written += this.perTick;
      await new Promise((resolve) => setTimeout(resolve, this.tickMs));
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.done;
  }
}

/** Complete lines of a file (none when it does not exist). */
export function readLines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n');
  return end < 0 ? [] : text.slice(0, end).split('\n');
}

/**
 * Watches an output file and records, for each poll, when its count of distinct lines grew: the
 * longest gap between two growths is the longest pause in delivery.
 */
export class DeliveryWatch {
  #lastGrowth = Date.now();
  #lastCount = 0;
  longestGapMs = 0;
  #timer: NodeJS.Timeout;

  constructor(readonly file: string, intervalMs = 25) {
    this.#timer = setInterval(() => this.poll(), intervalMs);
  }

  poll(): void {
    const size = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
    const now = Date.now();
    if (size > this.#lastCount) {
      this.longestGapMs = Math.max(this.longestGapMs, now - this.#lastGrowth);
      this.#lastGrowth = now;
      this.#lastCount = size;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.poll();
  }
}
