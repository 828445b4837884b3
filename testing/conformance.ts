/**
 * runConformance: runs one connector inside a real ferry worker (bundled broker, REST API, the
 * plugin on plugin.path) and checks the connector contract in a fixed order, one check after
 * the other on the same worker:
 *
 *   listed → validation (accepts the config, names each missing required field, answers the
 *   author's bad values on their keys) → create → RUNNING and records flow → a prompt stop
 *   (worker SIGTERM to exit within `stopWithinMs`, which needs poll to return when its signal
 *   aborts and stop not to hang) → offsets resumed after the worker restart (a source writes
 *   nothing twice; a sink's committed offsets reach what it wrote, never pass it, and nothing
 *   is written twice) → pause/resume twice each (idempotent) → stop (PUT .../stop, STOPPED with
 *   no tasks) and resume, twice each → restart with tasks → delete and re-create under the same
 *   name → the connector fails visibly, its message in the trace.
 *
 * A sink's committed offsets are compared with what it has written each time the kit waits
 * for its records: the offset is read first, then the sink, so every record below the offset
 * must already be there.
 *
 * The first broken rule throws a ConformanceError (an AssertionError) naming the check and
 * what was seen; on success the report lists each check with its duration. The worker is
 * always stopped and its temporary data removed. Values compared are the records' values as
 * UTF-8 strings: the kit sets StringConverter for keys and values unless the config sets
 * converters itself.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectRestClient, ConnectorStatus, RestAnswer } from './connect-rest-client.js';
import { ConformanceError } from './conformance-error.js';
import { describeStatus, firstLine, waitForAbsent, waitForFailure, waitForState } from './connector-state.js';
import { TopicIo } from './topic-io.js';
import { waitFor } from './wait-for.js';
import { startWorkerWithPlugin, type FerryWorker, type WorkerOptions } from './worker-process.js';

/** What the kit needs to drive a source connector's external system. */
export interface SourceUnderTest {
  /** The topic the connector writes to with the config under test. */
  readonly topic: string;
  /**
   * Makes `count` new items appear in the external system (append lines, insert rows, serve
   * more JSON); resolves with the record values the connector should write for them, as
   * UTF-8 strings, each distinct from every value fed before.
   */
  feed(count: number): Promise<readonly string[]>;
  /**
   * Whether the source commits source offsets, so that a restart must not write a record
   * twice (default true). With false the kit checks only that nothing is lost.
   */
  readonly commitsOffsets?: boolean;
}

/** What the kit needs to observe a sink connector's external system. */
export interface SinkUnderTest {
  /** Every record value the external system holds now, one string per record written. */
  read(): Promise<readonly string[]>;
  /** The topic the kit writes to and sets as `topics` (default: a new topic per run). */
  readonly topic?: string;
}

export interface InvalidConfigCase {
  /** Properties set over the valid config. */
  readonly set: Readonly<Record<string, string>>;
  /** The keys validation must answer with errors (each, and no key of the valid config besides). */
  readonly errorsOn: readonly string[];
}

export interface FailureCase {
  /** Properties set over the valid config under which the connector or its task throws. */
  readonly set: Readonly<Record<string, string>>;
  /** Text (or pattern) the FAILED status's trace must contain: the connector's own message. */
  readonly message: string | RegExp;
}

export interface ConformanceOptions extends WorkerOptions {
  /** The class name (or alias) users put in connector.class. */
  readonly connectorClass: string;
  /** A valid config, without name and connector.class (and, for a sink, without topics). */
  readonly config: Readonly<Record<string, string>>;
  /** Exactly one of source and sink, matching the connector's kind. */
  readonly source?: SourceUnderTest;
  readonly sink?: SinkUnderTest;
  /** Bad values the connector's validation must answer on the right keys. */
  readonly invalidConfigs?: readonly InvalidConfigCase[];
  /** A config that makes the connector fail, and the message the failure must show. */
  readonly failure?: FailureCase;
  /** How long a worker stop (SIGTERM to exit) and a pause may take (default 10 s). */
  readonly stopWithinMs?: number;
  /** How long each wait for a state or for data may take (default 30 s). */
  readonly timeoutMs?: number;
  /** Records fed per round (default 5). */
  readonly batchSize?: number;
  /** The connector's name (default: conformance-RANDOM). */
  readonly name?: string;
  /** Called with a line as each check passes (e.g. console.log). */
  readonly log?: (line: string) => void;
}

export interface CheckResult {
  readonly check: string;
  readonly ms: number;
  readonly detail: string;
}

