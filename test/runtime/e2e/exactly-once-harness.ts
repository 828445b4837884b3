/**
 * Shared pieces of the exactly-once end-to-end tests: a worker properties file for a
 * `ferry worker` with exactly-once source support, a file that grows at a steady pace, and
 * readers of the target topic through kcat (librdkafka) in either isolation level.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { appendLines } from '../../helpers/line-files.js';
import { kcatLines as kcatRecordLines } from '../kafka/kafka-test-kit.js';

export const lineFor = (i: number) => `${String(i).padStart(6, '0')} exactly once ${'y'.repeat(i % 29)}`;

/** Writes `dir/worker.properties` for a worker of group `group` on `bootstrap` with exactly-once source support. */
export function exactlyOnceWorkerProperties(dir: string, bootstrap: string, group: string): string {
  const file = path.join(dir, 'worker.properties');
  fs.writeFileSync(file, [
    `bootstrap.servers=${bootstrap}`,
    `group.id=${group}`,
    `config.storage.topic=${group}-configs`, `offset.storage.topic=${group}-offsets`, `status.storage.topic=${group}-status`,
    'config.storage.replication.factor=1', 'offset.storage.replication.factor=1', 'status.storage.replication.factor=1',
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    'listeners=http://127.0.0.1:0',
    'exactly.once.source.support=enabled',
    // A killed task's open transaction ends at this timeout unless its successor's initTransactions ends it first.
    'producer.transaction.timeout.ms=5000',
    'session.timeout.ms=3000',
  ].join('\n'));
  return file;
}

/** Appends `total` numbered lines (lineFor) to `file`, `perTick` every `tickMs`. */
export class GrowingFile {
  written = 0;
  stopped = false;
  readonly done: Promise<void>;

  constructor(readonly file: string, readonly total: number, perTick = 50, tickMs = 50) {
    fs.writeFileSync(file, '');
    this.done = (async () => {
      while (this.written < total && !this.stopped) {
        const end = Math.min(total, this.written + perTick);
        appendLines(file, Array.from({ length: end - this.written }, (_, k) => lineFor(this.written + k)));
        this.written = end;
        await delay(tickMs);
      }
    })();
  }
}

/**
 * Every record of `topic` as kcat reads it in the given isolation level, one line per value.
 * kcat's read to the end cannot finish while transactions keep committing: read once producing stopped.
 */
export function kcatLines(bootstrap: string, topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  return kcatRecordLines(bootstrap, topic, '%s\n', isolation);
}
