/**
 * What the MirrorMaker exactly-once tests (connector and dedicated mode) share: a source topic
 * written through committed and aborted transactions (kafkajs) and plain sends, kcat (librdkafka)
 * reads in either isolation level, a SIGKILL loop paced by the target's progress, and the checks
 * that the target read committed equals the source read committed and that every offset sync
 * points at a committed record.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Kafka, Producer } from 'kafkajs';
import { expect } from 'vitest';
import { decodeOffsetSync } from '../../../connectors/mirror/records/offset-sync.js';
import { until } from '../../helpers/until.js';
import { kcatLines } from '../../runtime/kafka/kafka-test-kit.js';
import { endOffsetTotal, readAll } from './mirror-topics.js';

const RECORDS_PER_BATCH = 12;
const TICK_MS = 15;

/**
 * Writes batches to `topic` until stopped, round robin: committed transactions (keys `c-…`),
 * aborted transactions (`x-…`, one batch in five) and plain idempotent sends (`p-…`, one in
 * five), every batch spread over all partitions. Values and a `seq` header carry the key.
 */
export class TransactionalSourceWriter {
  #transactional: Producer;
  #plain: Producer;
  #stopped = false;
  #running: Promise<void> | undefined;
  batches = 0;
  aborted = 0;

  /** `prefix`: put before every key, so writers one after the other write distinct records. */
  constructor(kafka: Kafka, readonly topic: string, readonly partitions: number, readonly prefix = '') {
    this.#transactional = kafka.producer({ transactionalId: `${topic}-writer`, idempotent: true, maxInFlightRequests: 1 });
    this.#plain = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async start(): Promise<void> {
    await Promise.all([this.#transactional.connect(), this.#plain.connect()]);
    this.#running = this.#loop();
  }

  /** Stops after the batch in progress; every transaction it began is committed or aborted. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
    await Promise.all([this.#transactional.disconnect(), this.#plain.disconnect()]);
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      const n = this.batches++;
      const kind = n % 5 === 3 ? 'x' : n % 5 === 4 ? 'p' : 'c';
      const messages = Array.from({ length: RECORDS_PER_BATCH }, (_, j) => {
        const key = `${kind}-${this.prefix}${n}-${j}`;
        return { partition: j % this.partitions, key, value: `${key}:${'v'.repeat((n + j) % 37)}`, headers: { seq: key } };
      });
      if (kind === 'p') {
        await this.#plain.send({ topic: this.topic, messages });
      } else {
        const txn = await this.#transactional.transaction();
        await txn.send({ topic: this.topic, messages });
        if (kind === 'x') {
          await txn.abort();
          this.aborted++;
        } else {
          await txn.commit();
        }
      }
      await delay(TICK_MS);
    }
  }
}

export interface KcatRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  /** value and headers, as compared between source and target */
  readonly body: string;
}

/** Every record of `topic` read by kcat (librdkafka) from the beginning to the end in the given isolation level. */
export async function kcatRecords(bootstrap: string, topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<KcatRecord[]> {
  const lines = await kcatLines(bootstrap, topic, '%p\t%o\t%k\t%s\t%h\n', isolation);
  return lines.map((line) => {
    const [partition, offset, key, value, headers] = line.split('\t');
    return { partition: Number(partition), offset: Number(offset), key: key!, body: `${value}\t${headers}` };
  });
}

/** `key body` per partition, in offset order. */
export function byPartition(records: readonly KcatRecord[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
    const list = out.get(r.partition) ?? [];
    list.push(`${r.key}\t${r.body}`);
    out.set(r.partition, list);
  }
  return out;
}

/**
 * SIGKILLs the mirroring process `kills` times, each time once `progress()` (the target's high
 * watermark) moved past where it was at the previous restart, i.e. the restarted tasks wrote
 * something, committed or not; `restart` kills and starts it again.
 */
export async function killLoop(opts: { kills: number; progress: () => Promise<number>; restart: () => Promise<void> }): Promise<void> {
  let before = await opts.progress();
  for (let kill = 1; kill <= opts.kills; kill++) {
    await until(async () => ((await opts.progress()) > before ? true : null), {
      timeoutMs: 90_000, intervalMs: 50, what: `records written to the target before kill ${kill}`,
    });
    await opts.restart();
    before = await opts.progress();
  }
}

export interface MirrorOutcome {
  readonly sourceCommitted: number;
  readonly abortedOnTarget: number;
  readonly syncs: number;
}

/**
 * Waits until the target's remote topic, read committed, holds as many records as the source
 * topic read committed, then checks they are the same records in the same order per partition;
 * that no record of an aborted source transaction reached the target at all (not even in its
 * aborted transactions); and that every offset sync of the topic maps a source record to the
 * committed target record with the same key.
 */
export async function expectMirroredExactlyOnce(opts: {
  source: { bootstrap: string; kafka: Kafka };
  target: { bootstrap: string };
  topic: string;
  remoteTopic: string;
  offsetSyncsTopic: string;
}): Promise<MirrorOutcome> {
  const { source, target, topic, remoteTopic } = opts;
  const sourceCommitted = await kcatRecords(source.bootstrap, topic, 'read_committed');
  const sourceAll = await kcatRecords(source.bootstrap, topic, 'read_uncommitted');
  expect(sourceAll.some((r) => r.key.startsWith('x-')), 'the source holds aborted transactions').toBe(true);
  expect(sourceCommitted.some((r) => r.key.startsWith('x-'))).toBe(false);
  await until(async () => ((await kcatRecords(target.bootstrap, remoteTopic, 'read_committed')).length >= sourceCommitted.length ? true : null), {
    timeoutMs: 120_000, intervalMs: 250, what: `all ${sourceCommitted.length} committed source records committed on the target`,
  });
  const targetCommitted = await kcatRecords(target.bootstrap, remoteTopic, 'read_committed');
  const expected = byPartition(sourceCommitted);
  const actual = byPartition(targetCommitted);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [partition, records] of expected) {
    const got = actual.get(partition) ?? [];
    const firstWrong = records.findIndex((r, i) => got[i] !== r);
    expect(firstWrong, `partition ${partition}: first difference at ${firstWrong}: ${got[firstWrong]} instead of ${records[firstWrong]}`).toBe(-1);
    expect(got.length, `partition ${partition} holds ${got.length - records.length} extra records`).toBe(records.length);
  }
  const targetAll = await kcatRecords(target.bootstrap, remoteTopic, 'read_uncommitted');
  expect(targetAll.filter((r) => r.key.startsWith('x-'))).toEqual([]);

  // Offset syncs: each one points at a record read_committed readers of the target see.
  const upstream = new Map(sourceAll.map((r) => [`${r.partition}:${r.offset}`, r.key]));
  const downstream = new Map(targetCommitted.map((r) => [`${r.partition}:${r.offset}`, r.key]));
  const syncs = (await readAll(source.kafka, opts.offsetSyncsTopic)).map((raw) => decodeOffsetSync(raw.key!, raw.value!)).filter((s) => s.topic === topic);
  expect(syncs.length).toBeGreaterThan(0);
  for (const sync of syncs) {
    const at = `${sync.partition}:${sync.downstreamOffset}`;
    expect(downstream.get(at), `offset sync ${JSON.stringify(sync)} points at a committed target record`).toBeDefined();
    expect(downstream.get(at)).toBe(upstream.get(`${sync.partition}:${sync.upstreamOffset}`));
  }
  return { sourceCommitted: sourceCommitted.length, abortedOnTarget: targetAll.length - targetCommitted.length, syncs: syncs.length };
}

/** The high watermark total of a topic (0 before it exists): how far a target got, committed or not. */
export function progressOf(kafka: Kafka, topic: string): () => Promise<number> {
  return () => endOffsetTotal(kafka, topic);
}