export interface ConformanceReport {
  readonly connectorClass: string;
  readonly kind: 'source' | 'sink';
  /** The version GET /connector-plugins lists. */
  readonly version: string | undefined;
  readonly checks: readonly CheckResult[];
}

/** Config keys the worker owns; the kit does not drop them in the missing-field check. */
const FRAMEWORK_KEYS = new Set(['name', 'connector.class', 'tasks.max', 'topics', 'topics.regex', 'key.converter', 'value.converter',
  'header.converter', 'transforms', 'predicates', 'config.action.reload']);

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';

/** Each value's number of occurrences in `seen`. */
function counts(seen: readonly (string | null)[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const value of seen) if (value !== null) result.set(value, (result.get(value) ?? 0) + 1);
  return result;
}

function sample(values: readonly string[]): string {
  const shown = values.slice(0, 3).map((v) => `'${v}'`).join(', ');
  return values.length > 3 ? `${shown}, ... (${values.length} in all)` : shown;
}

function expectAccepted(answer: RestAnswer<unknown>): void {
  if (answer.status < 200 || answer.status > 299) throw new Error(`PUT .../stop answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

function isConformanceError(err: unknown): boolean {
  return err instanceof ConformanceError;
}

function matches(text: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
}

export async function runConformance(opts: ConformanceOptions): Promise<ConformanceReport> {
  if ((opts.source === undefined) === (opts.sink === undefined)) {
    throw new TypeError('runConformance: give exactly one of source (for a source connector) and sink (for a sink connector)');
  }
  const worker = await startWorkerWithPlugin(opts);
  const io = new TopicIo(worker.bootstrap);
  try {
    return await new ConformanceRun(opts, worker, io).run();
  } catch (err) {
    if (err instanceof ConformanceError) {
      const tail = worker.output().split('\n').filter((l) => /"level":(40|50|60)|WARN|ERROR/.test(l)).slice(-5).join('\n');
      if (tail !== '') err.message += `\nthe worker's last warnings and errors:\n${tail}`;
    }
    throw err;
  } finally {
    await io.close().catch(() => undefined);
    await worker.close();
  }
}

class ConformanceRun {
  readonly #opts: ConformanceOptions;
  readonly #worker: FerryWorker;
  readonly #io: TopicIo;
  readonly #checks: CheckResult[] = [];
  readonly #name: string;
  readonly #timeoutMs: number;
  readonly #stopWithinMs: number;
  readonly #batch: number;
  readonly #config: Record<string, string>;
  readonly #sinkTopic: string;
  /** Every value fed so far (source) or written to the topic (sink), in order. */
  readonly #expected: string[] = [];
  #sinkCounter = 0;

  constructor(opts: ConformanceOptions, worker: FerryWorker, io: TopicIo) {
    this.#opts = opts;
    this.#worker = worker;
    this.#io = io;
    const id = randomBytes(4).toString('hex');
    this.#name = opts.name ?? `conformance-${id}`;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#stopWithinMs = opts.stopWithinMs ?? 10_000;
    this.#batch = opts.batchSize ?? 5;
    this.#sinkTopic = opts.sink?.topic ?? `conformance-sink-${id}`;
    this.#config = {
      'key.converter': STRING_CONVERTER,
      'value.converter': STRING_CONVERTER,
      ...opts.config,
      'connector.class': opts.connectorClass,
      ...(opts.sink ? { topics: this.#sinkTopic } : {}),
      name: this.#name,
    };
  }

  get #rest(): ConnectRestClient {
    return this.#worker.rest;
  }

  async #check(check: string, body: () => Promise<string>): Promise<void> {
    const startedAt = Date.now();
    let detail: string;
    try {
      detail = await body();
    } catch (err) {
      if (err instanceof ConformanceError) throw err;
      throw new ConformanceError(check, err instanceof Error ? err.message : String(err));
    }
    const ms = Date.now() - startedAt;
    this.#checks.push({ check, ms, detail });
    this.#opts.log?.(`ok ${check} (${ms} ms): ${detail}`);
  }

  async run(): Promise<ConformanceReport> {
    const kind = this.#opts.source ? 'source' : 'sink';
    let version: string | undefined;
    await this.#check('listed', async () => {
      const plugins = await this.#rest.plugins();
      const given = this.#opts.connectorClass;
      // Aliases are the simple class name with or without its Connector suffix, as in Kafka Connect.
      const plugin = plugins.find((p) => p.class === given || p.class.endsWith(`.${given}`) || p.class.endsWith(`.${given}Connector`));
      if (plugin === undefined) {
        throw new Error(`${this.#opts.connectorClass} is not in GET /connector-plugins (it lists ${plugins.map((p) => p.class).join(', ')}); `
          + 'check the worker\'s log for a refused plugin');
      }
      if (plugin.type !== kind) throw new Error(`the worker lists ${plugin.class} as a ${plugin.type} connector, the kit was given a ${kind}`);
      version = plugin.version;
      return `${plugin.class} ${plugin.version ?? '(no version)'}`;
    });
    await this.#validation();
    if (this.#opts.sink) await this.#io.createTopic(this.#sinkTopic);

    await this.#check('create → RUNNING', async () => {
      await this.#rest.create(this.#name, this.#config);
      const status = await waitForState(this.#rest, this.#name, 'RUNNING', { timeoutMs: this.#timeoutMs });
      return describeStatus(status);
    });
    await this.#check('records flow', () => this.#round());
    if (this.#opts.sink) await this.#check('sink commits what it wrote', () => this.#sinkCommitted());
    await this.#check('stops promptly', async () => {
      let ms: number;
      try {
        ms = await this.#worker.restart({ stopTimeoutMs: this.#stopWithinMs });
      } catch (err) {
        throw new Error(`the worker did not stop within ${this.#stopWithinMs} ms of SIGTERM: a task's poll must return once its signal `
          + `aborts, and stop() must not hang (${(err as Error).message})`, { cause: err });
      }
      return `worker stopped in ${ms} ms`;
    });
    await this.#check('offsets resumed after a worker restart', async () => {
      await waitForState(this.#rest, this.#name, 'RUNNING', { timeoutMs: this.#timeoutMs });
      const flowed = await this.#round();
      await this.#noneTwice('after a worker restart');
      return `${flowed}; none written twice`;
    });
    await this.#check('pause and resume, each twice', async () => {
      const startedAt = Date.now();
      await this.#rest.pause(this.#name);
      await this.#rest.pause(this.#name);
      await waitForState(this.#rest, this.#name, 'PAUSED', { timeoutMs: this.#stopWithinMs })
        .catch((err: Error) => { throw new Error(`a pause must stop the task within ${this.#stopWithinMs} ms: ${err.message}`, { cause: err }); });
      const pausedMs = Date.now() - startedAt;
      await this.#rest.resume(this.#name);
      await this.#rest.resume(this.#name);
      await waitForState(this.#rest, this.#name, 'RUNNING', { timeoutMs: this.#timeoutMs });
      return `paused in ${pausedMs} ms; ${await this.#round()}`;
    });
    await this.#check('stop and resume, each twice', async () => {
      const startedAt = Date.now();
      await this.#rest.request('PUT', `/connectors/${encodeURIComponent(this.#name)}/stop`).then(expectAccepted);
      await this.#rest.request('PUT', `/connectors/${encodeURIComponent(this.#name)}/stop`).then(expectAccepted);
      let last: ConnectorStatus | undefined;
      await waitFor(async () => {
        last = (await this.#rest.status(this.#name)).body;
        return last.connector.state === 'STOPPED' && last.tasks.length === 0 ? true : undefined;
      }, () => `a stopped connector must be STOPPED with its tasks shut down within ${this.#stopWithinMs} ms; last seen: ${describeStatus(last)}`,
      { timeoutMs: this.#stopWithinMs });
      const stoppedMs = Date.now() - startedAt;
      await this.#rest.resume(this.#name);
      await this.#rest.resume(this.#name);
      await waitForState(this.#rest, this.#name, 'RUNNING', { timeoutMs: this.#timeoutMs });
      return `stopped in ${stoppedMs} ms; ${await this.#round()}`;
    });
    await this.#check('restart with its tasks', async () => {
      await this.#rest.restart(this.#name, { includeTasks: true });
      await waitForState(this.#rest, this.#name, 'RUNNING', { timeoutMs: this.#timeoutMs });
      return await this.#round();
    });
    await this.#check('delete and re-create', async () => {
      await this.#rest.delete(this.#name);
      await waitForAbsent(this.#rest, this.#name, { timeoutMs: this.#timeoutMs });
      const again = await this.#rest.request('DELETE', `/connectors/${encodeURIComponent(this.#name)}`);
      if (again.status !== 404) throw new Error(`a second DELETE answered ${again.status}, expected 404`);
      await this.#rest.create(this.#name, this.#config);
      await waitForState(this.#rest, this.#name, 'RUNNING', { timeoutMs: this.#timeoutMs });
      const flowed = await this.#round();
      await this.#noneTwice('after deleting and re-creating the connector under the same name');
      return flowed;
    });
    if (this.#opts.sink) await this.#check('sink commits what it wrote', () => this.#sinkCommitted());
    if (this.#opts.failure) await this.#check('fails visibly', () => this.#failure(this.#opts.failure!));
    await this.#rest.delete(this.#name);
    return { connectorClass: this.#opts.connectorClass, kind, version, checks: this.#checks };
  }

  async #validation(): Promise<void> {
    const errorsOf = (result: Awaited<ReturnType<ConnectRestClient['validate']>>): Map<string, readonly string[]> =>
      new Map(result.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
    const listErrors = (errors: Map<string, readonly string[]>): string =>
      [...errors].map(([key, messages]) => `${key}: ${messages.join('; ')}`).join(' | ');

    let definitions: Awaited<ReturnType<ConnectRestClient['validate']>>['configs'] = [];
    await this.#check('validation accepts the config', async () => {
      const result = await this.#rest.validate(this.#opts.connectorClass, this.#config);
      definitions = result.configs;
      const errors = errorsOf(result);
      if (result.error_count !== 0 || errors.size > 0) throw new Error(`the valid config got ${result.error_count} error(s): ${listErrors(errors)}`);
      return `${result.configs.length} fields, no errors`;
    });
    await this.#check('validation names each missing required field', async () => {
      const required = definitions.filter((c) => c.definition.required && !FRAMEWORK_KEYS.has(c.definition.name) && c.definition.name in this.#config);
      for (const field of required) {
        const config = { ...this.#config };
        delete config[field.definition.name];
        const errors = errorsOf(await this.#rest.validate(this.#opts.connectorClass, config));
        if (!errors.has(field.definition.name)) {
          throw new Error(`without the required field ${field.definition.name}, validation gave no error on it`
            + (errors.size > 0 ? ` (errors on: ${listErrors(errors)})` : ''));
        }
      }
      return required.length === 0 ? 'no required fields in the config' : `checked ${required.map((c) => c.definition.name).join(', ')}`;
    });
    if (!this.#opts.invalidConfigs?.length) return;
    await this.#check('validation answers bad values on their fields', async () => {
      for (const bad of this.#opts.invalidConfigs!) {
        const errors = errorsOf(await this.#rest.validate(this.#opts.connectorClass, { ...this.#config, ...bad.set }));
        const given = Object.entries(bad.set).map(([k, v]) => `${k}=${v}`).join(', ');
        const missing = bad.errorsOn.filter((key) => !errors.has(key));
        if (missing.length > 0) {
          throw new Error(`with ${given}, validation should answer errors on ${missing.join(', ')} but did not`
            + (errors.size > 0 ? ` (errors on: ${listErrors(errors)})` : ' (no errors at all)'));
        }
        const stray = [...errors.keys()].filter((key) => !bad.errorsOn.includes(key) && key in this.#config && !(key in bad.set));
        if (stray.length > 0) throw new Error(`with ${given}, validation also answered errors on untouched valid fields: ${listErrors(new Map(stray.map((k) => [k, errors.get(k)!])))}`);
      }
      return `${this.#opts.invalidConfigs!.length} bad config(s) answered on their keys`;
    });
  }

  /** Feeds one batch (source: into the external system; sink: into the topic) and waits until it all arrived. */
  async #round(): Promise<string> {
    if (this.#opts.source) {
      const source = this.#opts.source;
      const values = await source.feed(this.#batch);
      if (values.length === 0) throw new Error('feed() returned no values to look for');
      this.#expected.push(...values);
      await waitFor(async () => {
        const seen = counts((await this.#io.readAll(source.topic)).map((r) => r.value));
        return this.#expected.every((v) => seen.has(v)) ? true : undefined;
      }, () => `not every fed value reached topic ${source.topic} within ${this.#timeoutMs} ms`, { timeoutMs: this.#timeoutMs, intervalMs: 250 })
        .catch(async (err: Error) => {
          const seen = counts((await this.#io.readAll(source.topic)).map((r) => r.value));
          const absent = this.#expected.filter((v) => !seen.has(v));
          throw new Error(`${err.message}: missing ${sample(absent)}; ${describeStatus((await this.#rest.status(this.#name)).body)}`);
        });
      return `${values.length} records reached ${source.topic}`;
    }
    const sink = this.#opts.sink!;
    const values = Array.from({ length: this.#batch }, () => `${this.#name}-record-${this.#sinkCounter++}`);
    await this.#io.produce(this.#sinkTopic, values);
    this.#expected.push(...values);
    await waitFor(async () => {
      await this.#offsetsAreSafe();
      const seen = counts(await sink.read());
      return this.#expected.every((v) => seen.has(v)) ? true : undefined;
    }, () => `the sink did not write every record of ${this.#sinkTopic} within ${this.#timeoutMs} ms`, { timeoutMs: this.#timeoutMs, intervalMs: 250, fatal: isConformanceError })
      .catch(async (err: Error) => {
        if (err instanceof ConformanceError) throw err;
        const seen = counts(await sink.read());
        throw new Error(`${err.message}: missing ${sample(this.#expected.filter((v) => !seen.has(v)))}; ${describeStatus((await this.#rest.status(this.#name)).body)}`);
      });
    return `${values.length} records written by the sink`;
  }

  /** The sink's committed offset on partition 0 of its topic (0 when nothing was committed). */
  async #sinkOffset(): Promise<number> {
    const { offsets } = await this.#rest.offsets(this.#name);
    const entry = offsets.find((o) => o.partition['kafka_topic'] === this.#sinkTopic && Number(o.partition['kafka_partition']) === 0);
    return entry?.offset ? Number(entry.offset['kafka_offset']) : 0;
  }

  /**
   * A sink's committed offset must never pass what it has written: read the offset first,
   * then the sink's contents; every record below the offset must be there.
   */
  async #offsetsAreSafe(): Promise<void> {
    const committed = await this.#sinkOffset();
    const seen = counts(await this.#opts.sink!.read());
    const unwritten = this.#expected.slice(0, committed).filter((v) => !seen.has(v));
    if (unwritten.length > 0) {
      throw new ConformanceError('flush returns safe offsets', `offset ${committed} was committed on ${this.#sinkTopic}-0 but the sink has not written `
        + `${sample(unwritten)}: flush/preCommit must return only offsets of records that are written`);
    }
  }

  async #sinkCommitted(): Promise<string> {
    let committed = 0;
    await waitFor(async () => {
      await this.#offsetsAreSafe();
      committed = await this.#sinkOffset();
      return committed >= this.#expected.length ? true : undefined;
    }, () => `the sink's committed offset stayed at ${committed} of ${this.#expected.length} records written within ${this.#timeoutMs} ms `
      + '(offsets are committed every offset.flush.interval.ms=500 from what flush/preCommit returns)',
    { timeoutMs: this.#timeoutMs, intervalMs: 250, fatal: isConformanceError });
    return `committed offset ${committed} = records written`;
  }

  async #noneTwice(when: string): Promise<void> {
    if (this.#opts.source && this.#opts.source.commitsOffsets === false) return;
    const seen = this.#opts.source
      ? counts((await this.#io.readAll(this.#opts.source.topic)).map((r) => r.value))
      : counts(await this.#opts.sink!.read());
    const twice = this.#expected.filter((v) => (seen.get(v) ?? 0) > 1);
    if (twice.length > 0) {
      throw new Error(`${when}, ${twice.length} record(s) were written more than once: ${sample(twice)}; `
        + (this.#opts.source ? 'a source task must resume from the offsets it committed (read context.offsets in start)'
          : 'a sink must be given records after its committed offsets only, so its flush must return what it wrote'));
    }
  }

  async #failure(failure: FailureCase): Promise<string> {
    const name = `${this.#name}-failing`;
    const config: Record<string, string> = { ...this.#config, ...failure.set, name };
    if (this.#opts.sink) {
      const topic = `${this.#sinkTopic}-failing`;
      config['topics'] = topic;
      await this.#io.createTopic(topic);
      await this.#io.produce(topic, [`${name}-record`]);
    }
    await this.#rest.create(name, config);
    const status = await waitForFailure(this.#rest, name, { timeoutMs: this.#timeoutMs });
    const traces = [status.connector, ...status.tasks].filter((s) => s.state === 'FAILED').map((s) => s.trace ?? '');
    if (!traces.some((t) => matches(t, failure.message))) {
      throw new Error(`the connector failed, but no FAILED trace shows ${String(failure.message)}; traces: ${traces.map((t) => `'${firstLine(t)}'`).join(', ') || 'none'}`);
    }
    await this.#rest.delete(name);
    return `FAILED with ${firstLine(traces.find((t) => matches(t, failure.message))!)}`;
  }
}
